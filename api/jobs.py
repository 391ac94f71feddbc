"""Running solve jobs off the event loop, with state, progress and stop kept in the database.

A job runs in a worker thread of the process that accepted it. Progress, the heartbeat
and the stop flag go through the database, so any process can report on or stop any job,
and a job whose process died is recognised by its stale heartbeat and marked failed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import Engine, or_
from sqlmodel import Session, col, select

from api.plan_versions import save_version
from api.planning import Planner, jsonable, reasons
from models.inspection import Inspection
from models.plan import JobStatus, PlanPart, PlanVersion, SolveJob
from models.types import utc_now
from scheduler.solving import SolveOptions

log = logging.getLogger(__name__)

HEARTBEAT_EVERY_S = 2.0
STALE_AFTER = timedelta(seconds=30)
INTERRUPTED = "interrupted: the server running this job stopped; start a new solve"


def fail_stale_jobs(engine: Engine) -> int:
    """Mark jobs whose process is gone as failed, so none stays 'running' for ever."""
    cutoff = utc_now() - STALE_AFTER
    with Session(engine) as session:
        stale = session.exec(
            select(SolveJob).where(
                col(SolveJob.status).in_([JobStatus.QUEUED, JobStatus.RUNNING]),
                or_(
                    col(SolveJob.heartbeat_at) < cutoff,
                    col(SolveJob.heartbeat_at).is_(None) & (col(SolveJob.created_at) < cutoff),
                ),
            )
        ).all()
        for job in stale:
            job.status = JobStatus.FAILED
            job.error = INTERRUPTED
            job.finished_at = utc_now()
            session.add(job)
        session.commit()
        return len(stale)


class _JobProbe:
    """Progress writer and stop check for one running job, throttled to spare the database."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        self._engine = engine
        self._job_id = job_id
        self._started = time.monotonic()
        self._last_beat = 0.0
        self._stop = False
        self._lock = threading.Lock()

    def on_progress(self, objective: float, bound: float) -> None:
        point = {
            "seconds": round(time.monotonic() - self._started, 3),
            "objective": objective,
            "bound": bound,
        }
        with self._lock, Session(self._engine) as session:
            job = session.get(SolveJob, self._job_id)
            if job is None:
                return
            job.progress = [*job.progress, point]
            job.heartbeat_at = utc_now()
            session.add(job)
            session.commit()

    def should_stop(self) -> bool:
        now = time.monotonic()
        if self._stop or now - self._last_beat < 0.5:
            return self._stop
        self._last_beat = now
        with self._lock, Session(self._engine) as session:
            job = session.get(SolveJob, self._job_id)
            if job is None:
                return True
            self._stop = job.stop_requested
            job.heartbeat_at = utc_now()
            session.add(job)
            session.commit()
        return self._stop


class JobRunner:
    """Runs solve jobs for this process; one at a time per process keeps the cores for CP-SAT."""

    def __init__(self, engine: Engine, planners: Mapping[PlanPart, Planner]) -> None:
        self.engine = engine
        self.planners = planners
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="solve")

    def submit(self, job_id: int) -> Future[None]:
        return self._pool.submit(self._run, job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job_id: int) -> None:
        try:
            self._solve(job_id)
        except Exception as error:  # a job must end, whatever went wrong
            log.exception("solve job %s failed", job_id)
            message = f"{type(error).__name__}: {error}"
            self._finish(job_id, lambda job: _failed(job, message))

    def _finish(self, job_id: int, change: Callable[[SolveJob], None]) -> None:
        with Session(self.engine) as session:
            job = session.get(SolveJob, job_id)
            if job is None:
                return
            change(job)
            job.finished_at = utc_now()
            session.add(job)
            session.commit()

    def _solve(self, job_id: int) -> None:
        with Session(self.engine, expire_on_commit=False) as session:
            job = session.get(SolveJob, job_id)
            if job is None or job.status != JobStatus.QUEUED:
                return
            job.status = JobStatus.RUNNING
            job.worker = self.worker
            job.started_at = job.heartbeat_at = utc_now()
            session.add(job)
            session.commit()
            planner = self.planners[job.part]
            inspection = session.get(Inspection, job.inspection_id)
            assert inspection is not None
            base = session.get(PlanVersion, job.base_version_id) if job.base_version_id else None
            options = job.options
            problem = planner.build(
                session,
                inspection,
                base.plan if base else None,
                list(base.pinned) if base else [],
                options.get("weights", {}),
            )
        probe = _JobProbe(self.engine, job_id)
        plan = planner.solve(
            problem,
            SolveOptions(
                time_limit_s=options.get("time_limit_s", 10.0),
                relative_gap=options.get("relative_gap", 0.0),
                reproducible=options.get("reproducible", False),
            ),
            probe.on_progress,
            probe.should_stop,
        )
        # The weights it was costed with, so that its analysis and edits cost it the same way.
        report = {**planner.report(plan), "weights": options.get("weights", {})}
        with Session(self.engine) as session:
            job = session.get(SolveJob, job_id)
            inspection = session.get(Inspection, job.inspection_id) if job else None
            assert job is not None and inspection is not None
            if report.get("status") in ("optimal", "feasible"):
                version = save_version(
                    session,
                    inspection,
                    job.part,
                    planner.dump(plan),
                    report,
                    source="solve",
                    parent_number=base.number if base else None,
                    pinned=list(base.pinned) if base else [],
                    violations=reasons(planner.validate(problem, plan)),
                )
                session.flush()
                job.result_version_id = version.id
                job.status = JobStatus.SUCCEEDED
            else:
                job.status = JobStatus.FAILED
                job.error = f"no plan found ({report.get('status')})"
            job.report = jsonable(report)
            job.finished_at = utc_now()
            session.add(job)
            session.commit()


def _failed(job: SolveJob, error: str) -> None:
    job.status = JobStatus.FAILED
    job.error = error
