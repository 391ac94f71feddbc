"""Inspection readiness: the register's routers, the feasibility check and the summary.

The app includes this one router; it gathers the readiness resources so they are wired in one
place.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from api.deps import AreaDep, InspectionDep, SessionDep
from api.readiness import (
    DEFAULT_FRESHNESS_DAYS,
    Feasibility,
    ItemState,
    ReadinessSummary,
    inspection_feasibility,
    summarise,
)
from api.resource_routes import ERRORS
from api.routers import (
    actions,
    coproduction,
    data_sets,
    documents,
    logistics,
    meeting_records,
    self_evaluation,
    team_roles,
)
from api.routers.data_sets import FreshnessDays
from api.routing import include_flat

TEMPLATES = Environment(
    loader=PackageLoader("api", "templates"), autoescape=select_autoescape(["html"])
)

AsOf = Annotated[date | None, Query(description="Judge due dates on this day (default today)")]

router = APIRouter(tags=["readiness"])
for module in (
    data_sets,
    documents,
    self_evaluation,
    actions,
    team_roles,
    logistics,
    meeting_records,
    coproduction,
):
    include_flat(router, module.router)

INSPECTION_PATH = "/areas/{area_id}/inspections/{inspection_id}"


@router.get(
    f"{INSPECTION_PATH}/data-sets/feasibility",
    response_model=Feasibility,
    responses=ERRORS,
    summary="Can every data set be produced inside this inspection's notice window?",
)
def inspection_data_set_feasibility(
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    freshness_days: FreshnessDays = DEFAULT_FRESHNESS_DAYS,
) -> Feasibility:
    return inspection_feasibility(session, inspection, freshness_days)


@router.get(
    f"{INSPECTION_PATH}/readiness",
    response_model=ReadinessSummary,
    responses=ERRORS,
    summary="What is done, open, at risk and overdue, by owner",
)
def readiness_summary(
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    as_of: AsOf = None,
    freshness_days: FreshnessDays = DEFAULT_FRESHNESS_DAYS,
) -> ReadinessSummary:
    return summarise(session, inspection, as_of, freshness_days)


@router.get(
    f"{INSPECTION_PATH}/readiness.html",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}}, **ERRORS},
    summary="The readiness summary as a one-page HTML view",
)
def readiness_page(
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    as_of: AsOf = None,
    freshness_days: FreshnessDays = DEFAULT_FRESHNESS_DAYS,
) -> HTMLResponse:
    summary = summarise(session, inspection, as_of, freshness_days)
    overdue = [
        (item, group.owner_name)
        for group in summary.by_owner
        for item in group.items
        if item.state == ItemState.OVERDUE
    ]
    html = TEMPLATES.get_template("readiness.html").render(
        area=area, summary=summary, overdue=overdue, State=ItemState
    )
    return HTMLResponse(html)
