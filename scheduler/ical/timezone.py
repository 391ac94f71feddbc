"""Europe/London as a VTIMEZONE that every calendar client reads the same way.

icalendar 7.x writes a VTIMEZONE from the zoneinfo database as a long list of RDATE
transitions (several STANDARD blocks, one DAYLIGHT block). Outlook misreads that form and
shows times an hour off across a clock change, so we write the rule form ourselves: one
STANDARD and one DAYLIGHT block, each with a yearly RRULE, valid since 1970 and for as long
as the UK keeps its current rule (last Sunday of March and of October, at 01:00 UTC).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Timezone

from scheduler.ical.event import require_aware

TZID = "Europe/London"
LONDON = ZoneInfo(TZID)

# DTSTART is the local wall-clock time of the first transition, read in TZOFFSETFROM:
# 29 March 1970 01:00 GMT became 02:00 BST; 25 October 1970 02:00 BST became 01:00 GMT.
LONDON_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/London\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:19701025T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0000\r\n"
    "TZNAME:GMT\r\n"
    "END:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "DTSTART:19700329T010000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "TZOFFSETFROM:+0000\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:BST\r\n"
    "END:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n"
)


def london_vtimezone() -> Timezone:
    """A fresh VTIMEZONE component for Europe/London in the RRULE form."""
    component = Timezone.from_ical(LONDON_VTIMEZONE)
    assert isinstance(component, Timezone)
    return component


def to_london(value: datetime) -> datetime:
    """The same instant on London wall-clock time, so it is written with TZID=Europe/London."""
    require_aware(value, "a calendar time")
    return value.astimezone(LONDON)
