"""Policies, procedures and strategies the inspectors may ask for, as a checklist.

Public-domain items (JSNA, local offer, health and wellbeing strategy) are flagged: inspectors
read them before they arrive, so they must be current and findable on the web.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.data_set import ChildSafeName, ChildSafeText
from models.types import RowId


class DocumentKind(StrEnum):
    POLICY = "policy"
    PROCEDURE = "procedure"
    STRATEGY = "strategy"
    OTHER = "other"


class DocumentStatus(StrEnum):
    MISSING = "missing"
    DRAFT = "draft"
    READY = "ready"
    OUT_OF_DATE = "out_of_date"


class DocumentBase(SQLModel):
    name: str = Field(min_length=1, max_length=300)
    kind: DocumentKind = DocumentKind.OTHER
    link: ChildSafeText | None = Field(default=None, max_length=2000)
    owner_id: RowId | None = None
    review_due_on: date | None = Field(default=None, description="When it is next reviewed")
    status: DocumentStatus = DocumentStatus.MISSING
    public_domain: bool = Field(
        default=False, description="Published; inspectors read it before arriving"
    )
    notes: ChildSafeText | None = Field(default=None, max_length=2000)


class Document(AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("local_area_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    # Seeded with the area, so it goes with the area (a new area can still be deleted).
    local_area_id: int = Field(foreign_key="localarea.id", index=True, ondelete="CASCADE")
    name: str
    kind: DocumentKind = Field(default=DocumentKind.OTHER, index=True)
    link: str | None = None
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    review_due_on: date | None = None
    status: DocumentStatus = Field(default=DocumentStatus.MISSING, index=True)
    public_domain: bool = False
    notes: str | None = None


class DocumentCreate(DocumentBase):
    name: ChildSafeName = Field(min_length=1, max_length=300)


class DocumentUpdate(SQLModel):
    name: ChildSafeName | None = Field(default=None, min_length=1, max_length=300)
    kind: DocumentKind | None = None
    link: ChildSafeText | None = Field(default=None, max_length=2000)
    owner_id: RowId | None = None
    review_due_on: date | None = None
    status: DocumentStatus | None = None
    public_domain: bool | None = None
    notes: ChildSafeText | None = Field(default=None, max_length=2000)


class DocumentPublic(DocumentBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class DocumentPage(Page):
    items: list[DocumentPublic]
