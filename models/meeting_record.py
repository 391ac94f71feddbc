"""The note-taker's record of one strategy meeting.

The seeds advise noting the issues arising, the key messages the inspectors are likely to take
away and the follow-up actions, so the area can act on them before the feedback day.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.action import Progress
from models.base import AreaOwned, Page
from models.data_set import ChildSafeText
from models.types import RowId


class FollowUp(BaseModel):
    action: ChildSafeText = Field(min_length=1, max_length=2000)
    owner_id: RowId | None = None
    due_on: date | None = None
    progress: Progress = Progress.NOT_STARTED


class MeetingRecordBase(SQLModel):
    meeting_request_id: RowId
    note_taker_id: RowId | None = None
    issues_arising: ChildSafeText | None = Field(default=None, max_length=8000)
    key_messages: ChildSafeText | None = Field(
        default=None, max_length=8000, description="What the inspectors are likely to take away"
    )
    follow_ups: list[FollowUp] = Field(default_factory=list)


class MeetingRecord(AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("meeting_request_id"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    meeting_request_id: int = Field(foreign_key="meetingrequest.id")
    note_taker_id: int | None = Field(default=None, foreign_key="person.id")
    issues_arising: str | None = None
    key_messages: str | None = None
    follow_ups: list[dict[str, str | int | None]] = Field(default_factory=list, sa_type=JSON)


class MeetingRecordCreate(MeetingRecordBase):
    pass


class MeetingRecordUpdate(SQLModel):
    meeting_request_id: RowId | None = None
    note_taker_id: RowId | None = None
    issues_arising: ChildSafeText | None = Field(default=None, max_length=8000)
    key_messages: ChildSafeText | None = Field(default=None, max_length=8000)
    follow_ups: list[FollowUp] | None = None


class MeetingRecordPublic(MeetingRecordBase):
    id: int
    inspection_id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class MeetingRecordPage(Page):
    items: list[MeetingRecordPublic]
