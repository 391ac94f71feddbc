"""The first answer to a POST sent with an Idempotency-Key, replayed to its retries.

A client that lost the answer to "publish" or "send again" retries with the same key and
gets the same answer back, instead of publishing or emailing twice. Stored in the
transaction of the change itself, so a change and its record are saved together or not at
all; a second request racing the first fails the unique key and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utc_now


class IdempotentResponse(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("inspection_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    key: str = Field(max_length=200)
    request: str = Field(max_length=300, description="Method and path the key was first used on")
    status_code: int
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
