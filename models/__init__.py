"""Persistence: one module per resource (table plus Create / Update / Public schemas).

Importing this package registers every table on ``SQLModel.metadata`` (Alembic needs that).
"""

from models.action import Action
from models.api_token import ApiToken
from models.audit import AuditEntry
from models.calendar_state import CalendarAttendance, CalendarItem
from models.coproduction import CoproductionEntry
from models.data_set import DataSet
from models.document import Document
from models.feed_token import FeedToken
from models.idempotency import IdempotentResponse
from models.inspection import Inspection
from models.local_area import LocalArea
from models.logistics import LogisticsItem
from models.meeting_record import MeetingRecord
from models.meeting_request import MeetingRequest
from models.organisation import Organisation
from models.outbox import OutboxMessage
from models.person import Person
from models.plan import PlanVersion, SolveJob
from models.planning_settings import PlanningSettings
from models.self_evaluation import SelfEvaluationStatement
from models.setting import Setting
from models.team_role import TeamRole
from models.venue import Venue
from models.visit_candidate import VisitCandidate

__all__ = [
    "ApiToken",
    "AuditEntry",
    "CalendarAttendance",
    "CalendarItem",
    "FeedToken",
    "IdempotentResponse",
    "OutboxMessage",
    "PlanVersion",
    "PlanningSettings",
    "SolveJob",
    "Action",
    "CoproductionEntry",
    "DataSet",
    "Document",
    "Inspection",
    "LocalArea",
    "LogisticsItem",
    "MeetingRecord",
    "MeetingRequest",
    "Organisation",
    "Person",
    "SelfEvaluationStatement",
    "Setting",
    "TeamRole",
    "Venue",
    "VisitCandidate",
]
