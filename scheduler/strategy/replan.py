"""Re-planning after a change, and the difference between two plan versions.

A re-plan is an ordinary solve with ``problem.previous`` set: pinned meetings keep their
time, venue and inspectors, the others are hinted at their old place and pay for moving
(see ``objectives.MinimalChange``), so only what must change does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from scheduler.solving import ProgressListener, SolveOptions, StopRequest
from scheduler.strategy.plan import Placement, StrategyPlan
from scheduler.strategy.problem import StrategyProblem
from scheduler.strategy.solver import solve


class ChangeKind(StrEnum):
    MOVED = "moved"
    PEOPLE_CHANGED = "people_changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class Change:
    meeting_id: int
    kind: ChangeKind
    before: Placement | None
    after: Placement | None
    person_ids: tuple[int, ...]
    """People whose own timetable changes because of this."""


@dataclass(frozen=True)
class PlanDiff:
    changes: tuple[Change, ...]

    @property
    def affected_person_ids(self) -> tuple[int, ...]:
        return tuple(sorted({p for c in self.changes for p in c.person_ids}))

    def of_kind(self, kind: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def moved_ids(self) -> tuple[int, ...]:
        return tuple(c.meeting_id for c in self.of_kind(ChangeKind.MOVED))


def diff(old: StrategyPlan, new: StrategyPlan) -> PlanDiff:
    """What moved, was added or removed, or changed people between two versions, and for whom."""
    before = {p.meeting_id: p for p in old.placements}
    after = {p.meeting_id: p for p in new.placements}
    changes = []
    for meeting_id in sorted(before.keys() | after.keys()):
        a, b = before.get(meeting_id), after.get(meeting_id)
        if a is None and b is not None:
            changes.append(Change(meeting_id, ChangeKind.ADDED, None, b, b.attendee_ids))
        elif b is None and a is not None:
            changes.append(Change(meeting_id, ChangeKind.REMOVED, a, None, a.attendee_ids))
        elif a is not None and b is not None:
            if (a.start, a.end, a.venue_id) != (b.start, b.end, b.venue_id):
                people = tuple(sorted(set(a.attendee_ids) | set(b.attendee_ids)))
                changes.append(Change(meeting_id, ChangeKind.MOVED, a, b, people))
            elif set(a.attendee_ids) != set(b.attendee_ids) or a != b:
                people = tuple(sorted(set(a.attendee_ids) ^ set(b.attendee_ids)))
                changes.append(Change(meeting_id, ChangeKind.PEOPLE_CHANGED, a, b, people))
    return PlanDiff(tuple(changes))


def replan(
    problem: StrategyProblem,
    previous: StrategyPlan,
    options: SolveOptions | None = None,
    pinned_ids: frozenset[int] | None = None,
    on_progress: ProgressListener | None = None,
    should_stop: StopRequest | None = None,
) -> tuple[StrategyPlan, PlanDiff]:
    """Solve ``problem`` (already carrying the change) starting from ``previous``."""
    changed = replace(
        problem,
        previous=previous,
        pinned_ids=problem.pinned_ids if pinned_ids is None else pinned_ids,
    )
    plan = solve(changed, options, on_progress, should_stop)
    return plan, diff(previous, plan)
