"""Benchmark of both planners: ``python -m scheduler.bench [--part strategy|rota] [--instance …]``.

Prints one JSON line per (part, instance, solver) with at least: part, instance, solver,
status, wall_s, objective, bound, gap, sense.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any


def _rows(part: str, instances: list[str], time_limit_s: float) -> Iterator[dict[str, Any]]:
    if part == "strategy":
        from scheduler.strategy.bench import bench_rows
    else:
        from scheduler.rota.bench import bench_rows
    yield from bench_rows(instances, time_limit_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=["strategy", "rota"], action="append")
    parser.add_argument("--instance", choices=["small", "typical", "large"], action="append")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args(argv)
    for part in args.part or ["strategy", "rota"]:
        for row in _rows(part, args.instance or ["small", "typical", "large"], args.time_limit):
            print(json.dumps(row, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
