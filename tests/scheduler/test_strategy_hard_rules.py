"""Each hard rule: an input that would break it is repaired or the meeting is left out with
reasons that name who or what is in the way. Every plan also passes the validator."""

from __future__ import annotations

from datetime import timedelta

from scheduler.strategy import StrategyPlan, StrategyProblem, Venue, solve, validate
from tests.scheduler.strategy_fixtures import (
    FAST,
    at,
    meeting,
    people,
    problem,
    replace_person,
    venues,
)


def solved(p: StrategyProblem) -> StrategyPlan:
    plan = solve(p, FAST)
    assert validate(p, plan) == []
    return plan


def reasons(plan: StrategyPlan, meeting_id: int) -> str:
    (unplaced,) = [u for u in plan.unplaced if u.meeting_id == meeting_id]
    return " ".join(unplaced.reasons)


def test_a_required_persons_leave_moves_the_meeting_out_of_it() -> None:
    persons = replace_person(people(), 10, unavailable=((at(8), at(13, 15)),))
    plan = solved(problem(meeting(1, 10, 11), persons=persons))
    placed = plan.placement(1)
    assert placed is not None and placed.start >= at(13, 15)


def test_a_required_person_away_all_day_leaves_the_meeting_unplaced_naming_them() -> None:
    persons = replace_person(people(), 10, unavailable=((at(7), at(19)),))
    plan = solved(problem(meeting(1, 10, 11), persons=persons))
    assert plan.placement(1) is None
    assert "Staff 10 (required) is unavailable at every possible start time" in reasons(plan, 1)


def test_meetings_stay_inside_working_hours_and_clear_of_the_protected_lunch() -> None:
    plan = solved(problem(*(meeting(i, 10 + i, minutes=90) for i in range(1, 5))))
    for p in plan.placements:
        assert p.start >= at(8, 30) and p.end <= at(17, 30)
        assert p.end <= at(12, 30) or p.start >= at(13, 15)


def test_a_meeting_longer_than_any_half_day_is_unplaced_with_the_reason() -> None:
    plan = solved(problem(meeting(1, 10, minutes=300)))
    assert "does not fit the working hours" in reasons(plan, 1)


def test_nobody_is_in_two_meetings_at_once() -> None:
    plan = solved(problem(meeting(1, 10, 11), meeting(2, 10, 12), meeting(3, 10, 13)))
    spans = sorted((p.start, p.end) for p in plan.placements)
    assert len(spans) == 3
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))


def test_a_person_at_their_daily_limit_gets_no_more_meetings_and_is_named() -> None:
    persons = replace_person(people(), 10, max_meetings_per_day=1)
    plan = solved(problem(meeting(1, 10), meeting(2, 10), persons=persons))
    assert len(plan.placements) == 1
    (left,) = plan.unplaced
    assert "Staff 10 (required) has reached 1 meetings a day" in " ".join(left.reasons)


def test_the_venue_holds_everyone_present() -> None:
    # 6 required + inspector + note-taker = 8: too many for Room B (4 seats).
    plan = solved(problem(meeting(1, 10, 11, 12, 13, 14, 15, fixed_venue_id=101)))
    assert "Room B seats 4, 8 needed" in reasons(plan, 1)
    plan = solved(problem(meeting(1, 10, 11, 12, 13, 14, 15)))
    placed = plan.placement(1)
    assert placed is not None and placed.venue_id in (100, 102)


def test_optional_attendees_only_come_while_there_are_seats() -> None:
    small = [Venue(101, "Room B", 4, coordinates=None)]
    plan = solved(problem(meeting(1, 10, optional_ids=(11, 12, 13)), rooms=small))
    placed = plan.placement(1)
    assert placed is not None and len(placed.attendee_ids) == 4
    assert len(placed.optional_ids) == 1


def test_someone_needing_step_free_access_never_lands_in_a_stepped_venue() -> None:
    persons = replace_person(people(), 10, needs_step_free=True)
    only_stepped = [venues()[1]]
    plan = solved(problem(meeting(1, 10), persons=persons, rooms=only_stepped))
    assert "Room B is not step-free" in reasons(plan, 1)
    persons = replace_person(people(), 11, needs_step_free=True)
    plan = solved(problem(meeting(1, 10, optional_ids=(11,)), persons=persons, rooms=only_stepped))
    placed = plan.placement(1)
    assert placed is not None and 11 not in placed.optional_ids


def test_a_venue_is_never_double_booked_nor_used_when_unavailable() -> None:
    room = Venue(100, "Room A", 10, unavailable=((at(8), at(12, 30)),))
    plan = solved(problem(meeting(1, 10), meeting(2, 11), meeting(3, 12), rooms=[room]))
    spans = sorted((p.start, p.end) for p in plan.placements)
    assert len(spans) == 3
    assert all(start >= at(13, 15) for start, _ in spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))


def test_parent_reps_are_placed_only_inside_the_hours_they_gave() -> None:
    plan = solved(problem(meeting(1, 10, parent_reps_wanted=2)))
    placed = plan.placement(1)
    assert placed is not None and set(placed.parent_rep_ids) == {30, 31}
    assert at(9, 30) <= placed.start and placed.end <= at(11)


def test_travel_between_venues_leaves_a_buffer_for_the_people_who_move() -> None:
    first = meeting(
        1,
        10,
        fixed_start=at(9),
        fixed_venue_id=100,
        inspector_rule="named",
        named_inspector_ids=(1,),
    )
    second = meeting(
        2,
        11,
        fixed_venue_id=102,
        inspector_rule="named",
        named_inspector_ids=(1,),
        preferred=((at(10), at(11)),),
    )
    plan = solved(problem(first, second))
    a, b = plan.placement(1), plan.placement(2)
    assert a is not None and b is not None
    assert b.start - a.end >= timedelta(minutes=5)


def test_each_meeting_gets_the_inspectors_it_asked_for() -> None:
    plan = solved(
        problem(
            meeting(1, 10, inspector_rule="all"),
            meeting(2, 11, inspector_rule="named", named_inspector_ids=(2,)),
            meeting(3, 12),
        )
    )
    inspectors = {p.meeting_id: p.inspector_ids for p in plan.placements}
    assert inspectors[1] == (1, 2) and inspectors[2] == (2,) and len(inspectors[3]) == 1


def test_inspectors_split_to_cover_meetings_in_parallel() -> None:
    plan = solved(
        problem(*(meeting(i, 10 + i, minutes=240, note_taker_id=15 + i) for i in range(1, 5)))
    )
    assert len(plan.placements) == 4  # 2 inspectors x (morning, afternoon)


def test_every_meeting_has_a_note_taker_or_says_why_not() -> None:
    plan = solved(problem(meeting(1, 10), meeting(2, 11, note_taker_id=12)))
    assert {p.meeting_id: p.note_taker_id for p in plan.placements} == {1: 3, 2: 12}
    one_day_slot = [Venue(100, "Room A", 10)]
    busy_pool = problem(
        meeting(1, 10, minutes=240, inspector_rule="all"),
        meeting(2, 11, minutes=240, inspector_rule="all"),
        meeting(3, 12, minutes=240),
        rooms=one_day_slot + [Venue(102, "Family Hub", 20)],
    )
    plan = solved(busy_pool)
    (left,) = plan.unplaced
    assert "no inspector is free" in " ".join(left.reasons) or "note-taker" in " ".join(
        left.reasons
    )
    persons = replace_person(people(), 3, unavailable=((at(7), at(19)),))
    plan = solved(problem(meeting(1, 10), persons=persons))
    assert "no note-taker from the pool is free" in reasons(plan, 1)


def test_fixed_items_keep_their_time_even_outside_working_hours() -> None:
    webinar = meeting(
        1,
        minutes=60,
        online=True,
        fixed_start=at(18, 30),
        inspector_rule="named",
        named_inspector_ids=(2,),
        note_taker_id=12,
    )
    intro = meeting(2, 10, 11, fixed_start=at(11), fixed_venue_id=100, inspector_rule="all")
    plan = solved(problem(webinar, intro, meeting(3, 10)))
    assert plan.placement(1) is not None and plan.placement(1).start == at(18, 30)  # type: ignore[union-attr]
    assert plan.placement(1).venue_id is None  # type: ignore[union-attr]
    assert plan.placement(2).start == at(11) and plan.placement(2).venue_id == 100  # type: ignore[union-attr]
