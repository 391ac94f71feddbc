"""Settings an inspection may or must visit."""

from fastapi import APIRouter, Response

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, InspectionDep, ListingDep, PageDep, SessionDep
from api.resource_routes import add_item_routes
from models.visit_candidate import (
    VisitCandidate,
    VisitCandidateCreate,
    VisitCandidatePage,
    VisitCandidatePublic,
    VisitCandidateUpdate,
)

VISIT_CANDIDATE = Resource(
    model=VisitCandidate,
    create=VisitCandidateCreate,
    update=VisitCandidateUpdate,
    public=VisitCandidatePublic,
    unique=("setting_id",),
    parent_field="inspection_id",
    search=(),
)

router = APIRouter(
    prefix="/areas/{area_id}/inspections/{inspection_id}/visit-candidates",
    tags=["visit candidates"],
)


@router.get("", response_model=VisitCandidatePage, summary="List visit candidates")
async def list_visit_candidates(
    area: AreaDep,
    inspection: InspectionDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    must_visit: bool | None = None,
    setting_id: IdFilter = None,
) -> Response:
    return await crud.list_response(
        session,
        VISIT_CANDIDATE,
        VisitCandidatePage,
        area.id,
        page,
        listing,
        equals={"inspection_id": inspection.id, "must_visit": must_visit, "setting_id": setting_id},
    )


add_item_routes(router, VISIT_CANDIDATE, "visit_candidate_id")
