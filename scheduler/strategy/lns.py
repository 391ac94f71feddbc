"""Large neighbourhood search over meetings: how large models improve after CP-SAT's first seconds.

CP-SAT's own LNS frees variables picked from the model's structure. On the large benchmark
it stalls: 60-second runs ended no better than 30-second ones (823-838), because putting a
meeting into its preferred time, or evening out an inspector's day, means moving several
meetings at once together with everyone and everything tied to them. Here a neighbourhood
is a set of whole meetings read off the plan: a meeting that costs something and the
meetings in its way, one inspector's day, a stretch of one day, or a random few. Every other
meeting keeps its time, venue and people, and one CP-SAT worker re-optimises the freed
ones from the current plan, by search and propagation alone (see :meth:`MeetingLns._resolve`).
Each core runs such a loop; the loops share the best plan.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.solving import SolveReport, SolveStatus, StopRequest, hint_solution
from scheduler.strategy.analysis import analyse
from scheduler.strategy.plan import StrategyPlan
from scheduler.strategy.problem import inside_any
from scheduler.strategy.timeline import Slot
from scheduler.strategy.variables import StrategyVariables

SUBSOLVE_S = 1.0
"""Longest single re-optimisation. With it (and :data:`GROW`, :data:`SHRINK`) the
neighbourhood size settles at 5 to 10 meetings on the large benchmark; 0.5 s and 2 s gave
no better 30-second plans (4 runs each, medians 789 and 783.5 against 774 at the time)."""

FIRST_SIZE = 6.0
"""Meetings freed at first; the size grows while neighbourhoods are solved to optimality
within :data:`SUBSOLVE_S` and shrinks while they are not."""

GROW, SHRINK = 0.25, 0.75
"""How much the neighbourhood size changes after a fragment that closed, and one that did not.

The size settles where three fragments in four close. With equal steps (half close) the
fragments that run out of time took more than half the search's time on the large
benchmark and brought a seventh of its gains. Interleaved 30-second runs, each with its own
seed: 12 of 22 within 1% of the best known (762) against 4 of 22 with equal steps (batch
medians 768, 769.5 and 769 against 789.5, 770.5 and 773); shrinking by 1 and growing by 0.2
gave 1 of 6."""

# Share of each neighbourhood kind, in the order tried (the rest are random meetings).
AROUND_PENALTY, INSPECTOR_DAY, TIME_WINDOW = 0.4, 0.3, 0.1

STOP_POLL_S = 0.2
"""How often a stop request is checked while fragments are being solved."""

NEAR_SLOTS = 8
"""Meetings closer than this many grid slots on the same day count as in each other's way."""


@dataclass(frozen=True)
class Incumbent:
    """The best solution so far, with the plan read from it to pick neighbourhoods."""

    values: tuple[int, ...]
    objective: int
    plan: StrategyPlan
    slots: Mapping[int, Slot]
    """Meeting -> the grid slot it starts at, for the placed ones."""
    penalised: tuple[tuple[int, frozenset[int]], ...]
    """Meetings that carry a cost (a missed preferred time, an absent invitee ...), each
    with the people the cost is about (the absent invitee, say)."""
    uneasy: tuple[int, ...]
    """Inspectors whose days carry a cost (an idle gap, a venue change, an uneven load)."""


class MeetingLns:
    """Improves a solution of ``vars.model`` until ``deadline`` (a ``time.perf_counter``)."""

    def __init__(
        self,
        variables: StrategyVariables,
        values: Sequence[int],
        deadline: float,
        good_enough: Callable[[int], bool] = lambda objective: False,
        seed: int = 0,
        on_progress: Callable[[int], None] | None = None,
        should_stop: StopRequest | None = None,
    ) -> None:
        self.vars = variables
        self.deadline = deadline
        self.good_enough = good_enough
        self.seed = seed
        self.on_progress = on_progress
        self.should_stop = should_stop
        self.stopped = False
        self.meetings = list(variables.start)
        self.decisions = {m: [v.index for v in variables.decisions(m)] for m in self.meetings}
        self.people = {m: set(variables.attendance(m)) for m in self.meetings}
        self.inspectors = set(variables.problem.inspector_ids)
        self.targets = {m: self._targets(m) for m in self.meetings}
        self.size = FIRST_SIZE
        self._lock = threading.Lock()
        self._running: set[cp_model.CpSolver] = set()
        self._finished = threading.Event()
        self.best = self._incumbent(tuple(values), _objective(variables.model, values))

    # -- the search loop ------------------------------------------------------------------

    def run(self, threads: int) -> Incumbent:
        workers = [
            threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(threads)
        ]
        watcher = threading.Thread(target=self._watch_stop, daemon=True)
        watcher.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self._finished.set()
        watcher.join()
        return self.best

    def _watch_stop(self) -> None:
        """Poll the stop request a few times a second and interrupt running fragments, so
        a stop does not wait for a fragment's time limit."""
        if self.should_stop is None:
            return
        while not self._finished.wait(STOP_POLL_S):
            if self.should_stop():
                with self._lock:
                    self.stopped = True
                    for solver in self._running:
                        solver.stop_search()
                return

    def _loop(self, number: int) -> None:
        rng = random.Random(self.seed * 7919 + number)
        while not self._done():
            with self._lock:
                base, size = self.best, max(2, min(len(self.meetings), round(self.size)))
            freed = self.neighbourhood(base, rng, size)
            closed, values, objective = self._resolve(base, freed, rng.randrange(1 << 30))
            with self._lock:
                if closed:
                    self.size = min(len(self.meetings), self.size + GROW)
                else:
                    self.size = max(2.0, self.size - SHRINK)
                if values is None or values == self.best.values:
                    continue
                if objective > self.best.objective:
                    continue
                improved = objective < self.best.objective
                # Equal plans are taken too: moving sideways is how the search leaves a plateau.
                self.best = self._incumbent(values, objective)
                # Reported under the lock, so that listeners see objectives only fall.
                if improved and self.on_progress is not None:
                    self.on_progress(objective)

    def _done(self) -> bool:
        with self._lock:
            finished = self.stopped or self.good_enough(self.best.objective)
        return finished or time.perf_counter() >= self.deadline - 0.05

    def _resolve(
        self, base: Incumbent, freed: set[int], seed: int
    ) -> tuple[bool, tuple[int, ...] | None, int]:
        """Re-optimise the ``freed`` meetings with every other meeting's decisions fixed:
        (proved optimal, the solution or None, its objective)."""
        model = self.vars.model.clone()
        hint_solution(model, base.values)
        variables = model.proto.variables
        for m in self.meetings:
            if m in freed:
                continue
            for index in self.decisions[m]:
                domain = variables[index].domain
                domain[0] = domain[1] = base.values[index]
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = 1
        params.random_seed = seed
        params.max_time_in_seconds = max(0.05, min(SUBSOLVE_S, self.deadline - time.perf_counter()))
        # Neither presolve nor a linear relaxation: a fragment is a small search over a few
        # meetings, and propagation alone closes it. Presolving the whole model around it
        # cost about 0.07 s each time, and without presolve the relaxation would hold every
        # row of the full model. On 80 fragments of 5 to 9 meetings cut from a plan at 797,
        # this closed 75 in 28 s against 67 in 51 s with one presolve round and the default
        # relaxation; 30-second runs: 7 of 8 within 1% of the best known against 2 of 8.
        params.cp_model_presolve = False
        params.linearization_level = 0
        params.cp_model_probing_level = 0
        params.symmetry_level = 0
        params.use_sat_inprocessing = False
        with self._lock:
            if self.stopped:
                return False, None, 0
            self._running.add(solver)
        try:
            status = solver.solve(model)
        finally:
            with self._lock:
                self._running.discard(solver)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False, None, 0
        solution = tuple(solver.response_proto.solution)
        return status == cp_model.OPTIMAL, solution, round(solver.objective_value)

    def _incumbent(self, values: tuple[int, ...], objective: int) -> Incumbent:
        plan = StrategyPlan(
            report=SolveReport(SolveStatus.FEASIBLE, objective, None, None, 0.0),
            placements=tuple(self.vars.extract(values)),
        )
        slots = {
            p.meeting_id: slot
            for p in plan.placements
            if (slot := self.vars.timeline.locate(p.start)) is not None
        }
        penalised: set[tuple[int, frozenset[int]]] = set()
        uneasy: set[int] = set()
        for goal in analyse(self.vars.problem, plan).goals:
            for p in goal.penalties:
                # A meeting with no possible start has no variables to free.
                if p.meeting_id in self.decisions:
                    penalised.add((p.meeting_id, frozenset(p.person_ids)))
                elif p.meeting_id is None:
                    uneasy.update(set(p.person_ids) & self.inspectors)
        return Incumbent(
            values, objective, plan, slots, tuple(sorted(penalised)), tuple(sorted(uneasy))
        )

    # -- neighbourhoods -------------------------------------------------------------------

    def neighbourhood(self, base: Incumbent, rng: random.Random, size: int) -> set[int]:
        """``size`` meetings to re-optimise together, of a kind drawn at random."""
        draw = rng.random()
        if draw < AROUND_PENALTY and base.penalised:
            return self._around_penalty(base, rng, size)
        if draw < AROUND_PENALTY + INSPECTOR_DAY:
            return self._inspector_day(base, rng, size)
        if draw < AROUND_PENALTY + INSPECTOR_DAY + TIME_WINDOW:
            return self._time_window(base, rng, size)
        return set(rng.sample(self.meetings, size))

    def _around_penalty(self, base: Incumbent, rng: random.Random, size: int) -> set[int]:
        """A meeting that costs something, with the meetings most in its way, in this
        order: those of the people the cost is about (an absent invitee's other meetings),
        those near one of the places it could move to (see :meth:`_targets_for`), then
        those that share the most people with it or sit near it now.

        Freeing the room a meeting could move into is what lets it change day or time.
        On the large benchmark the gain over ranking by shared people alone is not
        established: a first batch of 30-second plans had a median of 764, later ones
        783-785, against 786-788 for the older ranking (see the README). Aiming at the
        absent invitee's free hours rather than the preferred ones gave 8 of 20 runs
        within 1% of the best known against 6 of 20: no more than noise either.
        """
        seed, about = rng.choice(base.penalised)
        here = base.slots.get(seed)
        target = rng.choice(self._targets_for(seed, about))
        ranked = []
        for m in self.meetings:
            if m == seed:
                continue
            there = base.slots.get(m)
            score = len(self.people[seed] & self.people[m]) + rng.random()
            if _near(there, here):
                score += 1
            ranked.append((bool(about & self.people[m]), _near(there, target), score, m))
        ranked.sort(reverse=True)
        return {seed, *(m for *_, m in ranked[: size - 1])}

    def _targets(self, m: int) -> list[Slot]:
        """Where meeting m could be moved to: its preferred starts if it has any."""
        option = self.vars.options[m]
        starts = [s for s in option.starts if inside_any(option.meeting.preferred, s.start, s.end)]
        return [s.slot for s in starts or option.starts]

    def _targets_for(self, m: int, about: frozenset[int]) -> list[Slot]:
        """Where meeting m could be moved to lose a cost about ``about`` (an absent
        invitee): the starts at which all of them are free. The preferred starts need
        not be among them: a meeting an optional invitee misses because it sits in their
        unavailable morning is fixed by any start they can make."""
        if not about:
            return self.targets[m]
        starts = self.vars.options[m].starts
        free = set(range(len(starts)))
        for person in about:
            free &= self.vars.free_starts(m, person)
        return [starts[k].slot for k in sorted(free)] or self.targets[m]

    def _inspector_day(self, base: Incumbent, rng: random.Random, size: int) -> set[int]:
        """One inspector's meetings on one day (their gaps, moves and load), topped up with
        other meetings that day to make room. Inspectors whose days cost something are
        picked half the time."""
        uneasy = bool(base.uneasy) and rng.random() < 0.5
        inspector = rng.choice(base.uneasy if uneasy else self.vars.problem.inspector_ids)
        day = rng.randrange(len(self.vars.timeline.days))
        theirs: list[int] = []
        others: list[int] = []
        for p in base.plan.placements:
            slot = base.slots.get(p.meeting_id)
            if slot is None or slot.day != day:
                continue
            (theirs if inspector in p.inspector_ids else others).append(p.meeting_id)
        if not theirs and not others:
            return set(rng.sample(self.meetings, size))
        rng.shuffle(theirs)
        rng.shuffle(others)
        return set(theirs[:size]) | set(others[: max(0, size - len(theirs))])

    def _time_window(self, base: Incumbent, rng: random.Random, size: int) -> set[int]:
        """The meetings nearest in time to one meeting, on its day."""
        seed = rng.choice(self.meetings)
        here = base.slots.get(seed)
        if here is None:
            return set(rng.sample(self.meetings, size))
        near = []
        for m in self.meetings:
            there = base.slots.get(m)
            if there is not None and there.day == here.day:
                near.append((abs(there.index - here.index) + rng.random(), m))
        near.sort()
        return {m for _, m in near[:size]}


def _near(a: Slot | None, b: Slot | None) -> bool:
    return (
        a is not None and b is not None and a.day == b.day and abs(a.index - b.index) < NEAR_SLOTS
    )


def _objective(model: cp_model.CpModel, values: Sequence[int]) -> int:
    """The model's objective at a full assignment (a completed hint need not be at the
    cheapest values of its auxiliary variables, so a plan's cost would not do)."""
    objective = model.proto.objective
    total = sum(c * values[v] for v, c in zip(objective.vars, objective.coeffs, strict=True))
    return _scaled(model, total)


def trivial_bound(model: cp_model.CpModel) -> int:
    """The least the objective can be from its variables' domains alone: a valid bound
    when CP-SAT has not proved one (0 with the default, non-negative weights)."""
    objective = model.proto.objective
    total = 0
    for var, coeff in zip(objective.vars, objective.coeffs, strict=True):
        domain = list(model.proto.variables[var].domain)
        total += min(coeff * domain[0], coeff * domain[-1])
    return _scaled(model, total)


def _scaled(model: cp_model.CpModel, total: int) -> int:
    """The objective's value for a sum of its terms, with its offset and scaling."""
    objective = model.proto.objective
    return int(round((total + objective.offset) * (objective.scaling_factor or 1)))
