"""Publishing a plan version: it becomes the week people see, and their calendars follow.

The version's flag and the invitation messages are written in one transaction (the caller
commits), so a failed publish leaves neither a half-published plan nor stray messages.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from api.problems import Conflict
from api.publishing import PublishSummary, publish_week
from api.settings import Settings
from api.week_items import published_items
from models.inspection import Inspection
from models.plan import PlanVersion


def publish_version(
    session: Session,
    inspection: Inspection,
    version: PlanVersion,
    *,
    now: datetime,
    settings: Settings,
) -> PublishSummary:
    if version.violations:
        raise Conflict(
            f"version {version.number} breaks hard rules and cannot be published",
            [{"field": "number", "reason": v} for v in version.violations],
        )
    version.published_at = now
    session.add(version)
    session.flush()
    return publish_week(
        session, inspection, published_items(session, inspection), now=now, settings=settings
    )
