"""The strategy-day solver: options -> variables -> hard rules + soft goals -> plan.

A constructive plan is built first and handed to CP-SAT as a hint (or the previous plan
in a re-plan), and kept if CP-SAT finds nothing better in time, so the solver is never
worse than the greedy baseline. Meetings that cannot go in are dropped at a large cost rather
than making the model infeasible, and each gets the reasons why.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduler.solving import (
    ProgressListener,
    SolveOptions,
    SolveReport,
    SolveStatus,
    StopRequest,
    hint_solution,
    relative_gap,
    solve_model,
)
from scheduler.strategy.analysis import plan_cost
from scheduler.strategy.constraints import HARD_CONSTRAINTS, ModelContext
from scheduler.strategy.greedy import best_fit_plan, greedy
from scheduler.strategy.lns import MeetingLns, trivial_bound
from scheduler.strategy.objectives import SOFT_GOALS, SoftGoal
from scheduler.strategy.options import MeetingOptions, all_options
from scheduler.strategy.plan import Placement, StrategyPlan, Unplaced
from scheduler.strategy.problem import StrategyProblem
from scheduler.strategy.reasons import unplaced_reasons
from scheduler.strategy.timeline import Timeline
from scheduler.strategy.variables import StrategyVariables


@dataclass
class StrategyModel:
    """A built model and what is needed to read a plan back out of it."""

    problem: StrategyProblem
    timeline: Timeline
    options: Mapping[int, MeetingOptions]
    model: cp_model.CpModel
    vars: StrategyVariables


def build_model(
    problem: StrategyProblem, goals: tuple[SoftGoal, ...] = SOFT_GOALS
) -> StrategyModel:
    timeline = Timeline(problem)
    options = all_options(problem, timeline)
    model = cp_model.CpModel()
    variables = StrategyVariables(model, problem, timeline, options)
    ctx = ModelContext(problem, timeline, options, model, variables)
    for rule in HARD_CONSTRAINTS:
        rule.build(ctx)
    terms = [(w, expr) for goal in goals for w, expr in goal.build(ctx)]
    model.minimize(sum(w * expr for w, expr in terms))
    return StrategyModel(problem, timeline, options, model, variables)


def complete_hint(model: cp_model.CpModel, time_limit_s: float = 2.0) -> list[int] | None:
    """Extend a hint on the decision variables to every auxiliary variable, and return
    that full solution (indexed like the model's variables).

    CP-SAT takes a complete, feasible hint as its first solution at once; a partial one is
    only followed by some workers. Fixing the hinted variables leaves a trivial model, so
    one worker fills in the rest in a fraction of a second. Returns None (hint left as it
    was) if the hint is not feasible, e.g. a previous plan broken by a change.
    """
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.stop_after_first_solution = True
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = list(solver.response_proto.solution)
    hint_solution(model, values)
    return values


def finish_plan(
    built: StrategyModel, placements: list[Placement], report: SolveReport, solver: str
) -> StrategyPlan:
    """Attach unplaced reasons and the recomputed cost to a set of placements."""
    plan = StrategyPlan(report=report, placements=tuple(placements), solver=solver)
    unplaced = tuple(
        Unplaced(
            m.id,
            tuple(unplaced_reasons(built.problem, built.timeline, built.options[m.id], plan)),
        )
        for m in built.problem.meetings
        if plan.placement(m.id) is None
    )
    return replace(plan, unplaced=unplaced)


LARGE_MODEL_VARIABLES = 6_000
"""Above this, presolve probing costs seconds of a 30 s budget on two cores for little gain,
and plans improve by LNS from the hint rather than by proof, so a better constructive start
and :class:`MeetingLns` pay (see :func:`solve`)."""


def _is_large(built: StrategyModel) -> bool:
    return len(built.model.proto.variables) >= LARGE_MODEL_VARIABLES


def _portfolio(options: SolveOptions, built: StrategyModel) -> cp_model.CpSolver:
    """Worker choice for a two-core machine, where CP-SAT runs one full solver plus one
    interleaved worker (first solutions, LNS from the hint).

    The core-based full solver is what lifts the bound of this sum-of-penalties objective
    on small and typical models. On large ones (their first :data:`LNS_AFTER_S` only),
    quick restarts with a cheap presolve reached the best plans among the portfolios
    tried (default LP, no LP, core, four or eight workers time-sharing), and the full
    linear relaxation
    (``linearization_level`` 2) lifts their bound from about 6% of the best known cost to
    about 80% at no loss in plan quality: the default relaxation leaves out the
    per-person daily limits and time-indexed inspector rows that carry the bound.
    """
    solver = cp_model.CpSolver()
    workers = options.workers or os.cpu_count() or 1
    if options.reproducible or workers != 2:
        return solver
    if not _is_large(built):
        solver.parameters.subsolvers.append("core")
        # Symmetry detection finds little here (a pair of identical rooms at most) and
        # its presolve time is a noticeable share of a two-second proof.
        solver.parameters.symmetry_level = 0
        # Measured on typical (8 to 16 seeds each, on a machine where the settings before
        # took a median 5.4 s, 2.8 to 8.2 s): the core search proves its many small
        # idle-slot cores faster with cheaper core minimization (level 1), and the SAT
        # inprocessing it otherwise runs before its first core costs about a second. With
        # one presolve round (a second round's probing finds nothing new), the whole solve
        # takes a median 1.9 s there, 1.7 to 2.2 s.
        solver.parameters.core_minimization_level = 1
        solver.parameters.use_sat_inprocessing = False
        solver.parameters.max_presolve_iterations = 1
    else:
        solver.parameters.subsolvers.append("quick_restart")
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.linearization_level = 2
    return solver


LNS_AFTER_S = 4.0
"""On large models CP-SAT's proven bound stops rising within about 4 s on two cores, so
CP-SAT gets at most this long (less once the bound stalls, :data:`BOUND_STALL_S`); the
rest of the time goes to :class:`MeetingLns`, which improves plans faster than CP-SAT's
own neighbourhoods there (see :mod:`scheduler.strategy.lns`)."""

BOUND_STALL_S = 1.0
"""CP-SAT hands over to :class:`MeetingLns` before :data:`LNS_AFTER_S` once its bound has
not risen for this long: on a fast machine the large benchmark's bound is final after
about 1.8 s, and the time left to 4 s improves plans more slowly than the LNS would."""


MIN_LNS_S = 0.2
"""Less time than this left after CP-SAT is not worth setting the LNS up for."""


def _improve(
    built: StrategyModel,
    values: list[int],
    report: SolveReport,
    options: SolveOptions,
    deadline: float,
    on_progress: ProgressListener | None,
    should_stop: StopRequest | None,
) -> tuple[list[Placement], SolveReport]:
    """Carry a solution on with :class:`MeetingLns` until ``deadline``. The bound stays
    CP-SAT's, or the objective's least possible value if CP-SAT had not got that far, so
    the gap is still a proven one."""
    bound = report.bound if report.bound is not None else float(trivial_bound(built.model))

    def good_enough(objective: int) -> bool:
        gap = relative_gap(float(objective), bound)
        return gap is not None and gap <= options.relative_gap

    def progress(objective: int) -> None:
        if on_progress is not None:
            on_progress(float(objective), bound)

    search = MeetingLns(
        built.vars,
        values,
        deadline,
        good_enough=good_enough,
        seed=options.seed,
        on_progress=progress,
        should_stop=should_stop,
    )
    best = search.run(threads=options.workers or os.cpu_count() or 1)
    objective = float(best.objective)
    return list(best.plan.placements), replace(
        report,
        status=SolveStatus.OPTIMAL if objective <= bound else SolveStatus.FEASIBLE,
        objective=objective,
        bound=bound,
        gap=relative_gap(objective, bound),
        stopped_early=search.stopped,
    )


def _constructive_cost(plan: StrategyPlan) -> float:
    assert plan.report.objective is not None
    return plan.report.objective


def solve(
    problem: StrategyProblem,
    options: SolveOptions | None = None,
    on_progress: ProgressListener | None = None,
    should_stop: StopRequest | None = None,
) -> StrategyPlan:
    """Best timetable found within the limits of ``options`` (the time limit includes
    building the model and the hint).

    Large models start from the cheaper of first fit and best fit (0.6 to 1.4 s more on the
    large benchmark, by machine): best fit costs about half as much there (1,168 against
    2,192). Once CP-SAT has set the proven bound (:data:`LNS_AFTER_S`, :data:`BOUND_STALL_S`),
    :class:`MeetingLns` takes the plan on for the rest of the time limit (not in
    reproducible mode, which stays one deterministic CP-SAT worker). On smaller models the
    first-fit hint is kept and CP-SAT runs alone: on the typical benchmark the proof took
    longer and varied more from best fit (3 to 12 CPU s against 3.1 to 4.4).

    ``report.objective`` is the plan's cost as :func:`analyse` computes it; ``report.bound``
    is CP-SAT's proven lower bound, so ``report.gap`` is honest whichever plan is returned.
    """
    options = options or SolveOptions()
    started = time.perf_counter()
    baseline = greedy(problem)
    built = build_model(problem)
    if _is_large(built):
        baseline = min(baseline, best_fit_plan(problem), key=_constructive_cost)
    start_from = problem.previous or baseline
    built.vars.hint(list(start_from.placements))
    hinted = complete_hint(built.model)
    # The time limit covers the whole call: building and hinting (about 0.6 s on the
    # large benchmark) come out of the search's share.
    spent = time.perf_counter() - started
    search = replace(options, time_limit_s=max(0.1, options.time_limit_s - spent))
    lns = _is_large(built) and not options.reproducible
    if lns:
        search = replace(search, time_limit_s=min(search.time_limit_s, LNS_AFTER_S))
    solver, report = solve_model(
        built.model,
        search,
        on_progress,
        should_stop,
        solver=_portfolio(search, built),
        bound_stall_s=BOUND_STALL_S if lns else None,
    )

    notes: list[str] = []
    plan: StrategyPlan | None = None
    values: list[int] | None = None
    if report.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        values = list(solver.response_proto.solution)
    elif lns and hinted and not report.stopped_early:
        # CP-SAT had no time to take even the hint (a slow or busy machine): the search
        # can still start from it.
        values = hinted
    if values is not None:
        placements = built.vars.extract(values)
        deadline = started + options.time_limit_s
        unproved = report.status in (SolveStatus.FEASIBLE, SolveStatus.UNKNOWN)
        time_left = deadline - time.perf_counter() > MIN_LNS_S
        if lns and unproved and not report.stopped_early and time_left:
            placements, report = _improve(
                built, values, report, options, deadline, on_progress, should_stop
            )
        plan = finish_plan(built, placements, report, "cp-sat")
        plan = replace(plan, model_objective=report.objective)
    cost = plan_cost(problem, plan) if plan is not None else None
    assert baseline.report.objective is not None
    if plan is None or cost is None or baseline.report.objective < cost:
        notes.append(f"kept the {baseline.solver} plan: CP-SAT found nothing better in time")
        plan = replace(baseline, solver="cp-sat", model_objective=None)
        cost = int(baseline.report.objective)
    status = report.status
    if status in (SolveStatus.UNKNOWN, SolveStatus.INFEASIBLE):
        status = SolveStatus.FEASIBLE
    bound = report.bound
    final = SolveReport(
        status=status,
        objective=float(cost),
        bound=bound,
        gap=relative_gap(float(cost), bound),
        wall_s=round(time.perf_counter() - started, 4),
        stopped_early=report.stopped_early,
    )
    return replace(plan, report=final, notes=tuple(notes))
