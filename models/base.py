"""Columns every area-owned row carries."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utc_now

NEVER_REUSED_IDS = {"sqlite_autoincrement": True}
"""Table options for rows that stored plans refer to by id (meetings, venues, people,
settings): SQLite otherwise gives a deleted row's id to the next row, and a plan made
before the delete would then show the new row in the old one's place. PostgreSQL's
sequences never hand an id out twice."""


class AreaOwned(SQLModel):
    """Mixin for rows that belong to one local area (the tenant).

    ``version`` increases on every change; it is what ETags and If-Match compare.
    """

    local_area_id: int = Field(foreign_key="localarea.id", index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class Page(SQLModel):
    """One page of a list, with the total so a client can page without guessing."""

    total: int
    limit: int
    offset: int
