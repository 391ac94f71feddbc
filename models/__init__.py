"""Persistence: one module per resource (table plus Create / Update / Public schemas).

Importing this package registers every table on ``SQLModel.metadata`` (Alembic needs that).
"""

from models.api_token import ApiToken
from models.audit import AuditEntry
from models.inspection import Inspection
from models.local_area import LocalArea
from models.meeting_request import MeetingRequest
from models.organisation import Organisation
from models.person import Person
from models.plan import PlanVersion, SolveJob
from models.planning_settings import PlanningSettings
from models.setting import Setting
from models.venue import Venue
from models.visit_candidate import VisitCandidate

__all__ = [
    "ApiToken",
    "AuditEntry",
    "PlanVersion",
    "PlanningSettings",
    "SolveJob",
    "Inspection",
    "LocalArea",
    "MeetingRequest",
    "Organisation",
    "Person",
    "Setting",
    "Venue",
    "VisitCandidate",
]
