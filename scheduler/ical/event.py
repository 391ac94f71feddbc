"""The resolved calendar event: what a person's calendar must show for one planned item.

The API turns plan items, people and venues into these plain values; everything in this
package turns them into iCalendar bytes. Validation happens here, once, so that no naive
(floating) time, unknown role or malformed address can ever reach a file or an email header.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

AttendeeRole = Literal["REQ-PARTICIPANT", "OPT-PARTICIPANT", "CHAIR", "NON-PARTICIPANT"]
ParticipationStatus = Literal["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED"]
EventStatus = Literal["CONFIRMED", "CANCELLED"]

ATTENDEE_ROLES: frozenset[str] = frozenset(get_args(AttendeeRole))
PARTICIPATION_STATUSES: frozenset[str] = frozenset(get_args(ParticipationStatus))
EVENT_STATUSES: frozenset[str] = frozenset(get_args(EventStatus))

# Deliberately plain: one "@", no spaces, no characters that could break a header or a
# calendar address. Real deliverability is the mail server's business.
_EMAIL = re.compile(r"^[^@\s<>\"(),;:\\]+@[^@\s<>\"(),;:\\]+\.[^@\s<>\"(),;:\\]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Fixed forever: changing it would change every UID and duplicate every event people hold.
_UID_NAMESPACE = uuid.UUID("5d1f3f7e-2b8a-4c41-9b7e-6a0f3c2d9e11")


def require_aware(value: datetime, what: str) -> None:
    """Refuse naive datetimes: a floating time shifts silently in every calendar app."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{what} is a naive datetime; give a timezone (Europe/London)")


@dataclass(frozen=True)
class CalendarPerson:
    """A calendar user: the name shown in invitations and the address that identifies them."""

    name: str
    email: str

    def __post_init__(self) -> None:
        if not _EMAIL.match(self.email):
            raise ValueError(f"not a usable email address: {self.email!r}")
        if _CONTROL.search(self.name):
            raise ValueError(f"control characters in the name of {self.email}")


@dataclass(frozen=True)
class CalendarAttendee:
    """A person invited to an event, with their iTIP role and answer so far."""

    person: CalendarPerson
    role: AttendeeRole
    partstat: ParticipationStatus = "NEEDS-ACTION"
    rsvp: bool = True

    def __post_init__(self) -> None:
        if self.role not in ATTENDEE_ROLES:
            raise ValueError(f"unknown attendee role {self.role!r}")
        if self.partstat not in PARTICIPATION_STATUSES:
            raise ValueError(f"unknown participation status {self.partstat!r}")


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting, visit, webinar or feedback session as every calendar should show it.

    ``uid`` never changes for the same item (see ``stable_uid``); ``sequence`` is bumped by the
    caller whenever the item changes in a way attendees must see (see ``significant_change``).
    ``location`` is the venue address or the online link.
    """

    uid: str
    sequence: int
    summary: str
    start: datetime
    end: datetime
    location: str | None
    geo: tuple[float, float] | None
    organizer: CalendarPerson
    attendees: tuple[CalendarAttendee, ...]
    description: str
    url: str | None = None
    status: EventStatus = "CONFIRMED"
    last_modified: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.start, f"{self.uid}: start")
        require_aware(self.end, f"{self.uid}: end")
        if self.last_modified is not None:
            require_aware(self.last_modified, f"{self.uid}: last_modified")
        if self.end <= self.start:
            raise ValueError(f"{self.uid}: end must be after start")
        if not self.uid or _CONTROL.search(self.uid):
            raise ValueError(f"unusable UID {self.uid!r}")
        if self.sequence < 0:
            raise ValueError(f"{self.uid}: SEQUENCE cannot be negative")
        if self.status not in EVENT_STATUSES:
            raise ValueError(f"{self.uid}: unknown status {self.status!r}")
        if self.geo is not None:
            latitude, longitude = self.geo
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise ValueError(f"{self.uid}: GEO out of range {self.geo}")
        emails = [attendee.person.email.lower() for attendee in self.attendees]
        if len(set(emails)) != len(emails):
            raise ValueError(f"{self.uid}: the same person is listed twice as attendee")

    def attendee(self, email: str) -> CalendarAttendee | None:
        """The attendee with this address (case-insensitive), if invited."""
        wanted = email.lower()
        for attendee in self.attendees:
            if attendee.person.email.lower() == wanted:
                return attendee
        return None


def stable_uid(local_area_key: str, item_key: str, domain: str) -> str:
    """A UID that is the same every time for the same item of the same local area.

    Derived (UUID version 5), so re-planning, re-publishing or rebuilding the database never
    duplicates an event in anyone's calendar; opaque, so it reveals nothing about the item.
    """
    if not local_area_key or not item_key or not domain:
        raise ValueError("local_area_key, item_key and domain are all required for a UID")
    name = f"{local_area_key}\x1f{item_key}"
    return f"{uuid.uuid5(_UID_NAMESPACE, name)}@{domain}"


def significant_change(old: CalendarEvent, new: CalendarEvent) -> bool:
    """Whether attendees must be told (new SEQUENCE, new REQUEST) about this change.

    Answers (PARTSTAT) and bookkeeping (SEQUENCE, LAST-MODIFIED) are not changes of the event
    itself; who is invited in which role is.
    """

    def invited(event: CalendarEvent) -> set[tuple[str, str]]:
        return {(a.person.email.lower(), a.role) for a in event.attendees}

    return (
        old.summary != new.summary
        or old.start != new.start
        or old.end != new.end
        or old.location != new.location
        or old.geo != new.geo
        or old.description != new.description
        or old.url != new.url
        or old.status != new.status
        or old.organizer != new.organizer
        or invited(old) != invited(new)
    )
