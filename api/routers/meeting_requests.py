"""Meetings an inspection's strategy days must hold."""

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from api import crud
from api.crud import Resource
from api.deps import AreaDep, InspectionDep, ListingDep, PageDep, SessionDep
from api.problems import Unprocessable
from api.resource_routes import add_item_routes
from api.strategy_planner import days_of
from models.inspection import Inspection
from models.meeting_request import (
    MeetingKind,
    MeetingRequest,
    MeetingRequestCreate,
    MeetingRequestPage,
    MeetingRequestPublic,
    MeetingRequestUpdate,
)
from scheduler.frameworks import DayRole
from scheduler.strategy.problem import GRID_MINUTES


def _check_against_inspection(
    session: Session, area: Any, values: dict[str, Any], existing: Any
) -> None:
    inspection = session.get(Inspection, values["inspection_id"])
    assert inspection is not None
    outside = sorted(set(values.get("named_inspector_ids") or []) - set(inspection.inspector_ids))
    if outside:
        raise Unprocessable.field(
            "named_inspector_ids", f"people {outside} are not inspectors of this inspection"
        )
    _check_fixed_start(inspection, values.get("fixed_start"))


def _check_fixed_start(inspection: Inspection, start: datetime | None) -> None:
    """A fixed start the planner could never use is refused now, not left unplaced later."""
    if start is None:
        return
    local = start.astimezone(ZoneInfo(inspection.timezone))
    days = days_of(inspection, DayRole.STRATEGY)
    if days and local.date() not in days:
        shown = ", ".join(f"{d:%a %d %b}" for d in days)
        raise Unprocessable.field(
            "fixed_start", f"{local:%a %d %b} is not one of the strategy days ({shown})"
        )
    if local.minute % GRID_MINUTES or local.second or local.microsecond:
        raise Unprocessable.field(
            "fixed_start", f"{local:%H:%M:%S} is not on the {GRID_MINUTES}-minute grid"
        )


MEETING_REQUEST = Resource(
    model=MeetingRequest,
    create=MeetingRequestCreate,
    update=MeetingRequestUpdate,
    public=MeetingRequestPublic,
    parent_field="inspection_id",
    prepare=_check_against_inspection,
    search=("title", "theme"),
)

router = APIRouter(
    prefix="/areas/{area_id}/inspections/{inspection_id}/meeting-requests",
    tags=["meeting requests"],
)


@router.get("", response_model=MeetingRequestPage, summary="List meeting requests")
async def list_meeting_requests(
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    kind: MeetingKind | None = None,
    theme: Annotated[str | None, Query(max_length=100)] = None,
    online: bool | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        MEETING_REQUEST,
        MeetingRequestPage,
        area.id,
        page,
        listing,
        equals={"inspection_id": inspection.id, "kind": kind, "theme": theme, "online": online},
        text=q,
    )


add_item_routes(router, MEETING_REQUEST, "meeting_request_id")
