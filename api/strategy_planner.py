"""The strategy timetable as the API sees it: rows in, scheduler.strategy out and back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from api.planning import Breach, PlacementEdit, grouped_items
from api.problems import Unprocessable
from api.routers.planning_settings import planning_settings
from api.row_periods import periods
from models.inspection import Inspection, WorkingHours
from models.meeting_request import MeetingKind, MeetingRequest
from models.organisation import Organisation, OrganisationKind
from models.person import Person, PersonKind
from models.plan import PlanPart
from models.venue import Venue
from scheduler.frameworks import DayRole
from scheduler.plan import ItemKind, PlanItem
from scheduler.solving import ProgressListener, SolveOptions, StopRequest
from scheduler.strategy.analysis import analyse
from scheduler.strategy.explain import explain
from scheduler.strategy.plan import Placement, StrategyPlan
from scheduler.strategy.problem import Meeting, StrategyDay, StrategyProblem, Weights
from scheduler.strategy.problem import Person as PlannedPerson
from scheduler.strategy.problem import Venue as PlannedVenue
from scheduler.strategy.replan import diff
from scheduler.strategy.solver import solve
from scheduler.strategy.suggest import suggest
from scheduler.strategy.validation import Violation, validate
from scheduler.travel import Coordinates, TravelModel

KINDS = {
    MeetingKind.MEETING: ItemKind.MEETING,
    MeetingKind.FIXED: ItemKind.FIXED,
    MeetingKind.WEBINAR: ItemKind.WEBINAR,
}


def weights(overrides: Mapping[str, int]) -> Weights:
    """Default weights with the request's overrides; unknown names are refused."""
    known = {f.name for f in fields(Weights)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise Unprocessable.field("weights", f"unknown {unknown}; known: {sorted(known)}")
    return replace(Weights(), **overrides)


VENUE_RULES = frozenset(
    {
        "venue",
        "fixed_venue",
        "capacity",
        "step_free",
        "video",
        "venue_unavailable",
        "venue_double_booking",
    }
)
"""Rules of :mod:`scheduler.strategy.validation` that another venue would mend."""

PERSON_RULES = frozenset(
    ("availability", "double_booking", "travel_buffer", "max_meetings_per_day")
)
"""Rules about someone's time: another inspector mends them when that someone is one."""


def _edit_field(violation: Violation, inspectors: set[int]) -> str:
    """The edit field whose value breaks the rule: the venue for a venue's rules, the
    inspectors for theirs or for a clash that is only inspectors', else the start."""
    if violation.rule in VENUE_RULES:
        return "venue_id"
    if violation.rule == "inspectors":
        return "inspector_ids"
    people = set(violation.person_ids)
    if violation.rule in PERSON_RULES and people and people <= inspectors:
        return "inspector_ids"
    return "start"


def days_of(inspection: Inspection, role: DayRole) -> list[date]:
    return [date.fromisoformat(d["day"]) for d in inspection.days if d["role"] == role.value]


def travel_model(session: Session, inspection: Inspection) -> TravelModel:
    travel = planning_settings(session, inspection.id).travel
    return TravelModel(
        road_factor=travel.road_factor,
        speed_kmh=travel.speed_kmh,
        minimum_minutes=travel.minimum_minutes,
        matrix={(t.origin, t.destination): t.minutes for t in travel.matrix},
    )


def _person(row: Person) -> PlannedPerson:
    available = periods(row.available_hours) if row.kind == PersonKind.PARENT_REP else ()
    assert row.id is not None
    return PlannedPerson(
        id=row.id,
        name=row.name,
        kind=row.kind.value,
        unavailable=periods(row.unavailable),
        max_meetings_per_day=row.max_meetings_per_day,
        needs_step_free=row.needs_step_free,
        available=available or None,
    )


def _venue(row: Venue) -> PlannedVenue:
    assert row.id is not None
    place = (
        Coordinates(row.latitude, row.longitude)
        if row.latitude is not None and row.longitude is not None
        else None
    )
    return PlannedVenue(
        id=row.id,
        name=row.name,
        capacity=row.capacity,
        step_free=row.step_free,
        video_conferencing=row.video_conferencing,
        coordinates=place,
        unavailable=periods(row.unavailable),
    )


def _meeting(row: MeetingRequest, kinds: Mapping[int, PersonKind]) -> Meeting:
    assert row.id is not None
    optional = [i for i in row.optional_attendee_ids if kinds.get(i) != PersonKind.FRONTLINE]
    frontline = [i for i in row.optional_attendee_ids if kinds.get(i) == PersonKind.FRONTLINE]
    return Meeting(
        id=row.id,
        title=row.title,
        theme=row.theme,
        duration_minutes=row.duration_minutes,
        required_ids=tuple(row.required_attendee_ids),
        optional_ids=tuple(optional),
        frontline_ids=tuple(frontline),
        parent_reps_wanted=row.parent_reps_wanted,
        inspector_rule=row.inspector_rule.value,
        named_inspector_ids=tuple(row.named_inspector_ids),
        online=row.online,
        note_taker_id=row.note_taker_id,
        preferred=periods(row.preferred),
        fixed_start=row.fixed_start,
        fixed_venue_id=row.fixed_venue_id,
        kind=KINDS[row.kind],
    )


def _note_taker_pool(session: Session, inspection: Inspection) -> list[int]:
    """Staff of the local authority take notes where a meeting names nobody."""
    council = select(Organisation.id).where(
        Organisation.local_area_id == inspection.local_area_id,
        Organisation.kind == OrganisationKind.LOCAL_AUTHORITY,
    )
    staff = session.exec(
        select(Person.id).where(
            Person.local_area_id == inspection.local_area_id,
            Person.kind == PersonKind.STAFF,
            Person.organisation_id.in_(council),  # type: ignore[union-attr]
        )
    ).all()
    pool = [i for i in staff if i is not None]
    if inspection.link_officer_id is not None and inspection.link_officer_id not in pool:
        pool.insert(0, inspection.link_officer_id)
    return pool


class StrategyPlanner:
    part = PlanPart.STRATEGY

    def build(
        self,
        session: Session,
        inspection: Inspection,
        base: Mapping[str, Any] | None,
        pinned: list[str],
        overrides: Mapping[str, int],
    ) -> StrategyProblem:
        area_id = inspection.local_area_id
        hours = WorkingHours.model_validate(inspection.working_hours or {})
        days = tuple(
            StrategyDay(d, hours.start, hours.end, hours.lunch_start, hours.lunch_end)
            for d in days_of(inspection, DayRole.STRATEGY)
        )
        if not days:
            raise Unprocessable.field("days", "the inspection has no strategy days")
        people = session.exec(select(Person).where(Person.local_area_id == area_id)).all()
        kinds = {p.id: p.kind for p in people if p.id is not None}
        meetings = session.exec(
            select(MeetingRequest)
            .where(MeetingRequest.inspection_id == inspection.id)
            .order_by(col(MeetingRequest.id))
        ).all()
        venues = session.exec(
            select(Venue).where(Venue.local_area_id == area_id).order_by(col(Venue.id))
        ).all()
        problem = StrategyProblem(
            days=days,
            people=tuple(_person(p) for p in people),
            venues=tuple(_venue(v) for v in venues),
            meetings=tuple(_meeting(m, kinds) for m in meetings),
            inspector_ids=tuple(inspection.inspector_ids),
            parent_rep_ids=tuple(i for i, k in kinds.items() if k == PersonKind.PARENT_REP),
            note_taker_ids=tuple(_note_taker_pool(session, inspection)),
            travel=travel_model(session, inspection),
            weights=weights(overrides),
            timezone=inspection.timezone,
            pinned_ids=frozenset(
                int(key.split(":", 1)[1]) for key in pinned if key.startswith("meeting:")
            ),
        )
        return replace(problem, previous=self.current(problem, base)) if base else problem

    def solve(
        self,
        problem: StrategyProblem,
        options: SolveOptions,
        on_progress: ProgressListener | None,
        should_stop: StopRequest | None,
    ) -> StrategyPlan:
        return solve(problem, options, on_progress, should_stop)

    def dump(self, plan: StrategyPlan) -> dict[str, Any]:
        return plan.to_dict()

    def load(self, data: Mapping[str, Any]) -> StrategyPlan:
        return StrategyPlan.from_dict(dict(data))

    def current(self, problem: StrategyProblem, data: Mapping[str, Any]) -> StrategyPlan:
        return self.load(data).within(problem)

    def report(self, plan: StrategyPlan) -> dict[str, Any]:
        report = plan.to_dict()["report"]
        return {**report, "unplaced": len(plan.unplaced), "placed": len(plan.placements)}

    def validate(self, problem: StrategyProblem, plan: StrategyPlan) -> list[Breach]:
        inspectors = set(problem.inspector_ids)
        return [Breach(_edit_field(v, inspectors), v.message) for v in validate(problem, plan)]

    def analyse(self, problem: StrategyProblem, plan: StrategyPlan) -> Any:
        return analyse(problem, plan)

    def suggest(
        self, problem: StrategyProblem, plan: StrategyPlan, item_id: int, limit: int
    ) -> Any:
        if item_id not in problem.meeting_by_id:
            raise KeyError(f"meeting {item_id}")
        return suggest(problem, plan, item_id, limit)

    def explain(self, problem: StrategyProblem, time_limit_s: float) -> Any:
        return explain(problem, time_limit_s)

    def diff(self, old: StrategyPlan, new: StrategyPlan) -> Any:
        changes = diff(old, new)
        return {"changes": changes.changes, "affected_person_ids": changes.affected_person_ids}

    def edit(
        self, problem: StrategyProblem, plan: StrategyPlan, edit: PlacementEdit
    ) -> StrategyPlan:
        meeting = problem.meeting_by_id.get(edit.item_id)
        if meeting is None:
            raise KeyError(f"meeting {edit.item_id} is not part of this inspection")
        if edit.venue_id is not None and edit.venue_id not in problem.venue_by_id:
            raise Unprocessable.field("venue_id", f"{edit.venue_id} is not a venue of this area")
        outside = sorted(set(edit.inspector_ids or ()) - set(problem.inspector_ids))
        if outside:
            raise Unprocessable.field(
                "inspector_ids", f"{outside} are not inspectors of this inspection"
            )
        current = plan.placement(edit.item_id)
        # In the area's time zone like the solver's placements, whatever offset was sent,
        # so that views file it under its local day.
        start = edit.start.astimezone(ZoneInfo(problem.timezone))
        moved = Placement(
            meeting_id=meeting.id,
            start=start,
            end=start + timedelta(minutes=meeting.duration_minutes),
            venue_id=edit.venue_id
            if edit.venue_id is not None
            else (current.venue_id if current else None),
            inspector_ids=tuple(edit.inspector_ids)
            if edit.inspector_ids is not None
            else (current.inspector_ids if current else meeting.named_inspector_ids),
            required_ids=meeting.required_ids,
            optional_ids=current.optional_ids if current else (),
            frontline_ids=current.frontline_ids if current else (),
            parent_rep_ids=current.parent_rep_ids if current else (),
            note_taker_id=current.note_taker_id if current else meeting.note_taker_id,
        )
        return plan.with_placement(moved)

    def items(self, problem: StrategyProblem, plan: StrategyPlan) -> list[PlanItem]:
        return plan.items(problem)

    def views(self, problem: StrategyProblem, plan: StrategyPlan, by: str) -> Any:
        if by == "setting":
            raise ValueError(
                "the strategy timetable has no settings; use day, venue, person or inspector"
            )
        return {
            "by": by,
            "groups": grouped_items(plan.items(problem), by, set(problem.inspector_ids)),
            "unplaced": plan.unplaced,
        }
