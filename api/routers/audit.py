"""The audit log of a local area (admin only, read only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime
from sqlalchemy import func
from sqlmodel import select

from api import crud
from api.deps import AreaDep, PageDep, SessionDep
from api.resource_routes import ERRORS
from models.audit import AuditEntry, AuditEntryPublic, AuditPage

router = APIRouter(prefix="/areas/{area_id}/audit", tags=["audit"], responses=ERRORS)


@router.get("", response_model=AuditPage, name="list_audit_entries")
def list_audit(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    action: Annotated[str | None, Query(max_length=40)] = None,
    resource: Annotated[str | None, Query(max_length=200)] = None,
    actor: Annotated[str | None, Query(max_length=200, description="Text in the actor")] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> Response:
    conditions: list[Any] = [AuditEntry.local_area_id == area.id]
    if action:
        conditions.append(AuditEntry.action == action)
    if resource:
        conditions.append(AuditEntry.resource == resource)
    if actor:
        conditions.append(func.lower(AuditEntry.actor).contains(actor.lower()))
    if since:
        conditions.append(AuditEntry.at >= since)
    if until:
        conditions.append(AuditEntry.at < until)
    total = session.exec(select(func.count()).select_from(AuditEntry).where(*conditions)).one()
    rows = session.exec(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.id.desc())  # type: ignore[union-attr]
        .offset(page.offset)
        .limit(page.limit)
    ).all()
    items = [AuditEntryPublic.model_validate(r, from_attributes=True) for r in rows]
    return crud.json_response(
        AuditPage(items=items, total=total, limit=page.limit, offset=page.offset)
    )
