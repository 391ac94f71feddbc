"""iMIP (RFC 6047): one email per item per person that mail clients show as an invitation.

The message is multipart/alternative: a plain-text part a person can read anywhere, then a
``text/calendar; method=...; charset=UTF-8`` part whose method matches the METHOD inside, which
is what makes Gmail and Outlook show accept/decline buttons. The calendar part is base64 so
its CRLF line ends and UTF-8 text reach the client byte for byte through any mail relay.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from scheduler.ical.event import CalendarEvent, CalendarPerson
from scheduler.ical.itip import REPLY_STATUSES, ItipMethod, itip_calendar
from scheduler.ical.timezone import to_london

_LINK_LABELS = {"ACCEPTED": "Accept", "TENTATIVE": "Maybe", "DECLINED": "Decline"}


def build_message(
    event: CalendarEvent,
    method: ItipMethod,
    recipient: CalendarPerson,
    sender: CalendarPerson,
    text_body: str | None = None,
    reply_links: Mapping[str, str] | None = None,
    *,
    stamp: datetime | None = None,
    message_id: str | None = None,
    is_update: bool | None = None,
) -> EmailMessage:
    """The iMIP email carrying ``method`` for ``event`` to ``recipient``.

    ``text_body`` replaces the generated readable text when given (``invitation_text`` builds
    the default). ``reply_links`` maps ACCEPTED / TENTATIVE / DECLINED to signed URLs shown in
    the text. ``stamp`` is both the Date header and the DTSTAMP; ``message_id`` lets an outbox
    keep one Message-ID across retries. ``is_update`` chooses "Updated:" over "Invitation:" for
    a REQUEST; by default a SEQUENCE above 0 means an update.
    """
    stamp = stamp or datetime.now(UTC)
    if reply_links:
        unknown = set(reply_links) - REPLY_STATUSES
        if unknown:
            raise ValueError(f"reply links must be keyed by {sorted(REPLY_STATUSES)}: {unknown}")
    calendar = itip_calendar(event, method, stamp=stamp, sent_by=sender)
    if text_body is None:
        text_body = invitation_text(event, method, recipient, reply_links, is_update=is_update)

    message = EmailMessage()
    message["Subject"] = subject_line(event, method, is_update=is_update)
    message["From"] = _address(sender)
    message["To"] = _address(recipient)
    if sender.email.lower() != event.organizer.email.lower():
        message["Reply-To"] = _address(event.organizer)
    message["Date"] = format_datetime(stamp.astimezone(UTC))
    message["Message-ID"] = message_id or make_msgid(domain=sender.email.rsplit("@", 1)[1])
    message.set_content(text_body, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(
        calendar,
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"method": method, "charset": "UTF-8"},
    )
    return message


def subject_line(event: CalendarEvent, method: ItipMethod, *, is_update: bool | None = None) -> str:
    """The subject: Invitation, Updated or Cancelled, the summary, and the London start time."""
    if method == "CANCEL":
        prefix = "Cancelled"
    elif _is_update(event, is_update):
        prefix = "Updated"
    else:
        prefix = "Invitation"
    start = to_london(event.start)
    summary = " ".join(event.summary.split())
    return f"{prefix}: {summary} ({_day(start)} {start:%H:%M})"


def invitation_text(
    event: CalendarEvent,
    method: ItipMethod,
    recipient: CalendarPerson,
    reply_links: Mapping[str, str] | None = None,
    *,
    is_update: bool | None = None,
) -> str:
    """The readable part: what, when in London time, where, who else comes, how to answer."""
    start, end = to_london(event.start), to_london(event.end)
    lines = [f"Dear {recipient.name or recipient.email},", ""]
    if method == "CANCEL":
        lines.append("This item has been cancelled; you no longer need to attend:")
    elif _is_update(event, is_update):
        lines.append("This item has changed; please check the details:")
    else:
        lines.append("You are invited to:")
    lines += ["", f"What:  {event.summary}", f"When:  {when_text(start, end)}"]
    if event.location:
        lines.append(f"Where: {event.location}")
    lines.append(f"Organiser: {_person_text(event.organizer)}")
    others = who_else_comes(event, recipient)
    if others:
        lines += ["", "Who else comes:"]
        lines += [f"  - {other}" for other in others]
    if event.description:
        lines += ["", event.description]
    if event.url:
        lines += ["", f"More: {event.url}"]
    if reply_links and method == "REQUEST":
        lines += ["", "Please answer:"]
        for status in ("ACCEPTED", "TENTATIVE", "DECLINED"):
            if status in reply_links:
                lines.append(f"  {_LINK_LABELS[status]}: {reply_links[status]}")
    return "\n".join(lines) + "\n"


def who_else_comes(event: CalendarEvent, person: CalendarPerson | None = None) -> list[str]:
    """One line per attendee other than ``person``: name, address and role where notable.

    Also meant for DESCRIPTION text, which is where feeds (that list no attendees) say who comes.
    """
    wanted = person.email.lower() if person else None
    return [
        f"{_person_text(a.person)}{_role_text(a.role)}"
        for a in event.attendees
        if a.person.email.lower() != wanted
    ]


def when_text(start: datetime, end: datetime) -> str:
    """London time, naming GMT or BST: e.g. Monday 2 November 2026, 09:00-10:30 (GMT)."""
    start, end = to_london(start), to_london(end)
    if start.date() == end.date():
        return f"{_day(start)}, {start:%H:%M}-{end:%H:%M} ({start:%Z})"
    return f"{_day(start)} {start:%H:%M} ({start:%Z}) to {_day(end)} {end:%H:%M} ({end:%Z})"


def _is_update(event: CalendarEvent, is_update: bool | None) -> bool:
    """Whether the recipient already holds this event; by default, any SEQUENCE above 0."""
    return is_update if is_update is not None else event.sequence > 0


def _day(value: datetime) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _person_text(person: CalendarPerson) -> str:
    return f"{person.name} <{person.email}>" if person.name else person.email


def _role_text(role: str) -> str:
    labels = {"CHAIR": " (chair)", "OPT-PARTICIPANT": " (optional)"}
    return labels.get(role, "")


def _address(person: CalendarPerson) -> Address:
    username, domain = person.email.rsplit("@", 1)
    return Address(display_name=person.name, username=username, domain=domain)
