"""Partner organisations of a local area."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import crud
from api.crud import Resource
from api.deps import AreaDep, ListingDep, PageDep, SessionDep
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
async def list_organisations(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    kind: OrganisationKind | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in the name")] = None,
) -> Response:
    return await crud.list_response(
        session,
        ORGANISATION,
        OrganisationPage,
        area.id,
        page,
        listing,
        equals={"kind": kind},
        text=q,
    )


add_item_routes(router, ORGANISATION, "organisation_id")
