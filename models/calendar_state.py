"""What every calendar already holds for a published week, so a re-publish sends only changes.

One ``CalendarItem`` per planned item (its UID never changes, its SEQUENCE only rises) and one
``CalendarAttendance`` per person invited to it, remembering what that person was last sent.
The resolved event is kept as a snapshot, so feeds and cancellations show exactly what people
were told, even after people, venues or settings are edited later.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utc_now


class PartStat(StrEnum):
    """An attendee's answer (iCalendar PARTSTAT)."""

    NEEDS_ACTION = "NEEDS-ACTION"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    TENTATIVE = "TENTATIVE"


class CalendarItem(SQLModel, table=True):
    """One published item of an inspection as calendars know it (UID, SEQUENCE, contents)."""

    __table_args__ = (UniqueConstraint("inspection_id", "item_key"),)
    id: int | None = Field(default=None, primary_key=True)
    local_area_id: int = Field(foreign_key="localarea.id", index=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    item_key: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    uid: str = Field(max_length=200, unique=True)
    sequence: int = 0
    start: datetime = Field(sa_type=UTCDateTime)
    end: datetime = Field(sa_type=UTCDateTime)
    venue_id: int | None = Field(default=None, foreign_key="venue.id", index=True)
    setting_id: int | None = Field(default=None, foreign_key="setting.id", index=True)
    fingerprint: str = Field(max_length=64, description="Hash of time, place, title, status")
    event: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    cancelled: bool = False
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class CalendarAttendance(SQLModel, table=True):
    """A person on an item: their role, their answer and the version they were last sent.

    ``active`` is false once they were taken off the item (and sent a CANCEL); the row stays
    so that putting them back is an invitation again and their history is kept.
    """

    __table_args__ = (UniqueConstraint("calendar_item_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    calendar_item_id: int = Field(foreign_key="calendaritem.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    plan_role: str = Field(max_length=20, description="required, optional, note_taker, ...")
    role: str = Field(max_length=20, description="iCalendar ROLE, e.g. REQ-PARTICIPANT")
    partstat: str = Field(default=PartStat.NEEDS_ACTION, sa_type=String(20))
    active: bool = True
    sent_fingerprint: str | None = Field(default=None, max_length=64)
    sent_sequence: int | None = None
    needs_replan: bool = Field(default=False, index=True)
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class DeclinedAttendee(BaseModel):
    person_id: int
    name: str
    email: str
    role: str
    replied_at: datetime | None


class ReplanItem(BaseModel):
    """An item a required attendee declined: the planner should move it or replace them."""

    item_key: str
    uid: str
    title: str
    start: datetime
    end: datetime
    declined_by: list[DeclinedAttendee]


class AttendanceAnswer(BaseModel):
    """The recorded answer of one attendee, as returned after a reply."""

    item_key: str
    uid: str
    person_id: int
    email: str
    partstat: PartStat
    needs_replan: bool
