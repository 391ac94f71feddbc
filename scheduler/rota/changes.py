"""What changed between two rota plans, and for whom."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.rota.plan import RotaPlan, Visit


@dataclass(frozen=True)
class MovedVisit:
    setting_id: int
    before: Visit
    after: Visit


@dataclass(frozen=True)
class RotaDiff:
    moved: tuple[MovedVisit, ...]
    added: tuple[Visit, ...]
    removed: tuple[Visit, ...]
    affected_inspector_ids: tuple[int, ...]

    @property
    def changes(self) -> int:
        return len(self.moved) + len(self.added) + len(self.removed)


def diff(old: RotaPlan, new: RotaPlan) -> RotaDiff:
    """Visits moved (other inspector or time), added and removed; inspectors whose day changed."""
    before = {v.setting_id: v for v in old.visits}
    after = {v.setting_id: v for v in new.visits}
    moved = tuple(
        MovedVisit(s, before[s], after[s])
        for s in sorted(before.keys() & after.keys())
        if (before[s].inspector_id, before[s].start, before[s].end)
        != (after[s].inspector_id, after[s].start, after[s].end)
    )
    added = tuple(after[s] for s in sorted(after.keys() - before.keys()))
    removed = tuple(before[s] for s in sorted(before.keys() - after.keys()))
    affected = {m.before.inspector_id for m in moved} | {m.after.inspector_id for m in moved}
    affected |= {v.inspector_id for v in added + removed}
    return RotaDiff(moved, added, removed, tuple(sorted(affected)))
