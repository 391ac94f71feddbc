"""Solve jobs and the numbered plan versions they produce, for both halves of the week.

Job state and progress live here rather than in one process's memory, so every server
process (uvicorn --workers, or replicas on PostgreSQL) answers for every job.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import Page
from models.types import UTCDateTime, utc_now


class PlanPart(StrEnum):
    STRATEGY = "strategy"
    ROTA = "rota"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class SolveJob(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("inspection_id", "part", "idempotency_key"),)
    id: int | None = Field(default=None, primary_key=True)
    local_area_id: int = Field(foreign_key="localarea.id", index=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    part: PlanPart
    status: JobStatus = Field(default=JobStatus.QUEUED, index=True)
    stop_requested: bool = False
    options: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    base_version_id: int | None = Field(default=None, foreign_key="planversion.id")
    result_version_id: int | None = Field(default=None, foreign_key="planversion.id")
    progress: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    report: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    error: str | None = None
    idempotency_key: str | None = None
    worker: str | None = None
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PlanVersion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("inspection_id", "part", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    local_area_id: int = Field(foreign_key="localarea.id", index=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    part: PlanPart
    number: int
    source: str = "solve"  # solve / edit / pin
    parent_number: int | None = None
    plan: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    report: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    pinned: list[str] = Field(default_factory=list, sa_type=JSON)
    violations: list[str] = Field(default_factory=list, sa_type=JSON)
    note: str | None = None
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


MAX_WEIGHT = 1_000_000
Weight = Annotated[int, PydanticField(ge=0, le=MAX_WEIGHT)]
"""A soft goal's weight: never negative (a negative weight would reward what the goal
penalises, such as leaving meetings out), and small enough that the objective's sum of
weighted terms stays far inside the solver's integer range."""


class SolveRequest(BaseModel):
    time_limit_s: float = PydanticField(default=10.0, gt=0, le=600)
    relative_gap: float = PydanticField(default=0.0, ge=0, le=1)
    reproducible: bool = PydanticField(
        default=False, description="One worker, fixed seed, deterministic time limit"
    )
    weights: dict[str, Weight] = PydanticField(
        default_factory=dict, description="Override default weights by name"
    )
    base_version: int | None = PydanticField(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="Re-plan from this version with the fewest changes (default: published)",
    )
    from_scratch: bool = PydanticField(
        default=False, description="Ignore earlier versions and plan afresh"
    )


class ProgressPoint(BaseModel):
    seconds: float
    objective: float
    bound: float


class SolveJobPublic(BaseModel):
    id: int
    inspection_id: int
    part: PlanPart
    status: JobStatus
    stop_requested: bool
    options: dict[str, Any]
    progress: list[ProgressPoint]
    report: dict[str, Any]
    error: str | None
    result_version: int | None = None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class PlanVersionPublic(BaseModel):
    id: int
    inspection_id: int
    part: PlanPart
    number: int
    source: str
    parent_number: int | None
    plan: dict[str, Any]
    report: dict[str, Any]
    pinned: list[str]
    violations: list[str]
    note: str | None
    published_at: datetime | None
    created_at: datetime


class PlanVersionSummary(BaseModel):
    id: int
    number: int
    source: str
    parent_number: int | None
    report: dict[str, Any]
    published_at: datetime | None
    created_at: datetime


class PlanVersionPage(Page):
    items: list[PlanVersionSummary]
