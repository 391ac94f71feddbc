"""Writing one CalendarEvent as a VEVENT, and VCALENDAR objects around it.

Invitations, cancellations and feeds differ only in METHOD and in how attendees appear, so
they share this one writer and cannot drift apart in how times, places or text are written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Literal

from icalendar import Calendar, Event, vCalAddress, vText

from scheduler.ical.event import CalendarAttendee, CalendarEvent, CalendarPerson, require_aware
from scheduler.ical.timezone import london_vtimezone, to_london

PRODID = "-//Inspection Week//Calendar 1.0//EN"

# How attendees appear: "invite" asks each one to answer (REQUEST), "list" names them without
# asking (CANCEL), "omit" leaves them out (PUBLISH feeds, see feed.py).
AttendeeMode = Literal["invite", "list", "omit"]

# RFC 5545 TEXT holds tabs and (escaped) line breaks but no other control character. C1
# controls and the Unicode line separators go too: some readers start a new line at them.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class Text(vText):
    """A TEXT property value (SUMMARY, LOCATION, DESCRIPTION, NAME, ...) escaped per RFC 5545.

    Every text value goes through this, never a plain ``str``: icalendar writes a plain
    string under an unknown or X- name (NAME, X-WR-CALNAME) unescaped, so a comma splits the
    value and a line break fails the whole feed. Plain vText is not enough either: it reads a
    backslash followed by "N" as a line break before escaping ("Room\\North" would reach
    calendars as two lines). So: line ends become ``\\n``, other control characters a space,
    and backslash, semicolon and comma are escaped.
    """

    __slots__ = ()

    def to_ical(self) -> bytes:
        value = _NOT_TEXT.sub(" ", self.replace("\r\n", "\n").replace("\r", "\n"))
        for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            value = value.replace(raw, escaped)
        return value.encode("utf-8")


def new_calendar(method: str) -> Calendar:
    """An empty VCALENDAR with METHOD and the Europe/London VTIMEZONE (added once, here)."""
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    calendar.add_component(london_vtimezone())
    return calendar


def calendar_address(person: CalendarPerson) -> vCalAddress:
    """The mailto: address of a person with their name as CN."""
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
    return address


def attendee_address(attendee: CalendarAttendee, *, ask_reply: bool) -> vCalAddress:
    """An ATTENDEE value with CUTYPE, ROLE, PARTSTAT and (when replies are wanted) RSVP."""
    address = calendar_address(attendee.person)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = attendee.role
    address.params["PARTSTAT"] = attendee.partstat
    if ask_reply:
        address.params["RSVP"] = "TRUE" if attendee.rsvp else "FALSE"
    return address


def event_component(
    event: CalendarEvent,
    *,
    stamp: datetime,
    attendees: AttendeeMode,
    status: str | None = None,
    sent_by: CalendarPerson | None = None,
) -> Event:
    """The VEVENT for ``event``.

    ``status`` overrides the event's own (CANCEL forces it). ``sent_by`` names the mailbox that
    sends on the organizer's behalf (ORGANIZER;SENT-BY), which RFC 6047 asks for when the email
    From is not the organizer.
    """
    require_aware(stamp, "DTSTAMP")
    component = Event()
    component.add("UID", event.uid)
    component.add("SEQUENCE", event.sequence)
    component.add("DTSTAMP", stamp.astimezone(UTC))
    component.add("DTSTART", to_london(event.start))
    component.add("DTEND", to_london(event.end))
    component.add("SUMMARY", Text(event.summary))
    component.add("STATUS", status or event.status)
    component.add("TRANSP", "OPAQUE")
    if event.location:
        component.add("LOCATION", Text(event.location))
    if event.geo is not None:
        component.add("GEO", event.geo)
    if event.description:
        component.add("DESCRIPTION", Text(event.description))
    if event.url:
        component.add("URL", event.url)
    if event.last_modified is not None:
        component.add("LAST-MODIFIED", event.last_modified.astimezone(UTC))
    organizer = calendar_address(event.organizer)
    if sent_by is not None and sent_by.email.lower() != event.organizer.email.lower():
        organizer.params["SENT-BY"] = f"mailto:{sent_by.email}"
    component.add("ORGANIZER", organizer)
    if attendees != "omit":
        for attendee in event.attendees:
            address = attendee_address(attendee, ask_reply=attendees == "invite")
            component.add("ATTENDEE", address)
    return component


def calendar_bytes(calendar: Calendar) -> bytes:
    """The iCalendar text: UTF-8, CRLF line ends, lines folded at 75 octets."""
    text: bytes = calendar.to_ical()
    return text
