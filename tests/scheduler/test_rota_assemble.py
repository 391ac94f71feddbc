"""A plan assembled again (after a hand move) states its quota notes afresh."""

from __future__ import annotations

from scheduler.rota import Quotas
from scheduler.rota.assemble import build_plan, with_routes
from scheduler.rota.context import RotaContext
from scheduler.rota.routes import time_route
from scheduler.solving import SolveReport, SolveStatus
from tests.scheduler.rota_fixtures import tiny_problem

REPORT = SolveReport(SolveStatus.FEASIBLE, 0.0, None, None, 0.0)


def test_a_quota_met_by_an_added_visit_loses_its_note_and_solve_notes_stay() -> None:
    ctx = RotaContext(tiny_problem(quotas=Quotas(minimum={"primary": 2})))
    first, second = ctx.problem.inspectors
    one = time_route(ctx, first, 0, (2,))
    assert one is not None
    plan = build_plan(ctx, [one], REPORT, ("routes listed in full",))
    assert any("1 of 2" in note for note in plan.quota_notes)
    other = time_route(ctx, second, 0, (7,))
    assert other is not None
    edited = with_routes(ctx, plan, [other], set())
    assert {v.setting_id for v in edited.visits} == {2, 7}
    assert edited.quota_notes == ()
    assert edited.notes == ("routes listed in full",)
