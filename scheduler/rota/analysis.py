"""Score analysis of a plan and what-if suggestions for moving one visit by hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from scheduler.rota.assemble import build_plan
from scheduler.rota.constraints import GOALS, Penalty
from scheduler.rota.context import RotaContext
from scheduler.rota.plan import RotaPlan
from scheduler.rota.problem import RotaProblem
from scheduler.rota.routes import TimedRoute, time_route


@dataclass(frozen=True)
class GoalScore:
    name: str
    cost: int
    penalties: tuple[Penalty, ...]


@dataclass(frozen=True)
class Analysis:
    total: int
    goals: tuple[GoalScore, ...]

    def cost_of(self, name: str) -> int:
        return sum(goal.cost for goal in self.goals if goal.name == name)


def _analyse(ctx: RotaContext, plan: RotaPlan) -> Analysis:
    goals = []
    for goal in GOALS:
        penalties = tuple(goal.evaluate(ctx, plan))
        goals.append(GoalScore(goal.name, sum(p.cost for p in penalties), penalties))
    return Analysis(sum(g.cost for g in goals), tuple(goals))


def analyse(problem: RotaProblem, plan: RotaPlan) -> Analysis:
    """The objective of ``plan`` broken down per goal, with the items behind each penalty.

    Computed from the plan alone, so it also scores hand-edited and greedy plans.
    """
    return _analyse(RotaContext(problem), plan)


@dataclass(frozen=True)
class Suggestion:
    inspector_id: int
    day: date
    start: datetime
    cost: int
    cost_delta: int
    """Change in plan cost if applied: negative is better."""
    plan: RotaPlan


def _timed_routes(ctx: RotaContext, plan: RotaPlan) -> dict[tuple[int, int], TimedRoute]:
    """The plan's routes re-timed from their order, keyed by (inspector, day index)."""
    day_of = {day.date: index for index, day in enumerate(ctx.problem.days)}
    routes = {}
    for route in plan.routes:
        day_index = day_of[route.day]
        starts = {}
        for visit in plan.visits:
            if visit.setting_id in route.setting_ids:
                starts[visit.setting_id] = ctx.locate(visit.start)[1]
        timed = time_route(
            ctx, ctx.inspectors[route.inspector_id], day_index, route.setting_ids, starts
        )
        if timed is not None:
            routes[(route.inspector_id, day_index)] = timed
    return routes


def _placements(
    ctx: RotaContext, days: dict[tuple[int, int], TimedRoute], setting_id: int
) -> Iterator[tuple[tuple[int, int], TimedRoute]]:
    """Every inspector-day, position and grid start at which the setting fits, leaving the
    other visits of that day at their times."""
    candidate = ctx.candidates[setting_id]
    length = ctx.problem.visit_minutes(candidate)
    step = ctx.problem.grid_minutes
    for inspector in ctx.problem.inspectors:
        for day_index in range(len(ctx.problem.days)):
            existing = days.get((inspector.id, day_index))
            others = existing.setting_ids if existing else ()
            fixed = {stop.setting_id: stop.start for stop in existing.stops} if existing else {}
            for lo, hi in ctx.visit_windows(candidate, inspector, day_index):
                for start in range(-(-lo // step) * step, hi - length + 1, step):
                    for position in range(len(others) + 1):
                        order = (*others[:position], setting_id, *others[position:])
                        route = time_route(
                            ctx, inspector, day_index, order, fixed | {setting_id: start}
                        )
                        if route is not None:
                            yield (inspector.id, day_index), route


def suggest(
    problem: RotaProblem, plan: RotaPlan, setting_id: int, limit: int = 5
) -> list[Suggestion]:
    """Best other placements (inspector, day, start) of one setting's visit, cheapest first.

    A what-if: the plan passed in is unchanged. Each suggestion keeps every other visit where
    it is, puts this setting into an inspector's day at each position and start time that
    fits, and reports the change in the objective.
    """
    ctx = RotaContext(replace(problem, pinned=frozenset()))
    base_total = _analyse(ctx, plan).total
    routes = _timed_routes(ctx, plan)
    current = plan.visit_of(setting_id)
    without = {key: route for key, route in routes.items() if setting_id not in route.setting_ids}
    for day_key, route in routes.items():
        if setting_id in route.setting_ids and len(route.stops) > 1:
            rest = tuple(s for s in route.setting_ids if s != setting_id)
            starts = {
                stop.setting_id: stop.start for stop in route.stops if stop.setting_id in rest
            }
            shorter = time_route(ctx, ctx.inspectors[day_key[0]], day_key[1], rest, starts)
            if shorter is not None:
                without[day_key] = shorter
    found: dict[tuple[int, int, int], Suggestion] = {}
    for day_key, route in _placements(ctx, without, setting_id):
        inspector_id, day_index = day_key
        start = next(stop.start for stop in route.stops if stop.setting_id == setting_id)
        moment = ctx.at(day_index, start)
        if current is not None and (current.inspector_id, current.start) == (inspector_id, moment):
            continue
        what_if = build_plan(ctx, list((without | {day_key: route}).values()), plan.report)
        cost = _analyse(ctx, what_if).total
        delta = cost - base_total
        place = (inspector_id, day_index, start)
        if place not in found or delta < found[place].cost_delta:
            day = problem.days[day_index].date
            found[place] = Suggestion(inspector_id, day, moment, cost, delta, what_if)
    ranked = sorted(found.values(), key=lambda s: (s.cost_delta, s.start, s.inspector_id))
    return ranked[:limit]
