"""Subscription feeds (METHOD:PUBLISH) that calendar apps poll.

A feed shows items; it never invites. Its events keep the ORGANIZER that RFC 5546 asks of
PUBLISH but carry no ATTENDEE at all: the PUBLISH method does not take attendees, and clients
that see the subscriber among them with RSVP or PARTSTAT=NEEDS-ACTION start offering (and
sending) replies. Who else comes belongs in the DESCRIPTION. Cancelled items are dropped, not
marked: Google hides them but Apple shows them struck through.

The same events always give the same bytes (sorted, DTSTAMP taken from the events'
last_modified, never from the clock), so the API can use a hash of the body as ETag and
``feed_last_modified`` as Last-Modified.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import vDuration

from scheduler.ical.event import CalendarEvent
from scheduler.ical.timezone import TZID
from scheduler.ical.vevent import Text, calendar_bytes, event_component, new_calendar

DEFAULT_REFRESH = timedelta(hours=1)


def feed_calendar(
    name: str,
    events: Iterable[CalendarEvent],
    refresh: timedelta = DEFAULT_REFRESH,
    *,
    description: str | None = None,
) -> bytes:
    """The feed called ``name`` with the events that are not cancelled, oldest first.

    ``refresh`` is how often clients should poll; it is written both as REFRESH-INTERVAL
    (RFC 7986) and X-PUBLISHED-TTL (read by Outlook and Apple), each as a DURATION.
    """
    if refresh <= timedelta(0) or refresh % timedelta(minutes=1):
        raise ValueError("refresh must be a positive whole number of minutes")
    shown = sorted(
        (event for event in events if event.status != "CANCELLED"),
        key=lambda event: (event.start, event.uid),
    )
    uids = [event.uid for event in shown]
    if len(set(uids)) != len(uids):
        raise ValueError("a feed cannot hold the same UID twice")

    calendar = new_calendar("PUBLISH")
    # Names and descriptions come from people's, venues' and inspections' names: escaped TEXT.
    calendar.add("NAME", Text(name))
    calendar.add("X-WR-CALNAME", Text(name))
    if description:
        calendar.add("DESCRIPTION", Text(description))
        calendar.add("X-WR-CALDESC", Text(description))
    calendar.add("X-WR-TIMEZONE", Text(TZID))
    calendar.add("REFRESH-INTERVAL", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(refresh))

    latest = feed_last_modified(shown)
    for event in shown:
        stamp = event.last_modified or latest or event.start
        calendar.add_component(event_component(event, stamp=stamp, attendees="omit"))
    return calendar_bytes(calendar)


def feed_last_modified(events: Iterable[CalendarEvent]) -> datetime | None:
    """The latest last_modified among the events a feed shows (for the Last-Modified header).

    Cancelled events count: dropping one changes the feed.
    """
    stamps = [event.last_modified for event in events if event.last_modified is not None]
    return max(stamps) if stamps else None


def feed_etag(body: bytes) -> str:
    """A strong ETag for a feed body: equal bytes, equal tag."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
