"""Fixtures for publishing a week to calendars: a small area, a plan, a local SMTP server.

The week is Monday 2 November 2026, in GMT; notice comes on Friday 23 October 2026, in
British Summer Time (the clocks go back on Sunday 25 October).
"""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session as DbSession
from sqlmodel import select

from api.publishing import PublishSummary, publish_week
from api.settings import Settings
from models.inspection import Inspection
from models.local_area import LocalArea
from models.outbox import OutboxMessage
from models.person import Person, PersonKind
from models.setting import Setting, SettingType
from models.venue import Venue
from scheduler.plan import AttendeeRole, ItemAttendee, ItemKind, PlanItem
from tests.scheduler.test_ical import icaljs, read_with_icaljs  # noqa: F401  (fixture reuse)

LONDON = ZoneInfo("Europe/London")
NOTICE = datetime(2026, 10, 23, 9, 0, tzinfo=LONDON)  # a Friday in BST
MAIL_FROM = "Inspection Week <invites@northbrook.example.gov.uk>"
RSVP_SECRET = "a-test-secret-that-signs-answer-links"
BASE_URL = "https://iw.example.org"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "mail_from": MAIL_FROM,
            "rsvp_secret": SecretStr(RSVP_SECRET),
            "public_base_url": BASE_URL,
            "online_meeting_url": "https://meet.example.org/northbrook-send",
            "outbox_retry_base_s": 60,
            # These tests publish straight into the database, as another server process
            # would; without the few seconds' memory every poll reads the database.
            "token_cache_s": 0,
        }
    )


@dataclass
class Week:
    """Ids of the people, places and inspection of the test week."""

    area_id: int
    inspection_id: int
    people: dict[str, int]
    emails: dict[str, str]
    civic_centre: int
    library: int
    hillside: int

    def person(self, name: str) -> int:
        return self.people[name]


PEOPLE = {
    "victor": ("Victor Roman", "victor.roman@northbrook.example.gov.uk", PersonKind.STAFF),
    "sian": ("Jones, Siân", "sian.jones@health.example.nhs.uk", PersonKind.STAFF),
    "dai": ("Dai Evans", "dai.evans@northbrook.example.gov.uk", PersonKind.STAFF),
    "rhiannon": ("Rhiannon Lloyd", "rhiannon@parents.example.org", PersonKind.PARENT_REP),
    "owen": ("Owen Hughes", "owen.hughes@northbrook.example.gov.uk", PersonKind.FRONTLINE),
    "hana": ("Hana Iqbal", "hana.iqbal@ofsted.example.gov.uk", PersonKind.INSPECTOR),
    "kwame": ("Kwame Owens", "kwame.owens@cqc.example.org.uk", PersonKind.INSPECTOR),
    "priya": ("Priya Patel", "senco@hillside.example.sch.uk", PersonKind.STAFF),
}


@pytest.fixture
def week(engine: Engine) -> Week:
    with DbSession(engine) as session:
        area = LocalArea(name="Northbrook", code="northbrook")
        session.add(area)
        session.flush()
        assert area.id is not None
        people = {}
        for key, (name, address, kind) in PEOPLE.items():
            person = Person(local_area_id=area.id, name=name, email=address, kind=kind)
            session.add(person)
            people[key] = person
        civic = Venue(
            local_area_id=area.id,
            name="Civic Centre, Committee Room 3",
            address="Godfrey Road, Northbrook",
            postcode="NB1 4UR",
            latitude=52.9501,
            longitude=-1.1502,
        )
        library = Venue(local_area_id=area.id, name="Central Library", postcode="NB1 2AA")
        session.add(civic)
        session.add(library)
        session.flush()
        hillside = Setting(
            local_area_id=area.id,
            urn="123456",
            name="Hillside Primary School",
            setting_type=SettingType.PRIMARY,
            address="Hill Lane, Northbrook",
            postcode="NB3 7HS",
            latitude=52.9612,
            longitude=-1.1804,
            contact_person_id=people["priya"].id,
        )
        session.add(hillside)
        inspection = Inspection(
            local_area_id=area.id,
            title="Northbrook SEND inspection",
            notification_at=NOTICE,
            onsite_start=date(2026, 11, 2),
            # Flushed rows: their ids are set.
            inspector_ids=[people["hana"].id, people["kwame"].id],  # type: ignore[list-item]
            lead_inspector_id=people["hana"].id,
            link_officer_id=people["victor"].id,
        )
        session.add(inspection)
        session.commit()
        assert inspection.id and civic.id and library.id and hillside.id
        return Week(
            area_id=area.id,
            inspection_id=inspection.id,
            people={key: p.id for key, p in people.items() if p.id},
            emails={key: p.email for key, p in people.items()},
            civic_centre=civic.id,
            library=library.id,
            hillside=hillside.id,
        )


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time in November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


def plan_items(week: Week) -> list[PlanItem]:
    """The published plan: two meetings, a webinar, a visit and the feedback."""
    p = week.person
    return [
        PlanItem(
            key="meeting:1",
            kind=ItemKind.MEETING,
            title="EHCP planning strategy meeting",
            start=at(2, 9),
            end=at(2, 10, 30),
            venue_id=week.civic_centre,
            attendees=(
                ItemAttendee(p("sian"), AttendeeRole.REQUIRED),
                ItemAttendee(p("dai"), AttendeeRole.NOTE_TAKER),
                ItemAttendee(p("rhiannon"), AttendeeRole.PARENT_REP),
                ItemAttendee(p("owen"), AttendeeRole.OPTIONAL),
                ItemAttendee(p("hana"), AttendeeRole.INSPECTOR),
            ),
            notes=("Bring the latest 20-week figures",),
        ),
        PlanItem(
            key="meeting:2",
            kind=ItemKind.MEETING,
            title="Early years strategy meeting",
            start=at(2, 11),
            end=at(2, 12),
            venue_id=week.library,
            attendees=(
                ItemAttendee(p("dai"), AttendeeRole.REQUIRED),
                ItemAttendee(p("kwame"), AttendeeRole.INSPECTOR),
            ),
        ),
        PlanItem(
            key="webinar:1",
            kind=ItemKind.WEBINAR,
            title="Webinar for parents and carers",
            start=at(3, 18),
            end=at(3, 19),
            online=True,
            attendees=(
                ItemAttendee(p("rhiannon"), AttendeeRole.PARENT_REP),
                ItemAttendee(p("hana"), AttendeeRole.INSPECTOR),
            ),
        ),
        PlanItem(
            key="visit:7",
            kind=ItemKind.VISIT,
            title="Visit: Hillside Primary School",
            start=at(4, 9),
            end=at(4, 12),
            setting_id=week.hillside,
            attendees=(
                ItemAttendee(p("kwame"), AttendeeRole.INSPECTOR),
                ItemAttendee(p("priya"), AttendeeRole.REQUIRED),
            ),
            notes=("The SENCo", "Two parents of children on SEN support", "A governor"),
        ),
        PlanItem(
            key="feedback",
            kind=ItemKind.FEEDBACK,
            title="Feedback",
            start=at(6, 14),
            end=at(6, 15),
            venue_id=week.civic_centre,
            attendees=(
                ItemAttendee(p("victor"), AttendeeRole.REQUIRED),
                ItemAttendee(p("hana"), AttendeeRole.INSPECTOR),
                ItemAttendee(p("kwame"), AttendeeRole.INSPECTOR),
            ),
        ),
    ]


def publish(
    engine: Engine, week: Week, items: list[PlanItem], settings: Settings, now: datetime = NOTICE
) -> PublishSummary:
    """Publish as the publish route does: one transaction, committed by the caller."""
    with DbSession(engine) as session:
        inspection = session.get(Inspection, week.inspection_id)
        assert inspection is not None
        summary = publish_week(session, inspection, items, now=now, settings=settings)
        session.commit()
    return summary


def outbox(engine: Engine, since_id: int = 0) -> list[OutboxMessage]:
    with DbSession(engine) as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.id > since_id)  # type: ignore[operator]
                .order_by(OutboxMessage.id)  # type: ignore[arg-type]
            ).all()
        )


def parsed_email(message: OutboxMessage) -> EmailMessage:
    received = email.message_from_bytes(message.mime.encode("ascii"), policy=policy.default)
    assert isinstance(received, EmailMessage)
    return received


def the_vevent(ics: bytes | str) -> Any:
    calendar = icalendar.Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


# --- a real SMTP server ----------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Mailbox:
    """What the local SMTP server accepted; ``refuse`` answers the next DATA commands with it."""

    received: list[Received] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        with self.lock:
            if self.refuse:
                return self.refuse.pop(0)
            content = envelope.original_content or b""
            self.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), bytes(content))
            )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings: Settings, smtp_server: tuple[Mailbox, int]) -> Settings:
    _, port = smtp_server
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False}
    )


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
