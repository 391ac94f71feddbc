"""Meetings an inspection's strategy days must hold."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from api import crud
from api.crud import Resource
from api.deps import AreaDep, InspectionDep, ListingDep, PageDep, SessionDep
from api.problems import Unprocessable
from api.resource_routes import add_item_routes
from models.inspection import Inspection
from models.meeting_request import (
    MeetingKind,
    MeetingRequest,
    MeetingRequestCreate,
    MeetingRequestPage,
    MeetingRequestPublic,
    MeetingRequestUpdate,
)


def _check_inspectors(session: Session, area: Any, values: dict[str, Any], existing: Any) -> None:
    inspection = session.get(Inspection, values["inspection_id"])
    assert inspection is not None
    outside = sorted(set(values.get("named_inspector_ids") or []) - set(inspection.inspector_ids))
    if outside:
        raise Unprocessable.field(
            "named_inspector_ids", f"people {outside} are not inspectors of this inspection"
        )


MEETING_REQUEST = Resource(
    model=MeetingRequest,
    create=MeetingRequestCreate,
    update=MeetingRequestUpdate,
    public=MeetingRequestPublic,
    parent_field="inspection_id",
    prepare=_check_inspectors,
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
