"""Readiness: can the data sets be produced inside the notice window, and what is done,
at risk or overdue for an inspection, by owner.

Pure functions of rows and dates, so the rules can be read (and tested) apart from HTTP.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlmodel import Session, select

from models.action import Action, Progress
from models.data_set import DataSet, DataSetStatus
from models.document import Document, DocumentStatus
from models.inspection import Inspection
from models.logistics import LogisticsItem
from models.meeting_record import MeetingRecord
from models.person import Person
from models.team_role import Role, TeamRole
from scheduler.frameworks import PROFILES
from scheduler.notice import notice_window, working_days_between

DEFAULT_FRESHNESS_DAYS = 90
ESSENTIAL_ROLES = (Role.LEAD_OFFICER, Role.LINK_OFFICER, Role.DATA_LEAD)


class RiskCode(StrEnum):
    NO_OWNER = "no_owner"
    STALE = "stale"
    TOO_SLOW = "too_slow"
    OWNER_OVERLOADED = "owner_overloaded"


class Risk(BaseModel):
    code: RiskCode
    detail: str


class DataSetRisk(BaseModel):
    data_set_id: int
    name: str
    owner_id: int | None
    status: DataSetStatus
    extraction_days: int
    risks: list[Risk]


class Feasibility(BaseModel):
    """Whether every data set can be produced between the notification and the first day."""

    notified_on: date
    data_due_on: date
    onsite_start: date
    working_days_left: int
    freshness_days: int
    can_produce_all: bool
    data_sets: int
    ready: int
    at_risk: list[DataSetRisk]


def staleness(row: DataSet, notified_at: datetime, freshness_days: int) -> str | None:
    """Why a data set cannot be sent as it is (too old, never made, marked stale), or None."""
    if row.last_refreshed_at is None:
        return "never refreshed"
    if row.last_refreshed_at < notified_at - timedelta(days=freshness_days):
        age = (notified_at - row.last_refreshed_at).days
        return f"last refreshed {age} days before the notification (more than {freshness_days})"
    if row.status == DataSetStatus.STALE:
        return "marked stale"
    return None


def needs_extraction(row: DataSet, notified_at: datetime, freshness_days: int) -> bool:
    return (
        row.status != DataSetStatus.READY or staleness(row, notified_at, freshness_days) is not None
    )


def data_set_risks(
    row: DataSet,
    notified_at: datetime,
    working_days_left: int,
    freshness_days: int,
    owner_load: int = 0,
) -> list[Risk]:
    """Why a data set may not be in the inspectors' hands in time (empty when it will be).

    ``owner_load`` is the working days of extraction its owner has to do in the window, this
    one included: one person extracts one data set at a time.
    """
    risks = []
    if row.owner_id is None:
        risks.append(Risk(code=RiskCode.NO_OWNER, detail="nobody is named to produce it"))
    stale = staleness(row, notified_at, freshness_days)
    if stale:
        risks.append(Risk(code=RiskCode.STALE, detail=stale))
    if not needs_extraction(row, notified_at, freshness_days):
        return risks
    if row.extraction_days > working_days_left:
        risks.append(
            Risk(
                code=RiskCode.TOO_SLOW,
                detail=f"extraction takes {row.extraction_days} working days; "
                f"the notice window leaves {working_days_left}",
            )
        )
    elif owner_load > working_days_left:
        risks.append(
            Risk(
                code=RiskCode.OWNER_OVERLOADED,
                detail=f"its owner has {owner_load} working days of extractions to do; "
                f"the notice window leaves {working_days_left}",
            )
        )
    return risks


def feasibility(
    rows: Sequence[DataSet],
    notified_at: datetime,
    framework: str,
    timezone: str,
    freshness_days: int = DEFAULT_FRESHNESS_DAYS,
) -> Feasibility:
    """Assess every data set against the notice window of ``framework`` from ``notified_at``.

    Data are due on the first day of inspection activity (case tracking days come before the
    on-site week in some frameworks); the days left are the full working days strictly between
    the notification and that day, bank holidays excluded.
    """
    window = notice_window(notified_at, PROFILES[framework], timezone)
    due = min(d.day for d in window.days)
    days_left = len(working_days_between(window.notified_on, due))
    load: Counter[int] = Counter()
    for row in rows:
        if row.owner_id is not None and needs_extraction(row, notified_at, freshness_days):
            load[row.owner_id] += row.extraction_days
    at_risk = []
    for row in rows:
        assert row.id is not None
        owner_load = load[row.owner_id] if row.owner_id is not None else 0
        risks = data_set_risks(row, notified_at, days_left, freshness_days, owner_load)
        if risks:
            at_risk.append(
                DataSetRisk(
                    data_set_id=row.id,
                    name=row.name,
                    owner_id=row.owner_id,
                    status=row.status,
                    extraction_days=row.extraction_days,
                    risks=risks,
                )
            )
    blocking = {RiskCode.NO_OWNER, RiskCode.TOO_SLOW, RiskCode.OWNER_OVERLOADED}
    return Feasibility(
        notified_on=window.notified_on,
        data_due_on=due,
        onsite_start=window.onsite_start,
        working_days_left=days_left,
        freshness_days=freshness_days,
        can_produce_all=not any(r.code in blocking for item in at_risk for r in item.risks),
        data_sets=len(rows),
        ready=len(rows) - len(at_risk),
        at_risk=at_risk,
    )


def area_data_sets(session: Session, area_id: int) -> Sequence[DataSet]:
    return session.exec(
        select(DataSet).where(DataSet.local_area_id == area_id).order_by(DataSet.id)  # type: ignore[arg-type]
    ).all()


def inspection_feasibility(
    session: Session, inspection: Inspection, freshness_days: int = DEFAULT_FRESHNESS_DAYS
) -> Feasibility:
    return feasibility(
        area_data_sets(session, inspection.local_area_id),
        inspection.notification_at,
        inspection.framework,
        inspection.timezone,
        freshness_days,
    )


# --- the summary -------------------------------------------------------------------------


class ItemState(StrEnum):
    DONE = "done"
    OPEN = "open"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


class ReadinessItem(BaseModel):
    kind: str
    id: int | None
    title: str
    owner_id: int | None
    owner_name: str | None
    due_on: date | None
    state: ItemState
    reasons: list[str]


class OwnerGroup(BaseModel):
    owner_id: int | None
    owner_name: str
    counts: dict[ItemState, int]
    items: list[ReadinessItem]


class ReadinessSummary(BaseModel):
    inspection_id: int
    title: str
    as_of: date
    onsite_start: date
    counts: dict[ItemState, int]
    by_owner: list[OwnerGroup]
    feasibility: Feasibility


def state_of(done: bool, due_on: date | None, as_of: date, reasons: Sequence[str]) -> ItemState:
    """Done beats everything; a passed due date makes it overdue; a known risk, at risk."""
    if done:
        return ItemState.DONE
    if due_on is not None and due_on < as_of:
        return ItemState.OVERDUE
    return ItemState.AT_RISK if reasons else ItemState.OPEN


def _counts(items: Iterable[ReadinessItem]) -> dict[ItemState, int]:
    found = Counter(item.state for item in items)
    return {state: found.get(state, 0) for state in ItemState}


class _Collector:
    """Turns rows of every kind into summary items with owner names."""

    def __init__(self, names: dict[int, str], as_of: date) -> None:
        self.names = names
        self.as_of = as_of
        self.items: list[ReadinessItem] = []

    def add(
        self,
        kind: str,
        row_id: int | None,
        title: str,
        owner_id: int | None,
        due_on: date | None,
        done: bool,
        reasons: list[str],
    ) -> None:
        if owner_id is None and not done:
            reasons = ["no owner", *reasons]
        self.items.append(
            ReadinessItem(
                kind=kind,
                id=row_id,
                title=title,
                owner_id=owner_id,
                owner_name=self.names.get(owner_id) if owner_id is not None else None,
                due_on=due_on,
                state=state_of(done, due_on, self.as_of, reasons),
                reasons=reasons,
            )
        )


def _rows(session: Session, model: Any, *conditions: Any) -> Sequence[Any]:
    return session.exec(select(model).where(*conditions).order_by(model.id)).all()


def summarise(
    session: Session,
    inspection: Inspection,
    as_of: date | None = None,
    freshness_days: int = DEFAULT_FRESHNESS_DAYS,
) -> ReadinessSummary:
    """What is done, open, at risk and overdue for ``inspection``, grouped by owner."""
    assert inspection.id is not None
    area_id = inspection.local_area_id
    as_of = as_of or datetime.now(ZoneInfo(inspection.timezone)).date()
    people = _rows(session, Person, Person.local_area_id == area_id)
    collect = _Collector({p.id: p.name for p in people}, as_of)
    assessed = inspection_feasibility(session, inspection, freshness_days)
    data_due = assessed.data_due_on
    risky = {r.data_set_id: r for r in assessed.at_risk}

    for data_set in area_data_sets(session, area_id):
        found = risky.get(data_set.id)  # type: ignore[arg-type]
        reasons = [r.detail for r in found.risks if r.code != RiskCode.NO_OWNER] if found else []
        done = found is None and data_set.status == DataSetStatus.READY
        collect.add(
            "data set", data_set.id, data_set.name, data_set.owner_id, data_due, done, reasons
        )

    for document in _rows(session, Document, Document.local_area_id == area_id):
        lapsed = document.review_due_on is not None and document.review_due_on < as_of
        reasons = []
        if lapsed:
            reasons.append(f"review was due on {document.review_due_on.isoformat()}")
        if document.public_domain and not document.link:
            reasons.append("published for inspectors but no link recorded")
        done = document.status == DocumentStatus.READY and not lapsed and not reasons
        # Inspectors read public-domain documents during the notice period.
        due = assessed.notified_on if document.public_domain else data_due
        collect.add(
            "document",
            document.id,
            document.name,
            document.owner_id,
            document.review_due_on if lapsed else due,
            done,
            reasons,
        )

    for action in _rows(session, Action, Action.local_area_id == area_id):
        reasons = [] if action.due_on else ["no due date"]
        done = action.progress == Progress.DONE
        collect.add(
            "action", action.id, action.action, action.owner_id, action.due_on, done, reasons
        )

    for item in _rows(session, LogisticsItem, LogisticsItem.inspection_id == inspection.id):
        done = item.status == Progress.DONE
        collect.add("logistics", item.id, item.title, item.owner_id, item.due_on, done, [])

    for record in _rows(session, MeetingRecord, MeetingRecord.inspection_id == inspection.id):
        for follow_up in record.follow_ups:
            due_text = follow_up.get("due_on")
            follow_up_due = date.fromisoformat(str(due_text)) if due_text else None
            owner = follow_up.get("owner_id")
            collect.add(
                "follow-up",
                record.id,
                str(follow_up["action"]),
                int(owner) if owner is not None else None,
                follow_up_due,
                follow_up.get("progress") == Progress.DONE.value,
                [],
            )

    held = {r.role for r in _rows(session, TeamRole, TeamRole.local_area_id == area_id)}
    for role in ESSENTIAL_ROLES:
        title = f"Name a {role.value.replace('_', ' ')}"
        reasons = [] if role in held else ["nobody holds this role"]
        collect.add(
            "team role",
            None,
            title,
            inspection.link_officer_id,
            assessed.notified_on,
            role in held,
            reasons,
        )

    return ReadinessSummary(
        inspection_id=inspection.id,
        title=inspection.title,
        as_of=as_of,
        onsite_start=inspection.onsite_start,
        counts=_counts(collect.items),
        by_owner=_by_owner(collect.items),
        feasibility=assessed,
    )


def _by_owner(items: Sequence[ReadinessItem]) -> list[OwnerGroup]:
    """Owners with the most overdue and at-risk work first; unowned items last."""
    groups: dict[int | None, list[ReadinessItem]] = {}
    for item in items:
        groups.setdefault(item.owner_id, []).append(item)
    result = [
        OwnerGroup(
            owner_id=owner_id,
            owner_name=group[0].owner_name or "No owner",
            counts=_counts(group),
            items=sorted(group, key=lambda i: (_STATE_ORDER[i.state], i.due_on or date.max)),
        )
        for owner_id, group in groups.items()
    ]
    result.sort(
        key=lambda g: (
            g.owner_id is None,
            -g.counts[ItemState.OVERDUE],
            -g.counts[ItemState.AT_RISK],
            g.owner_name,
        )
    )
    return result


_STATE_ORDER = {ItemState.OVERDUE: 0, ItemState.AT_RISK: 1, ItemState.OPEN: 2, ItemState.DONE: 3}
