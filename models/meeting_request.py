"""Meetings the strategy days must hold, including the fixed ones the plan is built around."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, model_validator
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.base import NEVER_REUSED_IDS, AreaOwned, Page
from models.types import Period, RowId, RowIds, SingleLine, UTCDateTime


class InspectorRule(StrEnum):
    ANY = "any"
    ALL = "all"
    NAMED = "named"


class MeetingKind(StrEnum):
    MEETING = "meeting"
    FIXED = "fixed"
    WEBINAR = "webinar"


class MeetingRequestBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    theme: str = Field(min_length=1, max_length=100)
    kind: MeetingKind = MeetingKind.MEETING
    duration_minutes: int = Field(default=60, ge=15, le=480)
    required_attendee_ids: RowIds = Field(default_factory=list)
    optional_attendee_ids: RowIds = Field(default_factory=list)
    parent_reps_wanted: int = Field(default=0, ge=0, le=20)
    inspector_rule: InspectorRule = InspectorRule.ANY
    named_inspector_ids: RowIds = Field(default_factory=list)
    online: bool = False
    note_taker_id: RowId | None = None
    preferred: list[Period] = Field(default_factory=list, description="Preferred time windows")
    fixed_start: AwareDatetime | None = Field(
        default=None, description="Fixed items (introductions, keeping in touch, webinars)"
    )
    fixed_venue_id: RowId | None = None

    @model_validator(mode="after")
    def _consistent(self) -> MeetingRequestBase:
        if self.inspector_rule == InspectorRule.NAMED and not self.named_inspector_ids:
            raise ValueError("named_inspector_ids: needed when inspector_rule is 'named'")
        overlap = set(self.required_attendee_ids) & set(self.optional_attendee_ids)
        if overlap:
            raise ValueError(f"optional_attendee_ids: people also required: {sorted(overlap)}")
        if self.kind != MeetingKind.MEETING and self.fixed_start is None:
            raise ValueError(f"fixed_start: a {self.kind.value} item needs one")
        return self


class MeetingRequest(AreaOwned, table=True):
    __table_args__ = NEVER_REUSED_IDS
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    title: str
    theme: str = Field(index=True)
    kind: MeetingKind = MeetingKind.MEETING
    duration_minutes: int = 60
    required_attendee_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    optional_attendee_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    parent_reps_wanted: int = 0
    inspector_rule: InspectorRule = InspectorRule.ANY
    named_inspector_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    online: bool = False
    note_taker_id: int | None = Field(default=None, foreign_key="person.id")
    preferred: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    fixed_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    fixed_venue_id: int | None = Field(default=None, foreign_key="venue.id")


class MeetingRequestCreate(MeetingRequestBase):
    title: SingleLine = Field(min_length=1, max_length=200)


class MeetingRequestUpdate(SQLModel):
    title: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    theme: str | None = Field(default=None, min_length=1, max_length=100)
    kind: MeetingKind | None = None
    duration_minutes: int | None = Field(default=None, ge=15, le=480)
    required_attendee_ids: RowIds | None = None
    optional_attendee_ids: RowIds | None = None
    parent_reps_wanted: int | None = Field(default=None, ge=0, le=20)
    inspector_rule: InspectorRule | None = None
    named_inspector_ids: RowIds | None = None
    online: bool | None = None
    note_taker_id: RowId | None = None
    preferred: list[Period] | None = None
    fixed_start: AwareDatetime | None = None
    fixed_venue_id: RowId | None = None


class MeetingRequestPublic(MeetingRequestBase):
    id: int
    inspection_id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class MeetingRequestPage(Page):
    items: list[MeetingRequestPublic]
