"""The area action plan."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, ListingDep, PageDep, SessionDep
from api.resource_routes import add_item_routes
from models.action import (
    Action,
    ActionCreate,
    ActionPage,
    ActionPublic,
    ActionUpdate,
    Progress,
)

ACTION = Resource(
    model=Action,
    create=ActionCreate,
    update=ActionUpdate,
    public=ActionPublic,
    search=("action", "progress_note"),
)

router = APIRouter(prefix="/areas/{area_id}/actions", tags=["action plan"])


@router.get("", response_model=ActionPage, summary="List the action plan")
async def list_actions(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    progress: Progress | None = None,
    owner_id: IdFilter = None,
    statement_id: IdFilter = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        ACTION,
        ActionPage,
        area.id,
        page,
        listing,
        equals={"progress": progress, "owner_id": owner_id, "statement_id": statement_id},
        text=q,
    )


add_item_routes(router, ACTION, "action_id")
