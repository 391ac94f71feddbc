"""The strategy-day problem as plain data: days, people, venues, meeting requests, weights.

Ids are the database ids of the rows the API layer read, so a plan can be written back
without any mapping. Every datetime is timezone-aware; naive ones are refused early,
because a naive 11:00 is ambiguous the moment a server runs in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from scheduler.plan import ItemKind
from scheduler.travel import Coordinates, TravelModel

if TYPE_CHECKING:
    from scheduler.strategy.plan import StrategyPlan

PersonKind = Literal["staff", "frontline", "parent_rep", "inspector"]
InspectorRule = Literal["any", "all", "named"]
Window = tuple[datetime, datetime]


def _check_windows(owner: str, windows: tuple[Window, ...]) -> None:
    for start, end in windows:
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError(f"{owner}: naive datetimes are refused; give a timezone")
        if end <= start:
            raise ValueError(f"{owner}: a window must end after it starts")


def overlaps(windows: tuple[Window, ...], start: datetime, end: datetime) -> bool:
    """True when [start, end) meets any of ``windows``."""
    return any(w_start < end and start < w_end for w_start, w_end in windows)


def inside_any(windows: tuple[Window, ...], start: datetime, end: datetime) -> bool:
    """True when [start, end) lies wholly inside one of ``windows``."""
    return any(w_start <= start and end <= w_end for w_start, w_end in windows)


@dataclass(frozen=True)
class StrategyDay:
    """One strategy day: working hours and a protected lunch window (local wall-clock times)."""

    date: date
    start: time = time(8, 30)
    end: time = time(17, 30)
    lunch_start: time = time(12, 30)
    lunch_end: time = time(13, 15)

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"{self.date}: the working day must end after it starts")
        if not self.lunch_start <= self.lunch_end:
            raise ValueError(f"{self.date}: lunch must end after it starts")


@dataclass(frozen=True)
class Person:
    """Anyone who can be timetabled: council or health staff, a frontline practitioner, a
    parent carer forum rep or an inspector.

    ``available`` limits a person to the hours they gave (parent reps); ``None`` means any
    time inside the working day.
    """

    id: int
    name: str
    kind: PersonKind = "staff"
    unavailable: tuple[Window, ...] = ()
    max_meetings_per_day: int | None = None
    needs_step_free: bool = False
    available: tuple[Window, ...] | None = None

    def __post_init__(self) -> None:
        _check_windows(self.name, self.unavailable)
        _check_windows(self.name, self.available or ())

    def is_free(self, start: datetime, end: datetime) -> bool:
        if overlaps(self.unavailable, start, end):
            return False
        return self.available is None or inside_any(self.available, start, end)


Attendee = Person
"""The brief's other name for a person; both spellings work."""


@dataclass(frozen=True)
class Venue:
    id: int
    name: str
    capacity: int
    step_free: bool = True
    video_conferencing: bool = False
    coordinates: Coordinates | None = None
    unavailable: tuple[Window, ...] = ()

    def __post_init__(self) -> None:
        _check_windows(self.name, self.unavailable)

    @property
    def place_key(self) -> str:
        return f"venue:{self.id}"


@dataclass(frozen=True)
class Meeting:
    """One meeting request.

    Inspector rule: ``any`` = one inspector of the team, chosen by the solver (inspectors
    split to cover meetings in parallel); ``all`` = the whole team; ``named`` = exactly
    ``named_inspector_ids``. The note-taker is ``note_taker_id`` or, when that is ``None``,
    someone from the problem's note-taker pool. ``fixed_start``/``fixed_venue_id`` pin
    items the plan is built around (the Monday introduction, keeping-in-touch meetings,
    parent webinars); a fixed start may lie outside the working hours.
    """

    id: int
    title: str
    duration_minutes: int
    theme: str = ""
    required_ids: tuple[int, ...] = ()
    optional_ids: tuple[int, ...] = ()
    frontline_ids: tuple[int, ...] = ()
    parent_reps_wanted: int = 0
    inspector_rule: InspectorRule = "any"
    named_inspector_ids: tuple[int, ...] = ()
    online: bool = False
    note_taker_id: int | None = None
    preferred: tuple[Window, ...] = ()
    fixed_start: datetime | None = None
    fixed_venue_id: int | None = None
    needs_video_conferencing: bool = False
    kind: ItemKind = ItemKind.MEETING

    def __post_init__(self) -> None:
        if self.duration_minutes <= 0:
            raise ValueError(f"{self.title}: duration must be positive")
        _check_windows(self.title, self.preferred)
        if self.fixed_start is not None and self.fixed_start.tzinfo is None:
            raise ValueError(f"{self.title}: naive fixed start refused; give a timezone")
        if self.inspector_rule == "named" and not self.named_inspector_ids:
            raise ValueError(f"{self.title}: rule 'named' needs named_inspector_ids")

    @property
    def invited_ids(self) -> tuple[int, ...]:
        return self.required_ids + self.optional_ids + self.frontline_ids


@dataclass(frozen=True)
class Weights:
    """Cost of each soft goal, in objective points. Defaults, and why:

    - ``unplaced`` 10 000 per meeting: dwarfs every other goal, so a meeting is only left
      out when it truly cannot go in (like a dropped visit in a routing model).
    - ``frontline_missed`` 40 per invited frontline practitioner absent: inspectors value
      hearing from people doing the work, above optional managers.
    - ``parent_rep_short`` 60 per parent rep short of the number asked: parent voice is key.
    - ``optional_missed`` 20 per optional attendee absent.
    - ``preferred_missed`` 15 per meeting outside its preferred windows.
    - ``venue_change`` 8 per extra venue an inspector uses in a day.
    - ``idle_slot`` 2 per idle grid slot between an inspector's meetings (lunch excluded).
    - ``inspector_imbalance`` 4 per started hour between the busiest and the least busy
      inspector, and ``day_imbalance`` 4 per started hour between an inspector's busiest
      and quietest day, both beyond ``balance_slack_minutes`` (60): an hour's difference
      is nobody's worry, and counting whole hours spares the solver proving which of many
      near-equal plans is "fairer" by a quarter of an hour.
    - ``moved`` 30 per meeting whose time or venue changes in a re-plan,
      ``inspector_changed`` 10 per inspector taken off a meeting in a re-plan, and
      ``attendee_changed`` 5 per optional or frontline invitee, parent rep or note-taker
      taken off a meeting in a re-plan: each is a cancellation in someone's inbox, so
      a re-plan keeps who attends unless a change is worth more than that.
    """

    unplaced: int = 10_000
    optional_missed: int = 20
    frontline_missed: int = 40
    parent_rep_short: int = 60
    preferred_missed: int = 15
    venue_change: int = 8
    idle_slot: int = 2
    inspector_imbalance: int = 4
    day_imbalance: int = 4
    balance_slack_minutes: int = 60
    moved: int = 30
    inspector_changed: int = 10
    attendee_changed: int = 5


GRID_MINUTES = 15
"""The strategy days' time grid unless a problem says otherwise."""


@dataclass(frozen=True)
class StrategyProblem:
    """Everything the solver needs for one inspection's strategy days.

    ``note_taker_ids`` is the pool used for meetings without a named note-taker.
    ``previous`` (a published plan) turns a solve into a minimal-change re-plan;
    ``pinned_ids`` are meetings that must keep their previous time, venue and inspectors.
    """

    days: tuple[StrategyDay, ...]
    people: tuple[Person, ...]
    venues: tuple[Venue, ...]
    meetings: tuple[Meeting, ...]
    inspector_ids: tuple[int, ...]
    parent_rep_ids: tuple[int, ...] = ()
    note_taker_ids: tuple[int, ...] = ()
    grid_minutes: int = GRID_MINUTES
    travel: TravelModel = field(default_factory=TravelModel)
    weights: Weights = field(default_factory=Weights)
    timezone: str = "Europe/London"
    previous: StrategyPlan | None = None
    pinned_ids: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("a strategy problem needs at least one day")
        if 1440 % self.grid_minutes:
            raise ValueError("the grid must divide a day")
        known = {p.id for p in self.people}
        venues = {v.id for v in self.venues}
        for meeting in self.meetings:
            ids = set(meeting.invited_ids) | set(meeting.named_inspector_ids)
            if meeting.note_taker_id is not None:
                ids.add(meeting.note_taker_id)
            missing = ids - known
            if missing:
                raise ValueError(f"{meeting.title}: unknown people {sorted(missing)}")
            if meeting.fixed_venue_id is not None and meeting.fixed_venue_id not in venues:
                raise ValueError(f"{meeting.title}: unknown venue {meeting.fixed_venue_id}")
            if len(set(meeting.invited_ids)) != len(meeting.invited_ids):
                raise ValueError(f"{meeting.title}: someone is invited twice")
        for group in (self.inspector_ids, self.parent_rep_ids, self.note_taker_ids):
            if set(group) - known:
                raise ValueError(f"unknown people {sorted(set(group) - known)}")
        if len({m.id for m in self.meetings}) != len(self.meetings):
            raise ValueError("meeting ids must be unique")

    # Cached: a frozen dataclass still has an instance __dict__ for cached_property.
    @cached_property
    def person_by_id(self) -> Mapping[int, Person]:
        return {p.id: p for p in self.people}

    @cached_property
    def venue_by_id(self) -> Mapping[int, Venue]:
        return {v.id: v for v in self.venues}

    @cached_property
    def meeting_by_id(self) -> Mapping[int, Meeting]:
        return {m.id: m for m in self.meetings}
