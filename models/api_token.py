"""API tokens: bearer credentials tied to one local area and a role, stored only as hashes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlmodel import Field as ColumnField
from sqlmodel import SQLModel

from models.base import Page
from models.types import UTCDateTime, utc_now


class TokenRole(StrEnum):
    """What a token may do. Each role includes the ones below it."""

    ADMIN = "admin"  # tokens, audit log, everything
    COORDINATOR = "coordinator"  # timetable master: edit, solve, publish, send
    VIEWER = "viewer"  # read only

    @property
    def rank(self) -> int:
        return {TokenRole.VIEWER: 1, TokenRole.COORDINATOR: 2, TokenRole.ADMIN: 3}[self]


class ApiToken(SQLModel, table=True):
    id: int | None = ColumnField(default=None, primary_key=True)
    local_area_id: int = ColumnField(foreign_key="localarea.id", index=True)
    name: str
    role: TokenRole
    token_hash: str = ColumnField(unique=True, index=True)
    prefix: str
    created_at: datetime = ColumnField(default_factory=utc_now, sa_type=UTCDateTime)
    revoked_at: datetime | None = ColumnField(default=None, sa_type=UTCDateTime)


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="Who or what uses it")
    role: TokenRole


class ApiTokenPublic(BaseModel):
    id: int
    local_area_id: int
    name: str
    role: TokenRole
    prefix: str = Field(description="First characters, to recognise the token")
    created_at: datetime
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenPublic):
    token: str = Field(description="Shown once: store it now, it cannot be read again")


class ApiTokenPage(Page):
    items: list[ApiTokenPublic]
