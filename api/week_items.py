"""The whole week as published: strategy items, visits and the Friday feedback.

Calendar invitations and feeds read the week only through here, so both halves of the
plan reach people the same way.
"""

from __future__ import annotations

from sqlmodel import Session

from api.plan_versions import published_version
from api.planners import PLANNERS
from api.rota_planner import feedback
from models.inspection import Inspection
from scheduler.plan import PlanItem


def published_items(session: Session, inspection: Inspection) -> list[PlanItem]:
    items: list[PlanItem] = []
    for part, planner in PLANNERS.items():
        version = published_version(session, inspection, part.value)
        if version is None:
            continue
        problem = planner.build(session, inspection, None, [], {})
        items.extend(planner.items(problem, planner.current(problem, version.plan)))
    friday = feedback(session, inspection)
    if friday is not None and items:
        items.append(friday)
    return sorted(items, key=lambda item: (item.start, item.key))
