"""A rota plan: the visits, each inspector's route per day, the sample's coverage and what
could not be placed, with a JSON-safe round trip so plan versions can be stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from scheduler.plan import AttendeeRole, ItemAttendee, ItemKind, PlanItem
from scheduler.rota.problem import TYPE_LABELS, RotaProblem
from scheduler.solving import SolveReport


@dataclass(frozen=True)
class Visit:
    setting_id: int
    inspector_id: int
    start: datetime
    end: datetime
    travel_before_minutes: int

    @property
    def key(self) -> str:
        return f"visit:{self.setting_id}"


@dataclass(frozen=True)
class Leg:
    """Travel between two places: "base:<key>" or "setting:<id>"."""

    origin: str
    destination: str
    depart: datetime
    arrive: datetime
    minutes: int


@dataclass(frozen=True)
class Route:
    """One inspector's day in order: leave base, legs and visits, lunch, back at base."""

    inspector_id: int
    day: date
    setting_ids: tuple[int, ...]
    legs: tuple[Leg, ...]
    lunch_start: datetime
    lunch_end: datetime

    @property
    def travel_minutes(self) -> int:
        return sum(leg.minutes for leg in self.legs)

    @property
    def leave_base(self) -> datetime:
        return self.legs[0].depart

    @property
    def back_at_base(self) -> datetime:
        return self.legs[-1].arrive


@dataclass(frozen=True)
class Coverage:
    setting_type: str
    asked: int
    met: int

    @property
    def is_met(self) -> bool:
        return self.met >= self.asked


@dataclass(frozen=True)
class Unplaced:
    setting_id: int
    name: str
    must_visit: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RotaPlan:
    report: SolveReport
    visits: tuple[Visit, ...]
    routes: tuple[Route, ...]
    coverage: tuple[Coverage, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    notes: tuple[str, ...] = field(default=())
    """About the solve (how routes were listed, a fallback plan)."""
    quota_notes: tuple[str, ...] = field(default=())
    """Why a quota is not met: these follow from the visits, so they are stated afresh
    whenever the plan is assembled (after a hand edit, say), never carried over."""

    @property
    def travel_minutes(self) -> int:
        return sum(route.travel_minutes for route in self.routes)

    @property
    def coverage_met(self) -> bool:
        return all(c.is_met for c in self.coverage)

    def route(self, inspector_id: int, day: date) -> Route | None:
        """One inspector's day in order, or None when they have no visit that day."""
        for route in self.routes:
            if (route.inspector_id, route.day) == (inspector_id, day):
                return route
        return None

    def visits_by(self, inspector_id: int) -> list[Visit]:
        return sorted(
            (v for v in self.visits if v.inspector_id == inspector_id), key=lambda v: v.start
        )

    def visit_of(self, setting_id: int) -> Visit | None:
        for visit in self.visits:
            if visit.setting_id == setting_id:
                return visit
        return None

    def items(self, problem: RotaProblem) -> list[PlanItem]:
        """Visits as common plan items; notes say whom the setting should gather."""
        result = []
        for visit in sorted(self.visits, key=lambda v: (v.start, v.setting_id)):
            candidate = problem.candidate(visit.setting_id)
            inspector = problem.inspector(visit.inspector_id)
            result.append(
                PlanItem(
                    key=visit.key,
                    kind=ItemKind.VISIT,
                    title=f"Visit: {candidate.name}",
                    start=visit.start,
                    end=visit.end,
                    setting_id=visit.setting_id,
                    attendees=(ItemAttendee(inspector.id, AttendeeRole.INSPECTOR),),
                    notes=(
                        f"Inspector: {inspector.name}",
                        f"Please gather: {', '.join(candidate.whom_to_gather())}",
                        f"Setting type: {TYPE_LABELS[candidate.setting_type]}",
                    ),
                )
            )
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "report": self.report.to_dict(),
            "visits": [
                {
                    "setting_id": v.setting_id,
                    "inspector_id": v.inspector_id,
                    "start": v.start.isoformat(),
                    "end": v.end.isoformat(),
                    "travel_before_minutes": v.travel_before_minutes,
                }
                for v in self.visits
            ],
            "routes": [
                {
                    "inspector_id": r.inspector_id,
                    "day": r.day.isoformat(),
                    "setting_ids": list(r.setting_ids),
                    "legs": [
                        {
                            "origin": leg.origin,
                            "destination": leg.destination,
                            "depart": leg.depart.isoformat(),
                            "arrive": leg.arrive.isoformat(),
                            "minutes": leg.minutes,
                        }
                        for leg in r.legs
                    ],
                    "lunch_start": r.lunch_start.isoformat(),
                    "lunch_end": r.lunch_end.isoformat(),
                    "travel_minutes": r.travel_minutes,
                }
                for r in self.routes
            ],
            "coverage": [
                {"setting_type": c.setting_type, "asked": c.asked, "met": c.met}
                for c in self.coverage
            ],
            "unplaced": [
                {
                    "setting_id": u.setting_id,
                    "name": u.name,
                    "must_visit": u.must_visit,
                    "reasons": list(u.reasons),
                }
                for u in self.unplaced
            ],
            "notes": list(self.notes),
            "quota_notes": list(self.quota_notes),
            "sample": sorted(v.setting_id for v in self.visits),
            "travel_minutes": self.travel_minutes,
            "coverage_met": self.coverage_met,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RotaPlan:
        return cls(
            report=SolveReport.from_dict(data["report"]),
            visits=tuple(
                Visit(
                    setting_id=int(v["setting_id"]),
                    inspector_id=int(v["inspector_id"]),
                    start=_aware(v["start"]),
                    end=_aware(v["end"]),
                    travel_before_minutes=int(v["travel_before_minutes"]),
                )
                for v in data["visits"]
            ),
            routes=tuple(
                Route(
                    inspector_id=int(r["inspector_id"]),
                    day=date.fromisoformat(r["day"]),
                    setting_ids=tuple(int(s) for s in r["setting_ids"]),
                    legs=tuple(
                        Leg(
                            origin=leg["origin"],
                            destination=leg["destination"],
                            depart=_aware(leg["depart"]),
                            arrive=_aware(leg["arrive"]),
                            minutes=int(leg["minutes"]),
                        )
                        for leg in r["legs"]
                    ),
                    lunch_start=_aware(r["lunch_start"]),
                    lunch_end=_aware(r["lunch_end"]),
                )
                for r in data["routes"]
            ),
            coverage=tuple(
                Coverage(c["setting_type"], int(c["asked"]), int(c["met"]))
                for c in data.get("coverage", [])
            ),
            unplaced=tuple(
                Unplaced(
                    setting_id=int(u["setting_id"]),
                    name=u["name"],
                    must_visit=bool(u["must_visit"]),
                    reasons=tuple(u["reasons"]),
                )
                for u in data.get("unplaced", [])
            ),
            notes=tuple(data.get("notes", [])),
            quota_notes=tuple(data.get("quota_notes", [])),
        )


def feedback_item(
    day: date,
    start: datetime,
    end: datetime,
    inspector_ids: tuple[int, ...],
    leader_ids: tuple[int, ...],
) -> PlanItem:
    """Friday feedback: one fixed event for the inspectors and the area's leaders."""
    del day  # the date is carried by start/end; kept in the signature for callers' clarity
    return PlanItem(
        key="feedback",
        kind=ItemKind.FEEDBACK,
        title="Inspection feedback to the local area's leaders",
        start=start,
        end=end,
        attendees=tuple(ItemAttendee(i, AttendeeRole.INSPECTOR) for i in inspector_ids)
        + tuple(ItemAttendee(p, AttendeeRole.REQUIRED) for p in leader_ids),
    )


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime refused in a stored plan: {text}")
    return moment
