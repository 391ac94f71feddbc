"""Solve jobs and plan versions for one half of the week (strategy timetable or visit rota).

The same routes serve both halves; the planner adapter decides what a plan contains.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import Session, col, select

from api import idempotency
from api.crud import commit, tagged_response
from api.deps import AreaDep, InspectionDep, PageDep, SessionDep, SettingsDep
from api.jobs import STALE_AFTER, JobRunner
from api.plan_versions import get_version, published_version, save_version
from api.planning import PlacementEdit, Planner, jsonable, reasons
from api.problems import Conflict, NotFound, Problem, Unprocessable
from api.publication import publish_version
from api.publishing import PublishSummary
from models.inspection import Inspection
from models.plan import (
    JobStatus,
    PlanVersion,
    PlanVersionPage,
    PlanVersionPublic,
    PlanVersionSummary,
    SolveJob,
    SolveJobPublic,
    SolveRequest,
)
from models.types import MAX_ROW_ID, utc_now

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown inspection, job or version"},
    409: {"model": Problem, "description": "Conflicting state"},
    422: {"model": Problem, "description": "Invalid input"},
}

SolveIdempotencyKey = Annotated[
    str | None,
    Header(max_length=200, description="Retrying with the same key returns the first job"),
]


PathId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
"""A job or version number in the path: bounded, so a huge one is a 422, not an overflow."""


class Pins(BaseModel):
    items: list[str] = Field(description='Item keys to keep in place, e.g. "meeting:12"')


class PublishResult(BaseModel):
    version: PlanVersionPublic
    calendar: PublishSummary = Field(description="Invitations and cancellations queued")


class EditResult(BaseModel):
    version: PlanVersionPublic
    violations: list[str]


def runner_of(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.job_runner
    return runner


def job_public(session: Session, job: SolveJob) -> SolveJobPublic:
    version = session.get(PlanVersion, job.result_version_id) if job.result_version_id else None
    public = SolveJobPublic.model_validate(job, from_attributes=True)
    return public.model_copy(update={"result_version": version.number if version else None})


def _get_job(session: Session, inspection: Inspection, part: str, job_id: int) -> SolveJob:
    job = session.get(SolveJob, job_id)
    if job is None or job.inspection_id != inspection.id or job.part != part:
        raise NotFound(f"{part} solve job {job_id} does not exist for this inspection")
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        beat = job.heartbeat_at or job.created_at
        if utc_now() - beat > STALE_AFTER:
            job.status = JobStatus.FAILED
            job.error = "interrupted: the server running this job stopped; start a new solve"
            job.finished_at = utc_now()
            session.add(job)
            commit(session)
    return job


def _reason(error: Exception) -> str:
    """An exception's message without the quotes ``str(KeyError(...))`` adds."""
    return str(error.args[0]) if error.args else str(error)


def _edited_report(
    report: dict[str, Any], objective: float, violations: list[str]
) -> dict[str, Any]:
    """The report of a hand-edited version: its own cost, moves from the version it was
    edited from included. No bound: the parent's solve proved one for a different
    objective (its moves were counted from another plan)."""
    return {
        **report,
        "status": "infeasible" if violations else "feasible",
        "objective": objective,
        "bound": None,
        "gap": None,
        "stopped_early": False,
        "edited": True,
    }


def plan_router(planner: Planner) -> APIRouter:
    part = planner.part.value
    router = APIRouter(
        prefix=f"/areas/{{area_id}}/inspections/{{inspection_id}}/{part}",
        tags=[f"{part} plans"],
        responses=ERRORS,
    )

    def problem_for(
        session: Session,
        inspection: Inspection,
        version: PlanVersion | None,
        weighed: PlanVersion | None = None,
    ) -> Any:
        """The problem around ``version`` (its plan as the previous one, its pins), costed
        with the weights ``weighed`` (default: ``version``) was solved with."""
        weighed = weighed or version
        return planner.build(
            session,
            inspection,
            version.plan if version else None,
            list(version.pinned) if version else [],
            weighed.report.get("weights", {}) if weighed else {},
        )

    @router.post(
        "/solve-jobs",
        status_code=status.HTTP_202_ACCEPTED,
        response_model=SolveJobPublic,
        name=f"start_{part}_solve",
        summary=f"Start solving the {part} plan (202; poll the Location)",
    )
    def start_solve(
        request: Request,
        area: AreaDep,
        inspection: InspectionDep,
        session: SessionDep,
        response: Response,
        body: SolveRequest | None = None,
        idempotency_key: SolveIdempotencyKey = None,
    ) -> SolveJobPublic:
        body = body or SolveRequest()
        if idempotency_key:
            earlier = session.exec(
                select(SolveJob).where(
                    SolveJob.inspection_id == inspection.id,
                    SolveJob.part == part,
                    SolveJob.idempotency_key == idempotency_key,
                )
            ).first()
            if earlier is not None:
                if earlier.options != body.model_dump(mode="json"):
                    raise Unprocessable.field(
                        "Idempotency-Key",
                        f"already used for solve job {earlier.id} with other options",
                        location="header",
                    )
                response.headers["Location"] = f"{request.url.path}/{earlier.id}"
                return job_public(session, earlier)
        base = None
        if not body.from_scratch:
            try:
                base = (
                    get_version(session, inspection, part, body.base_version)
                    if body.base_version is not None
                    else published_version(session, inspection, part)
                )
            except NotFound as error:
                raise Unprocessable.field("base_version", error.detail) from error
        # Build once now so bad input (no days, unknown weights) is a 422, not a failed job.
        planner.build(
            session,
            inspection,
            base.plan if base else None,
            list(base.pinned) if base else [],
            body.weights,
        )
        assert inspection.id is not None
        job = SolveJob(
            local_area_id=area.id,
            inspection_id=inspection.id,
            part=planner.part,
            options=body.model_dump(mode="json"),
            base_version_id=base.id if base else None,
            idempotency_key=idempotency_key,
        )
        session.add(job)
        commit(session)
        session.refresh(job)
        assert job.id is not None
        runner_of(request).submit(job.id)
        response.headers["Location"] = f"{request.url.path}/{job.id}"
        return job_public(session, job)

    @router.get("/solve-jobs/{job_id}", response_model=SolveJobPublic, name=f"get_{part}_solve_job")
    def read_job(inspection: InspectionDep, session: SessionDep, job_id: PathId) -> SolveJobPublic:
        return job_public(session, _get_job(session, inspection, part, job_id))

    @router.post(
        "/solve-jobs/{job_id}/stop",
        status_code=status.HTTP_202_ACCEPTED,
        response_model=SolveJobPublic,
        name=f"stop_{part}_solve_job",
        summary="Stop early; the best plan found so far is kept as a version",
    )
    def stop_job(inspection: InspectionDep, session: SessionDep, job_id: PathId) -> SolveJobPublic:
        job = _get_job(session, inspection, part, job_id)
        if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            raise Conflict(
                f"job {job_id} has already finished ({job.status.value}); there is nothing to stop",
                [{"field": "job_id", "reason": f"already {job.status.value}"}],
            )
        job.stop_requested = True
        session.add(job)
        commit(session)
        return job_public(session, job)

    @router.get("/versions", response_model=PlanVersionPage, name=f"list_{part}_versions")
    def list_versions(
        request: Request, inspection: InspectionDep, session: SessionDep, page: PageDep
    ) -> Response:
        where = (PlanVersion.inspection_id == inspection.id, PlanVersion.part == part)
        total = session.exec(select(func.count()).select_from(PlanVersion).where(*where)).one()
        rows = session.exec(
            select(PlanVersion)
            .where(*where)
            .order_by(col(PlanVersion.number))
            .offset(page.offset)
            .limit(page.limit)
        ).all()
        items = [PlanVersionSummary.model_validate(r, from_attributes=True) for r in rows]
        listed = PlanVersionPage(items=items, total=total, limit=page.limit, offset=page.offset)
        return tagged_response(listed, request.headers.get("if-none-match"))

    @router.get("/versions/{number}", response_model=PlanVersionPublic, name=f"get_{part}_version")
    def read_version(
        request: Request,
        inspection: InspectionDep,
        session: SessionDep,
        number: PathId,
    ) -> Response:
        version = get_version(session, inspection, part, number)
        public = PlanVersionPublic.model_validate(version, from_attributes=True)
        return tagged_response(public, request.headers.get("if-none-match"))

    @router.post(
        "/versions/{number}/publish",
        response_model=PublishResult,
        name=f"publish_{part}_version",
        summary="Publish this version: it becomes the plan people see and invitations follow",
    )
    def publish(
        request: Request,
        inspection: InspectionDep,
        session: SessionDep,
        settings: SettingsDep,
        number: PathId,
        idempotency_key: idempotency.IdempotencyKey = None,
    ) -> Response:
        assert inspection.id is not None
        earlier = idempotency.replay(session, inspection.id, idempotency_key, request)
        if earlier is not None:
            return earlier
        version = get_version(session, inspection, part, number)
        # Checked again with today's people, venues and meetings: someone may have become
        # unavailable since the version was made.
        problem = problem_for(session, inspection, version)
        broken = planner.validate(problem, planner.current(problem, version.plan))
        if broken:
            raise Conflict(
                f"version {number} breaks hard rules with the current data and cannot be "
                "published; edit it or solve again",
                [{"field": "number", "reason": b.reason} for b in broken],
            )
        summary = publish_version(session, inspection, version, now=utc_now(), settings=settings)
        session.flush()
        result = PublishResult(
            version=PlanVersionPublic.model_validate(version, from_attributes=True),
            calendar=summary,
        )
        response = idempotency.answer(session, inspection.id, idempotency_key, request, result)
        commit(session)
        request.app.state.recent_feeds.clear()  # subscribers of this process see it at once
        return response

    @router.put(
        "/versions/{number}/pins",
        response_model=PlanVersionPublic,
        name=f"pin_{part}_items",
        summary="Items that must stay where they are in later re-plans",
    )
    def pin(
        inspection: InspectionDep,
        session: SessionDep,
        number: PathId,
        pins: Pins,
    ) -> PlanVersion:
        version = get_version(session, inspection, part, number)
        problem = problem_for(session, inspection, version)
        known = {
            item.key for item in planner.items(problem, planner.current(problem, version.plan))
        }
        unknown = sorted(set(pins.items) - known)
        if unknown:
            raise Unprocessable.field("items", f"not in version {number}: {', '.join(unknown)}")
        version.pinned = sorted(set(pins.items))
        session.add(version)
        commit(session)
        session.refresh(version)
        return version

    @router.post(
        "/versions/{number}/edits",
        response_model=EditResult,
        status_code=status.HTTP_201_CREATED,
        name=f"edit_{part}_version",
        summary="Move one item by hand; checked against the hard rules; makes a new version",
    )
    def edit(
        inspection: InspectionDep,
        session: SessionDep,
        number: PathId,
        change: PlacementEdit,
    ) -> EditResult:
        version = get_version(session, inspection, part, number)
        problem = problem_for(session, inspection, version)
        original = planner.current(problem, version.plan)
        try:
            edited = planner.edit(problem, original, change)
        except (KeyError, ValueError) as error:
            raise Unprocessable.field("item_id", _reason(error)) from error
        breaches = planner.validate(problem, edited)
        violations = reasons(breaches)
        # Only what the edit breaks stops it: rules the version already broke (someone has
        # become unavailable since, say) are the reason to edit it, not a reason to refuse.
        already = set(planner.validate(problem, original))
        caused = [b for b in breaches if b not in already]
        if caused and not change.force:
            raise Unprocessable(
                "the edit breaks hard rules; nothing was saved (send force=true to keep it)",
                [{"field": b.field, "reason": b.reason} for b in caused],
            )
        plan = planner.dump(edited)
        report = _edited_report(version.report, planner.analyse(problem, edited).total, violations)
        new = save_version(
            session,
            inspection,
            planner.part,
            plan,
            report,
            source="edit",
            parent_number=version.number,
            pinned=list(version.pinned),
            violations=violations,
        )
        commit(session)
        session.refresh(new)
        return EditResult(
            version=PlanVersionPublic.model_validate(new, from_attributes=True),
            violations=violations,
        )

    @router.get("/versions/{number}/diff/{other}", name=f"diff_{part}_versions")
    def diff(
        inspection: InspectionDep,
        session: SessionDep,
        number: PathId,
        other: PathId,
    ) -> Any:
        old = get_version(session, inspection, part, number)
        new = get_version(session, inspection, part, other)
        return jsonable(planner.diff(planner.load(old.plan), planner.load(new.plan)))

    @router.get("/versions/{number}/analysis", name=f"analyse_{part}_version")
    def analysis(inspection: InspectionDep, session: SessionDep, number: PathId) -> Any:
        version = get_version(session, inspection, part, number)
        # Costed against the version it was made from, as its solve or edit was: a
        # re-plan's moves are part of its cost.
        parent = (
            get_version(session, inspection, part, version.parent_number)
            if version.parent_number is not None
            else None
        )
        problem = problem_for(session, inspection, parent, weighed=version)
        return jsonable(planner.analyse(problem, planner.current(problem, version.plan)))

    @router.get("/versions/{number}/suggestions", name=f"suggest_{part}_placements")
    async def suggestions(
        inspection: InspectionDep,
        session: SessionDep,
        number: PathId,
        item_id: Annotated[int, Query(ge=1, description="Meeting request or setting id")],
        limit: Annotated[int, Query(ge=1, le=20)] = 5,
    ) -> Any:
        version = get_version(session, inspection, part, number)
        problem = problem_for(session, inspection, version)
        plan = planner.current(problem, version.plan)
        try:
            found = await run_in_threadpool(planner.suggest, problem, plan, item_id, limit)
        except KeyError as error:
            raise Unprocessable.field(
                "item_id", f"not in this plan: {_reason(error)}", location="query"
            ) from error
        return jsonable(found)

    @router.get("/versions/{number}/timetable", name=f"view_{part}_version")
    def timetable(
        inspection: InspectionDep,
        session: SessionDep,
        number: PathId,
        by: Annotated[str, Query(pattern=r"^(day|venue|person|inspector|setting)$")] = "day",
    ) -> Any:
        version = get_version(session, inspection, part, number)
        problem = problem_for(session, inspection, version)
        try:
            return jsonable(planner.views(problem, planner.current(problem, version.plan), by))
        except ValueError as error:
            raise Unprocessable.field("by", str(error), location="query") from error

    @router.get(
        "/explanation",
        name=f"explain_{part}",
        summary="Why requests cannot all be met: a feasibility check naming the conflicts",
    )
    async def explanation(
        inspection: InspectionDep,
        session: SessionDep,
        time_limit_s: Annotated[float, Query(gt=0, le=120)] = 10.0,
    ) -> Any:
        problem = problem_for(session, inspection, None)
        return jsonable(await run_in_threadpool(planner.explain, problem, time_limit_s))

    return router
