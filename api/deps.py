"""Dependencies routes declare by type: a database session and the local area in the path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlmodel import Session

from api.auth import Principal, authenticate
from api.problems import NotFound
from api.settings import Settings
from models.inspection import Inspection
from models.local_area import LocalArea


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def authorize(request: Request, session: SessionDep, settings: SettingsDep) -> None:
    """Every /api/v1 route: a valid token with the role the method needs (see api.auth)."""
    authenticate(request, session, settings.operator_token_hash)


def principal_of(request: Request) -> Principal | None:
    return getattr(request.state, "principal", None)


def get_area(
    request: Request, session: SessionDep, area_id: Annotated[int, Path(ge=1)]
) -> LocalArea:
    principal = principal_of(request)
    area = session.get(LocalArea, area_id)
    if area is None or (principal is not None and not principal.can_see(area_id)):
        raise NotFound(f"local area {area_id} does not exist")
    return area


AreaDep = Annotated[LocalArea, Depends(get_area)]


class PageParams:
    """limit/offset with the limit capped by settings, so nobody can ask for a million rows."""

    def __init__(
        self,
        settings: SettingsDep,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> None:
        self.limit = min(limit, settings.page_limit_max)
        self.offset = offset


PageDep = Annotated[PageParams, Depends()]


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
