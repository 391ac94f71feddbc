"""Re-planning after a change, and what changed between two rota versions, for whom.

A re-plan is an ordinary solve with ``problem.previous`` set: pinned visits keep their
inspector and time, the others are hinted at their old place and pay for moving, being
dropped or added (see ``constraints.MinimalChange``), so only what must change does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from scheduler.rota.plan import RotaPlan, Visit
from scheduler.rota.problem import RotaProblem
from scheduler.rota.solver import solve
from scheduler.solving import ProgressListener, SolveOptions, StopRequest


class ChangeKind(StrEnum):
    MOVED = "moved"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class VisitChange:
    setting_id: int
    kind: ChangeKind
    before: Visit | None
    after: Visit | None

    @property
    def inspector_ids(self) -> tuple[int, ...]:
        """Inspectors whose own day changes because of this."""
        visits = [v for v in (self.before, self.after) if v is not None]
        return tuple(sorted({v.inspector_id for v in visits}))


@dataclass(frozen=True)
class RotaDiff:
    changes: tuple[VisitChange, ...]

    def of_kind(self, kind: ChangeKind) -> list[VisitChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def moved(self) -> list[VisitChange]:
        return self.of_kind(ChangeKind.MOVED)

    @property
    def added(self) -> list[Visit]:
        return [c.after for c in self.of_kind(ChangeKind.ADDED) if c.after is not None]

    @property
    def removed(self) -> list[Visit]:
        return [c.before for c in self.of_kind(ChangeKind.REMOVED) if c.before is not None]

    @property
    def affected_inspector_ids(self) -> tuple[int, ...]:
        return tuple(sorted({i for c in self.changes for i in c.inspector_ids}))

    @property
    def affected_person_ids(self) -> tuple[int, ...]:
        """Same as ``affected_inspector_ids``; named like the strategy diff's."""
        return self.affected_inspector_ids


def diff(old: RotaPlan, new: RotaPlan) -> RotaDiff:
    """Visits moved (other inspector or time), added and removed, in setting order."""
    before = {v.setting_id: v for v in old.visits}
    after = {v.setting_id: v for v in new.visits}
    changes = []
    for setting_id in sorted(before.keys() | after.keys()):
        old_visit, new_visit = before.get(setting_id), after.get(setting_id)
        if old_visit is None:
            changes.append(VisitChange(setting_id, ChangeKind.ADDED, None, new_visit))
        elif new_visit is None:
            changes.append(VisitChange(setting_id, ChangeKind.REMOVED, old_visit, None))
        elif (old_visit.inspector_id, old_visit.start, old_visit.end) != (
            new_visit.inspector_id,
            new_visit.start,
            new_visit.end,
        ):
            changes.append(VisitChange(setting_id, ChangeKind.MOVED, old_visit, new_visit))
    return RotaDiff(tuple(changes))


def replan(
    problem: RotaProblem,
    previous: RotaPlan,
    options: SolveOptions | None = None,
    pinned_ids: frozenset[int] | None = None,
    on_progress: ProgressListener | None = None,
    should_stop: StopRequest | None = None,
) -> tuple[RotaPlan, RotaDiff]:
    """Solve ``problem`` (already carrying the change) starting from ``previous``."""
    changed = replace(
        problem, previous=previous, pinned=problem.pinned if pinned_ids is None else pinned_ids
    )
    plan = solve(changed, options, on_progress, should_stop)
    return plan, diff(previous, plan)
