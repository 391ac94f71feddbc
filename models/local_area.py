"""The local area: the tenant that owns every other record."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import Page
from models.types import SingleLine, UTCDateTime, utc_now

# SQLModel ignores ``regex=``; ``schema_extra={"pattern": ...}`` is what pydantic enforces.
CODE_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class LocalAreaBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    code: str = Field(
        min_length=2,
        max_length=60,
        schema_extra={"pattern": CODE_PATTERN},
        description="URL-safe key",
    )


class LocalArea(LocalAreaBase, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    code: str = Field(unique=True, index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class LocalAreaCreate(LocalAreaBase):
    name: SingleLine = Field(min_length=1, max_length=200)


class LocalAreaUpdate(SQLModel):
    name: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    code: str | None = Field(
        default=None, min_length=2, max_length=60, schema_extra={"pattern": CODE_PATTERN}
    )


class LocalAreaPublic(LocalAreaBase):
    id: int
    version: int
    created_at: datetime
    updated_at: datetime


class LocalAreaPage(Page):
    items: list[LocalAreaPublic]
