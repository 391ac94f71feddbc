"""What the API needs from a planner (strategy timetable or visit rota), in one protocol.

Each half of the week plugs in an adapter that reads its rows into the scheduler's plain
data and back; jobs, versions, pinning, edits and re-planning are shared.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from enum import Enum
from typing import Any, Protocol

from pydantic import AwareDatetime, BaseModel, Field
from sqlmodel import Session

from models.inspection import Inspection
from models.plan import PlanPart
from models.types import RowId, RowIds
from scheduler.plan import PlanItem
from scheduler.solving import ProgressListener, SolveOptions, StopRequest


@dataclasses.dataclass(frozen=True)
class Breach:
    """A hard rule a plan breaks: the reason in a coordinator's words, and the edit field
    (``start``, ``venue_id`` or ``inspector_ids``) that a different value of would mend it,
    read from the rule that was broken."""

    field: str
    reason: str


def reasons(breaches: list[Breach]) -> list[str]:
    """The reasons alone, as versions store and edits report them."""
    return [b.reason for b in breaches]


class PlacementEdit(BaseModel):
    """Move one item by hand: a meeting (strategy) or a setting's visit (rota)."""

    item_id: int = Field(ge=1, description="Meeting request id, or setting id for the rota")
    start: AwareDatetime = Field(
        ge=datetime(2000, 1, 1, tzinfo=UTC), le=datetime(2100, 1, 1, tzinfo=UTC)
    )
    venue_id: RowId | None = Field(default=None, description="Strategy: the venue to use")
    inspector_ids: RowIds | None = Field(
        default=None, description="Strategy: the inspectors; rota: exactly one"
    )
    force: bool = Field(default=False, description="Keep the edit even if it breaks a rule")


class Planner(Protocol):
    part: PlanPart

    def build(
        self,
        session: Session,
        inspection: Inspection,
        base: Mapping[str, Any] | None,
        pinned: list[str],
        weights: Mapping[str, int],
    ) -> Any: ...

    def solve(
        self,
        problem: Any,
        options: SolveOptions,
        on_progress: ProgressListener | None,
        should_stop: StopRequest | None,
    ) -> Any: ...

    def dump(self, plan: Any) -> dict[str, Any]: ...

    def load(self, data: Mapping[str, Any]) -> Any: ...

    def current(self, problem: Any, data: Mapping[str, Any]) -> Any:
        """A stored plan read against ``problem`` (today's data), without what has been
        deleted since."""
        ...

    def report(self, plan: Any) -> dict[str, Any]: ...

    def validate(self, problem: Any, plan: Any) -> list[Breach]: ...

    def analyse(self, problem: Any, plan: Any) -> Any: ...

    def suggest(self, problem: Any, plan: Any, item_id: int, limit: int) -> Any: ...

    def explain(self, problem: Any, time_limit_s: float) -> Any: ...

    def diff(self, old: Any, new: Any) -> Any: ...

    def edit(self, problem: Any, plan: Any, edit: PlacementEdit) -> Any: ...

    def items(self, problem: Any, plan: Any) -> list[PlanItem]: ...

    def views(self, problem: Any, plan: Any, by: str) -> Any: ...


def jsonable(value: Any) -> Any:
    """Dataclasses, enums and dates from the scheduler as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def grouped_items(items: list[PlanItem], by: str, inspector_ids: set[int]) -> dict[str, Any]:
    """Plan items grouped for a timetable view: by day, venue, setting, person or inspector."""
    groups: dict[str, list[PlanItem]] = {}

    def add(key: object, item: PlanItem) -> None:
        groups.setdefault(str(key), []).append(item)

    for item in sorted(items, key=lambda i: (i.start, i.key)):
        if by == "day":
            add(item.start.date().isoformat(), item)
        elif by == "venue":
            add("online" if item.online else item.venue_id, item)
        elif by == "setting":
            add(item.setting_id, item)
        elif by in ("person", "inspector"):
            for attendee in item.attendees:
                if by == "person" or attendee.person_id in inspector_ids:
                    add(attendee.person_id, item)
        else:
            raise ValueError(f"unknown view {by!r}")
    return {key: jsonable(value) for key, value in groups.items()}
