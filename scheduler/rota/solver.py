"""Solve the rota: list every feasible inspector-day route, then pick routes with CP-SAT.

Picking routes is a set packing (each setting in at most one route, each inspector-day at
most one route) whose LP relaxation is tight, so CP-SAT proves optimality quickly; the
soft goals of constraints.py are summed into one minimised objective.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduler.rota.assemble import build_plan
from scheduler.rota.baseline import greedy_routes
from scheduler.rota.constraints import GOALS
from scheduler.rota.context import RotaContext
from scheduler.rota.plan import RotaPlan
from scheduler.rota.problem import Inspector, RotaProblem
from scheduler.rota.routes import TimedRoute, enumerate_routes, time_route
from scheduler.rota.variables import RotaVariables
from scheduler.solving import (
    ProgressListener,
    SolveOptions,
    SolveReport,
    SolveStatus,
    StopRequest,
    relative_gap,
    solve_model,
)


@dataclass
class RotaModel:
    ctx: RotaContext
    model: cp_model.CpModel
    vars: RotaVariables
    build_s: float


def _twin_key(inspector: Inspector) -> tuple[object, ...]:
    return (inspector.base_key, inspector.base, inspector.unavailable, inspector.max_visits_per_day)


def _break_symmetry(ctx: RotaContext, vars: RotaVariables) -> None:
    """Interchangeable inspectors (same base, availability and limit) are ordered by load.

    Only without a previous plan: a previous plan tells identical inspectors apart.
    """
    if ctx.problem.previous is not None:
        return
    groups: dict[tuple[object, ...], list[Inspector]] = {}
    for inspector in ctx.problem.inspectors:
        groups.setdefault(_twin_key(inspector), []).append(inspector)
    for twins in groups.values():
        for first, second in zip(twins, twins[1:], strict=False):
            vars.model.add(vars.visits_of(first.id) >= vars.visits_of(second.id))


def _with_extra(routes: list[TimedRoute], extra: list[TimedRoute]) -> list[TimedRoute]:
    """Add routes the listing left out (a greedy or previous day beyond the neighbours), so
    the hint is always a complete plan and the result never worse than it."""
    listed = {(r.inspector_id, r.day_index, frozenset(r.setting_ids)) for r in routes}
    missing = [
        r for r in extra if (r.inspector_id, r.day_index, frozenset(r.setting_ids)) not in listed
    ]
    return routes + missing


def build_model(problem: RotaProblem, hint: list[TimedRoute] | None = None) -> RotaModel:
    """The CP-SAT model over every listed route, plus ``hint``'s routes, hinted."""
    started = time.perf_counter()
    ctx = RotaContext(problem)
    model = cp_model.CpModel()
    if hint is None:
        hint = previous_routes(ctx) or greedy_routes(ctx)
    vars = RotaVariables(model, _with_extra(list(enumerate_routes(ctx)), hint))
    vars.hint(hint)
    _break_symmetry(ctx, vars)
    model.minimize(sum(goal.build(ctx, vars) for goal in GOALS))
    return RotaModel(ctx, model, vars, time.perf_counter() - started)


ROTA_WORKERS = 1
"""Workers used when the options leave it to the solver (``workers=0``). Picking routes is
driven by the LP over the set packing: one worker searching with the full linearisation
proved the large benchmark in about half the time two workers took on 2 cores."""


def tuned_solver(options: SolveOptions) -> cp_model.CpSolver:
    """CP-SAT tuned for route picking: the bound comes from the LP over the set packing, so
    the search always runs the full linearisation; probing is slow on tens of thousands of
    route literals and buys nothing here."""
    solver = cp_model.CpSolver()
    solver.parameters.cp_model_probing_level = 0
    if options.reproducible or options.workers == 1:
        solver.parameters.linearization_level = 2
    else:
        solver.parameters.extra_subsolvers.append("max_lp")
    return solver


def previous_routes(ctx: RotaContext) -> list[TimedRoute]:
    """The previous plan's routes that still fit, as a hint for the re-solve."""
    previous = ctx.problem.previous
    if previous is None:
        return []
    day_of = {day.date: index for index, day in enumerate(ctx.problem.days)}
    routes = []
    for route in previous.routes:
        stops = tuple(s for s in route.setting_ids if s in ctx.candidates)
        if route.day not in day_of or route.inspector_id not in ctx.inspectors or not stops:
            continue
        timed = time_route(ctx, ctx.inspectors[route.inspector_id], day_of[route.day], stops)
        if timed is not None:
            routes.append(timed)
    return routes


def solve(
    problem: RotaProblem,
    options: SolveOptions | None = None,
    on_progress: ProgressListener | None = None,
    should_stop: StopRequest | None = None,
) -> RotaPlan:
    """The best rota found within the limits, with status, objective, bound and gap."""
    options = options or SolveOptions()
    if options.workers == 0:
        options = replace(options, workers=ROTA_WORKERS)
    started = time.perf_counter()
    built = build_model(problem)
    solver, report = solve_model(
        built.model, options, on_progress, should_stop, tuned_solver(options)
    )
    report = _integral(replace(report, wall_s=round(time.perf_counter() - started, 4)))
    notes = _listing_notes(problem)
    if report.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return build_plan(built.ctx, built.vars.extract(solver), report, notes)
    if report.status == SolveStatus.UNKNOWN:
        note = "no plan was found within the time limit; this is the greedy baseline"
        return build_plan(built.ctx, greedy_routes(built.ctx), report, (*notes, note))
    return build_plan(built.ctx, [], report, (*notes, f"the solver answered {report.status}"))


def _integral(report: SolveReport) -> SolveReport:
    """The objective is a sum of whole numbers: drop CP-SAT's floating-point noise."""
    if report.objective is None or report.bound is None:
        return report
    objective = float(round(report.objective))
    bound = float(math.ceil(report.bound - 1e-6))
    return replace(report, objective=objective, bound=bound, gap=relative_gap(objective, bound))


def _listing_notes(problem: RotaProblem) -> tuple[str, ...]:
    neighbours = problem.route_neighbours
    if 0 < neighbours < len(problem.candidates) - 1:
        return (
            f"two-visit days pair each setting with its {neighbours} nearest settings; "
            "status and bound are about those routes",
        )
    return ()
