"""Venues for the strategy meetings."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import crud
from api.crud import Resource
from api.deps import AreaDep, ListingDep, PageDep, SessionDep
from api.resource_routes import add_item_routes
from models.venue import Venue, VenueCreate, VenuePage, VenuePublic, VenueUpdate

VENUE = Resource(
    model=Venue,
    create=VenueCreate,
    update=VenueUpdate,
    public=VenuePublic,
    unique=("name",),
    search=("name", "address", "postcode"),
)

router = APIRouter(prefix="/areas/{area_id}/venues", tags=["venues"])


@router.get("", response_model=VenuePage, summary="List venues")
async def list_venues(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    step_free: bool | None = None,
    video_conferencing: bool | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        VENUE,
        VenuePage,
        area.id,
        page,
        listing,
        equals={"step_free": step_free, "video_conferencing": video_conferencing},
        text=q,
    )


add_item_routes(router, VENUE, "venue_id")
