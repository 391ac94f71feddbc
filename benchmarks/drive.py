"""Load generator (run in its own process): N clients for T seconds, a weighted mix of requests.

Prints one JSON object: per kind of request its count, errors, requests per second and
p50/p99 latency in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


@dataclass(frozen=True)
class Target:
    kind: str
    method: str
    path: str
    weight: int
    body: dict[str, Any] | None = None


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _client(
    base: str,
    headers: dict[str, str],
    targets: list[Target],
    deadline: float,
    tallies: dict[str, Tally],
    seed: int,
) -> None:
    rng = random.Random(seed)
    weights = [t.weight for t in targets]
    etags: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        while time.perf_counter() < deadline:
            target = rng.choices(targets, weights)[0]
            extra = {}
            if target.kind == "feed" and target.path in etags:
                extra["If-None-Match"] = etags[target.path]
            started = time.perf_counter()
            try:
                response = await client.request(
                    target.method, target.path, json=target.body, headers=extra
                )
                ok = response.status_code < 400
                if target.kind == "feed" and "etag" in response.headers:
                    etags[target.path] = response.headers["etag"]
            except httpx.HTTPError:
                ok = False
            tally = tallies.setdefault(target.kind, Tally())
            tally.latencies.append((time.perf_counter() - started) * 1000)
            if not ok:
                tally.errors += 1


async def run(
    base: str, headers: dict[str, str], targets: list[Target], clients: int, seconds: float
) -> dict[str, Any]:
    tallies: dict[str, Tally] = {}
    deadline = time.perf_counter() + seconds
    await asyncio.gather(
        *(_client(base, headers, targets, deadline, tallies, seed) for seed in range(clients))
    )
    result = {}
    for kind, tally in sorted(tallies.items()):
        everything = tally.latencies
        result[kind] = {
            "requests": len(everything),
            "errors": tally.errors,
            "rps": round(len(everything) / seconds, 1),
            "p50_ms": round(statistics.median(everything), 2) if everything else 0.0,
            "p99_ms": round(_percentile(everything, 0.99), 2),
        }
    total = sum(len(t.latencies) for t in tallies.values())
    result["all"] = {
        "requests": total,
        "errors": sum(t.errors for t in tallies.values()),
        "rps": round(total / seconds, 1),
        "p50_ms": round(statistics.median([x for t in tallies.values() for x in t.latencies]), 2),
        "p99_ms": round(_percentile([x for t in tallies.values() for x in t.latencies], 0.99), 2),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--plan", required=True, help="JSON: headers and targets")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    plan = json.loads(args.plan)
    targets = [Target(**t) for t in plan["targets"]]
    print(
        json.dumps(
            asyncio.run(run(args.base, plan["headers"], targets, args.clients, args.seconds))
        )
    )


if __name__ == "__main__":
    main()
