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
    _on_day: dict[tuple[int, int, int], Literal | None] = field(default_factory=dict)
    _venue_numbers: dict[int, cp_model.IntVar] = field(default_factory=dict)

    def buffer_slots(self, venue_a: int, venue_b: int) -> int:
        return math.ceil(buffer_minutes(self.problem, venue_a, venue_b) / self.timeline.grid)

    @cached_property
    def inspector_busy(self) -> dict[int, dict[int, Literal]]:
        """Inspector -> global slot -> boolean "in a meeting then", defined once as the sum
        of the start literals that cover the slot (so it also forbids double booking)."""
        busy: dict[int, dict[int, Literal]] = {}
        for i in self.problem.inspector_ids:
            cover: dict[int, list[Literal]] = defaultdict(list)
            for m in self.vars.start:
                for g, lits in self.vars.covering(m, self.vars.inspector_starts(m, i)).items():
                    cover[g] += lits
            busy[i] = {}
            for g, lits in sorted(cover.items()):
                var = self.model.new_bool_var(f"busy_i{i}_g{g}")
                self.model.add(var == sum(lits))
                busy[i][g] = var
        return busy

    def venue_number(self, m: int) -> cp_model.IntVar:
        """The id of the venue meeting m is in (an in-person meeting, placed or not: an
        unplaced one takes any of its venues' ids), created once per meeting."""
        numbers = self._venue_numbers
        if m not in numbers:
            chosen = self.vars.venue[m]
            number = self.model.new_int_var_from_domain(
                cp_model.Domain.from_values(sorted(chosen)), f"venue_m{m}"
            )
            placed = self.vars.placed[m]
            self.model.add(number == sum(v * y for v, y in chosen.items())).only_enforce_if(placed)
            numbers[m] = number
        return numbers[m]

    def inspector_on_day(self, m: int, i: int, day: int) -> Literal | None:
        """Boolean "inspector i attends meeting m on ``day``", created once per triple."""
        key = (m, i, day)
        if key not in self._on_day:
            lits = [
                lit
                for k, lit in self.vars.inspector_starts(m, i)
                if self.options[m].starts[k].slot.day == day
            ]
            if not lits:
                self._on_day[key] = None
            else:
                var = self.model.new_bool_var(f"ins_m{m}_i{i}_d{day}")
                self.model.add(var == sum(lits))
                self._on_day[key] = var
        return self._on_day[key]

    def inspector_load(self, i: int, day: int | None) -> cp_model.LinearExpr:
        """Slots of meetings inspector i attends (on ``day``, or over all days)."""
        days = range(len(self.timeline.days)) if day is None else (day,)
        terms: list[Literal] = []
        weights: list[int] = []
        for m in self.vars.start:
            for d in days:
                lit = self.inspector_on_day(m, i, d)
                if lit is not None:
                    terms.append(lit)
                    weights.append(self.options[m].span)
        return cp_model.LinearExpr.weighted_sum(terms, weights)


class HardConstraint(Protocol):
    name: str

    def build(self, ctx: ModelContext) -> None: ...


class InspectorsNotDoubleBooked:
    """An inspector is in at most one meeting per slot (time-indexed, so the bound is tight)."""

    name = "inspector_double_booking"

    def build(self, ctx: ModelContext) -> None:
        for i in ctx.problem.inspector_ids:
            assert i in ctx.inspector_busy  # building the busy flags adds the rule


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
    """Nobody past their own limit of meetings a day.

    When someone can only be in a meeting on one day (a parent rep who gave Monday hours),
    their attendance literal counts for that day directly; otherwise it is split into one
    literal per day, each bounded by that day's starts (an exact split that the linear
    relaxation also sees, unlike an "attends and the meeting is on this day" product). A
    redundant total over the days they can come keeps the relaxation honest about how few
    meetings such people can cover.
    """

    name = "max_meetings_per_day"

    def build(self, ctx: ModelContext) -> None:
        limited = {p.id: p.max_meetings_per_day for p in ctx.problem.people}
        per_day: dict[tuple[int, int], list[cp_model.LinearExprT]] = defaultdict(list)
        total: dict[int, list[Literal]] = defaultdict(list)
        active_days: dict[int, set[int]] = defaultdict(set)
        for m in ctx.vars.start:
            option = ctx.options[m]
            for p, lit in ctx.vars.attendance(m).items():
                if limited.get(p) is None:
                    continue
                free = ctx.vars.free_starts(m, p)
                days = sorted({option.starts[k].slot.day for k in free})
                active_days[p] |= set(days)
                total[p].append(lit)
                if lit is not ctx.vars.placed[m] and p not in ctx.problem.inspector_ids:
                    if len(days) == 1:
                        per_day[p, days[0]].append(lit)
                        continue
                    # Split the attendance by day: each part is bounded by that day's
                    # free starts, so the LP cannot count one attendance on two days.
                    parts = []
                    for day in days:
                        part = ctx.model.new_bool_var(f"day_m{m}_p{p}_d{day}")
                        starts = ctx.vars.start[m]
                        ctx.model.add(
                            part <= sum(starts[k] for k in free if option.starts[k].slot.day == day)
                        )
                        per_day[p, day].append(part)
                        parts.append(part)
                    ctx.model.add(sum(parts) == lit)
                    continue
                for day in days:
                    if lit is ctx.vars.placed[m]:
                        per_day[p, day].append(sum(ctx.vars.starts_on_day(m, day)))
                    else:
                        on = ctx.inspector_on_day(m, p, day)
                        if on is not None:
                            per_day[p, day].append(on)
        for (p, _day), terms in per_day.items():
            limit = limited[p]
            assert limit is not None
            if len(terms) > limit:
                ctx.model.add(sum(terms) <= limit)
        for p, lits in total.items():
            limit = limited[p]
            assert limit is not None
            cap = limit * len(active_days[p])
            if len(lits) > cap:
                ctx.model.add(sum(lits) <= cap)


class TravelBuffer:
    """Someone in two meetings in different venues needs the travel time between them.

    Per pair of meetings that could share a person: when both hold that person and their
    venues differ, one ends at least the smallest room-change buffer before the other
    starts; longer buffers apply between sites (venues at the same coordinates), taking
    the longest trip between the two sites so the rule stays safe. Buffers are rounded
    up to the grid. Site flags and one venue number per meeting ("same venue" is "equal
    numbers") keep each pair to a handful of rows.
    """

    name = "travel_buffer"

    def build(self, ctx: ModelContext) -> None:
        venues = ctx.problem.venues
        gap = {(a.id, b.id): ctx.buffer_slots(a.id, b.id) for a in venues for b in venues}
        room_change = min((g for (a, b), g in gap.items() if a != b), default=0)
        site_of = _sites(ctx.problem)
        site_gap: dict[tuple[int, int], int] = defaultdict(int)
        for (a, b), g in gap.items():
            if a != b:
                key = (site_of[a], site_of[b])
                site_gap[key] = max(site_gap[key], g)
        flags = {m: self._site_flags(ctx, m, site_of) for m in ctx.vars.venue}
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
                levels = sorted(
                    {
                        site_gap[sa, sb]
                        for sa in flags[a]
                        for sb in flags[b]
                        if site_gap[sa, sb] > room_change
                    }
                )
                together = ctx.model.new_bool_var(f"share_m{a}_m{b}")
                for p in shared:
                    ctx.model.add(together >= attendance[a][p] + attendance[b][p] - 1)
                self._pair(ctx, a, b, together, room_change, levels, flags, site_gap)

    @staticmethod
    def _site_flags(ctx: ModelContext, m: int, site_of: dict[int, int]) -> dict[int, Literal]:
        by_site: dict[int, list[Literal]] = defaultdict(list)
        for v, y in ctx.vars.venue[m].items():
            by_site[site_of[v]].append(y)
        flags = {}
        for site, ys in by_site.items():
            if len(ys) == 1:
                flags[site] = ys[0]
            else:
                flag = ctx.model.new_bool_var(f"site_m{m}_s{site}")
                ctx.model.add(flag == sum(ys))
                flags[site] = flag
        return flags

    @staticmethod
    def _pair(
        ctx: ModelContext,
        a: int,
        b: int,
        together: Literal,
        room_change: int,
        levels: list[int],
        flags: dict[int, dict[int, Literal]],
        site_gap: dict[tuple[int, int], int],
    ) -> None:
        model = ctx.model
        venues_a, venues_b = ctx.vars.venue[a], ctx.vars.venue[b]
        if room_change <= 0 and not levels:
            return
        different = model.new_bool_var(f"other_venue_m{a}_m{b}")
        if venues_a.keys() & venues_b.keys():
            # One row instead of one per venue: "same venue" means equal venue numbers.
            model.add(ctx.venue_number(a) == ctx.venue_number(b)).only_enforce_if(~different)
        else:
            model.add(different == 1)
        a_first = model.new_bool_var(f"order_m{a}_m{b}")
        start_a, start_b = ctx.vars.start_index[a], ctx.vars.start_index[b]
        span_a, span_b = ctx.options[a].span, ctx.options[b].span
        rules: list[tuple[int, list[Literal]]] = []
        if room_change > 0:
            rules.append((room_change, [different, together]))
        for level in levels:
            far = model.new_bool_var(f"far_m{a}_m{b}_{level}")
            for sa, fa in flags[a].items():
                reach = [fb for sb, fb in flags[b].items() if site_gap[sa, sb] >= level]
                if reach:
                    model.add(far >= fa + sum(reach) - 1)
            rules.append((level, [far, different, together]))
        for level, when in rules:
            model.add(start_b >= start_a + span_a + level).only_enforce_if([*when, a_first])
            model.add(start_a >= start_b + span_b + level).only_enforce_if([*when, ~a_first])


def _sites(problem: StrategyProblem) -> dict[int, int]:
    """Venue id -> site number; venues at the same coordinates share a site."""
    sites: dict[object, int] = {}
    out = {}
    for venue in problem.venues:
        key: object = venue.coordinates if venue.coordinates is not None else ("venue", venue.id)
        out[venue.id] = sites.setdefault(key, len(sites))
    return out


HARD_CONSTRAINTS: tuple[HardConstraint, ...] = (
    InspectorsNotDoubleBooked(),
    PeopleNotDoubleBooked(),
    VenuesNotDoubleBooked(),
    VenueCapacity(),
    StepFreeAccess(),
    MaxMeetingsPerDay(),
    TravelBuffer(),
)
