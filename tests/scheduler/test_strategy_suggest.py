"""Suggestions: ranked alternative places for one meeting, each valid, nothing applied."""

from __future__ import annotations

from scheduler.strategy import analyse, placement_violations, solve, suggest, validate
from tests.scheduler.strategy_fixtures import FAST, at, meeting, problem


def test_suggestions_are_valid_alternatives_ranked_by_cost() -> None:
    p = problem(
        meeting(1, 10, 11, optional_ids=(12,), preferred=((at(9), at(12)),)),
        meeting(2, 12, 13),
        meeting(3, 11, 14),
    )
    plan = solve(p, FAST)
    before = plan.to_dict()
    ideas = suggest(p, plan, 1, limit=4)
    assert 1 <= len(ideas) <= 4
    assert [s.cost for s in ideas] == sorted(s.cost for s in ideas)
    for idea in ideas:
        assert idea.placement != plan.placement(1)
        assert placement_violations(p, plan, idea.placement) == []
        moved = plan.with_placement(idea.placement)
        assert validate(p, moved) == []
        assert analyse(p, moved).total - analyse(p, plan).total == idea.cost_delta
        assert idea.cost_delta >= 0  # the plan was optimal
    assert plan.to_dict() == before


def test_a_hand_edit_that_double_books_someone_is_refused_with_their_name() -> None:
    p = problem(meeting(1, 10), meeting(2, 10, 11))
    plan = solve(p, FAST)
    first, second = plan.placement(1), plan.placement(2)
    assert first is not None and second is not None
    clash = second.__class__(**{**second.__dict__, "start": first.start, "end": first.end})
    messages = [v.message for v in placement_violations(p, plan, clash)]
    assert any("Staff 10 would be in" in m and "at once" in m for m in messages)
