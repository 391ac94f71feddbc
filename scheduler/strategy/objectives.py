"""Soft goals of the strategy model, one class per goal.

Each goal does two things with one definition: ``build`` adds its cost to the model, and
``penalties`` recomputes the same cost from a finished plan, with the items behind it (who
misses which meeting, which inspector waits when). The analysis and the validator use
``penalties``; that the two agree is what the tests check.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from ortools.sat.python import cp_model

from scheduler.strategy.constraints import ModelContext
from scheduler.strategy.plan import Placement, StrategyPlan
from scheduler.strategy.problem import StrategyProblem, inside_any
from scheduler.strategy.timeline import Timeline

Term = tuple[int, cp_model.LinearExprT]


@dataclass(frozen=True)
class Penalty:
    """One item behind a cost: ``cost`` points because of ``message``."""

    goal: str
    cost: int
    message: str
    meeting_id: int | None = None
    person_ids: tuple[int, ...] = ()


class SoftGoal(Protocol):
    name: str

    def build(self, ctx: ModelContext) -> list[Term]: ...

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]: ...


def _title(problem: StrategyProblem, meeting_id: int) -> str:
    return f"'{problem.meeting_by_id[meeting_id].title}'"


def _name(problem: StrategyProblem, person_id: int) -> str:
    return problem.person_by_id[person_id].name


def inspector_day_slots(
    problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
) -> dict[tuple[int, int], list[tuple[int, Placement]]]:
    """(inspector, day) -> [(first slot of the day, placement)] for every meeting they attend."""
    out: dict[tuple[int, int], list[tuple[int, Placement]]] = defaultdict(list)
    for p in plan.placements:
        slot = timeline.locate(p.start)
        if slot is None:
            continue
        for i in p.inspector_ids:
            out[i, slot.day].append((slot.slot, p))
    return out


def shortfall(
    ctx: ModelContext,
    name: str,
    wanted: int,
    weight: int,
    placed: cp_model.IntVar,
    got: list[cp_model.IntVar],
) -> list[Term]:
    """Cost ``weight`` per unit of ``wanted * placed - sum(got)``, as positive literals.

    Writing the shortfall as ordered "missing" booleans rather than as negative
    coefficients on ``got`` lets the core-based search start its bound at zero instead of
    at minus every possible attendance, which it would otherwise have to climb back.
    """
    missing = [ctx.model.new_bool_var(f"{name}_short{j}") for j in range(wanted)]
    # ">=" not "==": with an equality presolve substitutes the booleans back out.
    ctx.model.add(sum(missing) + sum(got) >= wanted * placed)
    for a, b in zip(missing, missing[1:], strict=False):
        ctx.model.add_implication(b, a)
    return [(weight, lit) for lit in missing]


class PlaceEveryMeeting:
    name = "unplaced"

    def build(self, ctx: ModelContext) -> list[Term]:
        w = ctx.problem.weights.unplaced
        return [
            (w, 1 - ctx.vars.placed[m.id] if m.id in ctx.vars.placed else 1)
            for m in ctx.problem.meetings
        ]

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        placed = {p.meeting_id for p in plan.placements}
        return [
            Penalty(self.name, problem.weights.unplaced, f"{m.title!r} is not placed", m.id)
            for m in problem.meetings
            if m.id not in placed
        ]


class _Invitees:
    """Shared shape of optional and frontline attendance: a cost per absent invitee."""

    name = ""
    role = ""

    def _invited(self, problem: StrategyProblem, meeting_id: int) -> tuple[int, ...]:
        raise NotImplementedError

    def _attending(self, placement: Placement) -> tuple[int, ...]:
        raise NotImplementedError

    def _vars(self, ctx: ModelContext, m: int) -> list[cp_model.IntVar]:
        raise NotImplementedError

    def _weight(self, problem: StrategyProblem) -> int:
        raise NotImplementedError

    def build(self, ctx: ModelContext) -> list[Term]:
        w = self._weight(ctx.problem)
        terms: list[Term] = []
        for m, placed in ctx.vars.placed.items():
            invited = len(self._invited(ctx.problem, m))
            if invited:
                terms += shortfall(ctx, f"{self.name}_m{m}", invited, w, placed, self._vars(ctx, m))
        return terms

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        out = []
        for p in plan.placements:
            for person in self._invited(problem, p.meeting_id):
                if person not in self._attending(p):
                    out.append(
                        Penalty(
                            self.name,
                            self._weight(problem),
                            f"{_name(problem, person)} ({self.role}) misses "
                            f"{_title(problem, p.meeting_id)}",
                            p.meeting_id,
                            (person,),
                        )
                    )
        return out


class OptionalAttendance(_Invitees):
    name = "optional_attendance"
    role = "optional"

    def _invited(self, problem: StrategyProblem, meeting_id: int) -> tuple[int, ...]:
        return problem.meeting_by_id[meeting_id].optional_ids

    def _attending(self, placement: Placement) -> tuple[int, ...]:
        return placement.optional_ids

    def _vars(self, ctx: ModelContext, m: int) -> list[cp_model.IntVar]:
        return list(ctx.vars.optional[m].values())

    def _weight(self, problem: StrategyProblem) -> int:
        return problem.weights.optional_missed


class FrontlinePresence(_Invitees):
    name = "frontline_presence"
    role = "frontline"

    def _invited(self, problem: StrategyProblem, meeting_id: int) -> tuple[int, ...]:
        return problem.meeting_by_id[meeting_id].frontline_ids

    def _attending(self, placement: Placement) -> tuple[int, ...]:
        return placement.frontline_ids

    def _vars(self, ctx: ModelContext, m: int) -> list[cp_model.IntVar]:
        return list(ctx.vars.frontline[m].values())

    def _weight(self, problem: StrategyProblem) -> int:
        return problem.weights.frontline_missed


class ParentRepsAsked:
    name = "parent_reps"

    def build(self, ctx: ModelContext) -> list[Term]:
        w = ctx.problem.weights.parent_rep_short
        terms: list[Term] = []
        for m, placed in ctx.vars.placed.items():
            wanted = ctx.options[m].meeting.parent_reps_wanted
            if wanted:
                reps = list(ctx.vars.rep[m].values())
                terms += shortfall(ctx, f"reps_m{m}", wanted, w, placed, reps)
        return terms

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        out = []
        for p in plan.placements:
            wanted = problem.meeting_by_id[p.meeting_id].parent_reps_wanted
            short = wanted - len(p.parent_rep_ids)
            if short > 0:
                out.append(
                    Penalty(
                        self.name,
                        short * problem.weights.parent_rep_short,
                        f"{_title(problem, p.meeting_id)} has {len(p.parent_rep_ids)} of the "
                        f"{wanted} parent reps asked",
                        p.meeting_id,
                    )
                )
        return out


class PreferredTimes:
    name = "preferred_times"

    def build(self, ctx: ModelContext) -> list[Term]:
        terms: list[Term] = []
        for m, starts in ctx.vars.start.items():
            option = ctx.options[m]
            if not option.meeting.preferred:
                continue
            good = [
                x
                for x, s in zip(starts, option.starts, strict=True)
                if inside_any(option.meeting.preferred, s.start, s.end)
            ]
            w = ctx.problem.weights.preferred_missed
            terms += shortfall(ctx, f"preferred_m{m}", 1, w, ctx.vars.placed[m], good)
        return terms

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        out = []
        for p in plan.placements:
            meeting = problem.meeting_by_id[p.meeting_id]
            if meeting.preferred and not inside_any(meeting.preferred, p.start, p.end):
                out.append(
                    Penalty(
                        self.name,
                        problem.weights.preferred_missed,
                        f"{meeting.title!r} at {timeline.label(p.start, p.end)} is outside "
                        "its preferred times",
                        meeting.id,
                    )
                )
        return out


class InspectorVenueChanges:
    """Each extra venue an inspector uses in a day costs a move (a proxy for venue changes
    that stays linear)."""

    name = "inspector_venue_changes"

    def build(self, ctx: ModelContext) -> list[Term]:
        model, w = ctx.model, ctx.problem.weights.venue_change
        terms: list[Term] = []
        for i in ctx.problem.inspector_ids:
            for day in range(len(ctx.timeline.days)):
                used: dict[int, cp_model.IntVar] = {}
                for m, venues in ctx.vars.venue.items():
                    on_day = ctx.inspector_on_day(m, i, day)
                    if on_day is None or not venues:
                        continue
                    for v, y in venues.items():
                        if v not in used:
                            used[v] = model.new_bool_var(f"uses_i{i}_d{day}_v{v}")
                        model.add(used[v] >= on_day + y - 1)
                if len(used) < 2:
                    continue
                extra = model.new_int_var(0, len(used) - 1, f"extra_venues_i{i}_d{day}")
                model.add(extra >= sum(used.values()) - 1)
                terms.append((w, extra))
        return terms

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        out = []
        venues = problem.venue_by_id
        for (i, day), items in sorted(inspector_day_slots(problem, timeline, plan).items()):
            used = sorted({p.venue_id for _, p in items if p.venue_id is not None})
            if len(used) > 1:
                names = ", ".join(venues[v].name for v in used)
                out.append(
                    Penalty(
                        self.name,
                        (len(used) - 1) * problem.weights.venue_change,
                        f"{_name(problem, i)} uses {len(used)} venues on "
                        f"{timeline.day_label(day)}: {names}",
                        None,
                        (i,),
                    )
                )
        return out


class InspectorIdleTime:
    """Idle slots between an inspector's first and last meeting of a day (lunch excluded).

    Time-indexed: ``started`` and ``ongoing`` are monotone flags, so a slot is idle when
    the day has started, is still going on, and the inspector is not busy.
    """

    name = "inspector_idle"

    def build(self, ctx: ModelContext) -> list[Term]:
        model, w = ctx.model, ctx.problem.weights.idle_slot
        timeline = ctx.timeline
        terms: list[Term] = []
        for i, busy_at in ctx.inspector_busy.items():
            for day in range(len(timeline.days)):
                work = list(timeline.work_range(day))
                busy = {s: busy_at.get(timeline.slot(day, s).index) for s in work}
                if all(b is None for b in busy.values()):
                    continue
                lunch = set(timeline.lunch_range(day))
                started: dict[int, cp_model.IntVar] = {}
                ongoing: dict[int, cp_model.IntVar] = {}
                for pos, s in enumerate(work):
                    started[s] = model.new_bool_var(f"started_i{i}_d{day}_s{s}")
                    b = busy[s]
                    if b is not None:
                        model.add(started[s] >= b)
                    if pos:
                        model.add(started[s] >= started[work[pos - 1]])
                for pos in range(len(work) - 1, -1, -1):
                    s = work[pos]
                    ongoing[s] = model.new_bool_var(f"ongoing_i{i}_d{day}_s{s}")
                    b = busy[s]
                    if b is not None:
                        model.add(ongoing[s] >= b)
                    if pos < len(work) - 1:
                        model.add(ongoing[s] >= ongoing[work[pos + 1]])
                for s in work:
                    if s in lunch:
                        continue
                    idle = model.new_bool_var(f"idle_i{i}_d{day}_s{s}")
                    b = busy[s]
                    model.add(idle >= started[s] + ongoing[s] - (b if b is not None else 0) - 1)
                    terms.append((w, idle))
        return terms

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        out = []
        for (i, day), items in sorted(inspector_day_slots(problem, timeline, plan).items()):
            work = timeline.work_range(day)
            lunch = set(timeline.lunch_range(day))
            busy = set()
            for first, p in items:
                span = timeline.span(problem.meeting_by_id[p.meeting_id].duration_minutes)
                busy |= {s for s in range(first, first + span) if s in work}
            if not busy:
                continue
            idle = [s for s in range(min(busy), max(busy) + 1) if s not in busy and s not in lunch]
            if idle:
                start = timeline.at(day, idle[0])
                out.append(
                    Penalty(
                        self.name,
                        len(idle) * problem.weights.idle_slot,
                        f"{_name(problem, i)} is idle {len(idle) * timeline.grid} minutes "
                        f"between meetings on {timeline.day_label(day)} (from {start:%H:%M})",
                        None,
                        (i,),
                    )
                )
        return out


def _slack(problem: StrategyProblem, timeline: Timeline) -> int:
    """Imbalance nobody minds, in slots (``Weights.balance_slack_minutes``)."""
    return problem.weights.balance_slack_minutes // timeline.grid


def _hour(timeline: Timeline) -> int:
    """Slots in an hour: imbalance is charged per started hour, not per slot, so that
    plans a quarter-hour apart in fairness do not each need proving."""
    return math.ceil(60 / timeline.grid)


def _hours_over(problem: StrategyProblem, timeline: Timeline, spread_slots: int) -> int:
    over = max(0, spread_slots - _slack(problem, timeline))
    return math.ceil(over / _hour(timeline))


def _loads(
    problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
) -> dict[tuple[int, int], int]:
    load: dict[tuple[int, int], int] = defaultdict(int)
    for (i, day), items in inspector_day_slots(problem, timeline, plan).items():
        for _, p in items:
            load[i, day] += timeline.span(problem.meeting_by_id[p.meeting_id].duration_minutes)
    return load


class InspectorBalance:
    """Slots between the busiest and the least busy inspector over the strategy days."""

    name = "inspector_balance"

    def build(self, ctx: ModelContext) -> list[Term]:
        inspectors = ctx.problem.inspector_ids
        if len(inspectors) < 2:
            return []
        top = sum(ctx.options[m].span for m in ctx.vars.start)
        spread = ctx.model.new_int_var(0, top, "load_spread_hours")
        hour = _hour(ctx.timeline)
        loads = [ctx.inspector_load(i, None) for i in inspectors]
        for a, load_a in enumerate(loads):
            for b, load_b in enumerate(loads):
                if a != b:
                    slack = _slack(ctx.problem, ctx.timeline)
                    ctx.model.add(hour * spread >= load_a - load_b - slack)
        return [(ctx.problem.weights.inspector_imbalance, spread)]

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        if len(problem.inspector_ids) < 2:
            return []
        load = _loads(problem, timeline, plan)
        totals = {
            i: sum(load[i, d] for d in range(len(timeline.days))) for i in problem.inspector_ids
        }
        spread = _hours_over(problem, timeline, max(totals.values()) - min(totals.values()))
        if not spread:
            return []
        busiest = max(totals, key=lambda i: totals[i])
        quietest = min(totals, key=lambda i: totals[i])
        minutes = timeline.grid
        return [
            Penalty(
                self.name,
                spread * problem.weights.inspector_imbalance,
                f"{_name(problem, busiest)} has {totals[busiest] * minutes} minutes of "
                f"meetings, {_name(problem, quietest)} {totals[quietest] * minutes}",
                None,
                (busiest, quietest),
            )
        ]


class DayBalance:
    """Per inspector, slots between their busiest and quietest strategy day."""

    name = "day_balance"

    def build(self, ctx: ModelContext) -> list[Term]:
        days = len(ctx.timeline.days)
        if days < 2:
            return []
        terms: list[Term] = []
        for i in ctx.problem.inspector_ids:
            per_day = [ctx.inspector_load(i, d) for d in range(days)]
            top = sum(ctx.options[m].span for m in ctx.vars.start)
            spread = ctx.model.new_int_var(0, top, f"day_spread_hours_i{i}")
            hour = _hour(ctx.timeline)
            for a in range(days):
                for b in range(days):
                    if a != b:
                        slack = _slack(ctx.problem, ctx.timeline)
                        ctx.model.add(hour * spread >= per_day[a] - per_day[b] - slack)
            terms.append((ctx.problem.weights.day_imbalance, spread))
        return terms

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        days = len(timeline.days)
        if days < 2:
            return []
        load = _loads(problem, timeline, plan)
        out = []
        for i in problem.inspector_ids:
            per_day = [load[i, d] for d in range(days)]
            spread = _hours_over(problem, timeline, max(per_day) - min(per_day))
            if spread:
                shown = ", ".join(
                    f"{timeline.day_label(d)} {per_day[d] * timeline.grid} min" for d in range(days)
                )
                out.append(
                    Penalty(
                        self.name,
                        spread * problem.weights.day_imbalance,
                        f"{_name(problem, i)}'s days are uneven: {shown}",
                        None,
                        (i,),
                    )
                )
        return out


def _invited_along(placement: Placement) -> tuple[int, ...]:
    """Who was in a meeting by the plan's choice rather than by the request: optional and
    frontline invitees, parent reps and a note-taker from the pool."""
    chosen = placement.optional_ids + placement.frontline_ids + placement.parent_rep_ids
    note_taker = () if placement.note_taker_id is None else (placement.note_taker_id,)
    return tuple(dict.fromkeys(chosen + note_taker))


class MinimalChange:
    """In a re-plan, each meeting that moves (time or venue) and each inspector taken off a
    meeting costs something, so only what must change does."""

    name = "minimal_change"

    def build(self, ctx: ModelContext) -> list[Term]:
        previous = ctx.problem.previous
        if previous is None:
            return []
        weights = ctx.problem.weights
        terms: list[Term] = []
        for m, starts in ctx.vars.start.items():
            before = previous.placement(m)
            if before is None:
                continue
            placed = ctx.vars.placed[m]
            option = ctx.options[m]
            same_time = [
                x for x, s in zip(starts, option.starts, strict=True) if s.start == before.start
            ]
            moved = ctx.model.new_bool_var(f"moved_m{m}")
            ctx.model.add(moved >= placed - sum(same_time))
            if ctx.vars.venue[m]:
                same_venue = ctx.vars.venue[m].get(before.venue_id or -1)
                ctx.model.add(moved >= placed - (same_venue if same_venue is not None else 0))
            terms.append((weights.moved, moved))
            for i in before.inspector_ids:
                presence = ctx.vars.inspector_presence(m, i)
                kept = [presence] if presence is not None else []
                terms += shortfall(
                    ctx, f"kept_i{i}_m{m}", 1, weights.inspector_changed, placed, kept
                )
            groups = (ctx.vars.note_taker, ctx.vars.rep, ctx.vars.frontline, ctx.vars.optional)
            for person in _invited_along(before):
                if person in option.hard_people:
                    continue  # in the meeting whenever it is held
                stays = [g[m][person] for g in groups if person in g.get(m, {})]
                terms += shortfall(
                    ctx, f"kept_p{person}_m{m}", 1, weights.attendee_changed, placed, stays
                )
        return terms

    def penalties(
        self, problem: StrategyProblem, timeline: Timeline, plan: StrategyPlan
    ) -> list[Penalty]:
        previous = problem.previous
        if previous is None:
            return []
        out = []
        for p in plan.placements:
            before = previous.placement(p.meeting_id)
            if before is None:
                continue
            if before.start != p.start or before.venue_id != p.venue_id:
                out.append(
                    Penalty(
                        self.name,
                        problem.weights.moved,
                        f"{_title(problem, p.meeting_id)} moves from "
                        f"{timeline.label(before.start, before.end)} to "
                        f"{timeline.label(p.start, p.end)}",
                        p.meeting_id,
                        p.attendee_ids,
                    )
                )
            for person in _invited_along(before):
                if person not in p.attendee_ids:
                    out.append(
                        Penalty(
                            self.name,
                            problem.weights.attendee_changed,
                            f"{_name(problem, person)} is taken off "
                            f"{_title(problem, p.meeting_id)}",
                            p.meeting_id,
                            (person,),
                        )
                    )
            for i in before.inspector_ids:
                if i not in p.inspector_ids:
                    out.append(
                        Penalty(
                            self.name,
                            problem.weights.inspector_changed,
                            f"{_name(problem, i)} is taken off {_title(problem, p.meeting_id)}",
                            p.meeting_id,
                            (i,),
                        )
                    )
        return out


SOFT_GOALS: tuple[SoftGoal, ...] = (
    PlaceEveryMeeting(),
    OptionalAttendance(),
    FrontlinePresence(),
    ParentRepsAsked(),
    PreferredTimes(),
    InspectorVenueChanges(),
    InspectorIdleTime(),
    InspectorBalance(),
    DayBalance(),
    MinimalChange(),
)
