"""Benchmark rows for the rota: CP-SAT against the greedy baseline on generated instances.

``wall_s`` is the whole solve as a caller sees it, listing routes and building the model
included (the time limit applies to the search alone). ``recomputed_objective`` and
``violations`` come from the independent analysis and validator.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from scheduler.rota.analysis import analyse
from scheduler.rota.baseline import greedy
from scheduler.rota.instances import make_instance
from scheduler.rota.plan import RotaPlan
from scheduler.rota.problem import RotaProblem
from scheduler.rota.solver import solve
from scheduler.rota.validation import validate
from scheduler.solving import SolveOptions


def _row(name: str, solver: str, problem: RotaProblem, plan: RotaPlan) -> dict[str, Any]:
    report = plan.report
    return {
        "part": "rota",
        "instance": name,
        "solver": solver,
        "status": str(report.status),
        "wall_s": report.wall_s,
        "objective": report.objective,
        "bound": report.bound,
        "gap": report.gap,
        "sense": report.sense,
        "travel_minutes": plan.travel_minutes,
        "coverage_met": plan.coverage_met,
        "visits": len(plan.visits),
        "candidates": len(problem.candidates),
        "inspectors": len(problem.inspectors),
        "recomputed_objective": analyse(problem, plan).total,
        "violations": len(validate(problem, plan)),
    }


def bench_rows(instances: Iterable[str], time_limit_s: float) -> Iterator[dict[str, Any]]:
    for name in instances:
        problem = make_instance(name)
        baseline = greedy(problem)
        started = time.perf_counter()
        plan = solve(problem, SolveOptions(time_limit_s=time_limit_s))
        row = _row(name, "cp-sat", problem, plan)
        row["wall_s"] = round(time.perf_counter() - started, 3)
        row["not_worse_than_greedy"] = (plan.report.objective or 0) <= (
            baseline.report.objective or 0
        )
        yield row
        yield _row(name, "greedy", problem, baseline)
