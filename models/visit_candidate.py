"""Settings the inspectors may (or must) visit during an inspection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.types import Period, RowId

DEFAULT_GATHER = ["pupils or students", "parents and carers", "governors", "leadership team"]


class VisitCandidateBase(SQLModel):
    setting_id: RowId
    must_visit: bool = False
    visit_minutes: int | None = Field(
        default=None, ge=30, le=180, description="Overrides the length for the setting type"
    )
    preferred: list[Period] = Field(default_factory=list)
    gather: list[str] = Field(
        default_factory=lambda: list(DEFAULT_GATHER),
        description="Whom the setting should gather for the visit",
    )


class VisitCandidate(AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("inspection_id", "setting_id"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    setting_id: int = Field(foreign_key="setting.id", index=True)
    must_visit: bool = False
    visit_minutes: int | None = None
    preferred: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    gather: list[str] = Field(default_factory=list, sa_type=JSON)


class VisitCandidateCreate(VisitCandidateBase):
    pass


class VisitCandidateUpdate(SQLModel):
    setting_id: RowId | None = None
    must_visit: bool | None = None
    visit_minutes: int | None = Field(default=None, ge=30, le=180)
    preferred: list[Period] | None = None
    gather: list[str] | None = None


class VisitCandidatePublic(VisitCandidateBase):
    id: int
    inspection_id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class VisitCandidatePage(Page):
    items: list[VisitCandidatePublic]
