"""People of a local area and its inspection team."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlmodel import Session, select

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, ListingDep, PageDep, SessionDep
from api.problems import Unprocessable
from api.references import describe
from api.resource_routes import add_item_routes
from models.inspection import Inspection
from models.person import (
    Person,
    PersonCreate,
    PersonKind,
    PersonPage,
    PersonPublic,
    PersonUpdate,
)


def _keep_inspectors_inspectors(
    session: Session, area: Any, values: dict[str, Any], existing: Any
) -> None:
    """An inspection's inspectors must be of kind inspector; refuse changing that under it."""
    if existing is None or existing.kind != PersonKind.INSPECTOR:
        return
    if values.get("kind") == PersonKind.INSPECTOR:
        return
    inspections = session.exec(select(Inspection).where(Inspection.local_area_id == area.id))
    on = [describe(i) for i in inspections if existing.id in (i.inspector_ids or [])]
    if on:
        raise Unprocessable.field("kind", f"still an inspector of {'; '.join(on)}")


PERSON = Resource(
    model=Person,
    create=PersonCreate,
    update=PersonUpdate,
    public=PersonPublic,
    unique=("email",),
    prepare=_keep_inspectors_inspectors,
    search=("name", "email", "job_title"),
)

router = APIRouter(prefix="/areas/{area_id}/people", tags=["people"])


@router.get("", response_model=PersonPage, summary="List people")
async def list_people(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    organisation_id: IdFilter = None,
    kind: PersonKind | None = None,
    theme: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in name, email or title")
    ] = None,
) -> Response:
    return await crud.list_response(
        session,
        PERSON,
        PersonPage,
        area.id,
        page,
        listing,
        equals={"organisation_id": organisation_id, "kind": kind},
        contains={"themes": theme} if theme else None,
        text=q,
    )


add_item_routes(router, PERSON, "person_id")
