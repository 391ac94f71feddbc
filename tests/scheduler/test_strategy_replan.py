"""Re-planning after a change moves only what must move, and the diff says for whom."""

from __future__ import annotations

from dataclasses import replace

from scheduler.strategy import ChangeKind, analyse, diff, replan, solve, validate
from tests.scheduler.strategy_fixtures import FAST, at, meeting, people, problem, replace_person


def base_meetings() -> list:  # type: ignore[type-arg]
    return [meeting(i, 10 + i, optional_ids=(15,), note_taker_id=16) for i in range(1, 5)]


def test_someone_becoming_unavailable_moves_only_their_meeting() -> None:
    p = problem(*base_meetings(), days=2)
    published = solve(p, FAST)
    hit = published.placement(2)
    assert hit is not None
    persons = replace_person(people(), 12, unavailable=((hit.start, hit.end),))
    changed = problem(*base_meetings(), persons=persons, days=2)
    plan, changes = replan(changed, published, FAST)
    assert validate(changed, plan) == []
    assert changes.moved_ids == (2,)
    assert 12 in changes.affected_person_ids
    assert {c.meeting_id for c in changes.changes} == {2}


def test_pinned_meetings_stay_put_and_new_meetings_show_as_added() -> None:
    p = problem(*base_meetings())
    published = solve(p, FAST)
    pinned = published.placement(1)
    assert pinned is not None
    clash = meeting(8, 11, fixed_start=pinned.start, note_taker_id=17)
    grown = problem(*base_meetings(), clash, meeting(9, 10, 17))
    plan, changes = replan(grown, published, FAST, pinned_ids=frozenset({1}))
    assert plan.placement(1) == pinned
    assert [c.meeting_id for c in changes.of_kind(ChangeKind.ADDED)] == [9]
    (left,) = plan.unplaced
    assert left.meeting_id == 8
    assert "Staff 11 (required) is busy at every possible time (in 'Meeting 1')" in left.reasons
    assert validate(replace(grown, previous=published, pinned_ids=frozenset({1})), plan) == []


def test_the_diff_of_a_plan_with_itself_is_empty() -> None:
    p = problem(*base_meetings())
    plan = solve(p, FAST)
    assert diff(plan, plan).changes == ()
    assert at(8) < plan.placements[0].start


def test_a_pinned_meeting_that_no_longer_fits_is_unplaced_saying_so() -> None:
    p = problem(meeting(1, 10), meeting(2, 11))
    published = solve(p, FAST)
    pinned = published.placement(1)
    assert pinned is not None
    persons = replace_person(people(), 10, unavailable=((pinned.start, pinned.end),))
    changed = problem(meeting(1, 10), meeting(2, 11), persons=persons)
    plan, changes = replan(changed, published, FAST, pinned_ids=frozenset({1}))
    (left,) = plan.unplaced
    assert left.reasons[0].startswith("its pinned time Mon 09 Mar")
    assert "Staff 10 (required) is unavailable" in left.reasons[0]
    assert [c.kind for c in changes.changes] == [ChangeKind.REMOVED]


def rep_meeting() -> list:  # type: ignore[type-arg]
    return [meeting(1, 10, parent_reps_wanted=1, optional_ids=(15,)), meeting(2, 11)]


def test_a_re_plan_keeps_who_attends_when_nothing_forces_a_change() -> None:
    p = problem(*rep_meeting())
    first = solve(p, FAST)
    held = first.placement(1)
    assert held is not None and len(held.parent_rep_ids) == 1
    # Published with the other rep, who is just as free: the re-plan has no reason to swap.
    other = ({30, 31} - set(held.parent_rep_ids)).pop()
    published = first.with_placement(replace(held, parent_rep_ids=(other,)))
    plan, changes = replan(p, published, FAST)
    kept = plan.placement(1)
    assert kept is not None and kept.parent_rep_ids == (other,)
    assert changes.changes == ()


def test_taking_someone_off_a_meeting_in_a_re_plan_costs_and_is_named() -> None:
    p = problem(*rep_meeting())
    published = solve(p, FAST)
    held = published.placement(1)
    assert held is not None and held.parent_rep_ids
    (rep,) = held.parent_rep_ids
    # That rep can no longer come at all; the other one can.
    persons = replace_person(people(), rep, available=((at(7), at(7, 30)),))
    plan, _ = replan(problem(*rep_meeting(), persons=persons), published, FAST)
    changed = replace(problem(*rep_meeting(), persons=persons), previous=published)
    analysis = analyse(changed, plan)
    change = next(g for g in analysis.goals if g.goal == "minimal_change")
    assert [(pen.cost, pen.person_ids) for pen in change.penalties] == [(5, (rep,))]
    assert "is taken off 'Meeting 1'" in change.penalties[0].message
    assert analysis.total == plan.report.objective == plan.model_objective
