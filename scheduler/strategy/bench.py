"""Benchmark rows for the strategy timetable: CP-SAT and the greedy baseline per instance.

``best_known`` comes from ``best_known.json`` (a long run recorded once, with its time
limit); regenerate it with ``python -m scheduler.strategy.bench --record SECONDS``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from scheduler.solving import SolveOptions
from scheduler.strategy.analysis import optional_attendances
from scheduler.strategy.greedy import greedy
from scheduler.strategy.instances import generate
from scheduler.strategy.plan import StrategyPlan
from scheduler.strategy.solver import solve
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
    args = parser.parse_args(argv)
    names = args.instance or ["small", "typical", "large"]
    if args.record:
        record(args.record, names)
    else:
        for row in bench_rows(names, 30.0):
            print(json.dumps(row, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
