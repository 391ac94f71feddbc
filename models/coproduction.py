"""The "we said, we did" log: evidence that families and partners shaped what changed."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.data_set import ChildSafeText
from models.types import RowId


class CoproductionEntryBase(SQLModel):
    we_said: ChildSafeText = Field(min_length=1, max_length=4000, description="What was asked")
    we_did: ChildSafeText | None = Field(default=None, max_length=4000, description="The change")
    source: str = Field(
        min_length=1, max_length=200, description="e.g. parent carer forum, consultation"
    )
    said_on: date | None = None
    done_on: date | None = None
    evidence_link: ChildSafeText | None = Field(default=None, max_length=2000)
    owner_id: RowId | None = None


class CoproductionEntry(AreaOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    we_said: str
    we_did: str | None = None
    source: str = Field(index=True)
    said_on: date | None = None
    done_on: date | None = None
    evidence_link: str | None = None
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)


class CoproductionEntryCreate(CoproductionEntryBase):
    pass


class CoproductionEntryUpdate(SQLModel):
    we_said: ChildSafeText | None = Field(default=None, min_length=1, max_length=4000)
    we_did: ChildSafeText | None = Field(default=None, max_length=4000)
    source: str | None = Field(default=None, min_length=1, max_length=200)
    said_on: date | None = None
    done_on: date | None = None
    evidence_link: ChildSafeText | None = Field(default=None, max_length=2000)
    owner_id: RowId | None = None


class CoproductionEntryPublic(CoproductionEntryBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class CoproductionEntryPage(Page):
    items: list[CoproductionEntryPublic]
