"""Numbered plan versions of an inspection: finding, numbering and saving them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from api.problems import NotFound
from models.inspection import Inspection
from models.plan import PlanPart, PlanVersion


def get_version(session: Session, inspection: Inspection, part: str, number: int) -> PlanVersion:
    version = session.exec(
        select(PlanVersion).where(
            PlanVersion.inspection_id == inspection.id,
            PlanVersion.part == part,
            PlanVersion.number == number,
        )
    ).first()
    if version is None:
        raise NotFound(f"{part} plan version {number} does not exist for this inspection")
    return version


def published_version(session: Session, inspection: Inspection, part: str) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion)
        .where(
            PlanVersion.inspection_id == inspection.id,
            PlanVersion.part == part,
            PlanVersion.published_at.is_not(None),  # type: ignore[union-attr]
        )
        .order_by(PlanVersion.published_at.desc())  # type: ignore[union-attr]
    ).first()


def next_version_number(session: Session, inspection_id: int, part: PlanPart) -> int:
    """The next number for a version, taken once this transaction holds the write lock:
    two saves at once (two edits, or an edit and a finished solve) queue here instead of
    taking the same number. A write that changes nothing takes the lock on both databases:
    the inspection's row lock on PostgreSQL, the database's write lock on SQLite (which has
    no row locks and no FOR UPDATE)."""
    session.execute(
        update(Inspection).where(col(Inspection.id) == inspection_id).values(id=Inspection.id)
    )
    current = session.exec(
        select(func.max(PlanVersion.number)).where(
            PlanVersion.inspection_id == inspection_id, PlanVersion.part == part
        )
    ).one()
    return int(current or 0) + 1


def save_version(
    session: Session,
    inspection: Inspection,
    part: PlanPart,
    plan: Mapping[str, Any],
    report: Mapping[str, Any],
    *,
    source: str,
    parent_number: int | None,
    pinned: list[str],
    violations: list[str] | None = None,
    note: str | None = None,
) -> PlanVersion:
    assert inspection.id is not None
    version = PlanVersion(
        local_area_id=inspection.local_area_id,
        inspection_id=inspection.id,
        part=part,
        number=next_version_number(session, inspection.id, part),
        source=source,
        parent_number=parent_number,
        plan=dict(plan),
        report=dict(report),
        pinned=pinned,
        violations=violations or [],
        note=note,
    )
    session.add(version)
    return version
