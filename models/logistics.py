"""The logistics checklist of one inspection: venues, badges, lanyards, consent, tea, IT."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.action import Progress
from models.base import AreaOwned, Page
from models.data_set import ChildSafeName, ChildSafeText
from models.types import RowId


class LogisticsCategory(StrEnum):
    VENUES = "venues"
    BADGES = "badges"
    LANYARDS = "lanyards"
    CONSENT = "consent"
    REFRESHMENTS = "refreshments"
    PARKING_ACCESS = "parking_access"
    IT = "it"
    PEOPLE = "people"
    OTHER = "other"


class LogisticsItemBase(SQLModel):
    title: str = Field(min_length=1, max_length=300)
    category: LogisticsCategory = LogisticsCategory.OTHER
    detail: ChildSafeText | None = Field(
        default=None, max_length=2000, description="e.g. lanyard colour per role"
    )
    owner_id: RowId | None = None
    status: Progress = Progress.NOT_STARTED
    due_on: date | None = None


class LogisticsItem(AreaOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    title: str
    category: LogisticsCategory = Field(default=LogisticsCategory.OTHER, index=True)
    detail: str | None = None
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    status: Progress = Field(default=Progress.NOT_STARTED, index=True)
    due_on: date | None = None


class LogisticsItemCreate(LogisticsItemBase):
    title: ChildSafeName = Field(min_length=1, max_length=300)


class LogisticsItemUpdate(SQLModel):
    title: ChildSafeName | None = Field(default=None, min_length=1, max_length=300)
    category: LogisticsCategory | None = None
    detail: ChildSafeText | None = Field(default=None, max_length=2000)
    owner_id: RowId | None = None
    status: Progress | None = None
    due_on: date | None = None


class LogisticsItemPublic(LogisticsItemBase):
    id: int
    inspection_id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class LogisticsItemPage(Page):
    items: list[LogisticsItemPublic]
