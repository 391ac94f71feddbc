"""Subscription feed tokens: unguessable, revocable, and stored only as SHA-256 hashes.

The token itself is shown once, when it is created; the database alone cannot rebuild a feed
URL, so a leaked backup does not leak anyone's calendar.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import model_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from models.base import Page
from models.types import RowId, UTCDateTime, utc_now


class FeedKind(StrEnum):
    PERSON = "person"
    VENUE = "venue"
    INSPECTOR = "inspector"
    WEEK = "week"


class FeedToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    local_area_id: int = Field(foreign_key="localarea.id", index=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    kind: str = Field(sa_type=String(10))
    subject_id: int | None = Field(default=None, description="Person or venue id; none for week")
    token_hash: str = Field(max_length=64, unique=True)
    label: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FeedTokenCreate(SQLModel):
    kind: FeedKind
    subject_id: RowId | None = Field(
        default=None, description="The person (person, inspector) or venue; omit for week"
    )
    label: str | None = Field(default=None, max_length=200, description="Who it was given to")

    @model_validator(mode="after")
    def _subject_matches_kind(self) -> FeedTokenCreate:
        if self.kind == FeedKind.WEEK and self.subject_id is not None:
            raise ValueError("subject_id: a week feed has no subject")
        if self.kind != FeedKind.WEEK and self.subject_id is None:
            raise ValueError(f"subject_id: a {self.kind} feed needs one")
        return self


class FeedTokenPublic(SQLModel):
    id: int
    inspection_id: int
    kind: FeedKind
    subject_id: int | None
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


class FeedTokenCreated(FeedTokenPublic):
    """Returned once, at creation: the only time the token and its URLs can be seen."""

    token: str
    https_url: str
    webcal_url: str


class FeedTokenPage(Page):
    items: list[FeedTokenPublic]
