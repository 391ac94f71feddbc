"""Check a plan against every hard rule, from the plan and the problem alone.

Independent of the solver and of route listing on purpose: it re-derives travel times and
checks each visit, leg and lunch break as a person reading the rota would, so it also
checks plans edited by hand and catches solver bugs. The objective is recomputed by
``analysis.analyse``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from scheduler.rota.context import RotaContext, minute_of
from scheduler.rota.plan import RotaPlan, Route
from scheduler.rota.problem import Period, RotaProblem
from scheduler.travel import travel_minutes


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    setting_ids: tuple[int, ...] = ()
    inspector_ids: tuple[int, ...] = ()


def clashes(start: datetime, end: datetime, periods: tuple[Period, ...]) -> bool:
    """Whether [start, end) overlaps any of ``periods`` (touching ends do not clash)."""
    return any(start < p_end and p_start < end for p_start, p_end in periods)


def _when(moment: datetime, ctx: RotaContext) -> str:
    return moment.astimezone(ctx.tz).strftime("%A %H:%M")


def validate(problem: RotaProblem, plan: RotaPlan) -> list[Violation]:
    """Every broken hard rule, with a message a coordinator can read; empty when sound."""
    ctx = RotaContext(problem)
    violations: list[Violation] = []
    counts = Counter(v.setting_id for v in plan.visits)
    for setting_id, count in counts.items():
        if count > 1:
            violations.append(
                Violation(
                    "visited_twice", f"setting {setting_id} is visited {count} times", (setting_id,)
                )
            )
    for visit in plan.visits:
        violations.extend(
            _check_visit(ctx, visit.setting_id, visit.inspector_id, visit.start, visit.end)
        )
    seen_days: set[tuple[int, object]] = set()
    for route in plan.routes:
        key = (route.inspector_id, route.day)
        if key in seen_days:
            violations.append(
                Violation(
                    "two_routes",
                    f"inspector {route.inspector_id} has two routes on {route.day:%A}",
                    inspector_ids=(route.inspector_id,),
                )
            )
        seen_days.add(key)
        violations.extend(_check_route(ctx, plan, route))
    routed = {s for r in plan.routes for s in r.setting_ids}
    for visit in plan.visits:
        if visit.setting_id not in routed:
            violations.append(
                Violation(
                    "visit_without_route",
                    f"visit to setting {visit.setting_id} is on no inspector's route",
                    (visit.setting_id,),
                )
            )
    if problem.previous is not None:
        for setting_id in problem.pinned:
            before = problem.previous.visit_of(setting_id)
            now = plan.visit_of(setting_id)
            if (
                before is not None
                and setting_id in ctx.candidates
                and (
                    now is None
                    or (now.inspector_id, now.start) != (before.inspector_id, before.start)
                )
            ):
                violations.append(
                    Violation(
                        "pinned_moved",
                        f"pinned visit to setting {setting_id} was moved",
                        (setting_id,),
                    )
                )
    return violations


def _check_visit(
    ctx: RotaContext, setting_id: int, inspector_id: int, start: datetime, end: datetime
) -> list[Violation]:
    problem = ctx.problem
    if setting_id not in ctx.candidates:
        return [
            Violation("unknown_setting", f"setting {setting_id} is not a candidate", (setting_id,))
        ]
    if inspector_id not in ctx.inspectors:
        return [
            Violation(
                "unknown_inspector",
                f"inspector {inspector_id} is not on the team",
                inspector_ids=(inspector_id,),
            )
        ]
    candidate = ctx.candidates[setting_id]
    inspector = ctx.inspectors[inspector_id]
    ids = ((setting_id,), (inspector_id,))
    found: list[Violation] = []
    if start.tzinfo is None or end.tzinfo is None:
        return [Violation("naive_time", f"visit to {candidate.name} has a naive time", *ids)]
    length = problem.visit_minutes(candidate)
    if end - start != timedelta(minutes=length):
        found.append(
            Violation(
                "visit_length", f"visit to {candidate.name} does not last {length} minutes", *ids
            )
        )
    day_index, minute = ctx.locate(start)
    if day_index is None:
        found.append(
            Violation("not_a_visit_day", f"visit to {candidate.name} is not on a visit day", *ids)
        )
        return found
    if minute % problem.grid_minutes:
        found.append(
            Violation(
                "off_grid",
                f"visit to {candidate.name} does not start on the "
                f"{problem.grid_minutes}-minute grid",
                *ids,
            )
        )
    opening = candidate.opening_on(problem.days[day_index].date)
    end_minute = minute + length
    if opening is None or not (
        minute_of(opening[0]) <= minute and end_minute <= minute_of(opening[1])
    ):
        hours = "closed" if opening is None else f"open {opening[0]:%H:%M}-{opening[1]:%H:%M}"
        found.append(
            Violation(
                "opening_hours",
                f"{candidate.name} is {hours} but the visit "
                f"runs {_when(start, ctx)}-{end.astimezone(ctx.tz):%H:%M}",
                *ids,
            )
        )
    if clashes(start, end, candidate.unavailable):
        found.append(
            Violation(
                "setting_unavailable",
                f"{candidate.name} is unavailable during the visit at {_when(start, ctx)}",
                *ids,
            )
        )
    if clashes(start, end, inspector.unavailable):
        found.append(
            Violation(
                "inspector_unavailable",
                f"{inspector.name} is unavailable during "
                f"the visit to {candidate.name} at {_when(start, ctx)}",
                *ids,
            )
        )
    return found


def _check_route(ctx: RotaContext, plan: RotaPlan, route: Route) -> list[Violation]:
    problem = ctx.problem
    if route.inspector_id not in ctx.inspectors:
        return [
            Violation(
                "unknown_inspector",
                f"inspector {route.inspector_id} is not on the team",
                inspector_ids=(route.inspector_id,),
            )
        ]
    inspector = ctx.inspectors[route.inspector_id]
    who = (inspector.id,)
    name = f"{inspector.name} on {route.day:%A}"
    day_of = {day.date: day for day in problem.days}
    if route.day not in day_of:
        return [Violation("not_a_visit_day", f"{name}: not a visit day", inspector_ids=who)]
    day = day_of[route.day]
    found: list[Violation] = []
    if len(route.setting_ids) > inspector.max_visits_per_day:
        found.append(
            Violation(
                "visit_limit",
                f"{name}: {len(route.setting_ids)} visits, more "
                f"than the limit of {inspector.max_visits_per_day}",
                route.setting_ids,
                who,
            )
        )
    places = [
        inspector.place_key,
        *(f"setting:{s}" for s in route.setting_ids),
        inspector.place_key,
    ]
    expected = list(zip(places, places[1:], strict=False))
    if [(leg.origin, leg.destination) for leg in route.legs] != expected:
        found.append(
            Violation(
                "route_shape",
                f"{name}: the day does not go base, settings in order, base",
                route.setting_ids,
                who,
            )
        )
        return found
    coordinates = {inspector.place_key: inspector.base} | {
        c.place_key: c.coordinates for c in problem.candidates
    }
    visits = {v.setting_id: v for v in plan.visits}
    busy: list[tuple[datetime, datetime, str]] = []
    at = ctx.at(problem.days.index(day), 0)
    work_start = at + timedelta(minutes=minute_of(day.start))
    work_end = at + timedelta(minutes=minute_of(day.end))
    clock = work_start
    for index, leg in enumerate(route.legs):
        minutes = travel_minutes(
            leg.origin,
            coordinates.get(leg.origin),
            leg.destination,
            coordinates.get(leg.destination),
            problem.travel,
        )
        if leg.minutes != minutes or leg.arrive - leg.depart != timedelta(minutes=minutes):
            found.append(
                Violation(
                    "travel_time",
                    f"{name}: travel {leg.origin} -> {leg.destination} takes {minutes} minutes",
                    route.setting_ids,
                    who,
                )
            )
        if leg.depart < clock:
            found.append(
                Violation(
                    "travel_overlap",
                    f"{name}: leaves for {leg.destination} at "
                    f"{_when(leg.depart, ctx)}, before being free",
                    route.setting_ids,
                    who,
                )
            )
        busy.append((leg.depart, leg.arrive, "travel"))
        clock = leg.arrive
        if index < len(route.setting_ids):
            visit = visits.get(route.setting_ids[index])
            if visit is None or visit.inspector_id != inspector.id:
                found.append(
                    Violation(
                        "route_visit",
                        f"{name}: setting "
                        f"{route.setting_ids[index]} is on the route but not "
                        "visited by this inspector",
                        route.setting_ids,
                        who,
                    )
                )
                continue
            if visit.start < clock:
                found.append(
                    Violation(
                        "travel_overlap",
                        f"{name}: the visit at "
                        f"{_when(visit.start, ctx)} starts before arriving at "
                        f"{_when(clock, ctx)}",
                        (visit.setting_id,),
                        who,
                    )
                )
            busy.append((visit.start, visit.end, "visit"))
            clock = visit.end
    if route.leave_base < work_start or route.back_at_base > work_end:
        found.append(
            Violation(
                "working_hours",
                f"{name}: the day runs "
                f"{route.leave_base.astimezone(ctx.tz):%H:%M}-"
                f"{route.back_at_base.astimezone(ctx.tz):%H:%M}, outside "
                f"{day.start:%H:%M}-{day.end:%H:%M}",
                route.setting_ids,
                who,
            )
        )
    lunch_lo = at + timedelta(minutes=minute_of(day.lunch_start))
    lunch_hi = at + timedelta(minutes=minute_of(day.lunch_end))
    if (
        route.lunch_end - route.lunch_start < timedelta(minutes=day.lunch_minutes)
        or route.lunch_start < lunch_lo
        or route.lunch_end > lunch_hi
    ):
        found.append(
            Violation(
                "lunch",
                f"{name}: lunch is not {day.lunch_minutes} minutes "
                f"between {day.lunch_start:%H:%M} and {day.lunch_end:%H:%M}",
                route.setting_ids,
                who,
            )
        )
    for start, end, what in busy:
        if start < route.lunch_end and route.lunch_start < end:
            found.append(
                Violation("lunch", f"{name}: lunch overlaps {what}", route.setting_ids, who)
            )
        if what == "travel" and clashes(start, end, inspector.unavailable):
            found.append(
                Violation(
                    "inspector_unavailable",
                    f"{name}: travels while unavailable",
                    route.setting_ids,
                    who,
                )
            )
    if clashes(route.lunch_start, route.lunch_end, inspector.unavailable):
        found.append(
            Violation(
                "inspector_unavailable", f"{name}: lunch while unavailable", route.setting_ids, who
            )
        )
    return found
