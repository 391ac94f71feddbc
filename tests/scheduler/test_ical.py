"""Calendar output that real calendar apps accept.

Every .ics produced here is read back by three parsers that do not share code: icalendar (which
wrote it), vobject (dateutil's VTIMEZONE reader) and Mozilla's ical.js (Thunderbird's engine, run
with node). Times are checked as instants in UTC, resolved through the VTIMEZONE inside the file,
because that is what a client in another zone, or with no zone database, does.
"""

from __future__ import annotations

import dataclasses
import email
import fcntl
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject

from scheduler.ical import (
    LONDON,
    CalendarAttendee,
    CalendarEvent,
    CalendarPerson,
    build_message,
    cancel_calendar,
    feed_calendar,
    feed_etag,
    feed_last_modified,
    parse_reply,
    request_calendar,
    significant_change,
    stable_uid,
)
from scheduler.ical.itip import ItipMethod
from scheduler.ical.timezone import LONDON_VTIMEZONE, london_vtimezone

JS_DIR = Path(__file__).resolve().parents[1] / "js"

# The notice arrives in British Summer Time; the inspection week is in GMT.
NOTICE_DAY_BST = datetime(2026, 10, 19, 8, 0, tzinfo=UTC)
WELSH = (
    "Cyfarfod strategaeth ar gynllunio AIG (EHCP) gyda'r fforwm rhieni a gofalwyr. "
    "Bydd yr arolygwyr yn gofyn sut mae'r bartneriaeth yn adnabod anghenion plant a phobl "
    "ifanc: dewch â'ch tystiolaeth, os gwelwch yn dda. Café, naïve, façade, Zoë, Siân, "
    "Gwenllïan, Dŵr, tŷ, Ŵyl; punctuation; commas, colons: and a second paragraph.\n"
    "Ail baragraff: ŵ ŷ â ê î ô û ẁ ẃ ẅ ỳ — “quoted” text, and an emoji 🏫 at the end."
)

ORGANIZER = CalendarPerson("Victor Roman", "victor.roman@council.example.gov.uk")
SIAN = CalendarPerson("Jones, Siân", "sian.jones@health.example.nhs.uk")
DAI = CalendarPerson("Dai Evans", "dai.evans@council.example.gov.uk")
RHIANNON = CalendarPerson("Rhiannon Lloyd", "rhiannon@parents.example.org")


def make_event(**changes: Any) -> CalendarEvent:
    """An EHCP strategy meeting on the Monday of a GMT week, with three attendees."""
    event = CalendarEvent(
        uid=stable_uid("newport", "meeting:12", "inspection.example.org"),
        sequence=0,
        summary="EHCP planning strategy meeting",
        start=datetime(2026, 11, 2, 9, 0, tzinfo=LONDON),
        end=datetime(2026, 11, 2, 10, 30, tzinfo=LONDON),
        location="Civic Centre, Committee Room 3, Godfrey Road, Newport NP20 4UR",
        geo=(51.5881, -2.9977),
        organizer=ORGANIZER,
        attendees=(
            CalendarAttendee(SIAN, "REQ-PARTICIPANT"),
            CalendarAttendee(DAI, "CHAIR"),
            CalendarAttendee(RHIANNON, "OPT-PARTICIPANT", rsvp=False),
        ),
        description="Inspectors meet the EHCP team. Bring the latest 20-week figures.",
        url="https://inspection.example.org/items/meeting-12",
        last_modified=datetime(2026, 10, 18, 17, 30, tzinfo=UTC),
    )
    return dataclasses.replace(event, **changes)


# --- the three parsers ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def icaljs() -> Path:
    """The ical.js parse script, with its npm package installed if missing.

    Fails (does not skip) without node: CI installs it, and a skipped check is a silent hole.
    """
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("node and npm are required for the ical.js cross-check (see tests/js/)")
    with (JS_DIR / "package-lock.json").open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test workers install once, not at once
        if not (JS_DIR / "node_modules" / "ical.js").is_dir():
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(JS_DIR)],
                capture_output=True,
                check=False,
                timeout=300,
            )
            if done.returncode != 0:
                pytest.fail(f"npm ci in tests/js failed:\n{done.stderr.decode()}")
    return JS_DIR / "parse.mjs"


def read_with_icaljs(script: Path, ics: bytes) -> dict[str, Any]:
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, str(script)], input=ics, capture_output=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def read_with_vobject(ics: bytes) -> Any:
    return vobject.readOne(ics.decode("utf-8"))


def vobject_start(ics: bytes) -> datetime:
    """DTSTART as vobject reads it, through this file's own VTIMEZONE.

    vobject keeps the first VTIMEZONE it meets per TZID for the whole process, so the zone is
    taken from this file explicitly rather than from that cache.
    """
    calendar = read_with_vobject(ics)
    zone = calendar.vtimezone.gettzinfo()
    wall_clock: datetime = calendar.vevent.dtstart.value.replace(tzinfo=None)
    return wall_clock.replace(tzinfo=zone)


def read_with_icalendar(ics: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(ics)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def utc_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def assert_well_formed(ics: bytes) -> None:
    """CRLF line ends only, every physical line within 75 octets, valid UTF-8."""
    ics.decode("utf-8")
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75, line


def the_event(calendar: icalendar.Calendar) -> Any:
    """The one VEVENT (typed loosely: icalendar's property values are a wide union)."""
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def attendee_params(event: Any) -> dict[str, dict[str, str]]:
    """ATTENDEE parameters keyed by lower-case email."""
    values = event.get("ATTENDEE", [])
    values = values if isinstance(values, list) else [values]
    return {
        str(value).removeprefix("mailto:").lower(): {k: str(v) for k, v in value.params.items()}
        for value in values
    }


# --- events -----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["start", "end", "last_modified"])
def test_naive_datetimes_are_refused(field: str) -> None:
    naive = datetime(2026, 11, 2, 9, 0)
    with pytest.raises(ValueError, match="naive"):
        make_event(**{field: naive})


def test_a_naive_message_stamp_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        request_calendar(make_event(), stamp=datetime(2026, 10, 19, 9, 0))


def test_an_event_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="end must be after start"):
        make_event(end=datetime(2026, 11, 2, 9, 0, tzinfo=LONDON))


def test_an_address_that_could_break_an_email_header_is_refused() -> None:
    with pytest.raises(ValueError, match="email"):
        CalendarPerson("Mallory", "mallory@example.org\r\nBcc: everyone@example.org")


def test_the_uid_is_the_same_for_the_same_item_and_differs_between_items() -> None:
    first = stable_uid("newport", "meeting:12", "inspection.example.org")
    assert first == stable_uid("newport", "meeting:12", "inspection.example.org")
    assert first != stable_uid("newport", "meeting:13", "inspection.example.org")
    assert first != stable_uid("cardiff", "meeting:12", "inspection.example.org")
    assert first.endswith("@inspection.example.org")
    assert "meeting" not in first and "newport" not in first


def test_a_new_answer_is_not_a_change_of_the_event_but_a_new_time_is() -> None:
    event = make_event()
    accepted = dataclasses.replace(
        event,
        attendees=(CalendarAttendee(SIAN, "REQ-PARTICIPANT", "ACCEPTED"),) + event.attendees[1:],
    )
    assert not significant_change(event, accepted)
    moved = dataclasses.replace(
        event, start=event.start + timedelta(hours=1), end=event.end + timedelta(hours=1)
    )
    assert significant_change(event, moved)
    assert significant_change(event, dataclasses.replace(event, attendees=event.attendees[:2]))


# --- Europe/London ----------------------------------------------------------------------------


def test_the_london_vtimezone_is_one_standard_and_one_daylight_rule() -> None:
    zone: Any = london_vtimezone()
    assert zone["TZID"] == "Europe/London"
    standard = [c for c in zone.subcomponents if c.name == "STANDARD"]
    daylight = [c for c in zone.subcomponents if c.name == "DAYLIGHT"]
    assert len(standard) == 1 and len(daylight) == 1
    assert "RDATE" not in LONDON_VTIMEZONE
    assert standard[0]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert daylight[0]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert standard[0]["TZOFFSETFROM"].td == timedelta(hours=1)
    assert standard[0]["TZOFFSETTO"].td == timedelta(0)
    assert daylight[0]["TZOFFSETFROM"].td == timedelta(0)
    assert daylight[0]["TZOFFSETTO"].td == timedelta(hours=1)
    assert standard[0]["DTSTART"].dt.year == daylight[0]["DTSTART"].dt.year == 1970


def instants_around_clock_changes(first_year: int, last_year: int) -> list[datetime]:
    """Every day at 12:00 UTC, and every 15 minutes through the last week of March and October."""
    instants = []
    day = datetime(first_year, 1, 1, 12, tzinfo=UTC)
    while day.year <= last_year:
        instants.append(day)
        if day.month in (3, 10) and day.day >= 24:
            instants += [day - timedelta(hours=12) + timedelta(minutes=15 * i) for i in range(96)]
        day += timedelta(days=1)
    return instants


def test_the_london_vtimezone_agrees_with_the_zone_database_until_2037() -> None:
    """Read by dateutil (through vobject), the rule gives zoneinfo's offset at every instant."""
    zone = vobject_start(request_calendar(make_event(), stamp=NOTICE_DAY_BST)).tzinfo
    for instant in instants_around_clock_changes(2024, 2037):
        assert instant.astimezone(zone).utcoffset() == instant.astimezone(LONDON).utcoffset(), (
            instant
        )


# --- REQUEST ----------------------------------------------------------------------------------


def test_an_invitation_carries_every_field_a_calendar_needs(icaljs: Path) -> None:
    event = make_event(sequence=2)
    ics = request_calendar(event, stamp=NOTICE_DAY_BST)
    assert_well_formed(ics)
    text = ics.decode()
    assert text.count("BEGIN:VEVENT") == 1 and text.count("BEGIN:VTIMEZONE") == 1
    assert "METHOD:REQUEST\r\n" in text
    assert "DTSTART;TZID=Europe/London:20261102T090000\r\n" in text
    assert "DTEND;TZID=Europe/London:20261102T103000\r\n" in text
    assert "DTSTAMP:20261019T080000Z\r\n" in text

    vevent = the_event(read_with_icalendar(ics))
    assert vevent["UID"] == event.uid
    assert vevent["SEQUENCE"] == 2
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["GEO"].latitude == pytest.approx(51.5881)
    assert vevent["GEO"].longitude == pytest.approx(-2.9977)
    assert str(vevent["LOCATION"]) == event.location
    assert str(vevent["DESCRIPTION"]) == event.description
    assert str(vevent["ORGANIZER"]) == f"mailto:{ORGANIZER.email}"
    assert vevent["ORGANIZER"].params["CN"] == "Victor Roman"
    assert attendee_params(vevent) == {
        SIAN.email: {
            "CN": "Jones, Siân",
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "TRUE",
        },
        DAI.email: {
            "CN": "Dai Evans",
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "CHAIR",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "TRUE",
        },
        RHIANNON.email: {
            "CN": "Rhiannon Lloyd",
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "OPT-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",
        },
    }

    other = read_with_vobject(ics)
    assert other.method.value == "REQUEST"
    assert other.vevent.uid.value == event.uid
    assert other.vevent.sequence.value == "2"
    assert other.vevent.location.value == event.location
    roles = {a.value.lower(): a.params["ROLE"] for a in other.vevent.attendee_list}
    assert roles[f"mailto:{DAI.email}"] == ["CHAIR"]

    js = read_with_icaljs(icaljs, ics)
    assert js["method"] == "REQUEST"
    assert js["timezones"] == [{"tzid": "Europe/London", "standard": 1, "daylight": 1}]
    [seen] = js["events"]
    assert (seen["uid"], seen["sequence"], seen["status"]) == (event.uid, 2, "CONFIRMED")
    assert seen["location"] == event.location
    assert seen["geo"] == [51.5881, -2.9977]
    assert seen["organizer"]["params"]["cn"] == "Victor Roman"
    by_email = {a["value"].removeprefix("mailto:"): a["params"] for a in seen["attendees"]}
    assert by_email[SIAN.email]["cn"] == "Jones, Siân"
    assert by_email[SIAN.email]["role"] == "REQ-PARTICIPANT"
    assert by_email[SIAN.email]["rsvp"] == "TRUE"


def test_the_same_item_keeps_its_uid_through_a_replan_while_sequence_rises(icaljs: Path) -> None:
    first = make_event()
    replanned = dataclasses.replace(
        first,
        sequence=first.sequence + 1,
        start=datetime(2026, 11, 3, 14, 0, tzinfo=LONDON),
        end=datetime(2026, 11, 3, 15, 30, tzinfo=LONDON),
    )
    before = read_with_icaljs(icaljs, request_calendar(first, stamp=NOTICE_DAY_BST))["events"][0]
    after = read_with_icaljs(icaljs, request_calendar(replanned, stamp=NOTICE_DAY_BST))["events"][0]
    assert after["uid"] == before["uid"]
    assert (before["sequence"], after["sequence"]) == (0, 1)
    assert after["startUtc"] == "2026-11-03T14:00:00.000Z"


@pytest.mark.parametrize(
    ("start", "expected_utc"),
    [
        (datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), "2026-11-02T09:00:00.000Z"),  # GMT week
        (datetime(2026, 10, 19, 9, 0, tzinfo=LONDON), "2026-10-19T08:00:00.000Z"),  # still BST
        (datetime(2026, 10, 25, 9, 0, tzinfo=LONDON), "2026-10-25T09:00:00.000Z"),  # change day
    ],
)
def test_times_stay_right_when_notice_is_in_bst_and_the_week_in_gmt(
    icaljs: Path, start: datetime, expected_utc: str
) -> None:
    event = make_event(start=start, end=start + timedelta(hours=1))
    ics = request_calendar(event, stamp=NOTICE_DAY_BST)  # built while the clocks say BST
    assert utc_text(the_event(read_with_icalendar(ics))["DTSTART"].dt) == expected_utc
    assert utc_text(vobject_start(ics)) == expected_utc
    seen = read_with_icaljs(icaljs, ics)["events"][0]
    assert seen["startUtc"] == expected_utc
    assert seen["startTzid"] == "Europe/London"


def test_an_event_given_in_utc_is_still_written_on_london_time() -> None:
    start = datetime(2026, 10, 19, 8, 0, tzinfo=UTC)
    ics = request_calendar(
        make_event(start=start, end=start + timedelta(hours=1)), stamp=NOTICE_DAY_BST
    )
    assert b"DTSTART;TZID=Europe/London:20261019T090000\r\n" in ics


def test_the_cross_checks_really_read_our_vtimezone(icaljs: Path) -> None:
    """A wrong VTIMEZONE must move the times: the parsers do not fall back on their own zones."""
    ics = request_calendar(make_event(), stamp=NOTICE_DAY_BST)
    tampered = ics.replace(b"TZOFFSETTO:+0000", b"TZOFFSETTO:+0300")
    assert read_with_icaljs(icaljs, tampered)["events"][0]["startUtc"] == "2026-11-02T06:00:00.000Z"
    assert utc_text(vobject_start(tampered)) == "2026-11-02T06:00:00.000Z"


def test_long_welsh_text_is_folded_at_75_octets_and_read_back_intact(icaljs: Path) -> None:
    event = make_event(summary="Cyfarfod strategaeth: Gwenllïan a Siân — AIG", description=WELSH)
    ics = request_calendar(event, stamp=NOTICE_DAY_BST)
    assert_well_formed(ics)
    assert str(the_event(read_with_icalendar(ics))["DESCRIPTION"]) == WELSH
    assert read_with_vobject(ics).vevent.description.value == WELSH
    seen = read_with_icaljs(icaljs, ics)["events"][0]
    assert seen["description"] == WELSH
    assert seen["summary"] == event.summary


def test_a_cancelled_event_cannot_be_sent_as_an_invitation() -> None:
    with pytest.raises(ValueError, match="cancel_calendar"):
        request_calendar(make_event(status="CANCELLED"))


# --- CANCEL -----------------------------------------------------------------------------------


def test_a_cancellation_says_cancelled_with_the_new_sequence_and_asks_no_reply(
    icaljs: Path,
) -> None:
    event = make_event(sequence=3)
    ics = cancel_calendar(event, stamp=NOTICE_DAY_BST)
    assert_well_formed(ics)
    assert b"METHOD:CANCEL\r\n" in ics
    assert b"RSVP" not in ics

    vevent = the_event(read_with_icalendar(ics))
    assert (vevent["UID"], vevent["SEQUENCE"], vevent["STATUS"]) == (event.uid, 3, "CANCELLED")
    assert set(attendee_params(vevent)) == {SIAN.email, DAI.email, RHIANNON.email}

    other = read_with_vobject(ics)
    assert (other.method.value, other.vevent.status.value) == ("CANCEL", "CANCELLED")

    js = read_with_icaljs(icaljs, ics)
    assert js["method"] == "CANCEL"
    assert js["events"][0]["status"] == "CANCELLED"
    assert js["events"][0]["sequence"] == 3


def test_a_cancellation_for_one_person_names_only_that_person() -> None:
    event = make_event(sequence=1)
    rhiannon = event.attendee(RHIANNON.email)
    assert rhiannon is not None
    only_rhiannon = dataclasses.replace(event, attendees=(rhiannon,))
    vevent = the_event(read_with_icalendar(cancel_calendar(only_rhiannon, stamp=NOTICE_DAY_BST)))
    assert list(attendee_params(vevent)) == [RHIANNON.email]


# --- iMIP emails ------------------------------------------------------------------------------


def readable_part(message: EmailMessage) -> str:
    """The text/plain part as a person reads it (line ends as their system has them)."""
    text_part = next(message.iter_parts())
    assert isinstance(text_part, EmailMessage)
    content: str = text_part.get_content()
    return content.replace("\r\n", "\n")


def sent_and_received(message: EmailMessage) -> EmailMessage:
    """The message as another mail program reads it after SMTP (CRLF on the wire)."""
    wire = message.as_bytes(policy=policy.SMTP)
    received = email.message_from_bytes(wire, policy=policy.default)
    assert isinstance(received, EmailMessage)
    return received


@pytest.mark.parametrize(
    ("method", "sequence", "subject"),
    [
        ("REQUEST", 0, "Invitation: EHCP planning strategy meeting (Monday 2 November 2026 09:00)"),
        ("REQUEST", 1, "Updated: EHCP planning strategy meeting (Monday 2 November 2026 09:00)"),
        ("CANCEL", 2, "Cancelled: EHCP planning strategy meeting (Monday 2 November 2026 09:00)"),
    ],
)
def test_an_imip_email_is_alternative_text_and_calendar_with_matching_method(
    icaljs: Path, method: ItipMethod, sequence: int, subject: str
) -> None:
    event = make_event(sequence=sequence)
    sender = CalendarPerson("Inspection Week", "noreply@inspection.example.org")
    message = build_message(
        event, method, SIAN, sender, stamp=NOTICE_DAY_BST, message_id="<m1@inspection.example.org>"
    )
    received = sent_and_received(message)

    assert " ".join(received["Subject"].split()) == subject  # long subjects are folded
    assert received["To"] == '"Jones, Siân" <sian.jones@health.example.nhs.uk>'
    assert received["From"] == "Inspection Week <noreply@inspection.example.org>"
    assert received["Reply-To"] == "Victor Roman <victor.roman@council.example.gov.uk>"
    assert received["Message-ID"] == "<m1@inspection.example.org>"
    assert received["Date"] == "Mon, 19 Oct 2026 08:00:00 +0000"
    assert received.get_content_type() == "multipart/alternative"
    text_part, calendar_part = received.iter_parts()
    assert text_part.get_content_type() == "text/plain"
    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("method") == method
    assert str(calendar_part.get_param("charset")).upper() == "UTF-8"
    assert calendar_part["Content-Transfer-Encoding"] == "base64"

    ics = calendar_part.get_payload(decode=True)
    assert isinstance(ics, bytes)
    assert_well_formed(ics)
    assert ics == (request_calendar if method == "REQUEST" else cancel_calendar)(
        event, stamp=NOTICE_DAY_BST, sent_by=sender
    )
    assert f"METHOD:{method}\r\n".encode() in ics
    js = read_with_icaljs(icaljs, ics)
    assert js["method"] == method
    organizer = js["events"][0]["organizer"]
    assert organizer["value"] == f"mailto:{ORGANIZER.email}"
    assert organizer["params"]["sent-by"] == "mailto:noreply@inspection.example.org"
    assert read_with_vobject(ics).method.value == method


def test_an_email_from_the_organizer_has_no_sent_by() -> None:
    message = build_message(make_event(), "REQUEST", SIAN, ORGANIZER, stamp=NOTICE_DAY_BST)
    calendar_part = list(message.iter_parts())[1]
    ics = calendar_part.get_payload(decode=True)
    assert isinstance(ics, bytes)
    assert b"SENT-BY" not in ics
    assert message["Reply-To"] is None


def test_the_readable_part_says_what_when_where_who_and_how_to_answer() -> None:
    links = {
        "ACCEPTED": "https://inspection.example.org/r/abc?answer=accept",
        "DECLINED": "https://inspection.example.org/r/abc?answer=decline",
    }
    sender = CalendarPerson("Victor Roman", ORGANIZER.email)
    message = build_message(
        make_event(), "REQUEST", SIAN, sender, reply_links=links, stamp=NOTICE_DAY_BST
    )
    received = sent_and_received(message)
    text = readable_part(received)
    assert "What:  EHCP planning strategy meeting" in text
    assert "When:  Monday 2 November 2026, 09:00-10:30 (GMT)" in text
    assert "Where: Civic Centre, Committee Room 3, Godfrey Road, Newport NP20 4UR" in text
    assert "Dai Evans <dai.evans@council.example.gov.uk> (chair)" in text
    assert "Rhiannon Lloyd <rhiannon@parents.example.org> (optional)" in text
    assert SIAN.email not in text.split("Who else comes:")[1]  # not listed among the others
    assert "Accept: https://inspection.example.org/r/abc?answer=accept" in text
    assert "Decline: https://inspection.example.org/r/abc?answer=decline" in text


def test_a_bst_item_is_described_in_bst() -> None:
    start = datetime(2026, 10, 19, 9, 0, tzinfo=LONDON)
    event = make_event(start=start, end=start + timedelta(hours=3))
    message = build_message(event, "REQUEST", SIAN, ORGANIZER, stamp=NOTICE_DAY_BST)
    text = readable_part(sent_and_received(message))
    assert "When:  Monday 19 October 2026, 09:00-12:00 (BST)" in text


def test_someone_newly_added_to_a_changed_item_gets_an_invitation_not_an_update() -> None:
    event = make_event(sequence=3)
    message = build_message(
        event, "REQUEST", SIAN, ORGANIZER, stamp=NOTICE_DAY_BST, is_update=False
    )
    received = sent_and_received(message)
    assert " ".join(received["Subject"].split()).startswith("Invitation: ")
    assert "You are invited to:" in readable_part(received)


def test_a_given_text_body_is_used_as_is() -> None:
    message = build_message(
        make_event(), "REQUEST", SIAN, ORGANIZER, "Hello Siân.\n", stamp=NOTICE_DAY_BST
    )
    assert readable_part(sent_and_received(message)) == "Hello Siân.\n"


def test_welsh_text_survives_the_subject_and_the_readable_part() -> None:
    event = make_event(
        summary="Ymweliad: Ysgol Gymraeg Gwenllïan — Siân a’r tîm", description=WELSH
    )
    received = sent_and_received(
        build_message(event, "REQUEST", SIAN, ORGANIZER, stamp=NOTICE_DAY_BST)
    )
    assert "Ymweliad: Ysgol Gymraeg Gwenllïan — Siân a’r tîm" in " ".join(
        received["Subject"].split()
    )
    assert WELSH in readable_part(received)


def test_reply_links_must_be_keyed_by_answer() -> None:
    with pytest.raises(ValueError, match="reply links"):
        build_message(
            make_event(), "REQUEST", SIAN, ORGANIZER, reply_links={"yes": "https://x.example"}
        )


# --- REPLY ------------------------------------------------------------------------------------


def reply_text(
    *, method: str = "REPLY", attendees: str | None = None, partstat: str = "ACCEPTED"
) -> bytes:
    """A reply as a mail client would send it: only the answering attendee, no VTIMEZONE."""
    if attendees is None:
        address = "MAILTO:Sian.Jones@Health.example.nhs.uk"
        attendees = f"ATTENDEE;PARTSTAT={partstat};CN=Siân Jones:{address}\r\n"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Mail//EN\r\n"
        f"METHOD:{method}\r\nBEGIN:VEVENT\r\n"
        f"UID:{make_event().uid}\r\nSEQUENCE:2\r\nDTSTAMP:20261020T101500Z\r\n"
        "DTSTART:20261102T090000Z\r\n"
        f"ORGANIZER:mailto:{ORGANIZER.email}\r\n{attendees}"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def test_a_reply_gives_the_item_the_person_and_their_answer() -> None:
    reply = parse_reply(reply_text(partstat="DECLINED"))
    assert reply.uid == make_event().uid
    assert reply.sequence == 2
    assert reply.attendee_email == "sian.jones@health.example.nhs.uk"
    assert reply.partstat == "DECLINED"
    assert reply.dtstamp == datetime(2026, 10, 20, 10, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ics", "reason"),
    [
        (reply_text(method="REQUEST"), "not an iTIP reply"),
        (reply_text(attendees=""), "no ATTENDEE"),
        (
            reply_text(
                attendees=(
                    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.org\r\n"
                    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:b@example.org\r\n"
                )
            ),
            "exactly one ATTENDEE",
        ),
        (reply_text(attendees="ATTENDEE:mailto:a@example.org\r\n"), "PARTSTAT missing"),
        (reply_text(partstat="NEEDS-ACTION"), "unsupported PARTSTAT"),
        (b"this is not a calendar", "not an iCalendar object"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n",
            "exactly one VEVENT",
        ),
    ],
)
def test_anything_but_a_single_answer_is_refused_with_a_reason(ics: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_reply(ics)


def test_a_reply_parses_with_the_independent_parsers_too(icaljs: Path) -> None:
    ics = reply_text()
    assert read_with_icaljs(icaljs, ics)["method"] == "REPLY"
    assert read_with_vobject(ics).vevent.attendee.params["PARTSTAT"] == ["ACCEPTED"]


# --- feeds ------------------------------------------------------------------------------------


def week_feed_events() -> list[CalendarEvent]:
    meeting = make_event()
    visit = make_event(
        uid=stable_uid("newport", "visit:7", "inspection.example.org"),
        summary="Visit: Ysgol Gymraeg Casnewydd",
        start=datetime(2026, 11, 4, 9, 30, tzinfo=LONDON),
        end=datetime(2026, 11, 4, 12, 30, tzinfo=LONDON),
        sequence=1,
        last_modified=datetime(2026, 10, 20, 9, 0, tzinfo=UTC),
    )
    dropped = make_event(
        uid=stable_uid("newport", "webinar:1", "inspection.example.org"),
        summary="Parent webinar (cancelled)",
        status="CANCELLED",
        sequence=4,
        last_modified=datetime(2026, 10, 21, 9, 0, tzinfo=UTC),
    )
    return [visit, dropped, meeting]


def test_a_feed_writes_its_name_and_refresh_as_clients_expect(icaljs: Path) -> None:
    ics = feed_calendar("Newport inspection week", week_feed_events(), timedelta(hours=1))
    assert_well_formed(ics)
    lines = ics.decode().split("\r\n")
    for expected in (
        "METHOD:PUBLISH",
        "NAME:Newport inspection week",
        "X-WR-CALNAME:Newport inspection week",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "X-WR-TIMEZONE:Europe/London",
    ):
        assert expected in lines
    js = read_with_icaljs(icaljs, ics)
    assert (js["method"], js["name"], js["xWrCalname"]) == (
        "PUBLISH",
        "Newport inspection week",
        "Newport inspection week",
    )
    assert js["refreshInterval"]["type"] == "duration"
    assert js["refreshInterval"]["value"] == "PT1H"
    assert js["publishedTtl"]["value"] == "PT1H"
    other = read_with_vobject(ics)
    assert other.method.value == "PUBLISH"


def test_a_feed_drops_cancelled_items_and_holds_one_vtimezone(icaljs: Path) -> None:
    ics = feed_calendar("Newport inspection week", week_feed_events())
    assert ics.count(b"BEGIN:VTIMEZONE") == 1
    js = read_with_icaljs(icaljs, ics)
    assert [e["summary"] for e in js["events"]] == [
        "EHCP planning strategy meeting",
        "Visit: Ysgol Gymraeg Casnewydd",
    ]
    assert [e["startUtc"] for e in js["events"]] == [
        "2026-11-02T09:00:00.000Z",
        "2026-11-04T09:30:00.000Z",
    ]
    assert b"cancelled" not in ics.lower()
    assert len(read_with_vobject(ics).vevent_list) == 2


def test_a_feed_keeps_the_organizer_but_invites_nobody_to_reply(icaljs: Path) -> None:
    ics = feed_calendar("Siân's inspection week", week_feed_events())
    for banned in (b"ATTENDEE", b"RSVP", b"NEEDS-ACTION"):
        assert banned not in ics
    calendar = read_with_icalendar(ics)
    for vevent in calendar.walk("VEVENT"):
        assert str(vevent["ORGANIZER"]) == f"mailto:{ORGANIZER.email}"
    for seen in read_with_icaljs(icaljs, ics)["events"]:
        assert seen["organizer"]["value"] == f"mailto:{ORGANIZER.email}"
        assert seen["attendees"] == []


def test_a_feed_is_the_same_bytes_for_the_same_events_in_any_order() -> None:
    events = week_feed_events()
    body = feed_calendar("Week", events)
    assert feed_calendar("Week", list(reversed(events))) == body
    assert feed_etag(feed_calendar("Week", events)) == feed_etag(body)
    assert b"DTSTAMP:20261018T173000Z\r\n" in body  # the meeting's last_modified, not the clock
    assert b"DTSTAMP:20261020T090000Z\r\n" in body
    moved = dataclasses.replace(
        events[0],
        start=events[0].start + timedelta(hours=1),
        end=events[0].end + timedelta(hours=1),
    )
    assert feed_etag(feed_calendar("Week", [moved, *events[1:]])) != feed_etag(body)


def test_the_feed_last_modified_counts_the_dropped_cancellation() -> None:
    assert feed_last_modified(week_feed_events()) == datetime(2026, 10, 21, 9, 0, tzinfo=UTC)
    assert feed_last_modified([]) is None


def test_an_empty_feed_is_still_a_valid_calendar(icaljs: Path) -> None:
    ics = feed_calendar("Nothing yet", [])
    assert read_with_icaljs(icaljs, ics)["events"] == []
    assert read_with_vobject(ics).method.value == "PUBLISH"


def test_a_feed_refresh_must_be_whole_positive_minutes() -> None:
    with pytest.raises(ValueError, match="refresh"):
        feed_calendar("Week", [], timedelta(seconds=30))


def test_every_file_line_is_crlf_terminated_even_in_the_vtimezone() -> None:
    ics = request_calendar(make_event(), stamp=NOTICE_DAY_BST)
    assert re.search(rb"[^\r]\n", ics) is None
