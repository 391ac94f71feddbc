"""Partner organisations of a local area."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import crud
from api.crud import Resource
from api.deps import AreaDep, PageDep, SessionDep
from api.resource_routes import add_item_routes
from models.organisation import (
    Organisation,
    OrganisationCreate,
    OrganisationKind,
    OrganisationPage,
    OrganisationPublic,
    OrganisationUpdate,
)

ORGANISATION = Resource(
    model=Organisation,
    create=OrganisationCreate,
    update=OrganisationUpdate,
    public=OrganisationPublic,
    unique=("name",),
)

router = APIRouter(prefix="/areas/{area_id}/organisations", tags=["organisations"])


@router.get("", response_model=OrganisationPage, summary="List organisations")
def list_organisations(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    kind: OrganisationKind | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in the name")] = None,
) -> Response:
    items, total = crud.list_page(
        session,
        ORGANISATION,
        area.id,
        limit=page.limit,
        offset=page.offset,
        equals={"kind": kind},
        text=q,
    )
    return crud.json_response(
        OrganisationPage(items=items, total=total, limit=page.limit, offset=page.offset)
    )


add_item_routes(router, ORGANISATION, "organisation_id")
