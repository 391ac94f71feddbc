"""Inspections of a local area; the on-site week is derived from the notification."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlmodel import Session, select

from api import crud
from api.crud import Resource
from api.deps import AreaDep, ListingDep, PageDep, SessionDep
from api.problems import Unprocessable
from api.references import describe
from api.resource_routes import add_item_routes
from models.inspection import (
    Inspection,
    InspectionCreate,
    InspectionDay,
    InspectionPage,
    InspectionPublic,
    InspectionUpdate,
)
from models.meeting_request import MeetingRequest
from models.person import Person, PersonKind
from scheduler.frameworks import PROFILES
from scheduler.notice import notice_window


def _derive_week(session: Session, area: Any, values: dict[str, Any], existing: Any) -> None:
    """Derive the on-site week from the notice rule, unless the days were given by hand."""
    window = notice_window(
        values["notification_at"], PROFILES[values["framework"]], values["timezone"]
    )
    values["onsite_start"] = window.onsite_start
    rule_changed = existing is not None and (
        existing.notification_at != values["notification_at"]
        or existing.framework != values["framework"]
        or existing.timezone != values["timezone"]
    )
    if values.get("days") is None or (rule_changed and values["days"] == existing.days):
        values["days"] = [
            InspectionDay(day=d.day, role=d.role).model_dump(mode="json") for d in window.days
        ]
    _check_inspectors(session, area.id, values)
    if existing is not None:
        _keep_named_inspectors(session, existing.id, values.get("inspector_ids") or [])


def _check_inspectors(session: Session, area_id: int, values: dict[str, Any]) -> None:
    ids = values.get("inspector_ids") or []
    if len(set(ids)) != len(ids):
        raise Unprocessable.field("inspector_ids", "lists someone twice")
    people = session.exec(
        select(Person).where(Person.id.in_(ids), Person.local_area_id == area_id)  # type: ignore[union-attr]
    ).all()
    not_inspectors = sorted(
        p.id for p in people if p.kind != PersonKind.INSPECTOR and p.id is not None
    )
    if not_inspectors:
        raise Unprocessable.field(
            "inspector_ids", f"people {not_inspectors} are not of kind 'inspector'"
        )
    lead = values.get("lead_inspector_id")
    if lead is not None and lead not in ids:
        raise Unprocessable.field("lead_inspector_id", "must be one of inspector_ids")


def _keep_named_inspectors(session: Session, inspection_id: int, ids: list[int]) -> None:
    """Meetings that name an inspector need that inspector to stay on the inspection."""
    meetings = session.exec(
        select(MeetingRequest).where(MeetingRequest.inspection_id == inspection_id)
    )
    stranded = [
        f"{describe(m)} names {sorted(set(m.named_inspector_ids) - set(ids))}"
        for m in meetings
        if set(m.named_inspector_ids or []) - set(ids)
    ]
    if stranded:
        raise Unprocessable.field("inspector_ids", f"still needed: {'; '.join(stranded)}")


def present(row: Inspection) -> InspectionPublic:
    window = notice_window(row.notification_at, PROFILES[row.framework], row.timezone)
    public = InspectionPublic.model_validate(row, update={"notice_working_days": []})
    public.notice_working_days = list(window.notice_days)
    return public


INSPECTION = Resource(
    model=Inspection,
    create=InspectionCreate,
    update=InspectionUpdate,
    public=InspectionPublic,
    prepare=_derive_week,
    to_public=present,
    search=("title",),
)

router = APIRouter(prefix="/areas/{area_id}/inspections", tags=["inspections"])


@router.get("", response_model=InspectionPage, summary="List inspections")
async def list_inspections(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    framework: Annotated[str | None, Query(max_length=60)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        INSPECTION,
        InspectionPage,
        area.id,
        page,
        listing,
        equals={"framework": framework},
        text=q,
    )


add_item_routes(router, INSPECTION, "inspection_id")
