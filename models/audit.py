"""The audit log: who changed what and when. Written by the server, never through the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from models.base import Page
from models.types import UTCDateTime, utc_now


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    local_area_id: int | None = Field(default=None, index=True)
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    actor: str
    action: str = Field(index=True)  # create / update / delete / publish / send / solve …
    resource: str = Field(index=True)
    resource_id: str | None = None
    method: str
    path: str
    status: int


class AuditEntryPublic(BaseModel):
    id: int
    local_area_id: int | None
    at: datetime
    actor: str
    action: str
    resource: str
    resource_id: str | None
    method: str
    path: str
    status: int


class AuditPage(Page):
    items: list[AuditEntryPublic]
