"""Why the must-visits and quotas cannot all be met, in words a coordinator can act on.

First the causes that need no search (a type nobody can reach, a must-visit closed or out
of reach on every day). Then a feasibility-only CP-SAT solve over the same routes, with one
assumption literal per must-visit and per quota (CP-SAT does not combine assumptions with
an objective); when it is infeasible, the assumptions it blames name the conflict.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduler.rota.assemble import reachable_days, reasons_left_out, unreachable_type
from scheduler.rota.context import RotaContext
from scheduler.rota.problem import TYPE_LABELS, RotaProblem
from scheduler.rota.routes import enumerate_routes
from scheduler.rota.variables import RotaVariables
from scheduler.solving import SolveOptions, SolveStatus, solve_model


@dataclass(frozen=True)
class Explanation:
    feasible: bool | None  # None when the time limit ran out before an answer
    conflicts: tuple[str, ...]
    wall_s: float = 0.0

    @property
    def sentences(self) -> list[str]:
        return list(self.conflicts)


def explain(problem: RotaProblem, time_limit_s: float = 10.0) -> Explanation:
    """The requirements that cannot all hold together, or ``feasible=True`` if they can."""
    started = time.perf_counter()
    explanation = _explain(problem, time_limit_s)
    return replace(explanation, wall_s=round(time.perf_counter() - started, 4))


def _explain(problem: RotaProblem, time_limit_s: float) -> Explanation:
    ctx = RotaContext(problem)
    conflicts: list[str] = []
    for setting_type, asked in problem.quotas.minimum.items():
        if asked > 0:
            message = unreachable_type(ctx, setting_type, asked)
            if message:
                conflicts.append(message)
    for candidate in problem.candidates:
        if candidate.must_visit and not reachable_days(ctx, candidate):
            reasons = "; ".join(reasons_left_out(ctx, candidate))
            conflicts.append(f"must-visit {candidate.name} cannot be visited: {reasons}")
    if conflicts:
        return Explanation(False, tuple(conflicts))
    model = cp_model.CpModel()
    vars = RotaVariables(model, list(enumerate_routes(ctx)))
    named: dict[int, str] = {}
    literals: list[cp_model.IntVar] = []
    for candidate in problem.candidates:
        if candidate.must_visit:
            literal = model.new_bool_var(f"must_{candidate.setting_id}")
            model.add(vars.is_chosen(candidate.setting_id) == 1).only_enforce_if(literal)
            named[literal.index] = f"must-visit {candidate.name}"
            literals.append(literal)
    for setting_type, asked in problem.quotas.minimum.items():
        if asked <= 0:
            continue
        literal = model.new_bool_var(f"quota_{setting_type}")
        met = sum(
            vars.is_chosen(c.setting_id)
            for c in problem.candidates
            if c.setting_type == setting_type
        )
        model.add(met >= asked).only_enforce_if(literal)
        named[literal.index] = f"at least {asked} {TYPE_LABELS[setting_type]} visit(s)"
        literals.append(literal)
    if problem.quotas.total > 0:
        literal = model.new_bool_var("quota_total")
        model.add(
            sum(vars.is_chosen(c.setting_id) for c in problem.candidates) >= problem.quotas.total
        ).only_enforce_if(literal)
        named[literal.index] = f"at least {problem.quotas.total} visits in all"
        literals.append(literal)
    model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    # Presolve can put non-assumption literals in the core, so it is off here.
    solver.parameters.cp_model_presolve = False
    options = SolveOptions(time_limit_s=time_limit_s, workers=1)
    solver, report = solve_model(model, options, solver=solver)
    if report.status == SolveStatus.INFEASIBLE:
        core = [named[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in named]
        days = len(problem.days)
        capacity = sum(i.max_visits_per_day for i in problem.inspectors) * days
        conflicts.append(
            "these cannot all be met together by "
            f"{len(problem.inspectors)} inspector(s) over {days} day(s) "
            f"(at most {capacity} visits, and only where travel, opening hours and lunch "
            f"allow): {'; '.join(core or sorted(named.values()))}"
        )
        return Explanation(False, tuple(conflicts))
    if report.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return Explanation(True, ())
    return Explanation(None, ("no answer within the time limit",))
