"""Why the requests cannot all be met: a small set of conflicting requirements, in words.

CP-SAT does not take assumptions together with an objective, so this is a separate,
feasibility-only model. Every requirement a person could relax is guarded by an
assumption literal (a meeting must be placed, someone must attend, someone is away, a
fixed time, a protected lunch, a venue need, a daily limit). When the model is infeasible,
CP-SAT returns a subset of assumptions that is already infeasible; a few deletion passes
shrink it towards a minimal one under the caller's time limit. The travel buffer and
optional roles are left out: they never make a plan impossible on their own.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ortools.sat.python import cp_model

from scheduler.strategy.greedy import greedy
from scheduler.strategy.options import hard_people, role_of, suitable_venue_problem
from scheduler.strategy.plan import StrategyPlan
from scheduler.strategy.problem import Meeting, StrategyProblem, overlaps
from scheduler.strategy.timeline import Slot, Timeline
from scheduler.strategy.validation import validate


@dataclass(frozen=True)
class Requirement:
    sentence: str
    meeting_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()
    venue_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """``feasible``: every request can be met together (proven). When not, ``conflicts``
    holds a set of requirements that cannot all hold; empty with ``decided=False`` means
    the time limit ran out before either was shown."""

    feasible: bool
    conflicts: tuple[Requirement, ...] = ()
    proven_minimal: bool = False
    decided: bool = True
    wall_s: float = 0.0

    @property
    def sentences(self) -> list[str]:
        return [r.sentence for r in self.conflicts]


@dataclass
class _Start:
    slot: Slot
    start: datetime
    end: datetime
    in_lunch: bool
    fixed: bool


@dataclass
class _Choice:
    """One meeting's start literals in the feasibility model."""

    meeting_id: int
    index: cp_model.IntVar
    span: int
    starts: list[_Start]
    xs: list[cp_model.IntVar]


@dataclass
class _FeasibilityModel:
    problem: StrategyProblem
    timeline: Timeline
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    requirements: list[tuple[cp_model.IntVar, Requirement]] = field(default_factory=list)

    def guard(self, requirement: Requirement) -> cp_model.IntVar:
        lit = self.model.new_bool_var(f"assume_{len(self.requirements)}")
        self.requirements.append((lit, requirement))
        return lit


def _starts(timeline: Timeline, meeting: Meeting) -> list[_Start]:
    span = timeline.span(meeting.duration_minutes)
    duration = timedelta(minutes=meeting.duration_minutes)
    out = []
    for day in range(len(timeline.days)):
        work, lunch = timeline.work_range(day), timeline.lunch_range(day)
        for s in range(work.start, work.stop - span + 1):
            start = timeline.at(day, s)
            in_lunch = s < lunch.stop and lunch.start < s + span
            out.append(_Start(timeline.slot(day, s), start, start + duration, in_lunch, False))
    if meeting.fixed_start is not None:
        slot = timeline.locate(meeting.fixed_start)
        if slot is not None:
            out = [s for s in out if s.slot != slot]
            start = timeline.at(slot.day, slot.slot)
            out.append(_Start(slot, start, start + duration, False, True))
    return out


def _build(
    problem: StrategyProblem, timeline: Timeline, hint: StrategyPlan | None = None
) -> _FeasibilityModel:
    """The feasibility model; ``hint`` (the greedy plan) gives the search a head start."""
    fm = _FeasibilityModel(problem, timeline)
    model = fm.model
    people, venues = problem.person_by_id, problem.venue_by_id
    lunch_lits = {
        d: fm.guard(
            Requirement(
                f"lunch {day.lunch_start:%H:%M}–{day.lunch_end:%H:%M} on "
                f"{timeline.day_label(d)} is protected"
            )
        )
        for d, day in enumerate(timeline.days)
    }
    away_lits: dict[tuple[int, int], cp_model.IntVar] = {}
    venue_away: dict[tuple[int, int], cp_model.IntVar] = {}
    person_intervals: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    venue_intervals: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    per_day: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)

    def away(person_id: int, w: int, start: datetime, end: datetime) -> cp_model.IntVar:
        if (person_id, w) not in away_lits:
            name = people[person_id].name
            away_lits[person_id, w] = fm.guard(
                Requirement(
                    f"{name} is unavailable {timeline.label(start, end)}", person_ids=(person_id,)
                )
            )
        return away_lits[person_id, w]

    def attends(c: _Choice, person_id: int, lit: cp_model.IntVar) -> None:
        """``lit`` says the person is in the meeting: intervals, absences, daily limit."""
        person_intervals[person_id].append(
            model.new_optional_fixed_size_interval_var(
                c.index, c.span, lit, f"iv_{person_id}_{c.meeting_id}"
            )
        )
        person = people[person_id]
        for w, (a, b) in enumerate(person.unavailable):
            for s, x in zip(c.starts, c.xs, strict=True):
                if overlaps(((a, b),), s.start, s.end):
                    model.add_bool_or([~x, ~lit, ~away(person_id, w, a, b)])
        if person.available is not None:
            hours = fm.guard(
                Requirement(
                    f"{person.name} is only available in the hours they gave",
                    person_ids=(person_id,),
                )
            )
            for s, x in zip(c.starts, c.xs, strict=True):
                if not person.is_free(s.start, s.end) and not overlaps(
                    person.unavailable, s.start, s.end
                ):
                    model.add_bool_or([~x, ~lit, ~hours])
        if person.max_meetings_per_day is not None:
            for d in range(len(timeline.days)):
                on_day = [x for s, x in zip(c.starts, c.xs, strict=True) if s.slot.day == d]
                if on_day:
                    both = model.new_bool_var(f"day_{person_id}_{c.meeting_id}_{d}")
                    model.add(both >= lit + sum(on_day) - 1)
                    per_day[person_id, d].append(both)

    for meeting in problem.meetings:
        m = meeting.id
        starts = _starts(timeline, meeting)
        if not starts:
            continue
        span = timeline.span(meeting.duration_minutes)
        xs = [model.new_bool_var(f"x_m{m}_{k}") for k in range(len(starts))]
        hinted = hint.placement(m) if hint is not None else None
        for s, x in zip(starts, xs, strict=True):
            model.add_hint(x, hinted is not None and s.start == hinted.start)
        placed = model.new_bool_var(f"placed_m{m}")
        model.add(sum(xs) == placed)
        must = fm.guard(Requirement(f"{meeting.title!r} must be placed", meeting_ids=(m,)))
        model.add(placed == 1).only_enforce_if(must)
        index = model.new_int_var(0, max(s.slot.index for s in starts), f"start_m{m}")
        model.add(index == sum(s.slot.index * x for s, x in zip(starts, xs, strict=True)))
        if meeting.fixed_start is not None:
            fixed = fm.guard(
                Requirement(
                    f"{meeting.title!r} is fixed at {meeting.fixed_start:%a %d %b %H:%M}",
                    meeting_ids=(m,),
                )
            )
            for s, x in zip(starts, xs, strict=True):
                if not s.fixed:
                    model.add_implication(fixed, ~x)
        for s, x in zip(starts, xs, strict=True):
            if s.in_lunch and not s.fixed:
                model.add_implication(lunch_lits[s.slot.day], ~x)

        choice = _Choice(m, index, span, starts, xs)

        for person_id in hard_people(problem, meeting):
            role = role_of(problem, meeting, person_id)
            needed = fm.guard(
                Requirement(
                    f"{people[person_id].name} ({role}) must attend {meeting.title!r}",
                    meeting_ids=(m,),
                    person_ids=(person_id,),
                )
            )
            present = model.new_bool_var(f"present_{person_id}_{m}")
            model.add(present >= placed + needed - 1)
            model.add(present <= placed)
            attends(choice, person_id, present)
        if meeting.inspector_rule == "any":
            chosen = []
            for i in problem.inspector_ids:
                lit = model.new_bool_var(f"ins_{i}_{m}")
                chosen.append(lit)
                model.add_hint(lit, hinted is not None and i in hinted.inspector_ids)
                attends(choice, i, lit)
            model.add(sum(chosen) == placed)

        if not meeting.online:
            must_people = hard_people(problem, meeting)
            headcount = (
                len(must_people)
                + (meeting.inspector_rule == "any")
                + (meeting.note_taker_id is None)
            )
            step_free = any(people[p].needs_step_free for p in must_people)
            suitable = [
                v
                for v in problem.venues
                if suitable_venue_problem(meeting, v, headcount, step_free) is None
            ]
            what = f"a venue for {headcount} people" + (
                " with step-free access" if step_free else ""
            )
            if meeting.fixed_venue_id is not None:
                what = f"{venues[meeting.fixed_venue_id].name} (its fixed venue)"
            need = fm.guard(Requirement(f"{meeting.title!r} needs {what}", meeting_ids=(m,)))
            ys = []
            for v in suitable:
                y = model.new_bool_var(f"y_{m}_{v.id}")
                ys.append(y)
                model.add_hint(y, hinted is not None and hinted.venue_id == v.id)
                venue_intervals[v.id].append(
                    model.new_optional_fixed_size_interval_var(index, span, y, f"ivv_{v.id}_{m}")
                )
                for w, (a, b) in enumerate(v.unavailable):
                    if (v.id, w) not in venue_away:
                        venue_away[v.id, w] = fm.guard(
                            Requirement(
                                f"{v.name} is unavailable {timeline.label(a, b)}",
                                venue_ids=(v.id,),
                            )
                        )
                    lit = venue_away[v.id, w]
                    for s, x in zip(starts, xs, strict=True):
                        if overlaps(((a, b),), s.start, s.end):
                            model.add_bool_or([~x, ~y, ~lit])
            model.add(sum(ys) <= placed)
            model.add(sum(ys) == placed).only_enforce_if(need)

    for intervals in (*person_intervals.values(), *venue_intervals.values()):
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    limits: dict[int, cp_model.IntVar] = {}
    for (person_id, _d), terms in per_day.items():
        person = people[person_id]
        limit = person.max_meetings_per_day
        assert limit is not None
        if len(terms) <= limit:
            continue
        if person_id not in limits:
            limits[person_id] = fm.guard(
                Requirement(
                    f"{person.name} has at most {limit} meetings a day", person_ids=(person_id,)
                )
            )
        model.add(sum(terms) <= limit).only_enforce_if(limits[person_id])
    return fm


def _feasible(fm: _FeasibilityModel, active: list[int], time_limit_s: float) -> bool | None:
    fm.model.clear_assumptions()
    fm.model.add_assumptions([fm.requirements[i][0] for i in active])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    status = solver.solve(fm.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if status == cp_model.INFEASIBLE:
        return False
    return None


def _core(
    problem: StrategyProblem, hint: StrategyPlan, deadline: float
) -> tuple[bool | None, list[Requirement], bool]:
    """(feasible?, a conflicting set shrunk by deletion, proven minimal?) for ``problem``."""
    fm = _build(problem, Timeline(problem), hint)
    lits = [lit for lit, _ in fm.requirements]
    fm.model.add_assumptions(lits)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    status = solver.solve(fm.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True, [], False
    if status != cp_model.INFEASIBLE:
        return None, [], False
    position = {lit.index: n for n, lit in enumerate(lits)}
    core = [position[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    minimal = True
    for candidate in list(core):
        remaining = deadline - time.perf_counter()
        if remaining <= 0.05:
            minimal = False
            break
        trial = [i for i in core if i != candidate]
        outcome = _feasible(fm, trial, min(remaining, 2.0))
        if outcome is False:
            core = trial
        elif outcome is None:
            minimal = False
    return False, [fm.requirements[i][1] for i in core], minimal


def explain(problem: StrategyProblem, time_limit_s: float = 10.0) -> Explanation:
    """The requirements that cannot all hold together, or ``feasible=True`` if they can.

    Most conflicts are local, so the search widens step by step: each meeting the greedy
    baseline could not place, alone; then with the fixed and pinned items; then everything.
    Small models answer in milliseconds where the whole week may not within the limit.
    """
    started = time.perf_counter()
    deadline = started + time_limit_s
    baseline = greedy(problem)
    if not baseline.unplaced and not validate(problem, baseline):
        # A plan meeting every hard rule with everything placed proves feasibility.
        return Explanation(feasible=True, wall_s=round(time.perf_counter() - started, 4))
    left_out = {u.meeting_id for u in baseline.unplaced}
    anchors = {
        m.id for m in problem.meetings if m.fixed_start is not None or m.id in problem.pinned_ids
    }
    scopes = [{m} for m in sorted(left_out)] + [left_out | anchors, None]
    for scope in scopes:
        meetings = (
            problem.meetings
            if scope is None
            else tuple(m for m in problem.meetings if m.id in scope)
        )
        feasible, conflicts, minimal = _core(
            replace(problem, meetings=meetings), baseline, deadline
        )
        if feasible is False:
            return Explanation(
                feasible=False,
                conflicts=tuple(conflicts),
                proven_minimal=minimal,
                wall_s=round(time.perf_counter() - started, 4),
            )
        if feasible is None:
            break
        if scope is None:
            return Explanation(feasible=True, wall_s=round(time.perf_counter() - started, 4))
    return Explanation(
        feasible=False, decided=False, wall_s=round(time.perf_counter() - started, 4)
    )
