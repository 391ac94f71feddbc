"""Benchmark rows for the strategy timetable: CP-SAT and the greedy baseline per instance.

``best_known`` comes from ``best_known.json``: the cheapest plan known, with the time limit
of the run that found it (a long run recorded with ``python -m scheduler.strategy.bench
--record SECONDS``, which keeps the stored figure unless it does better; where a shorter run
has done better, the entry says so, because a target "within 1% of the best known" should be
measured against the best one).
``--lp`` prints the linear relaxation of each model instead (see :func:`lp_relaxation`),
a deterministic figure for comparing formulations.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from scheduler.solving import SolveOptions
from scheduler.strategy.analysis import optional_attendances
from scheduler.strategy.greedy import greedy
from scheduler.strategy.instances import generate
from scheduler.strategy.plan import StrategyPlan
from scheduler.strategy.solver import build_model, solve
from scheduler.strategy.validation import validate

BEST_KNOWN = Path(__file__).with_name("best_known.json")


def load_best_known() -> dict[str, Any]:
    if not BEST_KNOWN.exists():
        return {}
    loaded: dict[str, Any] = json.loads(BEST_KNOWN.read_text())
    return loaded


def _row(instance: str, plan: StrategyPlan, best: float | None, valid: bool) -> dict[str, Any]:
    report = plan.report
    return {
        "part": "strategy",
        "instance": instance,
        "solver": "greedy" if plan.solver == "greedy" else "cp-sat",
        "status": str(report.status),
        "wall_s": report.wall_s,
        "objective": report.objective,
        "bound": report.bound,
        "gap": report.gap,
        "sense": report.sense,
        "optional_attendances": optional_attendances(plan),
        "unplaced": len(plan.unplaced),
        "best_known": best,
        "valid": valid,
    }


def bench_rows(instances: Iterable[str], time_limit_s: float) -> Iterator[dict[str, Any]]:
    best_known = load_best_known().get("instances", {})
    for name in instances:
        problem = generate(name)
        best = best_known.get(name, {}).get("objective")
        baseline = greedy(problem)
        yield _row(name, baseline, best, not validate(problem, baseline))
        plan = solve(problem, SolveOptions(time_limit_s=time_limit_s))
        yield _row(name, plan, best, not validate(problem, plan))


_NO_BOUND = 2**62


def lp_relaxation(model: cp_model.CpModel) -> float | None:
    """Optimum of the linear relaxation of ``model``'s unconditional linear rows, clauses
    and implications (GLOP), or None if GLOP finds no optimum.

    Other enforced rows, intervals and no-overlap constraints are left out, so this is a
    lower bound on the model's optimum and, unlike CP-SAT's own bound at a time limit,
    the same on every run and machine: the figure to compare formulations by. It is not
    CP-SAT's relaxation, which can be weaker (large: CP-SAT's bound stays at 659-674 in
    30 s, against 678 here).
    """
    proto = model.proto
    lp = pywraplp.Solver.CreateSolver("GLOP")
    xs = []
    for var in proto.variables:
        domain = list(var.domain)  # the proto wrapper does not index from the end
        xs.append(lp.NumVar(domain[0], domain[-1], ""))

    def add_at_least(literals: list[int], at_least: int) -> None:
        """Row "sum of literals >= at_least", where a negated literal l is 1 - x."""
        row = lp.Constraint(at_least - sum(1 for lit in literals if lit < 0), lp.infinity())
        for lit in literals:
            row.SetCoefficient(xs[lit] if lit >= 0 else xs[-lit - 1], 1 if lit >= 0 else -1)

    for ct in proto.constraints:
        enforcement = list(ct.enforcement_literal)
        if ct.has_bool_and() and len(enforcement) == 1:
            # An implication: each literal is at least the enforcement literal.
            negated = -enforcement[0] - 1
            for lit in ct.bool_and.literals:
                add_at_least([lit, negated], 1)
            continue
        if enforcement:
            continue
        if ct.has_linear():
            domain = list(ct.linear.domain)
            low = domain[0] if domain[0] > -_NO_BOUND else -lp.infinity()
            high = domain[-1] if domain[-1] < _NO_BOUND else lp.infinity()
            row = lp.Constraint(low, high)
            for v, coeff in zip(ct.linear.vars, ct.linear.coeffs, strict=True):
                row.SetCoefficient(xs[v], coeff)
        elif ct.has_bool_or():
            add_at_least(list(ct.bool_or.literals), 1)
    objective = lp.Objective()
    for v, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        objective.SetCoefficient(xs[v], coeff)
    objective.SetOffset(proto.objective.offset)
    objective.SetMinimization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return float(objective.Value())


def record(seconds: float, instances: list[str]) -> None:
    """Long runs for best_known.json; keeps the better of the stored and the new objective."""
    stored = load_best_known()
    table = stored.get("instances", {})
    for name in instances:
        plan = solve(generate(name), SolveOptions(time_limit_s=seconds))
        objective = plan.report.objective
        old = table.get(name, {}).get("objective")
        if objective is not None and (old is None or objective < old):
            table[name] = {
                "objective": objective,
                "bound": plan.report.bound,
                "status": str(plan.report.status),
                "time_limit_s": seconds,
            }
        print(name, table.get(name), flush=True)
    stored["instances"] = table
    BEST_KNOWN.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--record", type=float, help="seconds per instance for best_known")
    parser.add_argument("--instance", action="append", choices=["small", "typical", "large"])
    parser.add_argument("--lp", action="store_true", help="print each model's LP relaxation")
    args = parser.parse_args(argv)
    names = args.instance or ["small", "typical", "large"]
    if args.lp:
        for name in names:
            value = lp_relaxation(build_model(generate(name)).model)
            print(json.dumps({"instance": name, "lp_relaxation": value}), flush=True)
    elif args.record:
        record(args.record, names)
    else:
        for row in bench_rows(names, 30.0):
            print(json.dumps(row, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
