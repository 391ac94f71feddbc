"""Publishing a plan to people's calendars: the calendar state per item and the outbox rows.

``publish_week`` compares the items of a newly published plan with what every calendar was
last sent (``CalendarItem`` / ``CalendarAttendance``) and queues, in the caller's transaction,
exactly the iTIP messages that bring each calendar up to date:

- a REQUEST to each attendee of a new item, and to each attendee whose own view of an item
  changed (time, place, title, their role, the item's notes);
- a CANCEL to each person taken off an item that goes on, and to everybody on a removed item.

Who else comes is part of the DESCRIPTION but not of a person's view: adding a colleague to a
meeting does not send everyone already invited a new email.

SEQUENCE rises whenever an item changes in a way that is sent to anyone (RFC 5546: a client
ignores a message whose SEQUENCE is not above what it holds), and never otherwise.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel
from sqlmodel import Session, col, select

from api.problems import Unprocessable
from api.settings import Settings, get_settings
from models.calendar_state import CalendarAttendance, CalendarItem, PartStat
from models.inspection import Inspection
from models.local_area import LocalArea
from models.outbox import OutboxMessage
from models.person import Person
from models.setting import Setting
from models.venue import Venue
from scheduler.ical import (
    CalendarAttendee,
    CalendarEvent,
    CalendarPerson,
    build_message,
    stable_uid,
    who_else_comes,
)
from scheduler.ical.event import AttendeeRole, require_aware
from scheduler.ical.itip import ItipMethod
from scheduler.plan import AttendeeRole as PlanRole
from scheduler.plan import ItemKind, PlanItem

# The answers an attendee can give through a signed link, as they appear in the URL.
LINK_ANSWERS: dict[str, PartStat] = {
    "accept": PartStat.ACCEPTED,
    "tentative": PartStat.TENTATIVE,
    "decline": PartStat.DECLINED,
}

# When one person appears twice on an item, the stronger role wins.
_ROLE_STRENGTH = {
    PlanRole.NOTE_TAKER: 4,
    PlanRole.INSPECTOR: 3,
    PlanRole.REQUIRED: 2,
    PlanRole.PARENT_REP: 2,
    PlanRole.OPTIONAL: 1,
}

_WHAT = {
    ItemKind.MEETING: "Strategy meeting of the SEND local area inspection ({title}).",
    ItemKind.FIXED: "Fixed session of the SEND local area inspection ({title}).",
    ItemKind.WEBINAR: (
        "Online webinar of the SEND local area inspection ({title}), where the inspectors hear "
        "from parents and carers."
    ),
    ItemKind.VISIT: (
        "Inspection visit to {place} ({title}): an inspector spends up to three hours with "
        "leaders, staff, pupils and parents to see how the local area improves outcomes for "
        "children and young people with SEND. This is not an inspection of the setting."
    ),
    ItemKind.FEEDBACK: "Feedback from the inspection team ({title}).",
}


class PublishSummary(BaseModel):
    """What a publish sent: item keys by outcome and message counts."""

    new_items: list[str] = []
    changed_items: list[str] = []
    cancelled_items: list[str] = []
    unchanged_items: int = 0
    requests: int = 0
    cancellations: int = 0

    @property
    def messages(self) -> int:
        return self.requests + self.cancellations


def ical_role(role: PlanRole, settings: Settings) -> AttendeeRole:
    """The iCalendar ROLE for a plan role; the note-taker's is configurable."""
    if role == PlanRole.OPTIONAL:
        return "OPT-PARTICIPANT"
    if role == PlanRole.NOTE_TAKER:
        return settings.note_taker_role
    return "REQ-PARTICIPANT"


def is_required(role: str) -> bool:
    """Whether a decline in this iCalendar role means the item must be re-planned."""
    return role in ("REQ-PARTICIPANT", "CHAIR")


# --- signed reply links ----------------------------------------------------------------------


def rsvp_signature(secret: str, attendance_id: int, sequence: int, answer: str) -> str:
    """HMAC-SHA256 over what the link asserts: who, which version, which answer."""
    message = f"{attendance_id}:{sequence}:{answer}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def rsvp_signature_valid(
    secret: str, attendance_id: int, sequence: int, answer: str, signature: str
) -> bool:
    expected = rsvp_signature(secret, attendance_id, sequence, answer)
    return hmac.compare_digest(expected, signature)


def rsvp_links(settings: Settings, attendance_id: int, sequence: int) -> dict[str, str]:
    """Signed accept / maybe / decline URLs for one attendee and version (none without a key)."""
    if settings.rsvp_secret is None:
        return {}
    secret = settings.rsvp_secret.get_secret_value()
    base = settings.public_base_url.rstrip("/")
    links = {}
    for answer, partstat in LINK_ANSWERS.items():
        signature = rsvp_signature(secret, attendance_id, sequence, answer)
        query = urlencode({"v": sequence, "sig": signature})
        links[str(partstat)] = f"{base}/api/v1/rsvp/{attendance_id}/{answer}?{query}"
    return links


def record_answer(
    attendance: CalendarAttendance, partstat: PartStat, *, now: datetime
) -> CalendarAttendance:
    """Store an attendee's answer; a required attendee's decline flags the item for re-planning."""
    attendance.partstat = partstat
    attendance.replied_at = now
    attendance.needs_replan = partstat == PartStat.DECLINED and is_required(attendance.role)
    return attendance


# --- publishing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Invitee:
    person_id: int
    plan_role: PlanRole
    person: CalendarPerson
    role: AttendeeRole


@dataclass(frozen=True)
class _Resolved:
    """A plan item with every name, address and place looked up."""

    item: PlanItem
    summary: str
    location: str | None
    geo: tuple[float, float] | None
    url: str | None
    what: str
    notes_text: str
    invitees: tuple[_Invitee, ...]


class _Directory:
    """The people, venues and settings of one area, loaded once per publish."""

    def __init__(self, session: Session, inspection: Inspection, items: Sequence[PlanItem]):
        person_ids = {a.person_id for item in items for a in item.attendees}
        if inspection.link_officer_id is not None:
            person_ids.add(inspection.link_officer_id)
        venue_ids = {item.venue_id for item in items if item.venue_id is not None}
        setting_ids = {item.setting_id for item in items if item.setting_id is not None}
        area_id = inspection.local_area_id
        self.people = _by_id(session, Person, person_ids, area_id)
        self.venues = _by_id(session, Venue, venue_ids, area_id)
        self.settings = _by_id(session, Setting, setting_ids, area_id)
        missing = [f"person {i}" for i in sorted(person_ids - self.people.keys())]
        missing += [f"venue {i}" for i in sorted(venue_ids - self.venues.keys())]
        missing += [f"setting {i}" for i in sorted(setting_ids - self.settings.keys())]
        if missing:
            raise Unprocessable(f"the plan refers to what the area does not hold: {missing}")

    def calendar_person(self, person_id: int) -> CalendarPerson:
        person = self.people[person_id]
        try:
            return CalendarPerson(person.name, person.email)
        except ValueError as error:
            raise Unprocessable.field("email", f"person {person_id}: {error}") from error


def _by_id(session: Session, model: Any, ids: set[int], area_id: int) -> dict[int, Any]:
    if not ids:
        return {}
    rows = session.exec(
        select(model).where(col(model.id).in_(ids), model.local_area_id == area_id)
    ).all()
    return {row.id: row for row in rows}


def _place_text(place: Venue | Setting) -> str:
    """Name, address and postcode, without repeating what the address already says."""
    parts: list[str] = []
    for part in (place.name, place.address, place.postcode):
        text = (part or "").strip()
        if not text or any(text.lower() in known.lower() for known in parts):
            continue
        parts = [known for known in parts if known.lower() not in text.lower()]
        parts.append(text)
    return ", ".join(parts)


def _place_geo(place: Venue | Setting) -> tuple[float, float] | None:
    if place.latitude is None or place.longitude is None:
        return None
    return (place.latitude, place.longitude)


def _resolve(
    item: PlanItem, directory: _Directory, inspection: Inspection, settings: Settings
) -> _Resolved:
    place: Venue | Setting | None = None
    if item.venue_id is not None:
        place = directory.venues[item.venue_id]
    elif item.setting_id is not None:
        place = directory.settings[item.setting_id]
    url = settings.online_meeting_url if item.online else None
    if place is not None:
        location: str | None = _place_text(place)
        geo = _place_geo(place)
    elif item.online:
        location = settings.online_meeting_url or "Online (the organiser will send the link)"
        geo = None
    else:
        location, geo = None, None

    roles: dict[int, PlanRole] = {}
    for attendee in item.attendees:
        known = roles.get(attendee.person_id)
        if known is None or _ROLE_STRENGTH[attendee.role] > _ROLE_STRENGTH[known]:
            roles[attendee.person_id] = attendee.role
    invitees = tuple(
        _Invitee(
            person_id=person_id,
            plan_role=role,
            person=directory.calendar_person(person_id),
            role=ical_role(role, settings),
        )
        for person_id, role in roles.items()
    )

    place_name = place.name if place is not None else "the setting"
    what = _WHAT[item.kind].format(title=inspection.title, place=place_name)
    if item.notes:
        heading = (
            "Whom the setting should gather for the inspector:"
            if item.kind == ItemKind.VISIT
            else "Notes:"
        )
        notes_text = "\n".join([heading, *(f"- {note}" for note in item.notes)])
    else:
        notes_text = ""
    return _Resolved(
        item=item,
        summary=item.title,
        location=location,
        geo=geo,
        url=url,
        what=what,
        notes_text=notes_text,
        invitees=invitees,
    )


def _fingerprint(values: dict[str, Any]) -> str:
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _item_fingerprint(resolved: _Resolved, organizer: CalendarPerson) -> str:
    """What makes a new SEQUENCE for everyone: title, time, place, link, organiser."""
    return _fingerprint(
        {
            "summary": resolved.summary,
            "start": resolved.item.start.timestamp(),
            "end": resolved.item.end.timestamp(),
            "location": resolved.location,
            "geo": resolved.geo,
            "url": resolved.url,
            "organizer": organizer.email.lower(),
        }
    )


def _view_fingerprint(resolved: _Resolved, item_fingerprint: str, invitee: _Invitee) -> str:
    """What one person sees of an item, leaving out who else comes."""
    return _fingerprint(
        {
            "item": item_fingerprint,
            "role": invitee.role,
            "what": resolved.what,
            "notes": resolved.notes_text,
            "name": invitee.person.name,
            "email": invitee.person.email.lower(),
        }
    )


def _description(resolved: _Resolved, event: CalendarEvent) -> str:
    parts = [resolved.what]
    comes = who_else_comes(event)
    if comes:
        parts.append("\n".join(["Who comes:", *(f"- {line}" for line in comes)]))
    if resolved.notes_text:
        parts.append(resolved.notes_text)
    return "\n\n".join(parts)


def _sender(settings: Settings, organizer: CalendarPerson) -> CalendarPerson:
    """The mailbox the emails come from: mail_from if set, else the organiser themselves."""
    if not settings.mail_from:
        return organizer
    name, address = parseaddr(settings.mail_from)
    return CalendarPerson(name or "Inspection Week", address)


def _organizer(inspection: Inspection, directory: _Directory) -> CalendarPerson:
    if inspection.link_officer_id is None:
        raise Unprocessable.field(
            "link_officer_id", "set the inspection's link officer: they organise every invitation"
        )
    return directory.calendar_person(inspection.link_officer_id)


def _event_snapshot(event: CalendarEvent) -> dict[str, Any]:
    return {
        "summary": event.summary,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "location": event.location,
        "geo": list(event.geo) if event.geo else None,
        "organizer": {"name": event.organizer.name, "email": event.organizer.email},
        "description": event.description,
        "url": event.url,
        "last_modified": event.last_modified.isoformat() if event.last_modified else None,
    }


def event_of(row: CalendarItem, attendances: Iterable[CalendarAttendance]) -> CalendarEvent:
    """The event as calendars hold it now, from the stored snapshot and the active attendees."""
    snapshot = row.event
    geo = snapshot.get("geo")
    last_modified = snapshot.get("last_modified")
    return CalendarEvent(
        uid=row.uid,
        sequence=row.sequence,
        summary=snapshot["summary"],
        start=datetime.fromisoformat(snapshot["start"]),
        end=datetime.fromisoformat(snapshot["end"]),
        location=snapshot.get("location"),
        geo=(geo[0], geo[1]) if geo else None,
        organizer=CalendarPerson(**snapshot["organizer"]),
        attendees=tuple(
            CalendarAttendee(
                CalendarPerson(a.name, a.email),
                a.role,  # type: ignore[arg-type]  # written by ical_role
                partstat=a.partstat,  # type: ignore[arg-type]  # a PartStat value
            )
            for a in sorted(attendances, key=lambda a: a.id or 0)
            if a.active
        ),
        description=snapshot.get("description") or "",
        url=snapshot.get("url"),
        status="CANCELLED" if row.cancelled else "CONFIRMED",
        last_modified=datetime.fromisoformat(last_modified) if last_modified else None,
    )


def _uid_domain(settings: Settings, organizer: CalendarPerson) -> str:
    sender = _sender(settings, organizer)
    return sender.email.rsplit("@", 1)[1].lower()


class _Outbox:
    """Queues one message per (person, item) in the caller's session."""

    def __init__(
        self,
        session: Session,
        inspection: Inspection,
        settings: Settings,
        sender: CalendarPerson,
        now: datetime,
    ) -> None:
        self.session = session
        self.inspection = inspection
        self.settings = settings
        self.sender = sender
        self.now = now
        self.domain = sender.email.rsplit("@", 1)[1]
        self.counts = {"REQUEST": 0, "CANCEL": 0}

    def queue(
        self,
        row: CalendarItem,
        attendance: CalendarAttendance,
        event: CalendarEvent,
        method: ItipMethod,
        *,
        is_update: bool,
        view: str,
    ) -> None:
        assert row.id is not None and attendance.id is not None
        recipient = CalendarPerson(attendance.name, attendance.email)
        key_text = f"{event.uid}|{method}|{event.sequence}|{recipient.email.lower()}|{view}"
        dedupe_key = hashlib.sha256(key_text.encode()).hexdigest()
        message_id = f"<{dedupe_key[:32]}@{self.domain}>"
        links = rsvp_links(self.settings, attendance.id, event.sequence)
        message = build_message(
            event,
            method,
            recipient,
            self.sender,
            reply_links=links if method == "REQUEST" else None,
            stamp=self.now,
            message_id=message_id,
            is_update=is_update,
        )
        self.session.add(
            OutboxMessage(
                local_area_id=self.inspection.local_area_id,
                inspection_id=row.inspection_id,
                calendar_item_id=row.id,
                person_id=attendance.person_id,
                recipient=recipient.email,
                subject=str(message["Subject"]),
                method=method,
                uid=event.uid,
                sequence=event.sequence,
                message_id=message_id,
                mime=mime_text(message),
                ics=calendar_part(message).decode("utf-8"),
                next_attempt_at=self.now,
                dedupe_key=dedupe_key,
                created_at=self.now,
            )
        )
        self.counts[method] += 1


def mime_text(message: EmailMessage) -> str:
    """The email as sent over SMTP: CRLF line ends, 7-bit (base64 and quoted-printable parts)."""
    return message.as_bytes(policy=SMTP).decode("ascii")


def calendar_part(message: EmailMessage) -> bytes:
    """The decoded text/calendar part of an iMIP email."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload
    raise ValueError("the email has no text/calendar part")


def publish_week(
    session: Session,
    inspection: Inspection,
    items: list[PlanItem],
    *,
    now: datetime,
    settings: Settings | None = None,
) -> PublishSummary:
    """Bring every calendar in line with ``items`` and queue the messages that do it.

    Runs in the caller's transaction and never commits: the caller commits the publish and
    its outbox rows together. ``items`` is the whole published week (both halves); an item
    published before and missing now is cancelled.
    """
    require_aware(now, "now")
    settings = settings or get_settings()
    assert inspection.id is not None
    keys = [item.key for item in items]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise Unprocessable(f"the plan holds the same item twice: {duplicates}")

    # Two publishes of one inspection take turns (PostgreSQL row lock; SQLite writes serialise
    # anyway), so the second sees what the first sent instead of sending it again.
    session.exec(
        select(Inspection.id).where(Inspection.id == inspection.id).with_for_update()
    ).first()
    directory = _Directory(session, inspection, items)
    organizer = _organizer(inspection, directory)
    sender = _sender(settings, organizer)
    area = session.get(LocalArea, inspection.local_area_id)
    assert area is not None
    outbox = _Outbox(session, inspection, settings, sender, now)
    domain = _uid_domain(settings, organizer)

    rows = {
        row.item_key: row
        for row in session.exec(
            select(CalendarItem).where(CalendarItem.inspection_id == inspection.id)
        ).all()
    }
    attendances = _attendances_by_item(session, [row.id for row in rows.values() if row.id])
    summary = PublishSummary()

    for item in sorted(items, key=lambda i: (i.start, i.key)):
        resolved = _resolve(item, directory, inspection, settings)
        row = rows.get(item.key)
        if row is None:
            row = CalendarItem(
                local_area_id=inspection.local_area_id,
                inspection_id=inspection.id,
                item_key=item.key,
                kind=str(item.kind),
                uid=stable_uid(area.code, f"{inspection.id}:{item.key}", domain),
                start=item.start,
                end=item.end,
                fingerprint="",
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            attendances[row.id] = {}
        assert row.id is not None
        outcome = _publish_item(session, row, attendances[row.id], resolved, organizer, outbox, now)
        if outcome == "new":
            summary.new_items.append(item.key)
        elif outcome == "changed":
            summary.changed_items.append(item.key)
        else:
            summary.unchanged_items += 1

    published = set(keys)
    for key, row in sorted(rows.items()):
        if key in published or row.cancelled:
            continue
        assert row.id is not None
        _cancel_item(row, attendances[row.id], outbox, now)
        summary.cancelled_items.append(key)

    session.flush()
    summary.requests = outbox.counts["REQUEST"]
    summary.cancellations = outbox.counts["CANCEL"]
    return summary


def _attendances_by_item(
    session: Session, item_ids: list[int]
) -> dict[int, dict[int, CalendarAttendance]]:
    result: dict[int, dict[int, CalendarAttendance]] = {item_id: {} for item_id in item_ids}
    if item_ids:
        for attendance in session.exec(
            select(CalendarAttendance).where(col(CalendarAttendance.calendar_item_id).in_(item_ids))
        ).all():
            result[attendance.calendar_item_id][attendance.person_id] = attendance
    return result


def _publish_item(
    session: Session,
    row: CalendarItem,
    attendances: dict[int, CalendarAttendance],
    resolved: _Resolved,
    organizer: CalendarPerson,
    outbox: _Outbox,
    now: datetime,
) -> str:
    """Update one item's calendar state and queue its messages; says new, changed or same."""
    is_new = row.fingerprint == ""
    item_fp = _item_fingerprint(resolved, organizer)
    moved = not is_new and (item_fp != row.fingerprint or row.cancelled)
    invited = {invitee.person_id: invitee for invitee in resolved.invitees}
    views = {pid: _view_fingerprint(resolved, item_fp, inv) for pid, inv in invited.items()}

    to_invite: list[tuple[int, bool]] = []  # (person id, is an update for them)
    for person_id in invited:
        known = attendances.get(person_id)
        holds_it = known is not None and known.active and not row.cancelled
        if holds_it and known is not None and known.sent_fingerprint == views[person_id]:
            continue
        to_invite.append((person_id, holds_it))
    removed = [
        attendance
        for person_id, attendance in attendances.items()
        if attendance.active and person_id not in invited and not row.cancelled
    ]
    if not is_new and not moved and not to_invite and not removed:
        return "same"

    if not is_new and (moved or removed or any(update for _, update in to_invite)):
        row.sequence += 1

    for person_id, invitee in invited.items():
        attendance = attendances.get(person_id)
        if attendance is None:
            attendance = CalendarAttendance(
                calendar_item_id=row.id or 0,
                person_id=person_id,
                name=invitee.person.name,
                email=invitee.person.email,
                plan_role=invitee.plan_role,
                role=invitee.role,
                updated_at=now,
            )
            session.add(attendance)
            attendances[person_id] = attendance
        elif not attendance.active or moved or attendance.role != invitee.role:
            # A new time or place, or a new role, asks for a new answer.
            attendance.partstat = PartStat.NEEDS_ACTION
            attendance.needs_replan = False
            attendance.replied_at = None
        attendance.name = invitee.person.name
        attendance.email = invitee.person.email
        attendance.plan_role = invitee.plan_role
        attendance.role = invitee.role
        attendance.active = True
        attendance.updated_at = now
    session.flush()

    item = resolved.item
    draft = CalendarEvent(
        uid=row.uid,
        sequence=row.sequence,
        summary=resolved.summary,
        start=item.start,
        end=item.end,
        location=resolved.location,
        geo=resolved.geo,
        organizer=organizer,
        attendees=tuple(
            CalendarAttendee(
                invitee.person,
                invitee.role,
                partstat=attendances[pid].partstat,  # type: ignore[arg-type]
            )
            for pid, invitee in invited.items()
        ),
        description="",
        url=resolved.url,
        last_modified=now,
    )
    event = dataclasses.replace(draft, description=_description(resolved, draft))

    row.kind = str(item.kind)
    row.start, row.end = item.start, item.end
    row.venue_id, row.setting_id = item.venue_id, item.setting_id
    row.fingerprint = item_fp
    row.event = _event_snapshot(event)
    row.cancelled = False
    row.updated_at = now

    for person_id, update in to_invite:
        attendance = attendances[person_id]
        outbox.queue(row, attendance, event, "REQUEST", is_update=update, view=views[person_id])
        attendance.sent_fingerprint = views[person_id]
        attendance.sent_sequence = row.sequence
    for attendance in removed:
        alone = dataclasses.replace(
            event,
            attendees=(
                CalendarAttendee(
                    CalendarPerson(attendance.name, attendance.email),
                    attendance.role,  # type: ignore[arg-type]  # written by ical_role
                ),
            ),
        )
        outbox.queue(row, attendance, alone, "CANCEL", is_update=False, view="removed")
        _take_off(attendance, now)
        attendance.sent_sequence = row.sequence
    return "new" if is_new else "changed"


def _cancel_item(
    row: CalendarItem,
    attendances: dict[int, CalendarAttendance],
    outbox: _Outbox,
    now: datetime,
) -> None:
    """The item is gone from the plan: CANCEL to everybody who holds it."""
    holders = [a for a in attendances.values() if a.active]
    row.sequence += 1
    row.cancelled = True
    row.event = {**row.event, "last_modified": now.isoformat()}
    row.updated_at = now
    event = event_of(row, holders)
    for attendance in holders:
        outbox.queue(row, attendance, event, "CANCEL", is_update=False, view="cancelled")
        _take_off(attendance, now)
        attendance.sent_sequence = row.sequence


def _take_off(attendance: CalendarAttendance, now: datetime) -> None:
    attendance.active = False
    attendance.sent_fingerprint = None
    attendance.needs_replan = False
    attendance.updated_at = now


def week_events(session: Session, inspection: Inspection) -> list[CalendarEvent]:
    """Every item ever published for the inspection as calendars hold it now (feeds' source).

    Cancelled items are included with STATUS:CANCELLED; feeds drop them.
    """
    rows = session.exec(
        select(CalendarItem)
        .where(CalendarItem.inspection_id == inspection.id)
        .order_by(col(CalendarItem.start), col(CalendarItem.id))
    ).all()
    attendances = _attendances_by_item(session, [row.id for row in rows if row.id])
    return [event_of(row, attendances[row.id].values()) for row in rows if row.id]
