"""Planning parameters of an inspection (quotas, visit lengths, bases, travel, feedback)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlmodel import Session, select

from api.crud import check_if_match, commit, etag
from api.deps import AreaDep, InspectionDep, SessionDep
from api.problems import Unprocessable
from api.references import check_ids
from api.resource_routes import ERRORS, IfMatch
from models.person import Person
from models.planning_settings import PlanningSettings, PlanningSettingsBody
from models.types import utc_now
from models.venue import Venue

router = APIRouter(
    prefix="/areas/{area_id}/inspections/{inspection_id}/planning-settings",
    tags=["planning settings"],
    responses=ERRORS,
)


def stored(session: Session, inspection_id: int | None) -> PlanningSettings | None:
    return session.exec(
        select(PlanningSettings).where(PlanningSettings.inspection_id == inspection_id)
    ).first()


def planning_settings(session: Session, inspection_id: int | None) -> PlanningSettingsBody:
    """The inspection's settings, or the defaults when none were saved."""
    row = stored(session, inspection_id)
    return PlanningSettingsBody.model_validate(row.values) if row else PlanningSettingsBody()


def _etag(row: PlanningSettings | None) -> str:
    return etag(row) if row else '"planningsettings-default"'


@router.get("", response_model=PlanningSettingsBody, name="get_planning_settings")
def read_settings(
    inspection: InspectionDep, session: SessionDep, response: Response
) -> PlanningSettingsBody:
    response.headers["ETag"] = _etag(stored(session, inspection.id))
    return planning_settings(session, inspection.id)


@router.put("", response_model=PlanningSettingsBody, name="replace_planning_settings")
def replace_settings(
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    body: PlanningSettingsBody,
    response: Response,
    if_match: IfMatch = None,
) -> PlanningSettingsBody:
    row = stored(session, inspection.id)
    if row is not None:
        check_if_match(row, if_match)
    outside = sorted({b.inspector_id for b in body.inspector_bases} - set(inspection.inspector_ids))
    if outside:
        raise Unprocessable.field(
            "inspector_bases", f"people {outside} are not inspectors of this inspection"
        )
    check_ids(session, area.id, Person, "feedback.leader_ids", body.feedback.leader_ids)
    check_ids(session, area.id, Venue, "feedback.venue_id", [body.feedback.venue_id])
    assert inspection.id is not None
    if row is None:
        row = PlanningSettings(local_area_id=area.id, inspection_id=inspection.id)
    else:
        row.version += 1
    row.values = body.model_dump(mode="json")
    row.updated_at = utc_now()
    session.add(row)
    commit(session)
    session.refresh(row)
    response.headers["ETag"] = _etag(row)
    return body
