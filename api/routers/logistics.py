"""The logistics checklist of an inspection."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, InspectionDep, ListingDep, PageDep, SessionDep
from api.readiness_seed import seed_logistics
from api.resource_routes import ERRORS, add_item_routes
from models.action import Progress
from models.logistics import (
    LogisticsCategory,
    LogisticsItem,
    LogisticsItemCreate,
    LogisticsItemPage,
    LogisticsItemPublic,
    LogisticsItemUpdate,
)

LOGISTICS_ITEM = Resource(
    model=LogisticsItem,
    create=LogisticsItemCreate,
    update=LogisticsItemUpdate,
    public=LogisticsItemPublic,
    parent_field="inspection_id",
    search=("title", "detail"),
)


class LogisticsSeedResult(BaseModel):
    added: int
    items: list[LogisticsItemPublic]


router = APIRouter(
    prefix="/areas/{area_id}/inspections/{inspection_id}/logistics", tags=["logistics"]
)


@router.get("", response_model=LogisticsItemPage, summary="List the logistics checklist")
async def list_logistics_items(
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    category: LogisticsCategory | None = None,
    status: Progress | None = None,
    owner_id: IdFilter = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        LOGISTICS_ITEM,
        LogisticsItemPage,
        area.id,
        page,
        listing,
        equals={
            "inspection_id": inspection.id,
            "category": category,
            "status": status,
            "owner_id": owner_id,
        },
        text=q,
    )


@router.post(
    "/seed",
    response_model=LogisticsSeedResult,
    responses=ERRORS,
    summary="Add the default checklist items this inspection lacks (idempotent; keeps edits)",
)
def seed_inspection_logistics(
    area: AreaDep, inspection: InspectionDep, session: SessionDep
) -> LogisticsSeedResult:
    added = seed_logistics(session, inspection)
    return LogisticsSeedResult(added=len(added), items=[LOGISTICS_ITEM.present(r) for r in added])


add_item_routes(router, LOGISTICS_ITEM, "logistics_item_id")
