"""API tokens of a local area (admin only): create, list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from sqlalchemy import func
from sqlmodel import col, select

from api import crud
from api.auth import issue_token
from api.crud import commit
from api.deps import AreaDep, PageDep, SessionDep
from api.problems import NotFound
from api.resource_routes import ERRORS
from models.api_token import ApiToken, ApiTokenCreate, ApiTokenCreated, ApiTokenPage, ApiTokenPublic
from models.types import utc_now

router = APIRouter(prefix="/areas/{area_id}/tokens", tags=["tokens"], responses=ERRORS)


@router.post(
    "", response_model=ApiTokenCreated, status_code=status.HTTP_201_CREATED, name="create_token"
)
def create_token(area: AreaDep, session: SessionDep, body: ApiTokenCreate) -> ApiTokenCreated:
    row, token = issue_token(session, area.id, body.name, body.role)
    commit(session)
    session.refresh(row)
    public = ApiTokenPublic.model_validate(row, from_attributes=True)
    return ApiTokenCreated(**public.model_dump(), token=token)


@router.get("", response_model=ApiTokenPage, name="list_tokens")
def list_tokens(area: AreaDep, session: SessionDep, page: PageDep) -> Response:
    where = ApiToken.local_area_id == area.id
    total = session.exec(select(func.count()).select_from(ApiToken).where(where)).one()
    rows = session.exec(
        select(ApiToken)
        .where(where)
        .order_by(col(ApiToken.id))
        .offset(page.offset)
        .limit(page.limit)
    ).all()
    items = [ApiTokenPublic.model_validate(r, from_attributes=True) for r in rows]
    return crud.json_response(
        ApiTokenPage(items=items, total=total, limit=page.limit, offset=page.offset)
    )


@router.delete("/{token_id}", response_model=ApiTokenPublic, name="revoke_token")
def revoke_token(
    request: Request, area: AreaDep, session: SessionDep, token_id: Annotated[int, Path(ge=1)]
) -> ApiTokenPublic:
    row = session.get(ApiToken, token_id)
    if row is None or row.local_area_id != area.id:
        raise NotFound(f"token {token_id} does not exist in local area {area.id}")
    if row.revoked_at is None:
        row.revoked_at = utc_now()
        session.add(row)
        commit(session)
    request.app.state.principals.forget(row.token_hash)
    return ApiTokenPublic.model_validate(row, from_attributes=True)
