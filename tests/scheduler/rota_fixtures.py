"""Tiny rota problems for the tests: a handful of settings a few kilometres apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.rota import Candidate, Inspector, Quotas, RotaProblem, VisitDay
from scheduler.solving import SolveOptions
from scheduler.travel import Coordinates

TZ = ZoneInfo("Europe/London")
WEDNESDAY = date(2026, 6, 10)
THURSDAY = date(2026, 6, 11)
DAYS = (VisitDay(WEDNESDAY), VisitDay(THURSDAY))
CENTRE = Coordinates(52.6369, -1.1398)
QUICK = SolveOptions(time_limit_s=10.0, reproducible=True, deterministic_time_limit=5.0)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def place(east_km: float, north_km: float) -> Coordinates:
    return Coordinates(CENTRE.latitude + north_km / 111.0, CENTRE.longitude + east_km / 68.0)


def inspector(inspector_id: int, east_km: float = 0.0, **changes: Any) -> Inspector:
    base = Inspector(
        id=inspector_id,
        name=f"Inspector {inspector_id}",
        base_key=f"hotel-{east_km}",
        base=place(east_km, 0.0),
    )
    return replace(base, **changes)


def setting(
    setting_id: int, setting_type: str, east_km: float, north_km: float, **changes: Any
) -> Candidate:
    base = Candidate(
        setting_id=setting_id,
        name=f"{setting_type} {setting_id}",
        setting_type=setting_type,
        coordinates=place(east_km, north_km),
        sen_support=30,
        ehc_plans=5,
    )
    return replace(base, **changes)


def one_of_each() -> tuple[Candidate, ...]:
    """The six asked-for types once each, plus a second primary and secondary."""
    return (
        setting(1, "early_years", 1.0, 1.0, opening=(time(8, 0), time(18, 0))),
        setting(2, "primary", -1.0, 2.0),
        setting(3, "secondary", 2.0, -1.0),
        setting(4, "special", -2.0, -2.0),
        setting(5, "post16", 3.0, 2.0, opening=(time(8, 30), time(17, 0))),
        setting(6, "pru_ap", -3.0, 1.0),
        setting(7, "primary", 4.0, 4.0, sen_support=10, ehc_plans=1),
        setting(8, "secondary", -4.0, -3.0, sen_support=10, ehc_plans=1),
    )


def tiny_problem(**changes: Any) -> RotaProblem:
    """Two inspectors sharing a base, eight settings, the default quotas (one of each of six
    types), 90-minute visits so two fit in a school day."""
    problem = RotaProblem(
        days=DAYS,
        inspectors=(inspector(1), inspector(2)),
        candidates=one_of_each(),
        quotas=Quotas(),
        visit_minutes_by_type=dict.fromkeys(
            ("early_years", "primary", "secondary", "special", "post16", "pru_ap", "all_through"),
            90,
        ),
    )
    return replace(problem, **changes)
