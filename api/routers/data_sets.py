"""The data-set register: what the inspectors may ask for, who produces it, how fast."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, ListingDep, PageDep, SessionDep
from api.problems import Unprocessable
from api.readiness import DEFAULT_FRESHNESS_DAYS, Feasibility, area_data_sets, feasibility
from api.readiness_seed import seed_data_sets
from api.resource_routes import ERRORS, add_item_routes
from models.data_set import (
    DataSet,
    DataSetCreate,
    DataSetPage,
    DataSetPublic,
    DataSetStatus,
    DataSetUpdate,
)
from scheduler.frameworks import DEFAULT_PROFILE, PROFILES

DATA_SET = Resource(
    model=DataSet,
    create=DataSetCreate,
    update=DataSetUpdate,
    public=DataSetPublic,
    unique=("name",),
    search=("name", "description", "source_system", "source_team"),
)

FreshnessDays = Annotated[int, Query(ge=1, le=3650, description="Older refreshes count as stale")]


class SeedResult(BaseModel):
    added: int
    total: int


router = APIRouter(prefix="/areas/{area_id}/data-sets", tags=["data sets"])


@router.get("", response_model=DataSetPage, summary="List data sets")
async def list_data_sets(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    status: DataSetStatus | None = None,
    owner_id: IdFilter = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        DATA_SET,
        DataSetPage,
        area.id,
        page,
        listing,
        equals={"status": status, "owner_id": owner_id, "category": category},
        text=q,
    )


@router.post(
    "/seed",
    response_model=SeedResult,
    responses=ERRORS,
    summary="Add the Appendix 1 data sets the area lacks (idempotent; keeps edits)",
)
def seed_area_data_sets(area: AreaDep, session: SessionDep) -> SeedResult:
    added = seed_data_sets(session, area.id)
    crud.commit(session)
    return SeedResult(added=len(added), total=len(area_data_sets(session, area.id)))


@router.get(
    "/feasibility",
    response_model=Feasibility,
    responses=ERRORS,
    summary="Can every data set be produced inside the notice window from a notification?",
)
def area_feasibility(
    area: AreaDep,
    session: SessionDep,
    notified_at: Annotated[AwareDatetime, Query(description="When the call came (with offset)")],
    framework: Annotated[str, Query(max_length=60)] = DEFAULT_PROFILE,
    timezone: Annotated[str, Query(max_length=60)] = "Europe/London",
    freshness_days: FreshnessDays = DEFAULT_FRESHNESS_DAYS,
) -> Feasibility:
    if not 2000 <= notified_at.year <= 2100:
        raise Unprocessable.field(
            "notified_at", "must be between the years 2000 and 2100", location="query"
        )
    if framework not in PROFILES:
        known = ", ".join(sorted(PROFILES))
        raise Unprocessable.field(
            "framework", f"unknown framework {framework!r}; known: {known}", location="query"
        )
    try:
        return feasibility(
            area_data_sets(session, area.id), notified_at, framework, timezone, freshness_days
        )
    except (KeyError, ValueError) as error:
        raise Unprocessable.field(
            "timezone", f"unknown timezone {timezone!r}", location="query"
        ) from error


add_item_routes(router, DATA_SET, "data_set_id")
