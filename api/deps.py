"""Dependencies routes declare by type: a database session and the local area in the path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, admit, bearer_token, hash_token, identify, is_open
from api.capacity import runs_on_loop
from api.problems import NotFound
from api.recent import Lru
from api.settings import Settings
from api.stamps import StampReader
from models.inspection import Inspection
from models.local_area import LocalArea
from models.types import MAX_ROW_ID


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for the request, opened on the event loop: creating one does no I/O.

    Closing ends the read transaction: where reads run on the loop (SQLite) that is done
    here; on a server database it is a round trip, done in the threadpool. Both save the two
    thread hops a sync generator dependency costs on every request.
    """
    engine = request.app.state.engine
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction() and not runs_on_loop(engine):
            await run_in_threadpool(session.close)
        else:
            session.close()


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def authorize(request: Request, settings: SettingsDep) -> None:
    """Every /api/v1 route: a valid token with the role the method needs (see api.auth).

    The open routes (health, feeds, RSVP links) need no database work here at all, and a
    token checked in the last few seconds (settings.token_cache_s) none either.
    """
    if is_open(request.url.path):
        return
    token = bearer_token(request)
    digest = hash_token(token)
    cache = request.app.state.principals
    principal = cache.get(digest)
    if principal is None:
        principal = await run_in_threadpool(
            _identify, request.app.state.engine, token, settings.operator_token_hash
        )
        if principal is not None:
            cache.put(digest, principal)
    admit(request, principal)


def _identify(engine: Engine, token: str, operator_hash: str | None) -> Principal | None:
    # A session of its own, closed in this thread hop: the request's session takes a
    # connection only when the route itself needs one.
    with Session(engine) as session:
        return identify(session, token, operator_hash)


def principal_of(request: Request) -> Principal | None:
    return getattr(request.state, "principal", None)


async def get_area(request: Request, area_id: Annotated[int, Path(ge=1)]) -> LocalArea:
    """The area in the path, as the scope of a route: remembered for a few seconds.

    A detached copy: routes read its id and code. Routes that change the area itself use
    AreaRowDep, which reads the row.
    """
    _check_can_see(request, area_id)
    areas = request.app.state.areas
    area: LocalArea | None = areas.get(area_id)
    if area is None:
        area = await run_in_threadpool(_detached_area, request.app.state.engine, area_id)
        areas.put(area_id, area)
    return area


def _detached_area(engine: Engine, area_id: int) -> LocalArea:
    with Session(engine, expire_on_commit=False) as session:
        area = session.get(LocalArea, area_id)
        if area is None:
            raise NotFound(f"local area {area_id} does not exist")
        session.expunge(area)
        return area


def _check_can_see(request: Request, area_id: int) -> None:
    principal = principal_of(request)
    if principal is not None and not principal.can_see(area_id):
        raise NotFound(f"local area {area_id} does not exist")


def get_area_row(
    request: Request, session: SessionDep, area_id: Annotated[int, Path(ge=1)]
) -> LocalArea:
    """The area's current row, attached to the session, for reading or changing it."""
    _check_can_see(request, area_id)
    area = session.get(LocalArea, area_id)
    if area is None:
        raise NotFound(f"local area {area_id} does not exist")
    return area


AreaRowDep = Annotated[LocalArea, Depends(get_area_row)]
AreaDep = Annotated[LocalArea, Depends(get_area)]


class PageParams:
    """limit/offset with the limit capped by settings, so nobody can ask for a million rows."""

    def __init__(self, limit: int, offset: int) -> None:
        self.limit = limit
        self.offset = offset


async def page_params(
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PageParams:
    return PageParams(min(limit, settings.page_limit_max), offset)


PageDep = Annotated[PageParams, Depends(page_params)]

IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
"""A list filter on an id: bounded like ids, so a huge one is a 422 naming it."""


def get_inspection(
    area: AreaDep, session: SessionDep, inspection_id: Annotated[int, Path(ge=1)]
) -> Inspection:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or inspection.local_area_id != area.id:
        raise NotFound(f"inspection {inspection_id} does not exist in local area {area.id}")
    return inspection


InspectionDep = Annotated[Inspection, Depends(get_inspection)]


def no_parent() -> None:
    """Scope of resources owned directly by the area."""
    return None


def inspection_parent(inspection: InspectionDep) -> int:
    """Scope of resources owned by an inspection: its id."""
    assert inspection.id is not None
    return inspection.id


@dataclass(frozen=True)
class Listing:
    """What a list request brings besides its filters: the client's ETag, the cache and
    the reader of change stamps."""

    if_none_match: str | None
    cache: Lru[tuple[Any, ...], bytes]
    stamps: StampReader


async def get_listing(request: Request) -> Listing:
    state = request.app.state
    return Listing(request.headers.get("if-none-match"), state.list_cache, state.stamps)


ListingDep = Annotated[Listing, Depends(get_listing)]
