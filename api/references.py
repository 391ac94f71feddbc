"""Which rows refer to which: checks that ids point inside the area, and names dependents.

One table of references serves both directions, so a new link between resources is
declared once and is both validated on write and protected on delete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, SQLModel, select

from api.problems import Conflict, Unprocessable, summary
from models import (
    Action,
    CalendarAttendance,
    CalendarItem,
    CoproductionEntry,
    DataSet,
    Document,
    Inspection,
    LogisticsItem,
    MeetingRecord,
    MeetingRequest,
    Organisation,
    OutboxMessage,
    Person,
    SelfEvaluationStatement,
    Setting,
    TeamRole,
    Venue,
    VisitCandidate,
)


@dataclass(frozen=True)
class Reference:
    source: type[SQLModel]
    field: str
    target: type[SQLModel]
    many: bool = False


REFERENCES: tuple[Reference, ...] = (
    Reference(Person, "organisation_id", Organisation),
    Reference(Setting, "contact_person_id", Person),
    Reference(Inspection, "inspector_ids", Person, many=True),
    Reference(Inspection, "lead_inspector_id", Person),
    Reference(Inspection, "link_officer_id", Person),
    Reference(MeetingRequest, "inspection_id", Inspection),
    Reference(MeetingRequest, "required_attendee_ids", Person, many=True),
    Reference(MeetingRequest, "optional_attendee_ids", Person, many=True),
    Reference(MeetingRequest, "named_inspector_ids", Person, many=True),
    Reference(MeetingRequest, "note_taker_id", Person),
    Reference(MeetingRequest, "fixed_venue_id", Venue),
    Reference(VisitCandidate, "inspection_id", Inspection),
    Reference(VisitCandidate, "setting_id", Setting),
    Reference(DataSet, "owner_id", Person),
    Reference(Document, "owner_id", Person),
    Reference(SelfEvaluationStatement, "owner_id", Person),
    Reference(Action, "owner_id", Person),
    Reference(Action, "statement_id", SelfEvaluationStatement),
    Reference(TeamRole, "person_id", Person),
    Reference(LogisticsItem, "inspection_id", Inspection),
    Reference(LogisticsItem, "owner_id", Person),
    Reference(MeetingRecord, "inspection_id", Inspection),
    Reference(MeetingRecord, "meeting_request_id", MeetingRequest),
    Reference(MeetingRecord, "note_taker_id", Person),
    Reference(CoproductionEntry, "owner_id", Person),
    # What calendars were sent: kept as the history of invitations and cancellations.
    Reference(CalendarItem, "venue_id", Venue),
    Reference(CalendarItem, "setting_id", Setting),
    Reference(CalendarAttendance, "person_id", Person),
    Reference(OutboxMessage, "person_id", Person),
)

LABELS: dict[type[SQLModel], str] = {
    Organisation: "organisation",
    Person: "person",
    Venue: "venue",
    Setting: "setting",
    Inspection: "inspection",
    MeetingRequest: "meeting request",
    VisitCandidate: "visit candidate",
    DataSet: "data set",
    Document: "document",
    SelfEvaluationStatement: "self evaluation statement",
    Action: "action",
    TeamRole: "team role",
    LogisticsItem: "logistics item",
    MeetingRecord: "meeting record",
    CoproductionEntry: "coproduction entry",
    CalendarItem: "published calendar item",
    CalendarAttendance: "calendar invitation",
    OutboxMessage: "email in the outbox",
}


def label(model: type[SQLModel]) -> str:
    return LABELS.get(model, model.__name__.lower())


def describe(row: Any) -> str:
    name = getattr(row, "name", None) or getattr(row, "title", None)
    text = f"{label(type(row))} {row.id}"
    return f"{text} ({name})" if name else text


def _ids(value: Any) -> list[int]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def check_targets(
    session: Session, area_id: int, model: type[SQLModel], values: dict[str, Any]
) -> None:
    """Refuse ids that do not name a row of the same local area (422 naming each field)."""
    errors = []
    for ref in REFERENCES:
        if ref.source is not model or ref.field not in values:
            continue
        wanted = set(_ids(values[ref.field]))
        if not wanted:
            continue
        target: Any = ref.target
        found = set(
            session.exec(
                select(target.id).where(target.id.in_(wanted), target.local_area_id == area_id)
            ).all()
        )
        for missing in sorted(wanted - found):
            errors.append(
                {
                    "field": ref.field,
                    "reason": f"no {label(ref.target)} {missing} in this local area",
                    "location": "body",
                }
            )
    if errors:
        raise Unprocessable(summary(errors), errors)


def dependents(session: Session, row: Any) -> list[str]:
    """Rows that still refer to ``row``, described for a person to act on."""
    found: list[str] = []
    target: Any = row  # not narrowed by the isinstance below: rows are SQLModel tables
    for ref in REFERENCES:
        if not isinstance(row, ref.target):
            continue
        source: Any = ref.source
        # In id order: without it PostgreSQL lists them in whatever order it finds them.
        if ref.many:
            candidates: Iterable[Any] = session.exec(
                select(source)
                .where(source.local_area_id == target.local_area_id)
                .order_by(source.id)
            ).all()
            hits = [c for c in candidates if target.id in (getattr(c, ref.field) or [])]
        else:
            pointing = select(source).where(getattr(source, ref.field) == target.id)
            hits = list(session.exec(pointing.order_by(source.id)))
        found.extend(f"{describe(hit)} via {ref.field}" for hit in hits)
    return found


def refuse_if_referenced(session: Session, row: Any) -> None:
    found = dependents(session, row)
    if found:
        raise Conflict(
            f"{describe(row)} is still referred to by: {'; '.join(found)}",
            [
                {"field": "id", "reason": f"referred to by {text}", "dependent": text}
                for text in found
            ],
        )


def check_ids(
    session: Session, area_id: int, target: type[SQLModel], field: str, ids: Iterable[int | None]
) -> None:
    """Refuse ids in a nested field (e.g. settings documents) that are not in the area."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return
    model: Any = target
    found = set(
        session.exec(
            select(model.id).where(model.id.in_(wanted), model.local_area_id == area_id)
        ).all()
    )
    errors = [
        {"field": field, "reason": f"no {label(target)} {i} in this local area", "location": "body"}
        for i in sorted(wanted - found)
    ]
    if errors:
        raise Unprocessable(summary(errors), errors)
