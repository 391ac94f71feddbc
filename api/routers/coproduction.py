"""The "we said, we did" co-production evidence log."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, ListingDep, PageDep, SessionDep
from api.resource_routes import add_item_routes
from models.coproduction import (
    CoproductionEntry,
    CoproductionEntryCreate,
    CoproductionEntryPage,
    CoproductionEntryPublic,
    CoproductionEntryUpdate,
)

COPRODUCTION_ENTRY = Resource(
    model=CoproductionEntry,
    create=CoproductionEntryCreate,
    update=CoproductionEntryUpdate,
    public=CoproductionEntryPublic,
    search=("we_said", "we_did", "source"),
)

router = APIRouter(prefix="/areas/{area_id}/coproduction", tags=["co-production"])


@router.get("", response_model=CoproductionEntryPage, summary="List the we said, we did log")
async def list_coproduction_entries(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    source: Annotated[str | None, Query(max_length=200)] = None,
    owner_id: IdFilter = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        COPRODUCTION_ENTRY,
        CoproductionEntryPage,
        area.id,
        page,
        listing,
        equals={"source": source, "owner_id": owner_id},
        text=q,
    )


add_item_routes(router, COPRODUCTION_ENTRY, "coproduction_entry_id")
