"""Tiny strategy-day problems for the strategy tests: one or two days, a handful of people.

Ids: inspectors 1-2, pool note-taker 3, staff 10-19, parent reps 30-31,
venues 100 (Room A, 10 seats), 101 (Room B, 4 seats, not step-free, same building),
102 (Family Hub, 20 seats, a drive away).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.solving import SolveOptions
from scheduler.strategy import Meeting, Person, StrategyDay, StrategyProblem, Venue
from scheduler.travel import Coordinates

TZ = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 9)
CIVIC = Coordinates(51.5560, -0.2796)
HUB = Coordinates(51.5405, -0.3010)

FAST = SolveOptions(time_limit_s=5.0, reproducible=True, deterministic_time_limit=5.0)


def at(hour: int, minute: int = 0, day: int = 0) -> datetime:
    return datetime.combine(MONDAY + timedelta(days=day), time(hour, minute), TZ)


def staff(person_id: int, **changes: object) -> Person:
    return replace(Person(person_id, f"Staff {person_id}"), **changes)  # type: ignore[arg-type]


def people() -> list[Person]:
    out = [
        Person(1, "Inspector Ada", "inspector"),
        Person(2, "Inspector Bo", "inspector"),
        Person(3, "Nia Notes"),
    ]
    out += [staff(i) for i in range(10, 20)]
    out += [
        Person(30, "Parent rep Pat", "parent_rep", available=((at(9, 30), at(11)),)),
        Person(31, "Parent rep Sam", "parent_rep", available=((at(9, 30), at(11)),)),
    ]
    return out


def venues() -> list[Venue]:
    return [
        Venue(100, "Room A", 10, coordinates=CIVIC, video_conferencing=True),
        Venue(101, "Room B", 4, step_free=False, coordinates=CIVIC),
        Venue(102, "Family Hub", 20, coordinates=HUB),
    ]


def meeting(meeting_id: int, *required: int, minutes: int = 60, **fields: Any) -> Meeting:
    return Meeting(
        meeting_id, f"Meeting {meeting_id}", minutes, required_ids=tuple(required), **fields
    )


def problem(
    *meetings: Meeting,
    persons: list[Person] | None = None,
    rooms: list[Venue] | None = None,
    days: int = 1,
    **fields: Any,
) -> StrategyProblem:
    everyone = persons or people()
    return StrategyProblem(
        days=tuple(StrategyDay(MONDAY + timedelta(days=d)) for d in range(days)),
        people=tuple(everyone),
        venues=tuple(rooms or venues()),
        meetings=tuple(meetings),
        inspector_ids=(1, 2),
        parent_rep_ids=tuple(p.id for p in everyone if p.kind == "parent_rep"),
        note_taker_ids=(3,),
        **fields,
    )


def replace_person(persons: list[Person], person_id: int, **changes: object) -> list[Person]:
    return [replace(p, **changes) if p.id == person_id else p for p in persons]  # type: ignore[arg-type]
