"""The meeting-based large neighbourhood search that carries large models on after CP-SAT."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from scheduler.solving import SolveOptions, SolveStatus, relative_gap, solve_model
from scheduler.strategy import analyse, greedy, solve, validate
from scheduler.strategy import solver as strategy_solver
from scheduler.strategy.greedy import best_fit_plan
from scheduler.strategy.instances import generate
from scheduler.strategy.lns import Incumbent, MeetingLns, _near
from scheduler.strategy.problem import StrategyProblem
from scheduler.strategy.solver import build_model, complete_hint
from scheduler.strategy.timeline import Slot
from tests.scheduler.strategy_fixtures import at, meeting, people, problem, replace_person
from tests.scheduler.test_strategy_solve import workshop


def search_from_greedy(problem: StrategyProblem, seconds: float, **kwargs: object) -> MeetingLns:
    """A search starting from the first-fit plan, completed to every model variable."""
    built = build_model(problem)
    built.vars.hint(list(greedy(problem).placements))
    assert complete_hint(built.model)
    values = list(built.model.proto.solution_hint.values)
    return MeetingLns(built.vars, values, time.perf_counter() + seconds, **kwargs)  # type: ignore[arg-type]


def test_it_improves_the_first_fit_plan_and_the_plan_stays_sound() -> None:
    p = generate("typical")
    search = search_from_greedy(p, seconds=3.0)
    start = search.best.objective
    best = search.run(threads=2)
    assert best.objective < start
    assert validate(p, best.plan) == []
    assert len(best.plan.placements) == len(p.meetings)
    # The objective it tracks is the model's, which is never below the plan's cost.
    assert analyse(p, best.plan).total <= best.objective


def test_it_stops_when_asked_and_keeps_the_best_plan_so_far() -> None:
    p = generate("typical")
    improvements: list[int] = []
    search = search_from_greedy(
        p, seconds=30.0, on_progress=improvements.append, should_stop=lambda: bool(improvements)
    )
    started = time.perf_counter()
    best = search.run(threads=2)
    assert time.perf_counter() - started < 10
    assert search.stopped and improvements
    assert best.objective <= improvements[0]
    assert validate(p, best.plan) == []


def test_a_meeting_that_cannot_be_placed_is_left_out_of_every_neighbourhood() -> None:
    away = replace_person(people(), 18, unavailable=((at(7), at(19)),))
    p = problem(*workshop(), meeting(9, 18), persons=away)
    search = search_from_greedy(p, seconds=1.0)
    assert 9 not in search.meetings and 9 not in {m for m, _ in search.best.penalised}
    best = search.run(threads=2)
    assert validate(p, best.plan) == []
    assert {pl.meeting_id for pl in best.plan.placements} == {1, 2, 3, 4}


def test_every_neighbourhood_frees_whole_meetings_of_the_plan() -> None:
    p = generate("typical")
    search = search_from_greedy(p, seconds=1.0)
    base = search.best
    assert base.penalised, "the first-fit plan misses something worth a targeted move"
    rng = random.Random(3)
    meetings = set(search.meetings)
    for _ in range(50):
        freed = search.neighbourhood(base, rng, 5)
        assert freed <= meetings and 1 <= len(freed) <= 5
    around = search._around_penalty(base, rng, 5)
    assert len(around) == 5 and {m for m, _ in base.penalised} & around


def test_a_costly_meeting_is_freed_with_its_people_s_meetings_then_the_room_it_could_use() -> None:
    p = generate("typical")
    search = search_from_greedy(p, seconds=1.0)
    base = search.best
    seed = search.meetings[0]
    # Someone in the seed meeting who is also in others, as an absent invitee would be.
    person = max(
        search.people[seed], key=lambda x: sum(x in search.people[m] for m in search.meetings)
    )
    theirs = {m for m in search.meetings if m != seed and person in search.people[m]}
    # Where the seed could go: another meeting's start on the other day.
    elsewhere = next(
        m for m in search.meetings if base.slots[m].day != base.slots[seed].day and m not in theirs
    )
    target = base.slots[elsewhere]
    search.targets[seed] = [target]
    room = {
        m for m in search.meetings if m != seed and m not in theirs and _near(base.slots[m], target)
    }
    assert theirs and room and len(theirs) + len(room) + 1 < len(search.meetings)
    costly = replace(base, penalised=((seed, frozenset({person})),))
    freed = search._around_penalty(costly, random.Random(5), 1 + len(theirs) + len(room))
    assert freed == {seed} | theirs | room


def test_a_meeting_an_invitee_misses_is_aimed_where_they_can_come() -> None:
    p = generate("typical")
    search = search_from_greedy(p, seconds=1.0)

    def free_slots(meeting_id: int, person_id: int) -> set[Slot]:
        starts = search.vars.options[meeting_id].starts
        return {starts[k].slot for k in search.vars.free_starts(meeting_id, person_id)}

    # A meeting preferred in hours one of its optional invitees is away for: moving it to
    # a preferred time would never bring that invitee in.
    meeting_id, person_id = next(
        (m.id, o)
        for m in p.meetings
        if m.preferred and m.id in search.meetings
        for o in m.optional_ids
        if not free_slots(m.id, o) & set(search.targets[m.id])
    )
    aimed = search._targets_for(meeting_id, frozenset({person_id}))
    assert aimed and set(aimed) == free_slots(meeting_id, person_id)
    assert search._targets_for(meeting_id, frozenset()) == search.targets[meeting_id]


class Recorded(MeetingLns):
    """The real search, noting each time a solve hands over to it."""

    runs: list[int] = []

    def run(self, threads: int) -> Incumbent:
        Recorded.runs.append(threads)
        return super().run(threads)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    Recorded.runs = []
    monkeypatch.setattr(strategy_solver, "MeetingLns", Recorded)
    return Recorded.runs


def test_a_large_solve_hands_over_to_it_and_reports_cp_sats_bound(recorded: list[int]) -> None:
    p = generate("large")
    seen: list[tuple[float, float]] = []
    plan = solve(
        p, SolveOptions(time_limit_s=10.0, workers=2), on_progress=lambda o, b: seen.append((o, b))
    )
    report = plan.report
    assert recorded == [2]
    assert validate(p, plan) == [] and len(plan.placements) == len(p.meetings)
    assert report.objective == analyse(p, plan).total
    assert report.bound is not None and report.bound <= report.objective
    assert report.gap == relative_gap(report.objective, report.bound)
    assert report.status == SolveStatus.FEASIBLE
    assert report.objective < (best_fit_plan(p).report.objective or 0)
    objectives = [o for o, _ in seen]
    assert objectives == sorted(objectives, reverse=True)
    assert report.objective <= seen[-1][0]


def test_it_starts_from_the_hint_when_cp_sat_had_no_time_to_take_it(
    monkeypatch: pytest.MonkeyPatch, recorded: list[int]
) -> None:
    # The typical instance stands in for a large one on a machine too busy for CP-SAT to
    # get through presolve before the hand-over.
    monkeypatch.setattr(strategy_solver, "LARGE_MODEL_VARIABLES", 0)
    monkeypatch.setattr(strategy_solver, "LNS_AFTER_S", 0.001)
    p = generate("typical")
    plan = solve(p, SolveOptions(time_limit_s=3.0, workers=2))
    assert recorded == [2]
    assert validate(p, plan) == [] and len(plan.placements) == len(p.meetings)
    # With no bound from CP-SAT, the objective's least possible value stands in for it.
    assert plan.report.status == SolveStatus.FEASIBLE
    assert plan.report.bound == 0.0 and plan.report.gap == 1.0
    assert plan.report.objective == analyse(p, plan).total
    assert plan.report.objective < (greedy(p).report.objective or 0)


def test_cp_sat_hands_over_once_its_bound_stops_rising() -> None:
    # The large model's bound settles within seconds, far from its optimum: without the
    # stall rule this search would run its whole two minutes. Hinted as in a real solve.
    p = generate("large")
    built = build_model(p)
    built.vars.hint(list(best_fit_plan(p).placements))
    assert complete_hint(built.model)
    _, report = solve_model(
        built.model, SolveOptions(time_limit_s=120.0, workers=2), bound_stall_s=0.5
    )
    assert report.wall_s < 60
    assert report.status == SolveStatus.FEASIBLE and not report.stopped_early
    assert report.bound is not None and report.objective is not None
    assert report.bound < report.objective
