"""Greedy nearest-neighbour baseline: what a coordinator would do by hand.

Take the pinned visits, then every must-visit, then for each type short of its quota the
setting that adds least (travel from the end of an inspector's day so far, plus its cohort
cost), always appending it to the end of some inspector-day. It is evaluated on the same
objective as the CP-SAT plan and also seeds the solver as a hint.
"""

from __future__ import annotations

import time

from scheduler.rota.assemble import build_plan
from scheduler.rota.constraints import cohort_cost
from scheduler.rota.context import RotaContext
from scheduler.rota.plan import RotaPlan
from scheduler.rota.problem import Candidate, RotaProblem
from scheduler.rota.routes import TimedRoute, route_cost, time_route
from scheduler.solving import SolveReport, SolveStatus

DayKey = tuple[int, int]  # (inspector id, day index)


def _append_cost(
    ctx: RotaContext, days: dict[DayKey, TimedRoute], candidate: Candidate
) -> tuple[int, DayKey, TimedRoute] | None:
    best: tuple[int, DayKey, TimedRoute] | None = None
    for inspector in ctx.problem.inspectors:
        for day_index in range(len(ctx.problem.days)):
            key = (inspector.id, day_index)
            current = days.get(key)
            order = (
                (*current.setting_ids, candidate.setting_id) if current else (candidate.setting_id,)
            )
            route = time_route(ctx, inspector, day_index, order)
            if route is None:
                continue
            cost = route_cost(ctx, route) - (route_cost(ctx, current) if current else 0)
            if best is None or cost < best[0]:
                best = (cost, key, route)
    return best


def greedy_routes(ctx: RotaContext) -> list[TimedRoute]:
    problem = ctx.problem
    days: dict[DayKey, TimedRoute] = {}
    chosen: set[int] = set()

    def place(candidate: Candidate) -> bool:
        found = _append_cost(ctx, days, candidate)
        if found is None:
            return False
        _, key, route = found
        days[key] = route
        chosen.add(candidate.setting_id)
        return True

    pinned = sorted(
        (c for c in problem.candidates if ctx.is_pinned(c.setting_id)),
        key=lambda c: ctx.previous[c.setting_id].start,
    )
    for candidate in pinned:
        place(candidate)
    for candidate in problem.candidates:
        if candidate.must_visit and candidate.setting_id not in chosen:
            place(candidate)
    wanted = [(t, n) for t, n in problem.quotas.minimum.items() if n > 0]
    for setting_type, asked in wanted:
        while sum(ctx.candidates[s].setting_type == setting_type for s in chosen) < asked:
            if not _place_cheapest(ctx, days, chosen, setting_type):
                break
    while len(chosen) < problem.quotas.total:
        if not _place_cheapest(ctx, days, chosen, None):
            break
    return list(days.values())


def _place_cheapest(
    ctx: RotaContext,
    days: dict[DayKey, TimedRoute],
    chosen: set[int],
    setting_type: str | None,
) -> bool:
    best: tuple[int, int, DayKey, TimedRoute] | None = None
    for candidate in ctx.problem.candidates:
        if candidate.setting_id in chosen:
            continue
        if setting_type is not None and candidate.setting_type != setting_type:
            continue
        found = _append_cost(ctx, days, candidate)
        if found is None:
            continue
        cost = found[0] + cohort_cost(ctx.problem, candidate)
        if best is None or cost < best[0]:
            best = (cost, candidate.setting_id, found[1], found[2])
    if best is None:
        return False
    _, setting_id, key, route = best
    days[key] = route
    chosen.add(setting_id)
    return True


def greedy(problem: RotaProblem) -> RotaPlan:
    """The baseline plan, with its objective computed by the same goals as the solver's."""
    from scheduler.rota.analysis import analyse

    started = time.perf_counter()
    ctx = RotaContext(problem)
    routes = greedy_routes(ctx)
    wall = round(time.perf_counter() - started, 4)
    draft = build_plan(ctx, routes, SolveReport(SolveStatus.FEASIBLE, None, None, None, wall))
    objective = float(analyse(problem, draft).total)
    report = SolveReport(SolveStatus.FEASIBLE, objective, None, None, wall)
    return build_plan(ctx, routes, report)
