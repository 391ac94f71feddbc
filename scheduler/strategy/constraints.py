"""Hard constraints of the strategy model, one class per rule.

Each module adds its rule to the model through ``build(ctx)``. Rules that a single meeting
decides alone (hours, lunch, a required person's leave, a venue too small) were already
applied when the options were computed; the modules here are the ones that tie meetings
together or depend on who is chosen.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from ortools.sat.python import cp_model

from scheduler.strategy.options import MeetingOptions
from scheduler.strategy.problem import StrategyProblem
from scheduler.strategy.timeline import Timeline
from scheduler.strategy.variables import Literal, StrategyVariables
from scheduler.travel import travel_minutes


def buffer_minutes(problem: StrategyProblem, venue_a: int, venue_b: int) -> int:
    """Minutes needed to get from one venue to the other (0 for the same venue)."""
    venues = problem.venue_by_id
    a, b = venues[venue_a], venues[venue_b]
    return travel_minutes(a.place_key, a.coordinates, b.place_key, b.coordinates, problem.travel)


@dataclass
class ModelContext:
    problem: StrategyProblem
    timeline: Timeline
    options: Mapping[int, MeetingOptions]
    model: cp_model.CpModel
    vars: StrategyVariables
    notes: list[str] = field(default_factory=list)

    def buffer_slots(self, venue_a: int, venue_b: int) -> int:
        return math.ceil(buffer_minutes(self.problem, venue_a, venue_b) / self.timeline.grid)

    @cached_property
    def inspector_cover(self) -> dict[int, dict[int, list[Literal]]]:
        """Inspector -> global slot -> literals that put the inspector in a meeting then."""
        cover: dict[int, dict[int, list[Literal]]] = {}
        for i in self.problem.inspector_ids:
            slots: dict[int, list[Literal]] = defaultdict(list)
            for m in self.vars.start:
                for g, lits in self.vars.covering(m, self.vars.inspector_starts(m, i)).items():
                    slots[g] += lits
            cover[i] = slots
        return cover


class HardConstraint(Protocol):
    name: str

    def build(self, ctx: ModelContext) -> None: ...


class InspectorsNotDoubleBooked:
    """An inspector is in at most one meeting per slot (time-indexed, so the bound is tight)."""

    name = "inspector_double_booking"

    def build(self, ctx: ModelContext) -> None:
        for slots in ctx.inspector_cover.values():
            for lits in slots.values():
                if len(lits) > 1:
                    ctx.model.add(sum(lits) <= 1)


class PeopleNotDoubleBooked:
    """Nobody else is in two meetings at once.

    People whose every meeting is compulsory get time-indexed clique rows; people who may
    or may not attend (optional, reps, pool note-takers) get optional intervals.
    """

    name = "person_double_booking"

    def build(self, ctx: ModelContext) -> None:
        meetings_of: dict[int, dict[int, Literal]] = defaultdict(dict)
        for m in ctx.vars.start:
            for p, lit in ctx.vars.attendance(m).items():
                meetings_of[p][m] = lit
        inspectors = set(ctx.problem.inspector_ids)
        for p, lits in meetings_of.items():
            if p in inspectors or len(lits) < 2:
                continue
            if all(lit is ctx.vars.placed[m] for m, lit in lits.items()):
                cover: dict[int, list[Literal]] = defaultdict(list)
                for m in lits:
                    for g, xs in ctx.vars.covering(m, list(enumerate(ctx.vars.start[m]))).items():
                        cover[g] += xs
                for xs in cover.values():
                    if len(xs) > 1:
                        ctx.model.add(sum(xs) <= 1)
            else:
                intervals = [
                    ctx.model.new_optional_fixed_size_interval_var(
                        ctx.vars.start_index[m], ctx.options[m].span, lit, f"iv_p{p}_m{m}"
                    )
                    for m, lit in lits.items()
                ]
                ctx.model.add_no_overlap(intervals)


class VenuesNotDoubleBooked:
    name = "venue_double_booking"

    def build(self, ctx: ModelContext) -> None:
        per_venue: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
        for m, venues in ctx.vars.venue.items():
            for v, lit in venues.items():
                per_venue[v].append(
                    ctx.model.new_optional_fixed_size_interval_var(
                        ctx.vars.start_index[m], ctx.options[m].span, lit, f"iv_v{v}_m{m}"
                    )
                )
        for intervals in per_venue.values():
            if len(intervals) > 1:
                ctx.model.add_no_overlap(intervals)


class VenueCapacity:
    """Everyone present fits: required, inspectors, note-taker, reps and attending optionals."""

    name = "venue_capacity"

    def build(self, ctx: ModelContext) -> None:
        venues = ctx.problem.venue_by_id
        for m, chosen in ctx.vars.venue.items():
            if not chosen:
                continue
            option = ctx.options[m]
            extra = [
                *ctx.vars.optional[m].values(),
                *ctx.vars.frontline[m].values(),
                *ctx.vars.rep[m].values(),
            ]
            if option.base_headcount + len(extra) <= min(venues[v].capacity for v in chosen):
                continue
            ctx.model.add(
                option.base_headcount * ctx.vars.placed[m] + sum(extra)
                <= sum(venues[v].capacity * y for v, y in chosen.items())
            )


class StepFreeAccess:
    """A venue is step-free whenever anyone placed in the meeting needs it."""

    name = "step_free"

    def build(self, ctx: ModelContext) -> None:
        venues, people = ctx.problem.venue_by_id, ctx.problem.person_by_id
        for m, chosen in ctx.vars.venue.items():
            step_free = [y for v, y in chosen.items() if venues[v].step_free]
            if len(step_free) == len(chosen):
                continue
            for p, lit in ctx.vars.attendance(m).items():
                if people[p].needs_step_free:
                    ctx.model.add(lit <= sum(step_free))


class MaxMeetingsPerDay:
    name = "max_meetings_per_day"

    def build(self, ctx: ModelContext) -> None:
        limited = {p.id: p.max_meetings_per_day for p in ctx.problem.people}
        per_day: dict[tuple[int, int], list[cp_model.LinearExprT]] = defaultdict(list)
        for m in ctx.vars.start:
            for p, lit in ctx.vars.attendance(m).items():
                if limited.get(p) is None:
                    continue
                for day in range(len(ctx.timeline.days)):
                    on_day = ctx.vars.starts_on_day(m, day)
                    if not on_day:
                        continue
                    if lit is ctx.vars.placed[m]:
                        per_day[p, day].append(sum(on_day))
                    elif p in ctx.problem.inspector_ids and m in ctx.vars.start_by:
                        day_ks = {
                            k for k, s in enumerate(ctx.options[m].starts) if s.slot.day == day
                        }
                        per_day[p, day] += [
                            var
                            for (k, i), var in ctx.vars.start_by[m].items()
                            if i == p and k in day_ks
                        ]
                    else:
                        both = ctx.model.new_bool_var(f"day_m{m}_p{p}_d{day}")
                        ctx.model.add(both >= lit + sum(on_day) - 1)
                        per_day[p, day].append(both)
        for (p, _day), terms in per_day.items():
            limit = limited[p]
            assert limit is not None
            if len(terms) > limit:
                ctx.model.add(sum(terms) <= limit)


class TravelBuffer:
    """Someone in two meetings in different venues needs the travel time between them.

    Modelled per pair of meetings that could share a person: when both hold the same person
    and their venues are at least ``b`` slots apart, one ends ``b`` slots before the other
    starts. Buffers are rounded up to the grid.
    """

    name = "travel_buffer"

    def build(self, ctx: ModelContext) -> None:
        attendance = {m: ctx.vars.attendance(m) for m in ctx.vars.start}
        in_person = [m for m in ctx.vars.start if ctx.vars.venue[m]]
        days = {m: {s.slot.day for s in ctx.options[m].starts} for m in in_person}
        for a_pos, a in enumerate(in_person):
            for b in in_person[a_pos + 1 :]:
                if not days[a] & days[b]:
                    continue
                shared = attendance[a].keys() & attendance[b].keys()
                if not shared:
                    continue
                self._pair(ctx, a, b, [(attendance[a][p], attendance[b][p]) for p in shared])

    def _pair(
        self, ctx: ModelContext, a: int, b: int, shared: list[tuple[Literal, Literal]]
    ) -> None:
        venues_a, venues_b = ctx.vars.venue[a], ctx.vars.venue[b]
        gaps = {(va, vb): ctx.buffer_slots(va, vb) for va in venues_a for vb in venues_b}
        levels = sorted({g for g in gaps.values() if g > 0})
        if not levels:
            return
        model = ctx.model
        together = model.new_bool_var(f"share_m{a}_m{b}")
        for lit_a, lit_b in shared:
            model.add(together >= lit_a + lit_b - 1)
        a_first = model.new_bool_var(f"order_m{a}_m{b}")
        start_a, start_b = ctx.vars.start_index[a], ctx.vars.start_index[b]
        span_a, span_b = ctx.options[a].span, ctx.options[b].span
        for level in levels:
            apart = model.new_bool_var(f"apart_m{a}_m{b}_{level}")
            for va, ya in venues_a.items():
                far = [yb for vb, yb in venues_b.items() if gaps[va, vb] >= level]
                if far:
                    model.add(apart >= ya + sum(far) - 1)
            model.add(start_b >= start_a + span_a + level).only_enforce_if(
                [apart, together, a_first]
            )
            model.add(start_a >= start_b + span_b + level).only_enforce_if(
                [apart, together, ~a_first]
            )


HARD_CONSTRAINTS: tuple[HardConstraint, ...] = (
    InspectorsNotDoubleBooked(),
    PeopleNotDoubleBooked(),
    VenuesNotDoubleBooked(),
    VenueCapacity(),
    StepFreeAccess(),
    MaxMeetingsPerDay(),
    TravelBuffer(),
)
