"""Policies, procedures and strategies (section B of the Quick Guide) as a checklist."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import func
from sqlmodel import select

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, ListingDep, PageDep, SessionDep
from api.readiness_seed import seed_documents
from api.resource_routes import ERRORS, add_item_routes
from api.routers.data_sets import SeedResult
from models.document import (
    Document,
    DocumentCreate,
    DocumentKind,
    DocumentPage,
    DocumentPublic,
    DocumentStatus,
    DocumentUpdate,
)

DOCUMENT = Resource(
    model=Document,
    create=DocumentCreate,
    update=DocumentUpdate,
    public=DocumentPublic,
    unique=("name",),
    search=("name", "notes"),
)

router = APIRouter(prefix="/areas/{area_id}/documents", tags=["documents"])


@router.get("", response_model=DocumentPage, summary="List documents")
async def list_documents(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    status: DocumentStatus | None = None,
    kind: DocumentKind | None = None,
    owner_id: IdFilter = None,
    public_domain: bool | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        DOCUMENT,
        DocumentPage,
        area.id,
        page,
        listing,
        equals={
            "status": status,
            "kind": kind,
            "owner_id": owner_id,
            "public_domain": public_domain,
        },
        text=q,
    )


@router.post(
    "/seed",
    response_model=SeedResult,
    responses=ERRORS,
    summary="Add the section B documents the area lacks (idempotent; keeps edits)",
)
def seed_area_documents(area: AreaDep, session: SessionDep) -> SeedResult:
    added = seed_documents(session, area.id)
    crud.commit(session)
    total = session.exec(
        select(func.count()).select_from(Document).where(Document.local_area_id == area.id)
    ).one()
    return SeedResult(added=len(added), total=total)


add_item_routes(router, DOCUMENT, "document_id")
