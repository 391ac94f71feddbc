"""Explanations name the requirements in conflict, from a feasibility-only solve."""

from __future__ import annotations

from scheduler.strategy import explain
from tests.scheduler.strategy_fixtures import at, meeting, people, problem, replace_person


def test_two_fixed_meetings_sharing_a_person_are_named_as_the_conflict() -> None:
    p = problem(
        meeting(1, 10, fixed_start=at(11)),
        meeting(2, 10, fixed_start=at(11)),
        meeting(3, 12),
    )
    explanation = explain(p, time_limit_s=5)
    assert not explanation.feasible
    text = " | ".join(explanation.sentences)
    assert "'Meeting 1' is fixed at" in text and "'Meeting 2' is fixed at" in text
    assert "Staff 10 (required) must attend" in text
    assert "Meeting 3" not in text


def test_leave_that_blocks_every_time_is_named_with_the_person() -> None:
    persons = replace_person(people(), 10, unavailable=((at(7), at(19)),))
    explanation = explain(problem(meeting(1, 10, 11), persons=persons), time_limit_s=5)
    assert not explanation.feasible
    assert set(explanation.sentences) == {
        "'Meeting 1' must be placed",
        "Staff 10 (required) must attend 'Meeting 1'",
        "Staff 10 is unavailable Mon 09 Mar 07:00–19:00",
    }
    assert explanation.proven_minimal


def test_requests_that_fit_together_have_nothing_to_explain() -> None:
    explanation = explain(problem(meeting(1, 10), meeting(2, 10)), time_limit_s=5)
    assert explanation.feasible and explanation.conflicts == ()
