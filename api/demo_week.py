"""The demo's whole week: solve both halves, publish them, and open calendar feeds.

This is what a timetable master does through the API, done in one go so the demo shows
the finished week: invitations waiting in the outbox and feeds to subscribe to.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlmodel import Session

from api.plan_versions import save_version
from api.planners import PLANNERS
from api.planning import reasons
from api.publication import publish_version
from api.routers.feeds import feed_urls, hash_feed_token
from api.settings import Settings
from models.feed_token import FeedKind, FeedToken
from models.inspection import Inspection
from models.types import utc_now
from scheduler.solving import SolveOptions


@dataclass
class DemoWeek:
    reports: dict[str, dict[str, object]] = field(default_factory=dict)
    messages: int = 0
    feeds: dict[str, str] = field(default_factory=dict)


def _feed(
    session: Session,
    inspection: Inspection,
    settings: Settings,
    kind: FeedKind,
    subject_id: int | None,
    label: str,
) -> str:
    assert inspection.id is not None
    token = secrets.token_urlsafe(32)
    session.add(
        FeedToken(
            local_area_id=inspection.local_area_id,
            inspection_id=inspection.id,
            kind=kind,
            subject_id=subject_id,
            label=label,
            token_hash=hash_feed_token(token),
        )
    )
    return feed_urls(settings.public_base_url, token)[1]


def plan_and_publish(
    session: Session, inspection: Inspection, settings: Settings, time_limit_s: float = 10.0
) -> DemoWeek:
    week = DemoWeek()
    for part, planner in PLANNERS.items():
        problem = planner.build(session, inspection, None, [], {})
        plan = planner.solve(problem, SolveOptions(time_limit_s=time_limit_s), None, None)
        report = planner.report(plan)
        version = save_version(
            session,
            inspection,
            part,
            planner.dump(plan),
            report,
            source="solve",
            parent_number=None,
            pinned=[],
            violations=reasons(planner.validate(problem, plan)),
        )
        session.flush()
        summary = publish_version(session, inspection, version, now=utc_now(), settings=settings)
        week.reports[part.value] = report
        week.messages += summary.messages
    week.feeds["whole week"] = _feed(session, inspection, settings, FeedKind.WEEK, None, "demo")
    if inspection.link_officer_id is not None:
        week.feeds["link officer"] = _feed(
            session, inspection, settings, FeedKind.PERSON, inspection.link_officer_id, "demo"
        )
    if inspection.lead_inspector_id is not None:
        week.feeds["lead inspector"] = _feed(
            session, inspection, settings, FeedKind.INSPECTOR, inspection.lead_inspector_id, "demo"
        )
    session.commit()
    return week
