"""The durable outbox: every invitation email is recorded here before anyone tries to send it.

A message is written in the same transaction as the publish that caused it, so a publish and
its emails exist together or not at all. The sender claims a row by moving it from
``pending`` to ``sending`` in one UPDATE, so two processes never send the same row;
``dedupe_key`` is unique, so publishing the same state twice cannot queue a message twice.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from models.base import Page
from models.types import UTCDateTime, utc_now


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    local_area_id: int = Field(foreign_key="localarea.id", index=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    calendar_item_id: int | None = Field(default=None, foreign_key="calendaritem.id")
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    recipient: str = Field(max_length=320)
    subject: str = Field(max_length=500)
    method: str = Field(max_length=10, description="REQUEST or CANCEL")
    uid: str = Field(max_length=200, index=True)
    sequence: int
    message_id: str = Field(max_length=300, description="Message-ID header, kept across retries")
    mime: str = Field(sa_type=Text, description="The whole email, CRLF line ends")
    ics: str = Field(sa_type=Text, description="The text/calendar part")
    status: str = Field(default=OutboxStatus.PENDING, sa_type=String(10), index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=200)
    last_error: str | None = Field(default=None, sa_type=Text)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    dedupe_key: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class OutboxMessagePublic(SQLModel):
    id: int
    inspection_id: int
    person_id: int | None
    recipient: str
    subject: str
    method: str
    uid: str
    sequence: int
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime


class OutboxPage(Page):
    items: list[OutboxMessagePublic]
