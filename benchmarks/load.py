"""Load benchmark: ``python -m benchmarks.load [--seconds 30] [--clients 50] [--postgres URL]``.

Starts the server (one uvicorn process) on SQLite and, when given or reachable, on
PostgreSQL, with the demo area solved and published; drives it from a second process on
loopback; and measures a bare FastAPI endpoint returning a fixed body in the same run, as
the machine's ceiling. Phases: feeds only, list reads only, and a realistic mix (reads,
edits, feed fetches). Prints one JSON line per phase and a table.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlmodel import Session, select

from api.auth import hash_token, issue_token
from api.database import make_engine, migrate
from api.demo import load_demo
from api.demo_week import plan_and_publish
from api.settings import Settings
from benchmarks import wrk_drive
from models.api_token import TokenRole
from models.inspection import Inspection
from models.person import Person

OPERATOR = "iw_bench-operator"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(app: str, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**os.environ, **env},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def drive(
    base: str, plan: dict[str, Any], clients: int, seconds: float, generator: str
) -> dict[str, Any]:
    if generator == "wrk":
        return wrk_drive.run(base, plan, clients, seconds)
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.drive",
            "--base",
            base,
            "--plan",
            json.dumps(plan),
            "--clients",
            str(clients),
            "--seconds",
            str(seconds),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(output.stdout)
    return result


def prepare(url: str) -> dict[str, Any]:
    """A database with the demo week published; the ids and tokens the load needs."""
    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate(url)
    engine = make_engine(url)
    settings = Settings(database_url=url)
    with Session(engine) as session:
        area = load_demo(session)
        assert area.id is not None
        inspection = session.exec(select(Inspection)).one()
        week = plan_and_publish(session, inspection, settings, time_limit_s=5)
        _, token = issue_token(session, area.id, "load benchmark", TokenRole.COORDINATOR)
        person = session.exec(select(Person).where(Person.local_area_id == area.id)).first()
        assert person is not None
        session.commit()
        facts = {
            "area": area.id,
            "person": person.id,
            "token": token,
            "feed": "/" + week.feeds["whole week"].split("/", 3)[3],
        }
    engine.dispose()
    return facts


def plans(facts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    area = f"/api/v1/areas/{facts['area']}"
    headers = {"Authorization": f"Bearer {facts['token']}"}
    feed = {"kind": "feed", "method": "GET", "path": facts["feed"], "weight": 1}
    people = {"kind": "list", "method": "GET", "path": f"{area}/people?limit=50", "weight": 1}
    return {
        "feeds": {"headers": headers, "targets": [feed]},
        "lists": {"headers": headers, "targets": [people]},
        "mix": {
            "headers": headers,
            "targets": [
                people | {"weight": 40},
                {
                    "kind": "read",
                    "method": "GET",
                    "path": f"{area}/people/{facts['person']}",
                    "weight": 20,
                },
                {
                    "kind": "edit",
                    "method": "PATCH",
                    "path": f"{area}/people/{facts['person']}",
                    "weight": 10,
                    "body": {"job_title": "Head of SEND"},
                },
                feed | {"weight": 30},
            ],
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="'' to skip PostgreSQL")
    parser.add_argument(
        "--generator",
        choices=["wrk", "python"],
        default="wrk" if wrk_drive.available() else "python",
        help="wrk (when installed) reaches the machine's ceiling; python is slower",
    )
    args = parser.parse_args(argv)
    print(json.dumps({"generator": args.generator}), flush=True)
    rows = []
    with server("benchmarks.bare_app:app", {}) as base:
        bare = drive(
            base,
            {
                "headers": {},
                "targets": [{"kind": "bare", "method": "GET", "path": "/bare", "weight": 1}],
            },
            args.clients,
            args.seconds,
            args.generator,
        )["all"]
    rows.append({"database": "-", "phase": "bare", **bare})
    print(json.dumps(rows[-1]), flush=True)
    databases = [("sqlite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'load.db'}")]
    if args.postgres:
        databases.append(("postgresql", args.postgres))
    for name, url in databases:
        try:
            facts = prepare(url)
        except Exception as error:  # e.g. PostgreSQL not running: report and go on
            print(json.dumps({"database": name, "skipped": str(error)}), flush=True)
            continue
        env = {"DATABASE_URL": url, "OPERATOR_TOKEN_HASH": hash_token(OPERATOR)}
        with server("api.main:app", env) as base:
            for phase, plan in plans(facts).items():
                result = drive(base, plan, args.clients, args.seconds, args.generator)
                row = {
                    "database": name,
                    "phase": phase,
                    **result["all"],
                    "vs_bare": round(result["all"]["rps"] / bare["rps"], 3),
                }
                if phase == "mix" and len(result) > 1:  # per kind: the Python generator only
                    row["kinds"] = {k: v for k, v in result.items() if k != "all"}
                rows.append(row)
                print(json.dumps(row), flush=True)
    print("\n| database | phase | req/s | p50 ms | p99 ms | errors | vs bare |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        if "rps" in row:
            print(
                f"| {row['database']} | {row['phase']} | {row['rps']} | {row['p50_ms']} | "
                f"{row['p99_ms']} | {row['errors']} | {row.get('vs_bare', 1.0)} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
