"""iCalendar for the inspection week: invitations, cancellations, replies, emails and feeds.

Pure: resolved ``CalendarEvent`` values in, bytes and ``EmailMessage`` objects out. The outbox,
SMTP delivery, tokens and HTTP routes live in the API and call these functions.
"""

from scheduler.ical.event import (
    CalendarAttendee,
    CalendarEvent,
    CalendarPerson,
    significant_change,
    stable_uid,
)
from scheduler.ical.feed import feed_calendar, feed_etag, feed_last_modified
from scheduler.ical.imip import (
    build_message,
    invitation_text,
    subject_line,
    when_text,
    who_else_comes,
)
from scheduler.ical.itip import Reply, cancel_calendar, itip_calendar, parse_reply, request_calendar
from scheduler.ical.timezone import LONDON, TZID, london_vtimezone

__all__ = [
    "LONDON",
    "TZID",
    "CalendarAttendee",
    "CalendarEvent",
    "CalendarPerson",
    "Reply",
    "build_message",
    "cancel_calendar",
    "feed_calendar",
    "feed_etag",
    "feed_last_modified",
    "invitation_text",
    "itip_calendar",
    "london_vtimezone",
    "parse_reply",
    "request_calendar",
    "significant_change",
    "stable_uid",
    "subject_line",
    "when_text",
    "who_else_comes",
]
