"""Turn chosen routes into a RotaPlan, with coverage and the reasons a setting is left out."""

from __future__ import annotations

from collections import Counter

from scheduler.rota.context import RotaContext
from scheduler.rota.plan import Coverage, Leg, RotaPlan, Route, Unplaced, Visit
from scheduler.rota.problem import TYPE_LABELS, Candidate, RotaProblem
from scheduler.rota.routes import TimedRoute, time_route
from scheduler.solving import SolveReport


def build_plan(
    ctx: RotaContext,
    routes: list[TimedRoute],
    report: SolveReport,
    notes: tuple[str, ...] = (),
) -> RotaPlan:
    visits, plan_routes = _placed(ctx, routes)
    return _assembled(ctx, report, visits, plan_routes, notes)


def with_routes(
    ctx: RotaContext, plan: RotaPlan, timed: list[TimedRoute], emptied: set[tuple[int, int]]
) -> RotaPlan:
    """``plan`` with the inspector-days of ``timed`` timed anew and those in ``emptied``
    (inspector, day index) cleared; every other route is kept as it was, so a hand move does
    not depend on routes it does not touch (one of which may break a rule since)."""
    visits, routes = _placed(ctx, timed)
    days = ctx.problem.days
    changed = {(r.inspector_id, days[r.day_index].date) for r in timed}
    changed |= {(inspector, days[day].date) for inspector, day in emptied}
    kept_routes = [r for r in plan.routes if (r.inspector_id, r.day) not in changed]
    kept = {s for r in kept_routes for s in r.setting_ids} - {v.setting_id for v in visits}
    all_routes = sorted(kept_routes + list(routes), key=lambda r: (r.day, r.inspector_id))
    all_visits = sorted(
        [v for v in plan.visits if v.setting_id in kept] + list(visits),
        key=lambda v: (v.start, v.inspector_id),
    )
    return _assembled(ctx, plan.report, tuple(all_visits), tuple(all_routes), plan.notes)


def _placed(
    ctx: RotaContext, routes: list[TimedRoute]
) -> tuple[tuple[Visit, ...], tuple[Route, ...]]:
    """Timed routes as the plan's visits and routes, at their clock times."""
    ordered = sorted(routes, key=lambda r: (r.day_index, r.inspector_id))
    visits = tuple(
        Visit(
            setting_id=stop.setting_id,
            inspector_id=route.inspector_id,
            start=ctx.at(route.day_index, stop.start),
            end=ctx.at(route.day_index, stop.end),
            travel_before_minutes=stop.travel_before,
        )
        for route in ordered
        for stop in route.stops
    )
    plan_routes = tuple(
        Route(
            inspector_id=route.inspector_id,
            day=ctx.problem.days[route.day_index].date,
            setting_ids=route.setting_ids,
            legs=tuple(
                Leg(
                    leg.origin,
                    leg.destination,
                    ctx.at(route.day_index, leg.depart),
                    ctx.at(route.day_index, leg.arrive),
                    leg.minutes,
                )
                for leg in route.legs
            ),
            lunch_start=ctx.at(route.day_index, route.lunch[0]),
            lunch_end=ctx.at(route.day_index, route.lunch[1]),
        )
        for route in ordered
    )
    return visits, plan_routes


def _assembled(
    ctx: RotaContext,
    report: SolveReport,
    visits: tuple[Visit, ...],
    routes: tuple[Route, ...],
    notes: tuple[str, ...],
) -> RotaPlan:
    """The plan of these visits, with its coverage, the must-visits left out and why, and
    why a quota is not met."""
    visited = {v.setting_id for v in visits}
    return RotaPlan(
        report=report,
        visits=visits,
        routes=routes,
        coverage=coverage_of(ctx, visited),
        unplaced=tuple(
            Unplaced(c.setting_id, c.name, True, tuple(reasons_left_out(ctx, c)))
            for c in ctx.problem.candidates
            if c.must_visit and c.setting_id not in visited
        ),
        notes=notes,
        quota_notes=tuple(quota_notes(ctx, visited)),
    )


def within(problem: RotaProblem, plan: RotaPlan) -> RotaPlan:
    """``plan`` without the visits to settings that are no longer candidates, or by people
    who are no longer the inspection's inspectors: a stored version read against today's
    data. The routes they were on are timed again without them (a shorter route keeps its
    visits' starts); a route that can no longer be timed is left out with its visits."""
    known = {c.setting_id for c in problem.candidates}
    inspectors = {i.id for i in problem.inspectors}
    if all(v.setting_id in known and v.inspector_id in inspectors for v in plan.visits):
        return plan
    ctx = RotaContext(problem)
    days = {d.date: index for index, d in enumerate(problem.days)}
    starts = {v.setting_id: ctx.locate(v.start)[1] for v in plan.visits}
    timed = []
    for route in plan.routes:
        kept = tuple(s for s in route.setting_ids if s in known)
        if not kept or route.inspector_id not in inspectors or route.day not in days:
            continue
        inspector = problem.inspector(route.inspector_id)
        found = time_route(ctx, inspector, days[route.day], kept, {s: starts[s] for s in kept})
        if found is not None:
            timed.append(found)
    return build_plan(ctx, timed, plan.report, plan.notes)


def coverage_of(ctx: RotaContext, visited: set[int]) -> tuple[Coverage, ...]:
    met = Counter(ctx.candidates[s].setting_type for s in visited)
    return tuple(
        Coverage(setting_type, asked, met[setting_type])
        for setting_type, asked in ctx.problem.quotas.minimum.items()
    )


def reachable_days(ctx: RotaContext, candidate: Candidate) -> list[int]:
    """Days on which some inspector can visit the setting alone, base to base."""
    return [
        day_index
        for day_index in range(len(ctx.problem.days))
        if any(
            time_route(ctx, inspector, day_index, (candidate.setting_id,)) is not None
            for inspector in ctx.problem.inspectors
        )
    ]


def reasons_left_out(ctx: RotaContext, candidate: Candidate) -> list[str]:
    """Why a setting has no visit, day by day, in words a coordinator can act on."""
    length = ctx.problem.visit_minutes(candidate)
    reasons = []
    reachable = reachable_days(ctx, candidate)
    for day_index in range(len(ctx.problem.days)):
        day = ctx.day_name(day_index)
        opening = candidate.opening_on(ctx.problem.days[day_index].date)
        if opening is None:
            reasons.append(f"closed on {day}")
        elif not any(hi - lo >= length for lo, hi in ctx.setting_windows(candidate, day_index)):
            reasons.append(
                f"no {length}-minute slot on {day} inside its opening hours "
                f"{opening[0]:%H:%M}-{opening[1]:%H:%M} and working hours, "
                "outside its unavailable times"
            )
        elif day_index not in reachable:
            reasons.append(
                f"no inspector can travel there from their base, visit for {length} minutes, "
                f"take lunch and be back within working hours on {day}"
            )
    if reachable:
        days = " or ".join(ctx.day_name(d) for d in reachable)
        reasons.append(
            f"it can be visited on {days}, but not alongside the other visits: every inspector "
            "who could go is at the visit limit or has no time left between visits"
        )
    if ctx.is_pinned(candidate.setting_id):
        reasons.append("it is pinned to a time that no longer fits")
    return reasons


def quota_notes(ctx: RotaContext, visited: set[int]) -> list[str]:
    """For each type whose quota is not met, why (when nobody of that type can be reached)."""
    met = Counter(ctx.candidates[s].setting_type for s in visited)
    notes = []
    for setting_type, asked in ctx.problem.quotas.minimum.items():
        if met[setting_type] >= asked:
            continue
        message = unreachable_type(ctx, setting_type, asked)
        notes.append(
            message
            or f"only {met[setting_type]} of {asked} {TYPE_LABELS[setting_type]} visits "
            "fit alongside the must-visit settings"
        )
    return notes


def unreachable_type(ctx: RotaContext, setting_type: str, asked: int) -> str | None:
    """A sentence when fewer settings of a type can be reached at all than the quota asks."""
    label = TYPE_LABELS[setting_type]
    of_type = [c for c in ctx.problem.candidates if c.setting_type == setting_type]
    days = " or ".join(ctx.day_name(d) for d in range(len(ctx.problem.days)))
    if not of_type:
        return f"there is no {label} among the candidate settings"
    reachable = [c for c in of_type if reachable_days(ctx, c)]
    if not reachable:
        return f"no {label} is open on {days} within reach of any inspector"
    if len(reachable) < asked:
        return (
            f"only {len(reachable)} {label}(s) can be visited on {days} "
            f"within reach of an inspector, but {asked} are asked for"
        )
    return None
