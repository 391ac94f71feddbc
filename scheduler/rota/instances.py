"""Seeded, realistic rota instances for tests, demos and the benchmark.

A local area about 16 km across; settings in the mix a real area has (mostly primaries),
with opening hours by type, a few closed a day or busy a morning, SEN cohorts by type, some
preferred start times, and inspectors based at a hotel (two share it) or the council office.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from scheduler.rota.problem import Candidate, Inspector, Quotas, RotaProblem, VisitDay
from scheduler.travel import Coordinates

CENTRE = Coordinates(52.6369, -1.1398)
TYPE_MIX = (
    ("primary", 0.52),
    ("early_years", 0.16),
    ("secondary", 0.12),
    ("special", 0.07),
    ("post16", 0.05),
    ("pru_ap", 0.05),
    ("all_through", 0.03),
)
OPENING = {
    "early_years": (time(8, 0), time(18, 0)),
    "primary": (time(8, 30), time(15, 30)),
    "secondary": (time(8, 15), time(15, 45)),
    "special": (time(8, 45), time(15, 15)),
    "post16": (time(8, 30), time(17, 0)),
    "pru_ap": (time(9, 0), time(14, 45)),
    "all_through": (time(8, 15), time(15, 45)),
}
COHORT = {  # (SEN support range, EHC plans range)
    "early_years": ((2, 15), (0, 4)),
    "primary": ((20, 80), (2, 12)),
    "secondary": ((80, 220), (10, 40)),
    "special": ((0, 10), (60, 200)),
    "post16": ((60, 300), (20, 90)),
    "pru_ap": ((10, 40), (5, 20)),
    "all_through": ((120, 260), (15, 50)),
}
VISIT_MINUTES = {
    "early_years": 120,
    "primary": 150,
    "secondary": 180,
    "special": 180,
    "post16": 150,
    "pru_ap": 120,
    "all_through": 180,
}
WEDNESDAY = date(2026, 6, 10)


@dataclass(frozen=True)
class InstanceSize:
    candidates: int
    inspectors: int
    must_visits: int
    quotas: dict[str, int]


SIZES = {
    "small": InstanceSize(8, 2, 1, {"early_years": 1, "primary": 1, "secondary": 1, "special": 1}),
    "typical": InstanceSize(
        40,
        3,
        3,
        {"early_years": 1, "primary": 1, "secondary": 1, "special": 1, "post16": 1, "pru_ap": 1},
    ),
    "large": InstanceSize(
        150,
        4,
        5,
        {"early_years": 2, "primary": 3, "secondary": 2, "special": 1, "post16": 1, "pru_ap": 1},
    ),
}


def _near(rng: random.Random, spread_km: float) -> Coordinates:
    return Coordinates(
        round(CENTRE.latitude + rng.uniform(-1, 1) * spread_km / 111.0, 5),
        round(CENTRE.longitude + rng.uniform(-1, 1) * spread_km / 68.0, 5),
    )


def _setting_types(rng: random.Random, count: int) -> list[str]:
    """Every type at least once (so small instances can meet quotas), the rest by the mix."""
    names = [name for name, _ in TYPE_MIX]
    chosen = names[: min(count, len(names))]
    weights = [weight for _, weight in TYPE_MIX]
    chosen += rng.choices(names, weights, k=count - len(chosen))
    rng.shuffle(chosen)
    return chosen


def make_instance(name: str, seed: int = 7) -> RotaProblem:
    size = SIZES[name]
    rng = random.Random(f"{name}-{seed}")
    tz = ZoneInfo("Europe/London")
    days = (VisitDay(WEDNESDAY), VisitDay(date(2026, 6, 11)))
    candidates = []
    for index, setting_type in enumerate(_setting_types(rng, size.candidates)):
        setting_id = 100 + index
        opening: tuple[time, time] | dict[int, tuple[time, time]] = OPENING[setting_type]
        if rng.random() < 0.05:  # closed one of the two days (training day)
            opening = (
                {3: OPENING[setting_type]} if rng.random() < 0.5 else {4: OPENING[setting_type]}
            )
        unavailable: tuple[tuple[datetime, datetime], ...] = ()
        if rng.random() < 0.1:
            day = days[rng.randrange(2)].date
            unavailable = (
                (
                    datetime.combine(day, time(8, 0), tz),
                    datetime.combine(day, time(12, 0), tz),
                ),
            )
        preferred = ((time(9, 0), time(10, 0)),) if rng.random() < 0.2 else ()
        sen_range, ehc_range = COHORT[setting_type]
        candidates.append(
            Candidate(
                setting_id=setting_id,
                name=f"{setting_type.replace('_', ' ').title()} {setting_id}",
                setting_type=setting_type,
                must_visit=index < size.must_visits,
                coordinates=_near(rng, 8.0),
                opening=opening,
                unavailable=unavailable,
                sen_support=rng.randint(*sen_range),
                ehc_plans=rng.randint(*ehc_range),
                preferred=preferred,
            )
        )
    hotel = _near(rng, 1.0)
    office = _near(rng, 3.0)
    inspectors = tuple(
        Inspector(
            id=index + 1,
            name=f"Inspector {index + 1}",
            base_key="hotel" if index < 2 else "council-office",
            base=hotel if index < 2 else office,
        )
        for index in range(size.inspectors)
    )
    return RotaProblem(
        days=days,
        inspectors=inspectors,
        candidates=tuple(candidates),
        quotas=Quotas(minimum=dict(size.quotas)),
        visit_minutes_by_type=dict(VISIT_MINUTES),
    )
