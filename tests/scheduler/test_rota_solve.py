"""The rota solver: which settings, who, when, with travel, lunch and limits."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import time, timedelta

import pytest

from scheduler.plan import ItemKind
from scheduler.rota import (
    Quotas,
    RotaPlan,
    RotaProblem,
    analyse,
    feedback_item,
    greedy,
    solve,
    validate,
)
from scheduler.rota.instances import make_instance
from scheduler.solving import SolveOptions, SolveStatus
from scheduler.travel import TravelModel, travel_minutes
from tests.scheduler.rota_fixtures import (
    QUICK,
    THURSDAY,
    TZ,
    WEDNESDAY,
    at,
    inspector,
    setting,
    tiny_problem,
)


def sound(problem: RotaProblem, plan: RotaPlan) -> RotaPlan:
    """Every plan a test looks at must pass the independent validator and its reported
    objective must equal the one recomputed from the plan."""
    assert validate(problem, plan) == []
    if plan.report.objective is not None:
        assert analyse(problem, plan).total == plan.report.objective
    return plan


def visited_types(problem: RotaProblem, plan: RotaPlan) -> Counter[str]:
    return Counter(problem.candidate(v.setting_id).setting_type for v in plan.visits)


def test_the_sample_covers_every_type_asked_for() -> None:
    problem = tiny_problem()
    plan = sound(problem, solve(problem, QUICK))
    assert plan.report.status == SolveStatus.OPTIMAL
    assert plan.coverage_met
    for setting_type in ("early_years", "primary", "secondary", "special", "post16", "pru_ap"):
        assert visited_types(problem, plan)[setting_type] >= 1
    assert len({v.setting_id for v in plan.visits}) == len(plan.visits)


def test_edited_quotas_ask_for_more_of_a_type() -> None:
    problem = tiny_problem(quotas=Quotas(minimum={"primary": 2, "secondary": 2}))
    plan = sound(problem, solve(problem, QUICK))
    assert visited_types(problem, plan) == Counter({"primary": 2, "secondary": 2})


def test_must_visit_settings_are_visited_even_beyond_the_quotas() -> None:
    candidates = tuple(
        replace(c, must_visit=True) if c.setting_id == 7 else c for c in tiny_problem().candidates
    )
    problem = tiny_problem(candidates=candidates)
    plan = sound(problem, solve(problem, QUICK))
    assert plan.visit_of(7) is not None
    assert plan.unplaced == ()


def test_the_larger_sen_cohort_is_chosen_between_otherwise_equal_settings() -> None:
    small = setting(10, "primary", 1.0, 1.0, sen_support=5, ehc_plans=0)
    large = setting(11, "primary", 1.0, 1.0, sen_support=60, ehc_plans=12)
    problem = tiny_problem(candidates=(small, large), quotas=Quotas(minimum={"primary": 1}))
    plan = sound(problem, solve(problem, QUICK))
    assert [v.setting_id for v in plan.visits] == [11]


def test_visits_stay_inside_opening_hours_and_open_days() -> None:
    afternoons = setting(2, "primary", -1.0, 2.0, opening=(time(12, 30), time(15, 30)))
    thursdays_only = setting(3, "secondary", 2.0, -1.0, opening={4: (time(8, 30), time(15, 30))})
    problem = tiny_problem(
        candidates=(afternoons, thursdays_only),
        quotas=Quotas(minimum={"primary": 1, "secondary": 1}),
    )
    plan = sound(problem, solve(problem, QUICK))
    primary, secondary = plan.visit_of(2), plan.visit_of(3)
    assert primary is not None and secondary is not None
    assert primary.start.astimezone(TZ).time() >= time(12, 30)
    assert primary.end.astimezone(TZ).time() <= time(15, 30)
    assert secondary.start.astimezone(TZ).date() == THURSDAY


def test_visits_avoid_the_settings_unavailable_periods() -> None:
    busy = (at(WEDNESDAY, 8), at(THURSDAY, 13))  # free only Thursday afternoon
    candidate = setting(2, "primary", 1.0, 1.0, unavailable=(busy,))
    problem = tiny_problem(candidates=(candidate,), quotas=Quotas(minimum={"primary": 1}))
    plan = sound(problem, solve(problem, QUICK))
    visit = plan.visit_of(2)
    assert visit is not None and visit.start >= at(THURSDAY, 13)


def test_an_unavailable_inspector_gets_no_visit_that_day() -> None:
    away = (at(WEDNESDAY, 0), at(THURSDAY, 0))
    problem = tiny_problem(inspectors=(inspector(1, unavailable=(away,)), inspector(2)))
    plan = sound(problem, solve(problem, QUICK))
    assert all(
        not (v.inspector_id == 1 and v.start.astimezone(TZ).date() == WEDNESDAY)
        for v in plan.visits
    )


def test_each_day_runs_base_to_base_with_travel_between_visits() -> None:
    problem = tiny_problem()
    plan = sound(problem, solve(problem, QUICK))
    places = {c.place_key: c.coordinates for c in problem.candidates} | {
        i.place_key: i.base for i in problem.inspectors
    }
    visits = {v.setting_id: v for v in plan.visits}
    for route in plan.routes:
        home = problem.inspector(route.inspector_id).place_key
        assert route.legs[0].origin == home and route.legs[-1].destination == home
        assert route.leave_base >= at(route.day, 8, 30)
        assert route.back_at_base <= at(route.day, 17, 30)
        for index, leg in enumerate(route.legs):
            expected = travel_minutes(
                leg.origin,
                places[leg.origin],
                leg.destination,
                places[leg.destination],
                problem.travel,
            )
            assert leg.minutes == expected
            assert leg.arrive - leg.depart == timedelta(minutes=expected)
            if index < len(route.setting_ids):
                visit = visits[route.setting_ids[index]]
                assert visit.start >= leg.arrive
                assert visit.travel_before_minutes == leg.minutes
            if index > 0:
                assert leg.depart >= visits[route.setting_ids[index - 1]].end


def test_no_inspector_makes_more_visits_a_day_than_allowed() -> None:
    team = (inspector(1, max_visits_per_day=1), inspector(2, max_visits_per_day=1))
    problem = tiny_problem(inspectors=team, quotas=Quotas(minimum={"primary": 2, "secondary": 2}))
    plan = sound(problem, solve(problem, QUICK))
    assert len(plan.visits) == 4
    assert all(len(route.setting_ids) <= 1 for route in plan.routes)


def test_every_day_has_a_lunch_break_clear_of_visits_and_travel() -> None:
    problem = tiny_problem()
    plan = sound(problem, solve(problem, QUICK))
    visits = {v.setting_id: v for v in plan.visits}
    for route in plan.routes:
        assert route.lunch_end - route.lunch_start == timedelta(minutes=30)
        assert at(route.day, 12) <= route.lunch_start and route.lunch_end <= at(route.day, 14)
        busy = [(leg.depart, leg.arrive) for leg in route.legs] + [
            (visits[s].start, visits[s].end) for s in route.setting_ids
        ]
        assert all(end <= route.lunch_start or route.lunch_end <= start for start, end in busy)


def test_a_visit_starts_in_its_preferred_window_when_it_can() -> None:
    candidate = setting(2, "primary", 1.0, 1.0, preferred=((time(13, 0), time(13, 30)),))
    problem = tiny_problem(candidates=(candidate,), quotas=Quotas(minimum={"primary": 1}))
    plan = sound(problem, solve(problem, QUICK))
    visit = plan.visit_of(2)
    assert visit is not None
    assert time(13, 0) <= visit.start.astimezone(TZ).time() <= time(13, 30)


def test_a_user_travel_matrix_overrides_distances() -> None:
    near = setting(10, "primary", 0.5, 0.0)
    far = setting(11, "primary", 6.0, 6.0)
    slow = {(f"base:{inspector(1).base_key}", "setting:10"): 200}
    problem = tiny_problem(
        inspectors=(inspector(1),),
        candidates=(near, far),
        quotas=Quotas(minimum={"primary": 1}),
        travel=TravelModel(matrix=slow),
    )
    plan = sound(problem, solve(problem, QUICK))
    assert [v.setting_id for v in plan.visits] == [11]


def test_reproducible_mode_gives_identical_plans() -> None:
    problem = make_instance("small")
    options = SolveOptions(reproducible=True, deterministic_time_limit=5.0)
    first, second = solve(problem, options), solve(problem, options)
    assert first.visits == second.visits
    assert first.routes == second.routes
    assert first.report.objective == second.report.objective


def test_greedy_baseline_is_never_better_than_cp_sat() -> None:
    for problem in (tiny_problem(), make_instance("small")):
        baseline = sound(problem, greedy(problem))
        plan = sound(problem, solve(problem, QUICK))
        assert baseline.report.objective is not None and plan.report.objective is not None
        assert plan.report.objective <= baseline.report.objective


def test_progress_reports_incumbent_and_bound() -> None:
    seen: list[tuple[float, float]] = []
    problem = tiny_problem()
    solve(problem, QUICK, on_progress=lambda objective, bound: seen.append((objective, bound)))
    assert seen and all(bound <= objective for objective, bound in seen)


def test_plan_round_trips_through_json() -> None:
    problem = tiny_problem()
    plan = solve(problem, QUICK)
    stored = json.loads(json.dumps(plan.to_dict()))
    assert RotaPlan.from_dict(stored) == plan
    assert stored["coverage_met"] is True


def test_plan_items_are_visits_saying_whom_to_gather() -> None:
    problem = tiny_problem()
    plan = solve(problem, QUICK)
    items = plan.items(problem)
    assert len(items) == len(plan.visits)
    for item in items:
        assert item.kind == ItemKind.VISIT and item.key == f"visit:{item.setting_id}"
        assert item.start.tzinfo is not None
        assert any(note.startswith("Please gather: ") for note in item.notes)
    primary = next(
        i for i in items if problem.candidate(i.setting_id or 0).setting_type == "primary"
    )
    assert "pupils" in " ".join(primary.notes) and "governors" in " ".join(primary.notes)


def test_friday_feedback_is_one_fixed_event_for_inspectors_and_leaders() -> None:
    friday = WEDNESDAY + timedelta(days=2)
    item = feedback_item(friday, at(friday, 14), at(friday, 15), (1, 2), (50, 51))
    assert item.kind == ItemKind.FEEDBACK
    assert {a.person_id for a in item.attendees} == {1, 2, 50, 51}


def test_quotas_refuse_unknown_setting_types() -> None:
    with pytest.raises(ValueError, match="unknown setting types"):
        Quotas(minimum={"nursery": 1})


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_small_areas_get_sound_plans_no_worse_than_greedy(seed: int) -> None:
    problem = make_instance("small", seed)
    plan = sound(problem, solve(problem, QUICK))
    baseline = sound(problem, greedy(problem))
    assert plan.report.status == SolveStatus.OPTIMAL
    assert plan.report.objective is not None and baseline.report.objective is not None
    assert plan.report.objective <= baseline.report.objective


def test_each_inspectors_day_and_visits_can_be_read_in_order() -> None:
    problem = tiny_problem()
    plan = solve(problem, QUICK)
    for route in plan.routes:
        assert plan.route(route.inspector_id, route.day) == route
    for member in problem.inspectors:
        starts = [v.start for v in plan.visits_by(member.id)]
        assert starts == sorted(starts)
    assert sum(len(plan.visits_by(i.id)) for i in problem.inspectors) == len(plan.visits)


def test_naive_unavailable_periods_are_refused() -> None:
    naive = (at(WEDNESDAY, 9).replace(tzinfo=None), at(WEDNESDAY, 12).replace(tzinfo=None))
    with pytest.raises(ValueError, match="timezone-aware"):
        inspector(1, unavailable=(naive,))
    with pytest.raises(ValueError, match="timezone-aware"):
        setting(1, "primary", 0.0, 0.0, unavailable=(naive,))
