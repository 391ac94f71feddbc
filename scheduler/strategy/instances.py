"""Generated strategy-day instances for the benchmark and the demo, seeded and realistic.

Shapes follow the inspection guidance: a Monday 11:00 introduction with key leaders and
the whole team, a daily keeping-in-touch meeting between the lead inspector and the link
officer, parent webinars (online, one in the evening), and themed strategy meetings
(EHC plans, early years, transport, school nursing, therapies, CAMHS ...) with leaders
required, managers optional, frontline practitioners invited and parent forum reps asked.
Venues sit on a few sites: rooms in the civic centre share coordinates, other buildings
are a short drive away.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.plan import ItemKind
from scheduler.strategy.problem import (
    InspectorRule,
    Meeting,
    Person,
    StrategyDay,
    StrategyProblem,
    Venue,
)
from scheduler.travel import Coordinates

TZ = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 9)

THEMES = (
    "EHC needs assessment and plans",
    "Early years and early identification",
    "SEN home to school transport",
    "School nursing and the healthy child programme",
    "Speech and language therapy",
    "Occupational therapy and physiotherapy",
    "CAMHS and emotional wellbeing",
    "Preparation for adulthood",
    "Alternative provision and exclusions",
    "Children looked after with SEND",
    "Joint commissioning",
    "The local offer and co-production",
    "Short breaks and personal budgets",
    "Youth justice and SEND",
    "Designated clinical and medical officers",
    "Quality assurance of EHC plans",
    "Post-16 and further education",
    "Elective home education and children missing education",
    "Autism and neurodevelopmental pathway",
    "Sensory impairment services",
)

SITES = (
    ("Civic Centre", Coordinates(51.5560, -0.2796)),
    ("Health Centre", Coordinates(51.5702, -0.2620)),
    ("Family Hub", Coordinates(51.5405, -0.3010)),
    ("Education Centre", Coordinates(51.5600, -0.3150)),
)


@dataclass(frozen=True)
class InstanceShape:
    meetings: int
    people: int
    venues: int
    inspectors: int
    reps: int
    seed: int


SHAPES = {
    "small": InstanceShape(meetings=8, people=60, venues=4, inspectors=2, reps=4, seed=11),
    "typical": InstanceShape(meetings=15, people=150, venues=8, inspectors=3, reps=6, seed=22),
    "large": InstanceShape(meetings=40, people=500, venues=20, inspectors=4, reps=12, seed=33),
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def _half_day(rng: random.Random, days: list[date]) -> tuple[datetime, datetime]:
    day = rng.choice(days)
    return (_at(day, 8), _at(day, 13)) if rng.random() < 0.5 else (_at(day, 13), _at(day, 18))


def generate(name: str) -> StrategyProblem:
    """The named instance ("small", "typical" or "large"); same name, same problem."""
    shape = SHAPES[name]
    rng = random.Random(shape.seed)
    days = [MONDAY, MONDAY + timedelta(days=1)]
    next_id = iter(range(1, 100_000))

    inspectors = [
        Person(next(next_id), f"Inspector {chr(65 + n)}", "inspector", max_meetings_per_day=6)
        for n in range(shape.inspectors)
    ]
    link_officer = Person(next(next_id), "Link officer", "staff")
    reps = []
    for n in range(shape.reps):
        day = rng.choice(days)
        hours: tuple[tuple[datetime, datetime], ...] = ((_at(day, 9, 30), _at(day, 14, 30)),)
        if rng.random() < 0.4:
            other = days[1] if day == days[0] else days[0]
            hours += ((_at(other, 9, 30), _at(other, 12, 30)),)
        reps.append(
            Person(
                next(next_id),
                f"Parent rep {n + 1}",
                "parent_rep",
                available=hours,
                needs_step_free=rng.random() < 0.15,
                max_meetings_per_day=2,
            )
        )
    note_takers = [
        Person(next(next_id), f"Note-taker {n + 1}", "staff", max_meetings_per_day=4)
        for n in range(max(3, shape.meetings // 4))
    ]
    fixed_count = len(inspectors) + 1 + len(reps) + len(note_takers)
    leaders_n = max(6, (shape.people - fixed_count) // 6)
    frontline_n = (shape.people - fixed_count - leaders_n) // 2
    managers_n = shape.people - fixed_count - leaders_n - frontline_n
    leaders, managers, frontline = [], [], []
    for n in range(leaders_n):
        unavailable = (_half_day(rng, days),) if n >= 4 and rng.random() < 0.2 else ()
        leaders.append(Person(next(next_id), f"Leader {n + 1}", "staff", unavailable=unavailable))
    for n in range(managers_n):
        unavailable = (_half_day(rng, days),) if rng.random() < 0.25 else ()
        managers.append(
            Person(
                next(next_id),
                f"Manager {n + 1}",
                "staff",
                unavailable=unavailable,
                needs_step_free=rng.random() < 0.05,
            )
        )
    for n in range(frontline_n):
        unavailable = (_half_day(rng, days),) if rng.random() < 0.4 else ()
        frontline.append(
            Person(
                next(next_id),
                f"Practitioner {n + 1}",
                "frontline",
                unavailable=unavailable,
                max_meetings_per_day=1,
                needs_step_free=rng.random() < 0.05,
            )
        )

    venues = []
    for n in range(shape.venues):
        site, where = SITES[0] if n < max(2, shape.venues // 2) else rng.choice(SITES[1:])
        unavailable = (_half_day(rng, days),) if rng.random() < 0.2 else ()
        venues.append(
            Venue(
                next(next_id),
                f"{site} room {n + 1}",
                capacity=rng.choice((10, 12, 16, 20, 30)) if n else 40,
                step_free=n == 0 or rng.random() < 0.75,
                video_conferencing=n == 0 or rng.random() < 0.5,
                coordinates=where,
                unavailable=unavailable,
            )
        )

    lead = inspectors[0]
    meetings = [
        Meeting(
            next(next_id),
            "Introductory meeting with key leaders",
            60,
            theme="Introduction",
            required_ids=(link_officer.id, *(p.id for p in leaders[:4])),
            optional_ids=tuple(p.id for p in leaders[4:8]),
            inspector_rule="all",
            fixed_start=_at(days[0], 11),
            fixed_venue_id=venues[0].id,
            kind=ItemKind.FIXED,
        )
    ]
    for day in days:
        meetings.append(
            Meeting(
                next(next_id),
                f"Keeping in touch ({day:%A})",
                30,
                theme="Keeping in touch",
                required_ids=(link_officer.id,),
                inspector_rule="named",
                named_inspector_ids=(lead.id,),
                note_taker_id=link_officer.id,
                fixed_start=_at(day, 17),
                fixed_venue_id=venues[0].id,
                kind=ItemKind.FIXED,
            )
        )
    webinars = 0 if shape.meetings < 10 else (1 if shape.meetings < 30 else 2)
    for n in range(webinars):
        meetings.append(
            Meeting(
                next(next_id),
                f"Parent carer webinar {n + 1}",
                60,
                theme="Parent voice",
                inspector_rule="named",
                named_inspector_ids=(inspectors[(n + 1) % len(inspectors)].id,),
                online=True,
                fixed_start=_at(days[n % 2], 18, 30),
                kind=ItemKind.WEBINAR,
            )
        )
    themes = list(THEMES)
    rng.shuffle(themes)
    while len(meetings) < shape.meetings:
        n = len(meetings)
        theme = themes[n % len(themes)]
        required = rng.sample(leaders, rng.randint(1, 2)) + rng.sample(managers, rng.randint(1, 2))
        optional = [p for p in rng.sample(managers, rng.randint(2, 5)) if p not in required]
        invited_frontline = rng.sample(frontline, rng.randint(0, 3))
        rule: InspectorRule = "named" if rng.random() < 0.2 else "any"
        named = (rng.choice(inspectors).id,) if rule == "named" else ()
        preferred: tuple[tuple[datetime, datetime], ...] = ()
        if rng.random() < 0.25:
            day = rng.choice(days)
            preferred = (
                (_at(day, 8, 30), _at(day, 12, 30))
                if rng.random() < 0.5
                else (_at(day, 13), _at(day, 17, 30)),
            )
        meetings.append(
            Meeting(
                next(next_id),
                theme if n < len(themes) else f"{theme} (part 2)",
                rng.choice((60, 60, 75, 90)),
                theme=theme,
                required_ids=tuple(p.id for p in required),
                optional_ids=tuple(p.id for p in optional),
                frontline_ids=tuple(p.id for p in invited_frontline),
                parent_reps_wanted=rng.choice((0, 1, 1, 2)),
                inspector_rule=rule,
                named_inspector_ids=named,
                online=rng.random() < 0.1,
                preferred=preferred,
            )
        )

    people = (inspectors, [link_officer], reps, note_takers, leaders, managers, frontline)
    return StrategyProblem(
        days=tuple(StrategyDay(d) for d in days),
        people=tuple(p for group in people for p in group),
        venues=tuple(venues),
        meetings=tuple(meetings),
        inspector_ids=tuple(p.id for p in inspectors),
        parent_rep_ids=tuple(p.id for p in reps),
        note_taker_ids=tuple(p.id for p in note_takers),
    )
