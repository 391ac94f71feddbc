"""Education settings (schools, colleges, early-years providers, PRUs)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import crud
from api.crud import Resource
from api.deps import AreaDep, ListingDep, PageDep, SessionDep
from api.resource_routes import add_item_routes
from models.setting import (
    Setting,
    SettingCreate,
    SettingPage,
    SettingPublic,
    SettingType,
    SettingUpdate,
)

SETTING = Resource(
    model=Setting,
    create=SettingCreate,
    update=SettingUpdate,
    public=SettingPublic,
    unique=("urn",),
    search=("name", "urn", "postcode"),
)

router = APIRouter(prefix="/areas/{area_id}/settings", tags=["settings"])


@router.get("", response_model=SettingPage, summary="List education settings")
async def list_settings(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    setting_type: SettingType | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in name, URN, postcode")
    ] = None,
) -> Response:
    return await crud.list_response(
        session,
        SETTING,
        SettingPage,
        area.id,
        page,
        listing,
        equals={"setting_type": setting_type},
        text=q,
    )


add_item_routes(router, SETTING, "setting_id")
