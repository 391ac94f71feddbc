"""Score analysis, what-if suggestions, and the validator on hand-edited plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from scheduler.rota import Quotas, RotaPlan, analyse, solve, suggest, validate
from tests.scheduler.rota_fixtures import QUICK, inspector, tiny_problem


def test_analysis_breaks_the_objective_down_per_goal_with_the_items_behind_it() -> None:
    problem = tiny_problem()
    plan = solve(problem, QUICK)
    analysis = analyse(problem, plan)
    assert analysis.total == sum(goal.cost for goal in analysis.goals)
    assert analysis.cost_of("travel") == plan.travel_minutes
    travel = next(goal for goal in analysis.goals if goal.name == "travel")
    assert {p.inspector_ids for p in travel.penalties} <= {(1,), (2,)}
    assert all(p.message for goal in analysis.goals for p in goal.penalties)


def test_an_unbalanced_plan_names_the_busiest_inspector() -> None:
    problem = tiny_problem(quotas=Quotas(minimum={"primary": 2, "secondary": 2}))
    plan = solve(problem, QUICK)
    everything_to_one = RotaPlan.from_dict(plan.to_dict())
    moved = replace(
        everything_to_one,
        visits=tuple(replace(v, inspector_id=1) for v in everything_to_one.visits),
        routes=tuple(replace(r, inspector_id=1) for r in everything_to_one.routes),
    )
    balance = next(g for g in analyse(problem, moved).goals if g.name == "balance")
    assert balance.cost > 0 and "Inspector 1" in balance.penalties[0].message


def test_suggestions_are_other_valid_placements_ranked_by_cost() -> None:
    problem = tiny_problem()
    plan = solve(problem, QUICK)
    visit = plan.visits[0]
    suggestions = suggest(problem, plan, visit.setting_id, limit=5)
    assert 0 < len(suggestions) <= 5
    deltas = [s.cost_delta for s in suggestions]
    assert deltas == sorted(deltas)
    assert deltas[0] >= 0  # the solved plan is optimal, so nothing is cheaper
    for suggestion in suggestions:
        assert (suggestion.inspector_id, suggestion.start) != (visit.inspector_id, visit.start)
        assert validate(problem, suggestion.plan) == []
        assert analyse(problem, suggestion.plan).total - analyse(problem, plan).total == (
            suggestion.cost_delta
        )


def test_validator_refuses_a_visit_moved_outside_opening_hours() -> None:
    problem = tiny_problem()
    plan = solve(problem, QUICK)
    first = plan.visits[0]
    late = replace(
        first, start=first.start + timedelta(hours=6), end=first.end + timedelta(hours=6)
    )
    edited = replace(plan, visits=(late, *plan.visits[1:]))
    codes = {v.code for v in validate(problem, edited)}
    assert "opening_hours" in codes


def test_validator_refuses_a_visit_starting_before_the_inspector_arrives() -> None:
    problem = tiny_problem()
    plan = solve(problem, QUICK)
    route = next(r for r in plan.routes if r.setting_ids)
    first = plan.visit_of(route.setting_ids[0])
    assert first is not None
    early = replace(first, start=route.legs[0].arrive - timedelta(minutes=15))
    early = replace(early, end=early.start + (first.end - first.start))
    edited = replace(plan, visits=tuple(early if v == first else v for v in plan.visits))
    assert "travel_overlap" in {v.code for v in validate(problem, edited)}


def test_validator_refuses_more_visits_a_day_than_the_limit() -> None:
    problem = tiny_problem(inspectors=(inspector(1), inspector(2)))
    plan = solve(problem, QUICK)
    strict = replace(
        problem, inspectors=tuple(replace(i, max_visits_per_day=1) for i in problem.inspectors)
    )
    if any(len(r.setting_ids) > 1 for r in plan.routes):
        assert "visit_limit" in {v.code for v in validate(strict, plan)}


def test_validator_refuses_a_setting_visited_twice() -> None:
    problem = tiny_problem()
    plan = solve(problem, QUICK)
    edited = replace(plan, visits=(*plan.visits, plan.visits[0]))
    assert "visited_twice" in {v.code for v in validate(problem, edited)}
