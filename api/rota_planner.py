"""The visit rota as the API sees it: rows in, scheduler.rota out and back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from api.planning import Breach, PlacementEdit, grouped_items, jsonable
from api.problems import Unprocessable
from api.routers.planning_settings import planning_settings
from api.row_periods import periods
from api.strategy_planner import days_of, travel_model
from models.inspection import Inspection, WorkingHours
from models.person import Person
from models.plan import PlanPart
from models.planning_settings import PlanningSettingsBody
from models.setting import Setting
from models.venue import Venue
from models.visit_candidate import VisitCandidate
from scheduler import rota
from scheduler.frameworks import DayRole
from scheduler.plan import AttendeeRole, ItemAttendee, PlanItem
from scheduler.rota.assemble import with_routes, within
from scheduler.rota.context import RotaContext
from scheduler.rota.plan import RotaPlan, feedback_item
from scheduler.rota.problem import Candidate, Inspector, Quotas, RotaProblem, RotaWeights, VisitDay
from scheduler.rota.routes import TimedRoute, time_route
from scheduler.rota.validation import clashes
from scheduler.solving import ProgressListener, SolveOptions, StopRequest
from scheduler.travel import Coordinates


@dataclass(frozen=True)
class RotaInput:
    """The rota problem plus what only the invitations need: each setting's contact person."""

    problem: RotaProblem
    contacts: Mapping[int, int | None]


INSPECTOR_RULES = frozenset(("unknown_inspector", "inspector_unavailable", "visit_limit"))
"""Rules of :mod:`scheduler.rota.validation` about the inspector rather than the time: an
edit that breaks them is mended by another inspector."""


def weights(overrides: Mapping[str, int]) -> RotaWeights:
    known = {f.name for f in fields(RotaWeights)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise Unprocessable.field("weights", f"unknown {unknown}; known: {sorted(known)}")
    return replace(RotaWeights(), **overrides)


def _default_base(session: Session, inspection: Inspection) -> tuple[str, Coordinates | None]:
    """Without a base per inspector, the first venue with coordinates (the council office)."""
    venue = session.exec(
        select(Venue)
        .where(Venue.local_area_id == inspection.local_area_id, Venue.latitude.is_not(None))  # type: ignore[union-attr]
        .order_by(col(Venue.id))
    ).first()
    if venue is None or venue.latitude is None or venue.longitude is None:
        return "office", None
    return f"venue-{venue.id}", Coordinates(venue.latitude, venue.longitude)


def _inspectors(
    session: Session, inspection: Inspection, settings: PlanningSettingsBody
) -> tuple[Inspector, ...]:
    bases = {b.inspector_id: b for b in settings.inspector_bases}
    default_key, default_place = _default_base(session, inspection)
    people = {
        p.id: p
        for p in session.exec(select(Person).where(Person.id.in_(inspection.inspector_ids)))  # type: ignore[union-attr]
    }
    result = []
    for person_id in inspection.inspector_ids:
        person = people[person_id]
        base = bases.get(person_id)
        result.append(
            Inspector(
                id=person_id,
                name=person.name,
                base_key=f"inspector-{person_id}" if base else default_key,
                base=Coordinates(base.latitude, base.longitude) if base else default_place,
                unavailable=periods(person.unavailable),
                max_visits_per_day=settings.max_visits_per_inspector_day,
            )
        )
    return tuple(result)


def _candidate(row: VisitCandidate, setting: Setting) -> Candidate:
    assert setting.id is not None
    place = (
        Coordinates(setting.latitude, setting.longitude)
        if setting.latitude is not None and setting.longitude is not None
        else None
    )
    return Candidate(
        setting_id=setting.id,
        name=setting.name,
        setting_type=setting.setting_type.value,
        must_visit=row.must_visit,
        coordinates=place,
        opening=(setting.opens, setting.closes),
        unavailable=periods(setting.unavailable),
        sen_support=setting.sen_support,
        ehc_plans=setting.ehc_plans,
        visit_minutes=row.visit_minutes,
        preferred=tuple(
            (
                start.astimezone(ZoneInfo("Europe/London")).time(),
                end.astimezone(ZoneInfo("Europe/London")).time(),
            )
            for start, end in periods(row.preferred)
        ),
        gather=tuple(row.gather),
    )


class RotaPlanner:
    part = PlanPart.ROTA

    def build(
        self,
        session: Session,
        inspection: Inspection,
        base: Mapping[str, Any] | None,
        pinned: list[str],
        overrides: Mapping[str, int],
    ) -> RotaInput:
        settings = planning_settings(session, inspection.id)
        hours = WorkingHours.model_validate(inspection.working_hours or {})
        days = tuple(
            VisitDay(d, start=hours.start, end=hours.end)
            for d in days_of(inspection, DayRole.VISITS)
        )
        if not days:
            raise Unprocessable.field("days", "the inspection has no visit days")
        rows = session.exec(
            select(VisitCandidate, Setting)
            .join(Setting, Setting.id == VisitCandidate.setting_id)  # type: ignore[arg-type]
            .where(VisitCandidate.inspection_id == inspection.id)
            .order_by(col(VisitCandidate.id))
        ).all()
        visit_minutes = dict(rota.problem.DEFAULT_VISIT_MINUTES) | {
            k.value: v for k, v in settings.visit_minutes.items()
        }
        problem = RotaProblem(
            days=days,
            inspectors=_inspectors(session, inspection, settings),
            candidates=tuple(_candidate(c, s) for c, s in rows),
            quotas=Quotas(minimum={k.value: v for k, v in settings.visit_quotas.items()}),
            visit_minutes_by_type=visit_minutes,
            travel=travel_model(session, inspection),
            grid_minutes=settings.grid_minutes,
            weights=weights(overrides),
            previous=RotaPlan.from_dict(dict(base)) if base else None,
            pinned=frozenset(
                int(key.split(":", 1)[1]) for key in pinned if key.startswith("visit:")
            ),
            timezone=inspection.timezone,
        )
        contacts = {s.id: s.contact_person_id for _, s in rows if s.id is not None}
        return RotaInput(problem, contacts)

    def solve(
        self,
        given: RotaInput,
        options: SolveOptions,
        on_progress: ProgressListener | None,
        should_stop: StopRequest | None,
    ) -> RotaPlan:
        return rota.solve(given.problem, options, on_progress, should_stop)

    def dump(self, plan: RotaPlan) -> dict[str, Any]:
        return plan.to_dict()

    def load(self, data: Mapping[str, Any]) -> RotaPlan:
        return RotaPlan.from_dict(dict(data))

    def current(self, given: RotaInput, data: Mapping[str, Any]) -> RotaPlan:
        return within(given.problem, self.load(data))

    def report(self, plan: RotaPlan) -> dict[str, Any]:
        report = plan.to_dict()["report"]
        return {
            **report,
            "visits": len(plan.visits),
            "travel_minutes": plan.travel_minutes,
            "coverage_met": plan.coverage_met,
            "unplaced": len(plan.unplaced),
        }

    def validate(self, given: RotaInput, plan: RotaPlan) -> list[Breach]:
        return [
            Breach("inspector_ids" if v.code in INSPECTOR_RULES else "start", v.message)
            for v in rota.validate(given.problem, plan)
        ]

    def analyse(self, given: RotaInput, plan: RotaPlan) -> Any:
        return rota.analyse(given.problem, plan)

    def suggest(self, given: RotaInput, plan: RotaPlan, item_id: int, limit: int) -> Any:
        given.problem.candidate(item_id)  # KeyError for a setting that is not a candidate
        return rota.suggest(given.problem, plan, item_id, limit)

    def explain(self, given: RotaInput, time_limit_s: float) -> Any:
        return rota.explain(given.problem, time_limit_s)

    def diff(self, old: RotaPlan, new: RotaPlan) -> Any:
        changes = rota.diff(old, new)
        return {
            "changes": [
                {**jsonable(change), "inspector_ids": change.inspector_ids}
                for change in changes.changes
            ],
            "affected_inspector_ids": changes.affected_inspector_ids,
        }

    def edit(self, given: RotaInput, plan: RotaPlan, edit: PlacementEdit) -> RotaPlan:
        """Move one visit to an inspector and start; the day it leaves and the day it joins
        are timed again around it, and every other route stays as it was."""
        problem = given.problem
        ctx = RotaContext(problem)
        problem.candidate(edit.item_id)
        if not edit.inspector_ids or len(edit.inspector_ids) != 1:
            raise Unprocessable.field("inspector_ids", "a visit needs exactly one inspector")
        if edit.inspector_ids[0] not in {i.id for i in problem.inspectors}:
            raise Unprocessable.field(
                "inspector_ids", f"{edit.inspector_ids[0]} is not an inspector of this inspection"
            )
        inspector = problem.inspector(edit.inspector_ids[0])
        if edit.venue_id is not None:
            raise Unprocessable.field("venue_id", "a visit is held at its setting; leave it out")
        day_index, minute = ctx.locate(edit.start)
        if day_index is None:
            raise Unprocessable.field("start", f"{edit.start:%A %d %B} is not a visit day")
        local = edit.start.astimezone(ctx.tz)
        if minute % problem.grid_minutes or local.second or local.microsecond:
            raise Unprocessable.field(
                "start", f"{local:%H:%M:%S} is not on the {problem.grid_minutes}-minute grid"
            )
        end = edit.start + timedelta(minutes=problem.visit_minutes(problem.candidate(edit.item_id)))
        if clashes(edit.start, end, inspector.unavailable):
            raise Unprocessable.field(
                "inspector_ids", f"{inspector.name} is unavailable at {local:%A %H:%M}"
            )
        starts = {v.setting_id: ctx.locate(v.start)[1] for v in plan.visits}
        starts[edit.item_id] = minute
        days = {d.date: i for i, d in enumerate(problem.days)}
        routes = {(r.inspector_id, days[r.day]): list(r.setting_ids) for r in plan.routes}
        target = (inspector.id, day_index)
        source = next((key for key, ids in routes.items() if edit.item_id in ids), None)
        # Only the day the visit leaves and the day it joins are timed again.
        timed: list[TimedRoute] = []
        emptied: set[tuple[int, int]] = set()
        for key in [target] if source in (None, target) else [target, source]:
            settings = [s for s in routes.get(key, []) if s != edit.item_id]
            if key == target:
                settings.append(edit.item_id)
            if not settings:
                emptied.add(key)
                continue
            inspector_id, index = key
            order = tuple(sorted(settings, key=lambda s: starts[s]))
            fixed = {s: starts[s] for s in order}
            found = time_route(ctx, problem.inspector(inspector_id), index, order, fixed)
            if found is None:
                names = ", ".join(problem.candidate(s).name for s in order)
                raise Unprocessable.field(
                    "start",
                    f"{problem.inspector(inspector_id).name} cannot visit {names} at those "
                    "times: opening hours, unavailable times, travel, lunch or working hours "
                    "do not allow it",
                )
            timed.append(found)
        return with_routes(ctx, plan, timed, emptied)

    def items(self, given: RotaInput, plan: RotaPlan) -> list[PlanItem]:
        """Visits, with the setting's contact person invited."""
        items = []
        for item in plan.items(given.problem):
            contact = given.contacts.get(item.setting_id) if item.setting_id else None
            if contact is not None:
                item = replace(
                    item, attendees=(*item.attendees, ItemAttendee(contact, AttendeeRole.REQUIRED))
                )
            items.append(item)
        return items

    def views(self, given: RotaInput, plan: RotaPlan, by: str) -> Any:
        if by == "venue":
            raise ValueError(
                "visits are held at settings, not venues; use day, setting, person or inspector"
            )
        inspectors = {i.id for i in given.problem.inspectors}
        view: dict[str, Any] = {
            "by": by,
            "groups": grouped_items(self.items(given, plan), by, inspectors),
            "coverage": plan.coverage,
            "unplaced": plan.unplaced,
            "travel_minutes": plan.travel_minutes,
        }
        if by == "inspector":
            view["routes"] = plan.routes
        return view


def feedback(session: Session, inspection: Inspection) -> PlanItem | None:
    """The Friday feedback event for the inspectors and the area's leaders."""
    settings = planning_settings(session, inspection.id)
    friday = days_of(inspection, DayRole.FEEDBACK)
    if not friday:
        return None
    zone = ZoneInfo(inspection.timezone)
    leaders = settings.feedback.leader_ids or (
        [inspection.link_officer_id] if inspection.link_officer_id else []
    )
    day: date = friday[0]
    item = feedback_item(
        day,
        datetime.combine(day, settings.feedback.start, zone),
        datetime.combine(day, settings.feedback.end, zone),
        tuple(inspection.inspector_ids),
        tuple(leaders),
    )
    return replace(item, venue_id=settings.feedback.venue_id)
