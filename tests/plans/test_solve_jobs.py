"""Solve jobs: progress and early stop through the database, and the restart rule."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.jobs import INTERRUPTED, JobRunner, fail_stale_jobs
from api.planners import PLANNERS
from api.strategy_planner import StrategyPlanner
from models.inspection import Inspection
from models.plan import JobStatus, PlanPart, SolveJob
from models.types import utc_now
from scheduler.strategy.instances import generate
from scheduler.strategy.problem import StrategyProblem
from tests.plans.conftest import SmallInspection, wait_for


class LargeInstancePlanner(StrategyPlanner):
    """The real strategy planner on the benchmark's large instance: long enough to stop."""

    def build(
        self,
        session: Session,
        inspection: Inspection,
        base: Mapping[str, Any] | None,
        pinned: list[str],
        overrides: Mapping[str, int],
    ) -> StrategyProblem:
        return generate("large")


def test_stopping_a_long_solve_keeps_the_best_plan_so_far(
    app: FastAPI, client: TestClient, small: SmallInspection, engine: Engine
) -> None:
    app.state.job_runner = JobRunner(
        engine, {**PLANNERS, PlanPart.STRATEGY: LargeInstancePlanner()}
    )
    started = time.monotonic()
    response = client.post(f"{small.url}/strategy/solve-jobs", json={"time_limit_s": 120})
    job_url = response.headers["location"].replace("http://testserver", "")
    while not client.get(job_url).json()["progress"]:
        assert time.monotonic() - started < 60, "no progress reported"
        time.sleep(0.2)
    assert client.post(f"{job_url}/stop").status_code == 202
    job = wait_for(client, job_url)
    assert job["status"] == "succeeded"
    assert job["report"]["stopped_early"] is True
    assert job["result_version"] is not None
    assert time.monotonic() - started < 100  # far from the 120 s limit
    points = job["progress"]
    assert all(p["objective"] >= p["bound"] for p in points)


def _job(session: Session, small: SmallInspection, heartbeat_age: timedelta) -> int:
    job = SolveJob(
        local_area_id=small.inspection["local_area_id"],
        inspection_id=small.inspection["id"],
        part=PlanPart.STRATEGY,
        status=JobStatus.RUNNING,
        heartbeat_at=utc_now() - heartbeat_age,
    )
    session.add(job)
    session.commit()
    assert job.id is not None
    return job.id


def test_a_job_left_running_by_a_dead_server_is_marked_failed_on_start(
    client: TestClient, small: SmallInspection, engine: Engine, session: Session
) -> None:
    dead = _job(session, small, timedelta(minutes=5))
    alive = _job(session, small, timedelta(seconds=1))
    assert fail_stale_jobs(engine) == 1
    session.expire_all()
    assert session.get(SolveJob, dead).status == JobStatus.FAILED  # type: ignore[union-attr]
    assert session.get(SolveJob, dead).error == INTERRUPTED  # type: ignore[union-attr]
    assert session.get(SolveJob, alive).status == JobStatus.RUNNING  # type: ignore[union-attr]


def test_reading_a_job_whose_heartbeat_stopped_reports_it_failed(
    client: TestClient, small: SmallInspection, session: Session
) -> None:
    dead = _job(session, small, timedelta(minutes=5))
    job = client.get(f"{small.url}/strategy/solve-jobs/{dead}").json()
    assert job["status"] == "failed" and "interrupted" in job["error"]


def test_a_solve_that_cannot_start_is_refused_at_once_with_the_reason(
    client: TestClient, small: SmallInspection
) -> None:
    days = [{"day": "2026-12-09", "role": "visits"}]
    client.patch(small.url, json={"days": days})
    response = client.post(f"{small.url}/strategy/solve-jobs", json={"time_limit_s": 2})
    assert response.status_code == 422
    assert "strategy days" in response.json()["detail"]
    weights = client.post(f"{small.url}/rota/solve-jobs", json={"weights": {"speed": 3}})
    assert weights.status_code == 422
    assert weights.json()["errors"][0]["field"] == "weights"
