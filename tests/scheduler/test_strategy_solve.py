"""Solving as a whole: analysis adds up, reproducible mode, the baseline, early stop, storage."""

from __future__ import annotations

import json

from scheduler.plan import AttendeeRole
from scheduler.solving import SolveOptions, SolveStatus
from scheduler.strategy import StrategyPlan, analyse, greedy, solve, validate
from scheduler.strategy.bench import lp_relaxation
from scheduler.strategy.greedy import best_fit_plan
from scheduler.strategy.instances import generate
from scheduler.strategy.solver import build_model
from tests.scheduler.strategy_fixtures import FAST, at, meeting, people, problem, replace_person


def workshop() -> list:  # type: ignore[type-arg]
    """Four meetings with optional people, a frontline invite and a parent-rep ask."""
    return [
        meeting(1, 10, 11, optional_ids=(12, 13), frontline_ids=(14,)),
        meeting(2, 12, 15, optional_ids=(10,), parent_reps_wanted=1),
        meeting(3, 13, 16, inspector_rule="all", optional_ids=(11,)),
        meeting(4, 14, 17, preferred=((at(14), at(17)),)),
    ]


def test_the_analysis_adds_up_to_the_objective_the_solver_reports() -> None:
    p = problem(*workshop())
    plan = solve(p, FAST)
    assert plan.report.status == SolveStatus.OPTIMAL
    analysis = analyse(p, plan)
    assert analysis.total == plan.report.objective == plan.model_objective
    assert analysis.total == sum(pen.cost for g in analysis.goals for pen in g.penalties)


def test_the_analysis_names_who_misses_what() -> None:
    persons = replace_person(people(), 12, unavailable=((at(7), at(19)),))
    p = problem(*workshop(), persons=persons)
    plan = solve(p, FAST)
    missed = analyse(p, plan).goals[1]
    assert missed.goal == "optional_attendance"
    assert any("Staff 12 (optional) misses 'Meeting 1'" == pen.message for pen in missed.penalties)


def test_reproducible_mode_gives_the_identical_plan_twice() -> None:
    p = generate("small")
    options = SolveOptions(reproducible=True, deterministic_time_limit=2.0)
    first, second = solve(p, options), solve(p, options)
    assert first.to_dict()["placements"] == second.to_dict()["placements"]


def test_cp_sat_is_never_worse_than_the_greedy_baseline() -> None:
    p = generate("small")
    baseline = greedy(p)
    plan = solve(p, SolveOptions(time_limit_s=3.0))
    assert validate(p, baseline) == [] and validate(p, plan) == []
    assert baseline.report.objective is not None and plan.report.objective is not None
    assert plan.report.objective <= baseline.report.objective


def test_the_best_fit_plan_is_sound_and_costed_like_the_solver() -> None:
    p = problem(*workshop())
    plan = best_fit_plan(p)
    assert validate(p, plan) == []
    assert len(plan.placements) == len(p.meetings)
    assert plan.report.objective == analyse(p, plan).total


def test_best_fit_lets_the_meeting_with_invitees_at_stake_choose_first() -> None:
    """Meeting 1 has fewer possible starts (Staff 11 leaves at 10:30), but Meeting 2's
    optional invitee can only come at 08:30: best fit gives Meeting 2 that hour and
    still fits Meeting 1 in after it, where first fit fills 08:30 with Meeting 1."""
    persons = replace_person(people(), 11, unavailable=((at(10, 30), at(17, 30)),))
    persons = replace_person(persons, 12, unavailable=((at(9, 30), at(17, 30)),))
    p = problem(meeting(1, 10, 11), meeting(2, 10, optional_ids=(12,)), persons=persons)
    by_hand, best = greedy(p), best_fit_plan(p)
    assert by_hand.placement(1).start == at(8, 30)  # type: ignore[union-attr]
    assert by_hand.report.objective == p.weights.optional_missed
    assert best.placement(2).start == at(8, 30)  # type: ignore[union-attr]
    assert best.placement(2).optional_ids == (12,)  # type: ignore[union-attr]
    assert best.placement(1).start == at(9, 30)  # type: ignore[union-attr]
    assert best.report.objective == 0
    assert validate(p, best) == []


def test_best_fit_rebuilds_with_a_crowded_out_meeting_first() -> None:
    """Meeting 2's invitees put it first, at 08:30, the only hour Staff 11 can make for
    Meeting 1: the rebuild places Meeting 1 first and Meeting 2 after it, with everyone."""
    persons = replace_person(people(), 11, unavailable=((at(9, 30), at(17, 30)),))
    p = problem(meeting(1, 10, 11), meeting(2, 10, optional_ids=(12, 13)), persons=persons)
    plan = best_fit_plan(p)
    assert plan.unplaced == ()
    assert plan.placement(1).start == at(8, 30)  # type: ignore[union-attr]
    assert plan.placement(2).optional_ids == (12, 13)  # type: ignore[union-attr]
    assert plan.report.objective == 0
    assert validate(p, plan) == []


def test_stopping_early_keeps_the_best_plan_so_far() -> None:
    p = generate("typical")
    seen: list[tuple[float, float]] = []
    plan = solve(
        p,
        SolveOptions(time_limit_s=30.0),
        on_progress=lambda objective, bound: seen.append((objective, bound)),
        should_stop=lambda: len(seen) >= 1,
    )
    assert plan.report.stopped_early
    assert plan.report.wall_s < 25
    assert len(plan.placements) == len(p.meetings)
    assert validate(p, plan) == []


def test_a_plan_survives_storage_as_json_and_lists_everyone_by_role() -> None:
    p = problem(*workshop())
    plan = solve(p, FAST)
    stored = json.loads(json.dumps(plan.to_dict()))
    assert StrategyPlan.from_dict(stored) == plan
    items = {item.key: item for item in plan.items(p)}
    intro = items["meeting:3"]
    roles = {a.person_id: a.role for a in intro.attendees}
    assert roles[1] == roles[2] == AttendeeRole.INSPECTOR
    assert roles[13] == AttendeeRole.REQUIRED
    assert AttendeeRole.NOTE_TAKER in roles.values()
    assert intro.start.tzinfo is not None


def test_the_lp_relaxation_is_a_lower_bound_on_the_optimum() -> None:
    p = generate("small")
    relaxation = lp_relaxation(build_model(p).model)
    plan = solve(p, SolveOptions(reproducible=True, deterministic_time_limit=10.0))
    assert plan.report.status == SolveStatus.OPTIMAL and plan.report.objective is not None
    assert relaxation is not None and 0 < relaxation <= plan.report.objective
