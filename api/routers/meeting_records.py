"""The note-taker's record of each strategy meeting of an inspection."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlmodel import Session, select

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, InspectionDep, ListingDep, PageDep, SessionDep
from api.problems import Unprocessable
from api.resource_routes import add_item_routes
from models.meeting_record import (
    MeetingRecord,
    MeetingRecordCreate,
    MeetingRecordPage,
    MeetingRecordPublic,
    MeetingRecordUpdate,
)
from models.meeting_request import MeetingRequest
from models.person import Person


def _check_meeting_and_owners(
    session: Session, area: Any, values: dict[str, Any], existing: Any
) -> None:
    """The meeting must be one of this inspection's; follow-up owners people of the area."""
    meeting = session.get(MeetingRequest, values["meeting_request_id"])
    in_area = meeting is not None and meeting.local_area_id == area.id
    if in_area and meeting.inspection_id != values["inspection_id"]:  # type: ignore[union-attr]
        raise Unprocessable.field(
            "meeting_request_id",
            f"meeting request {values['meeting_request_id']} belongs to another inspection",
        )
    owners = {f["owner_id"] for f in values.get("follow_ups") or [] if f.get("owner_id")}
    found = set(
        session.exec(
            select(Person.id).where(
                Person.id.in_(owners),  # type: ignore[union-attr]
                Person.local_area_id == area.id,
            )
        ).all()
    )
    missing = sorted(owners - found)
    if missing:
        raise Unprocessable.field("follow_ups", f"no person {missing} in this local area")


MEETING_RECORD = Resource(
    model=MeetingRecord,
    create=MeetingRecordCreate,
    update=MeetingRecordUpdate,
    public=MeetingRecordPublic,
    unique=("meeting_request_id",),
    parent_field="inspection_id",
    prepare=_check_meeting_and_owners,
    search=("issues_arising", "key_messages"),
)

router = APIRouter(
    prefix="/areas/{area_id}/inspections/{inspection_id}/meeting-records",
    tags=["meeting records"],
)


@router.get("", response_model=MeetingRecordPage, summary="List meeting records")
async def list_meeting_records(
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    meeting_request_id: IdFilter = None,
    note_taker_id: IdFilter = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        MEETING_RECORD,
        MeetingRecordPage,
        area.id,
        page,
        listing,
        equals={
            "inspection_id": inspection.id,
            "meeting_request_id": meeting_request_id,
            "note_taker_id": note_taker_id,
        },
        text=q,
    )


add_item_routes(router, MEETING_RECORD, "meeting_record_id")
