"""Over-constrained rotas still get a plan, and the conflict is explained in words."""

from __future__ import annotations

from datetime import time

from scheduler.rota import Quotas, explain, solve, validate
from tests.scheduler.rota_fixtures import QUICK, inspector, setting, tiny_problem


def test_no_reachable_early_years_provider_is_explained_in_words() -> None:
    closed = setting(1, "early_years", 1.0, 1.0, opening={1: (time(8, 0), time(18, 0))})
    candidates = (closed, *tiny_problem().candidates[1:])
    problem = tiny_problem(candidates=candidates)
    explanation = explain(problem, time_limit_s=5)
    assert explanation.feasible is False
    assert (
        "no early-years provider is open on Wednesday or Thursday within reach of any inspector"
        in explanation.conflicts
    )
    plan = solve(problem, QUICK)
    assert validate(problem, plan) == []
    assert not plan.coverage_met
    assert any("early-years" in note for note in plan.quota_notes)


def test_an_unreachable_must_visit_is_left_unplaced_with_its_reasons() -> None:
    far_away = setting(9, "special", 400.0, 0.0, must_visit=True, name="Hilltop School")
    problem = tiny_problem(candidates=(*tiny_problem().candidates, far_away))
    plan = solve(problem, QUICK)
    assert validate(problem, plan) == []
    assert plan.coverage_met  # the rest of the sample is still planned
    [unplaced] = plan.unplaced
    assert unplaced.setting_id == 9 and unplaced.must_visit
    assert any("no inspector can travel there" in reason for reason in unplaced.reasons)
    explanation = explain(problem, time_limit_s=5)
    assert any("Hilltop School" in conflict for conflict in explanation.conflicts)


def test_a_must_visit_closed_both_days_says_so() -> None:
    closed = setting(9, "special", 1.0, 0.0, must_visit=True, opening={5: (time(9), time(15))})
    problem = tiny_problem(candidates=(*tiny_problem().candidates, closed))
    [unplaced] = solve(problem, QUICK).unplaced
    assert "closed on Wednesday" in unplaced.reasons
    assert "closed on Thursday" in unplaced.reasons


def test_too_many_must_visits_for_the_team_names_the_conflicting_ones() -> None:
    must = tuple(
        setting(20 + n, "primary", float(n), 1.0, must_visit=True, name=f"School {n}")
        for n in range(3)
    )
    problem = tiny_problem(
        inspectors=(inspector(1, max_visits_per_day=1),),
        candidates=must,
        quotas=Quotas(minimum={}),
    )
    explanation = explain(problem, time_limit_s=5)
    assert explanation.feasible is False
    [conflict] = explanation.conflicts
    assert "1 inspector(s) over 2 day(s)" in conflict
    assert sum(f"must-visit School {n}" in conflict for n in range(3)) >= 2
    plan = solve(problem, QUICK)
    assert len(plan.visits) == 2 and len(plan.unplaced) == 1
    assert validate(problem, plan) == []


def test_a_feasible_rota_has_nothing_to_explain() -> None:
    explanation = explain(tiny_problem(), time_limit_s=5)
    assert explanation.feasible is True and explanation.conflicts == ()
