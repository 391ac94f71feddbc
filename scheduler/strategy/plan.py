"""A strategy-day timetable: placements, unplaced meetings with reasons, and the solve report.

Plans are stored in a database column, so they round-trip through JSON-safe dicts with
ISO 8601 datetimes (offsets included).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scheduler.plan import AttendeeRole, ItemAttendee, PlanItem
from scheduler.solving import SolveReport

if TYPE_CHECKING:
    from scheduler.strategy.problem import StrategyProblem


@dataclass(frozen=True)
class Placement:
    """Where and when one meeting happens, and who is in it in which role.

    ``optional_ids`` and ``frontline_ids`` hold only the invitees who attend.
    """

    meeting_id: int
    start: datetime
    end: datetime
    venue_id: int | None
    inspector_ids: tuple[int, ...] = ()
    required_ids: tuple[int, ...] = ()
    optional_ids: tuple[int, ...] = ()
    frontline_ids: tuple[int, ...] = ()
    parent_rep_ids: tuple[int, ...] = ()
    note_taker_id: int | None = None

    @property
    def attendee_ids(self) -> tuple[int, ...]:
        """Everyone present, each once (a note-taker may also be a required attendee)."""
        people = (
            self.required_ids
            + self.inspector_ids
            + self.optional_ids
            + self.frontline_ids
            + self.parent_rep_ids
        )
        if self.note_taker_id is not None:
            people += (self.note_taker_id,)
        return tuple(dict.fromkeys(people))

    def to_dict(self) -> dict[str, Any]:
        return {
            "meeting_id": self.meeting_id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "venue_id": self.venue_id,
            "inspector_ids": list(self.inspector_ids),
            "required_ids": list(self.required_ids),
            "optional_ids": list(self.optional_ids),
            "frontline_ids": list(self.frontline_ids),
            "parent_rep_ids": list(self.parent_rep_ids),
            "note_taker_id": self.note_taker_id,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Placement:
        return cls(
            meeting_id=int(raw["meeting_id"]),
            start=datetime.fromisoformat(raw["start"]),
            end=datetime.fromisoformat(raw["end"]),
            venue_id=raw.get("venue_id"),
            inspector_ids=tuple(raw.get("inspector_ids", ())),
            required_ids=tuple(raw.get("required_ids", ())),
            optional_ids=tuple(raw.get("optional_ids", ())),
            frontline_ids=tuple(raw.get("frontline_ids", ())),
            parent_rep_ids=tuple(raw.get("parent_rep_ids", ())),
            note_taker_id=raw.get("note_taker_id"),
        )


@dataclass(frozen=True)
class Unplaced:
    meeting_id: int
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"meeting_id": self.meeting_id, "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Unplaced:
        return cls(int(raw["meeting_id"]), tuple(raw.get("reasons", ())))


@dataclass(frozen=True)
class StrategyPlan:
    """A timetable. ``report.objective`` is the plan's cost as :func:`analyse` recomputes it
    (equal to the model's objective at the optimum); ``model_objective`` is what CP-SAT
    reported, kept for audits. ``solver`` says which method produced the plan.
    """

    report: SolveReport
    placements: tuple[Placement, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    solver: str = "cp-sat"
    model_objective: float | None = None
    notes: tuple[str, ...] = field(default=())

    def placement(self, meeting_id: int) -> Placement | None:
        for placement in self.placements:
            if placement.meeting_id == meeting_id:
                return placement
        return None

    def with_placement(self, placement: Placement) -> StrategyPlan:
        """A copy where ``placement`` replaces (or adds) its meeting; for hand edits."""
        others = tuple(p for p in self.placements if p.meeting_id != placement.meeting_id)
        unplaced = tuple(u for u in self.unplaced if u.meeting_id != placement.meeting_id)
        ordered = tuple(sorted(others + (placement,), key=lambda p: (p.start, p.meeting_id)))
        return replace(self, placements=ordered, unplaced=unplaced)

    def within(self, problem: StrategyProblem) -> StrategyPlan:
        """This plan without what ``problem`` no longer has: meetings, venues and people
        deleted since it was made. A stored version is read against today's data, and a
        meeting left without its venue is for the checker to report, not a crash."""
        people, venues = problem.person_by_id, problem.venue_by_id

        def known(ids: tuple[int, ...]) -> tuple[int, ...]:
            return tuple(i for i in ids if i in people)

        placements = tuple(
            replace(
                p,
                venue_id=p.venue_id if p.venue_id in venues else None,
                inspector_ids=known(p.inspector_ids),
                required_ids=known(p.required_ids),
                optional_ids=known(p.optional_ids),
                frontline_ids=known(p.frontline_ids),
                parent_rep_ids=known(p.parent_rep_ids),
                note_taker_id=p.note_taker_id if p.note_taker_id in people else None,
            )
            for p in self.placements
            if p.meeting_id in problem.meeting_by_id
        )
        unplaced = tuple(u for u in self.unplaced if u.meeting_id in problem.meeting_by_id)
        return replace(self, placements=placements, unplaced=unplaced)

    def items(self, problem: StrategyProblem) -> list[PlanItem]:
        meetings = problem.meeting_by_id
        items = []
        for p in self.placements:
            meeting = meetings[p.meeting_id]
            roles: list[ItemAttendee] = []
            roles += [ItemAttendee(i, AttendeeRole.REQUIRED) for i in p.required_ids]
            roles += [ItemAttendee(i, AttendeeRole.INSPECTOR) for i in p.inspector_ids]
            roles += [ItemAttendee(i, AttendeeRole.OPTIONAL) for i in p.optional_ids]
            roles += [ItemAttendee(i, AttendeeRole.OPTIONAL) for i in p.frontline_ids]
            roles += [ItemAttendee(i, AttendeeRole.PARENT_REP) for i in p.parent_rep_ids]
            if p.note_taker_id is not None:
                roles.append(ItemAttendee(p.note_taker_id, AttendeeRole.NOTE_TAKER))
            items.append(
                PlanItem(
                    key=f"meeting:{meeting.id}",
                    kind=meeting.kind,
                    title=meeting.title,
                    start=p.start,
                    end=p.end,
                    venue_id=p.venue_id,
                    online=meeting.online,
                    attendees=tuple(roles),
                    notes=(meeting.theme,) if meeting.theme else (),
                )
            )
        return items

    def to_dict(self) -> dict[str, Any]:
        return {
            "report": self.report.to_dict(),
            "placements": [p.to_dict() for p in self.placements],
            "unplaced": [u.to_dict() for u in self.unplaced],
            "solver": self.solver,
            "model_objective": self.model_objective,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> StrategyPlan:
        return cls(
            report=SolveReport.from_dict(raw["report"]),
            placements=tuple(Placement.from_dict(p) for p in raw.get("placements", ())),
            unplaced=tuple(Unplaced.from_dict(u) for u in raw.get("unplaced", ())),
            solver=raw.get("solver", "cp-sat"),
            model_objective=raw.get("model_objective"),
            notes=tuple(raw.get("notes", ())),
        )
