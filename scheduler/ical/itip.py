"""iTIP (RFC 5546) objects: invitations, cancellations, and reading attendees' replies.

Each object carries exactly one VEVENT, so one message means one item for one person and
all components of a REQUEST share one UID, as RFC 5546 requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from icalendar import Calendar, Component

from scheduler.ical.event import CalendarEvent, CalendarPerson
from scheduler.ical.vevent import calendar_bytes, event_component, new_calendar

ItipMethod = Literal["REQUEST", "CANCEL"]
ReplyStatus = Literal["ACCEPTED", "DECLINED", "TENTATIVE"]
REPLY_STATUSES: frozenset[str] = frozenset({"ACCEPTED", "DECLINED", "TENTATIVE"})


def request_calendar(
    event: CalendarEvent, *, stamp: datetime | None = None, sent_by: CalendarPerson | None = None
) -> bytes:
    """METHOD:REQUEST for a new or changed event, asking every attendee to answer.

    ``stamp`` is the DTSTAMP (when this message was made); it defaults to now. Pass it when the
    same bytes must be rebuilt later, e.g. from an outbox row. ``sent_by`` is the mailbox that
    sends for the organizer, if another one (written as ORGANIZER;SENT-BY).
    """
    if event.status == "CANCELLED":
        raise ValueError(f"{event.uid}: a cancelled event is sent with cancel_calendar")
    calendar = new_calendar("REQUEST")
    component = event_component(event, stamp=stamp or _now(), attendees="invite", sent_by=sent_by)
    calendar.add_component(component)
    return calendar_bytes(calendar)


def cancel_calendar(
    event: CalendarEvent, *, stamp: datetime | None = None, sent_by: CalendarPerson | None = None
) -> bytes:
    """METHOD:CANCEL with STATUS:CANCELLED for the attendees listed on ``event``.

    The caller bumps ``event.sequence`` first. To take only some people off an event that
    goes on, pass the event with just those attendees (``dataclasses.replace``); to cancel the
    whole event, pass every attendee.
    """
    calendar = new_calendar("CANCEL")
    component = event_component(
        event, stamp=stamp or _now(), attendees="list", status="CANCELLED", sent_by=sent_by
    )
    calendar.add_component(component)
    return calendar_bytes(calendar)


def itip_calendar(
    event: CalendarEvent,
    method: ItipMethod,
    *,
    stamp: datetime | None = None,
    sent_by: CalendarPerson | None = None,
) -> bytes:
    """The REQUEST or CANCEL object for ``event``: one entry point for callers holding a method."""
    if method == "REQUEST":
        return request_calendar(event, stamp=stamp, sent_by=sent_by)
    if method == "CANCEL":
        return cancel_calendar(event, stamp=stamp, sent_by=sent_by)
    raise ValueError(f"unsupported iTIP method {method!r}; expected REQUEST or CANCEL")


@dataclass(frozen=True)
class Reply:
    """An attendee's answer to one event, as read from a METHOD:REPLY object.

    ``attendee_email`` is lower-cased (clients change the case of addresses); compare it with
    lower-cased addresses. An older ``sequence`` than the event's means the person answered an
    earlier version.
    """

    uid: str
    sequence: int
    attendee_email: str
    partstat: ReplyStatus
    dtstamp: datetime | None = None


def parse_reply(ics: bytes | str) -> Reply:
    """Read an iTIP REPLY; anything else is refused with a ValueError saying why."""
    calendar = _parse_calendar(ics)
    method = str(calendar.get("METHOD", "")).upper()
    if method != "REPLY":
        raise ValueError(f"not an iTIP reply: METHOD is {method or 'missing'}, expected REPLY")
    events = list(calendar.walk("VEVENT"))
    if len(events) != 1:
        raise ValueError(f"a reply must hold exactly one VEVENT, found {len(events)}")
    event = events[0]
    uid = str(event.get("UID", "")).strip()
    if not uid:
        raise ValueError("the reply has no UID")
    attendees = event.get("ATTENDEE")
    if attendees is None:
        raise ValueError("the reply names no ATTENDEE")
    if isinstance(attendees, list):
        if len(attendees) != 1:
            raise ValueError(f"a reply must name exactly one ATTENDEE, found {len(attendees)}")
        attendees = attendees[0]
    email = _email_of(str(attendees))
    partstat = str(attendees.params.get("PARTSTAT", "")).upper()
    if partstat not in REPLY_STATUSES:
        shown = partstat or "missing"
        raise ValueError(f"unsupported PARTSTAT {shown}; expected ACCEPTED, DECLINED or TENTATIVE")
    return Reply(
        uid=uid,
        sequence=_sequence_of(event.get("SEQUENCE")),
        attendee_email=email,
        partstat=partstat,  # type: ignore[arg-type]  # checked against REPLY_STATUSES above
        dtstamp=_stamp_of(event),
    )


def _parse_calendar(ics: bytes | str) -> Calendar:
    if isinstance(ics, bytes):
        try:
            ics = ics.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError("the reply is not UTF-8 text") from error
    if "BEGIN:VCALENDAR" not in ics.upper():
        raise ValueError("not an iCalendar object: no BEGIN:VCALENDAR")
    try:
        calendar = Calendar.from_ical(ics)
    except (ValueError, KeyError, IndexError) as error:
        raise ValueError(f"not a readable iCalendar object: {error}") from error
    if not isinstance(calendar, Calendar):
        raise ValueError("not a single VCALENDAR object")
    return calendar


def _email_of(address: str) -> str:
    value = address.strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if "@" not in value:
        raise ValueError(f"the ATTENDEE is not an email address: {address!r}")
    return value.lower()


def _sequence_of(value: object) -> int:
    if value is None:
        return 0
    try:
        sequence = int(str(value))
    except ValueError as error:
        raise ValueError(f"SEQUENCE is not a number: {value!r}") from error
    if sequence < 0:
        raise ValueError("SEQUENCE cannot be negative")
    return sequence


def _stamp_of(event: Component) -> datetime | None:
    stamp = event.get("DTSTAMP")
    if stamp is None:
        return None
    value = getattr(stamp, "dt", None)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return None


def _now() -> datetime:
    return datetime.now(UTC)
