"""The common shape of a planned item, whichever planner produced it.

Calendar publishing and the API read plans only through these items, so the strategy
timetable and the visit rota share one publishing path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ItemKind(StrEnum):
    MEETING = "meeting"
    FIXED = "fixed"
    WEBINAR = "webinar"
    VISIT = "visit"
    FEEDBACK = "feedback"


class AttendeeRole(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    NOTE_TAKER = "note_taker"
    INSPECTOR = "inspector"
    PARENT_REP = "parent_rep"


@dataclass(frozen=True)
class ItemAttendee:
    person_id: int
    role: AttendeeRole


@dataclass(frozen=True)
class PlanItem:
    """One placed item. ``key`` is stable across re-plans ("meeting:12", "visit:7")."""

    key: str
    kind: ItemKind
    title: str
    start: datetime
    end: datetime
    venue_id: int | None = None
    setting_id: int | None = None
    online: bool = False
    attendees: tuple[ItemAttendee, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"{self.key}: naive datetimes are refused; give a timezone")
        if self.end <= self.start:
            raise ValueError(f"{self.key}: end must be after start")
