"""Subscription feeds: tokens for a person, an inspector, a venue or the whole week, and the feed.

``GET /api/v1/feeds/{token}.ics`` needs nothing but the token (looked up as its hash). A
process remembers a feed it served for TOKEN_CACHE_S seconds; after that one query tells
whether the published calendar changed, and the body is rebuilt only then. Revoking or
publishing through the same process is seen at once, through another within that time.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response, status
from sqlalchemy import Engine, Select, bindparam, case, func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from api import crud
from api.crud import commit
from api.deps import AreaDep, InspectionDep, PageDep, SessionDep, SettingsDep
from api.problems import NotFound, Problem, Unprocessable
from api.publishing import event_of
from api.recent import Lru, Recent
from api.routing import include_flat
from api.settings import Settings
from models.calendar_state import CalendarAttendance, CalendarItem
from models.feed_token import (
    FeedKind,
    FeedToken,
    FeedTokenCreate,
    FeedTokenCreated,
    FeedTokenPage,
    FeedTokenPublic,
)
from models.inspection import Inspection
from models.person import Person, PersonKind
from models.types import utc_now
from models.venue import Venue
from scheduler.ical import CalendarEvent, feed_calendar, feed_etag, feed_last_modified

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown id, or a revoked token"},
    422: {"model": Problem, "description": "Invalid field"},
}
CALENDAR = "text/calendar; charset=utf-8"
FEED_CACHE_SIZE = 512

tokens_router = APIRouter(
    prefix="/areas/{area_id}/inspections/{inspection_id}/feed-tokens",
    tags=["calendar feeds"],
    responses=ERRORS,
)
public_router = APIRouter(prefix="/feeds", tags=["calendar feeds"])


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_urls(base_url: str, token: str) -> tuple[str, str]:
    """The https (or http) URL and the webcal:// URL calendar apps subscribe to."""
    url = f"{base_url.rstrip('/')}/api/v1/feeds/{token}.ics"
    return url, "webcal://" + url.split("://", 1)[1]


def _check_subject(session: Session, inspection: Inspection, body: FeedTokenCreate) -> None:
    if body.kind == FeedKind.WEEK:
        return
    if body.kind == FeedKind.VENUE:
        venue = session.get(Venue, body.subject_id)
        if venue is None or venue.local_area_id != inspection.local_area_id:
            raise Unprocessable.field("subject_id", f"venue {body.subject_id} does not exist")
        return
    person = session.get(Person, body.subject_id)
    if person is None or person.local_area_id != inspection.local_area_id:
        raise Unprocessable.field("subject_id", f"person {body.subject_id} does not exist")
    if body.kind == FeedKind.INSPECTOR and not (
        person.kind == PersonKind.INSPECTOR or person.id in inspection.inspector_ids
    ):
        raise Unprocessable.field("subject_id", f"person {person.id} is not an inspector")


def _public(row: FeedToken) -> FeedTokenPublic:
    return FeedTokenPublic.model_validate(row, from_attributes=True)


@tokens_router.post(
    "",
    response_model=FeedTokenCreated,
    status_code=status.HTTP_201_CREATED,
    name="create_feed_token",
    summary="Create a feed token (shown once, with its webcal:// and https URLs)",
)
def create_feed_token(
    body: FeedTokenCreate,
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    settings: SettingsDep,
) -> FeedTokenCreated:
    assert inspection.id is not None and area.id is not None
    _check_subject(session, inspection, body)
    token = secrets.token_urlsafe(32)
    row = FeedToken(
        local_area_id=area.id,
        inspection_id=inspection.id,
        kind=body.kind,
        subject_id=body.subject_id,
        label=body.label,
        token_hash=hash_feed_token(token),
    )
    session.add(row)
    commit(session)
    session.refresh(row)
    https_url, webcal_url = feed_urls(settings.public_base_url, token)
    return FeedTokenCreated(
        **_public(row).model_dump(), token=token, https_url=https_url, webcal_url=webcal_url
    )


@tokens_router.get(
    "", response_model=FeedTokenPage, name="list_feed_tokens", summary="List feed tokens"
)
def list_feed_tokens(
    inspection: InspectionDep,
    session: SessionDep,
    page: PageDep,
    include_revoked: bool = False,
) -> Response:
    where = [col(FeedToken.inspection_id) == inspection.id]
    if not include_revoked:
        where.append(col(FeedToken.revoked_at).is_(None))
    total = session.exec(select(func.count()).select_from(FeedToken).where(*where)).one()
    rows = session.exec(
        select(FeedToken)
        .where(*where)
        .order_by(col(FeedToken.id))
        .offset(page.offset)
        .limit(page.limit)
    ).all()
    items = [_public(row) for row in rows]
    return crud.json_response(
        FeedTokenPage(items=items, total=total, limit=page.limit, offset=page.offset)
    )


@tokens_router.delete(
    "/{feed_token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    name="revoke_feed_token",
    summary="Revoke a feed token: its URL answers 404 from now on",
)
def revoke_feed_token(
    request: Request,
    inspection: InspectionDep,
    session: SessionDep,
    feed_token_id: Annotated[int, Path(ge=1)],
) -> Response:
    row = session.get(FeedToken, feed_token_id)
    if row is None or row.inspection_id != inspection.id:
        raise NotFound(f"feed token {feed_token_id} does not exist in inspection {inspection.id}")
    if row.revoked_at is None:
        row.revoked_at = utc_now()
        commit(session)
    request.app.state.recent_feeds.forget(row.token_hash)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- the feed itself -------------------------------------------------------------------------


FeedEntry = tuple[bytes, str, datetime]
"""A feed's body, ETag and Last-Modified."""


def _state_query() -> Select[Any]:
    """The token and everything its feed's bytes depend on, in one round trip.

    Counts and latest changes of the inspection's calendar rows (a deletion changes a
    count), and the versions of the inspection and of the feed's subject (names are in the
    feed). Built once: executing it again reuses the compiled statement.
    """
    same_inspection = col(CalendarItem.inspection_id) == col(FeedToken.inspection_id)
    attendance_of_item = col(CalendarItem.id) == col(CalendarAttendance.calendar_item_id)

    def attendances(column: Any) -> Any:
        return (
            select(column)
            .select_from(CalendarAttendance)
            .join(CalendarItem, attendance_of_item)
            .where(same_inspection)
            .scalar_subquery()
        )

    def scalar(column: Any, *where: Any) -> Any:
        return select(column).where(*where).scalar_subquery()

    return core_select(
        col(FeedToken.id),
        col(FeedToken.revoked_at),
        scalar(func.count(col(CalendarItem.id)), same_inspection),
        scalar(func.max(col(CalendarItem.updated_at)), same_inspection),
        attendances(func.count(col(CalendarAttendance.id))),
        attendances(func.max(col(CalendarAttendance.updated_at))),
        scalar(col(Inspection.version), col(Inspection.id) == col(FeedToken.inspection_id)),
        case(
            (
                col(FeedToken.kind).in_([FeedKind.PERSON, FeedKind.INSPECTOR]),
                scalar(col(Person.version), col(Person.id) == col(FeedToken.subject_id)),
            ),
            (
                col(FeedToken.kind) == FeedKind.VENUE,
                scalar(col(Venue.version), col(Venue.id) == col(FeedToken.subject_id)),
            ),
        ),
    ).where(col(FeedToken.token_hash) == bindparam("token_hash"))


FEED_STATE = _state_query()


def _person_events(session: Session, inspection_id: int, person_id: int) -> list[CalendarEvent]:
    """A person's items; ones they were taken off come as cancelled (dropped, but dated)."""
    rows = session.exec(
        select(CalendarItem, CalendarAttendance)
        .join(CalendarAttendance, col(CalendarItem.id) == CalendarAttendance.calendar_item_id)
        .where(
            CalendarItem.inspection_id == inspection_id,
            CalendarAttendance.person_id == person_id,
        )
    ).all()
    events = []
    for item, attendance in rows:
        event = event_of(item, [])
        if not attendance.active:
            event = _dropped(event, attendance.updated_at)
        events.append(event)
    return events


def _dropped(event: CalendarEvent, when: datetime) -> CalendarEvent:
    latest = max(d for d in (event.last_modified, when) if d is not None)
    return replace(event, status="CANCELLED", last_modified=latest)


def _items_events(session: Session, rows: Iterable[CalendarItem]) -> list[CalendarEvent]:
    return [event_of(row, []) for row in rows]


def feed_contents(session: Session, token: FeedToken) -> tuple[str, list[CalendarEvent]]:
    """The feed's name and its events (cancelled ones included; the feed drops them)."""
    inspection = session.get(Inspection, token.inspection_id)
    if inspection is None:
        raise NotFound("this feed does not exist")
    title = inspection.title
    if token.kind in (FeedKind.PERSON, FeedKind.INSPECTOR):
        person = session.get(Person, token.subject_id)
        if person is None or person.id is None:
            raise NotFound("this feed does not exist")
        prefix = "Inspector " if token.kind == FeedKind.INSPECTOR else ""
        name = f"{title}: {prefix}{person.name}"
        return name, _person_events(session, token.inspection_id, person.id)
    query = select(CalendarItem).where(CalendarItem.inspection_id == token.inspection_id)
    if token.kind == FeedKind.VENUE:
        venue = session.get(Venue, token.subject_id)
        if venue is None:
            raise NotFound("this feed does not exist")
        name = f"{title}: {venue.name}"
        query = query.where(CalendarItem.venue_id == venue.id)
    else:
        name = title
    return name, _items_events(session, session.exec(query).all())


def _not_modified(
    etag: str, last_modified: datetime, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False


@public_router.get(
    "/{token}.ics",
    name="get_feed",
    summary="A subscription feed (METHOD:PUBLISH); the token is the only key",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "The feed"},
        304: {"description": "Not modified since the ETag or date given"},
        404: {"model": Problem, "description": "Unknown or revoked token"},
    },
)
async def get_feed(
    token: Annotated[str, Path(min_length=16, max_length=100)],
    request: Request,
    if_none_match: Annotated[str | None, Header()] = None,
    if_modified_since: Annotated[str | None, Header()] = None,
) -> Response:
    # The hot path of the whole service: every subscriber polls it. A feed read in the last
    # TOKEN_CACHE_S seconds is answered from memory (no thread, no query); otherwise one
    # thread hop and one query tell whether it changed, and the body is built only then.
    # Revoking or publishing through this process is seen at once.
    settings: Settings = request.app.state.settings
    token_hash = hash_feed_token(token)
    recent: Recent[str, FeedEntry] = request.app.state.recent_feeds
    entry = recent.get(token_hash)
    if entry is None:
        entry = await run_in_threadpool(
            _feed_entry,
            request.app.state.engine,
            request.app.state.feed_cache,
            token_hash,
            settings.feed_refresh,
        )
        if entry is None:
            raise NotFound("this feed does not exist or was revoked")
        recent.put(token_hash, entry)
    body, etag, last_modified = entry
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(last_modified.astimezone(UTC), usegmt=True),
        "Cache-Control": "private, no-cache",
    }
    if _not_modified(etag, last_modified, if_none_match, if_modified_since):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    headers["Content-Disposition"] = 'inline; filename="inspection-week.ics"'
    return Response(content=body, media_type=CALENDAR, headers=headers)


# Some calendar clients ask with HEAD before they GET; left out of the schema, where a
# second operation would repeat get_feed's operation id.
public_router.add_api_route(
    "/{token}.ics", get_feed, methods=["HEAD"], name="head_feed", include_in_schema=False
)


def _feed_entry(
    engine: Engine, cache: Lru[tuple[Any, ...], FeedEntry], token_hash: str, refresh: timedelta
) -> FeedEntry | None:
    """The feed's body, ETag and Last-Modified; None for an unknown or revoked token."""
    with engine.connect() as connection:
        state = connection.execute(FEED_STATE, {"token_hash": token_hash}).first()
    if state is None or state.revoked_at is not None:
        return None
    key = (token_hash, refresh, tuple(state)[2:])
    entry = cache.get(key)
    if entry is None:
        with Session(engine) as session:
            row = session.get_one(FeedToken, state.id)
            name, events = feed_contents(session, row)
        body = feed_calendar(name, events, refresh)
        last_modified = feed_last_modified(events) or row.created_at
        entry = (body, feed_etag(body), last_modified)
        cache.put(key, entry)
    return entry


# One router per module for the app: the area's routes and the public one (no token needed).
router = APIRouter()
include_flat(router, tokens_router)
include_flat(router, public_router)
