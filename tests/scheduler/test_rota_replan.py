"""Re-planning keeps everything that can stay, and the difference says what moved for whom."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from scheduler.rota import RotaPlan, RotaProblem, analyse, diff, replan, solve, validate
from tests.scheduler.rota_fixtures import QUICK, THURSDAY, WEDNESDAY, at, inspector, tiny_problem


def published() -> tuple[RotaProblem, RotaPlan]:
    team = (inspector(1), inspector(2, east_km=1.0), inspector(3, east_km=-1.0))
    problem = tiny_problem(inspectors=team)
    return problem, solve(problem, QUICK)


def replanned(problem: RotaProblem, plan: RotaPlan, **changes: Any) -> RotaPlan:
    changed = replace(problem, **changes)
    new, change = replan(changed, plan, QUICK)
    assert change == diff(plan, new)
    changed = replace(changed, previous=plan)
    assert validate(changed, new) == []
    assert analyse(changed, new).total == new.report.objective
    return new


def test_when_an_inspector_drops_out_only_their_visits_move() -> None:
    problem, plan = published()
    away = (at(WEDNESDAY, 0), at(THURSDAY, 23, 59))
    team = tuple(replace(i, unavailable=(away,)) if i.id == 2 else i for i in problem.inspectors)
    new = replanned(problem, plan, inspectors=team)
    change = diff(plan, new)
    assert any(v.inspector_id == 2 for v in plan.visits)
    assert all(v.inspector_id != 2 for v in new.visits)
    assert new.coverage_met
    kept = [v for v in plan.visits if v.inspector_id != 2]
    assert all(new.visit_of(v.setting_id) == v for v in kept)
    # A moved visit has a before; None would fail the check as the original lookup did.
    assert {m.before and m.before.inspector_id for m in change.moved} <= {2}
    assert 2 in change.affected_inspector_ids
    assert len(change.changes) >= 1


def test_when_a_setting_drops_out_another_of_its_type_replaces_it() -> None:
    problem, plan = published()
    primary = next(
        v for v in plan.visits if problem.candidate(v.setting_id).setting_type == "primary"
    )
    remaining = tuple(c for c in problem.candidates if c.setting_id != primary.setting_id)
    new = replanned(problem, plan, candidates=remaining)
    change = diff(plan, new)
    assert [v.setting_id for v in change.removed] == [primary.setting_id]
    [added] = change.added
    assert problem.candidate(added.setting_id).setting_type == "primary"
    assert change.moved == []
    assert new.coverage_met


def test_re_solving_an_unchanged_problem_changes_nothing() -> None:
    problem, plan = published()
    new = replanned(problem, plan)
    assert diff(plan, new).changes == ()


def test_a_pinned_visit_stays_put_when_its_inspector_could_do_better_elsewhere() -> None:
    problem, plan = published()
    pinned = plan.visits[0]
    away = (at(WEDNESDAY, 0), at(THURSDAY, 23, 59))
    others = tuple(
        replace(i, unavailable=(away,)) if i.id != pinned.inspector_id else i
        for i in problem.inspectors
    )
    new = replanned(problem, plan, pinned=frozenset({pinned.setting_id}), inspectors=others)
    assert new.visit_of(pinned.setting_id) == pinned


def test_diff_of_a_plan_with_itself_is_empty() -> None:
    _, plan = published()
    change = diff(plan, plan)
    assert change.changes == () and change.affected_inspector_ids == ()
