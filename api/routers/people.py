"""People of a local area and its inspection team."""

from typing import Annotated

from fastapi import APIRouter, Query

from api import crud
from api.crud import Resource
from api.deps import AreaDep, PageDep, SessionDep
from api.resource_routes import add_item_routes
from models.person import (
    Person,
    PersonCreate,
    PersonKind,
    PersonPage,
    PersonPublic,
    PersonUpdate,
)

PERSON = Resource(
    model=Person,
    create=PersonCreate,
    update=PersonUpdate,
    public=PersonPublic,
    unique=("email",),
    search=("name", "email", "job_title"),
)

router = APIRouter(prefix="/areas/{area_id}/people", tags=["people"])


@router.get("", response_model=PersonPage, summary="List people")
def list_people(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    organisation_id: int | None = None,
    kind: PersonKind | None = None,
    theme: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in name, email or title")
    ] = None,
) -> PersonPage:
    rows, total = crud.list_page(
        session,
        PERSON,
        area.id,
        limit=page.limit,
        offset=page.offset,
        equals={"organisation_id": organisation_id, "kind": kind},
        contains={"themes": theme} if theme else None,
        text=q,
    )
    items = [PERSON.present(r) for r in rows]
    return PersonPage(items=items, total=total, limit=page.limit, offset=page.offset)


add_item_routes(router, PERSON, "person_id")
