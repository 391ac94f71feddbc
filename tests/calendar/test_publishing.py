"""Publishing a week: who gets which invitation, update or cancellation, and what it says."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import vobject
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from api.problems import Unprocessable
from api.publishing import publish_week, week_events
from api.settings import Settings
from models.inspection import Inspection
from models.venue import Venue
from scheduler.plan import AttendeeRole, ItemAttendee, PlanItem
from tests.calendar.conftest import (
    NOTICE,
    Week,
    at,
    outbox,
    parsed_email,
    plan_items,
    publish,
    the_vevent,
)
from tests.scheduler.test_ical import read_with_icaljs

LATER = NOTICE + timedelta(days=1)


def by_key(items: list[PlanItem]) -> dict[str, PlanItem]:
    return {item.key: item for item in items}


def recipients(messages: list[Any], method: str | None = None) -> Counter[str]:
    return Counter(m.recipient for m in messages if method is None or m.method == method)


def test_first_publish_sends_each_attendee_one_invitation_per_item(
    engine: Engine, week: Week, settings: Settings, icaljs: Path
) -> None:
    items = plan_items(week)
    summary = publish(engine, week, items, settings)

    messages = outbox(engine)
    expected = Counter((item.key, a.person_id) for item in items for a in item.attendees)
    assert len(messages) == sum(expected.values()) == summary.requests
    assert summary.new_items == sorted(summary.new_items, key=lambda k: by_key(items)[k].start)
    assert set(summary.new_items) == {item.key for item in items}
    assert {m.method for m in messages} == {"REQUEST"}
    assert len({(m.uid, m.recipient) for m in messages}) == len(messages)  # one per person+item
    for message in messages:
        ics = message.ics.encode()
        vevent = the_vevent(ics)  # icalendar reads it
        assert str(vevent["UID"]) == message.uid and int(vevent["SEQUENCE"]) == 0
        assert vobject.readOne(message.ics).vevent.uid.value == message.uid
        seen = read_with_icaljs(icaljs, ics)
        assert seen["method"] == "REQUEST" and seen["events"][0]["uid"] == message.uid


def test_an_invitation_is_an_imip_email_with_matching_method(
    engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    message = next(m for m in outbox(engine) if m.recipient == week.emails["sian"])
    received = parsed_email(message)

    assert received.get_content_type() == "multipart/alternative"
    text, calendar = list(received.iter_parts())
    assert text.get_content_type() == "text/plain"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert str(calendar.get_param("charset")).upper() == "UTF-8"
    assert b"METHOD:REQUEST" in calendar.get_payload(decode=True)
    assert received["To"].addresses[0].addr_spec == week.emails["sian"]
    assert received["From"].addresses[0].addr_spec == "invites@northbrook.example.gov.uk"
    assert received["Reply-To"].addresses[0].addr_spec == week.emails["victor"]
    assert received["Subject"].strip() == (  # a long header is folded after "Subject:"
        "Invitation: EHCP planning strategy meeting (Monday 2 November 2026 09:00)"
    )
    body = text.get_content()
    assert "Civic Centre, Committee Room 3, Godfrey Road, Northbrook, NB1 4UR" in body
    assert "https://iw.example.org/api/v1/rsvp/" in body and "decline?v=0&sig=" in body


def test_the_event_carries_organizer_roles_place_and_what_to_expect(
    engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    message = next(
        m for m in outbox(engine) if m.recipient == week.emails["sian"] and m.sequence == 0
    )
    vevent = the_vevent(message.ics)

    assert str(vevent["ORGANIZER"]) == f"mailto:{week.emails['victor']}"
    assert vevent["ORGANIZER"].params["CN"] == "Victor Roman"
    roles = {
        str(a).removeprefix("mailto:"): (a.params["ROLE"], a.params["PARTSTAT"], a.params["RSVP"])
        for a in vevent["ATTENDEE"]
    }
    assert roles == {
        week.emails["sian"]: ("REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
        week.emails["dai"]: ("CHAIR", "NEEDS-ACTION", "TRUE"),
        week.emails["rhiannon"]: ("REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
        week.emails["owen"]: ("OPT-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
        week.emails["hana"]: ("REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
    }
    assert str(vevent["LOCATION"]) == (
        "Civic Centre, Committee Room 3, Godfrey Road, Northbrook, NB1 4UR"
    )
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (52.9501, -1.1502)
    description = str(vevent["DESCRIPTION"])
    assert description.startswith("Strategy meeting of the SEND local area inspection")
    assert "Dai Evans <dai.evans@northbrook.example.gov.uk> (chair)" in description
    assert "Owen Hughes <owen.hughes@northbrook.example.gov.uk> (optional)" in description
    assert "Bring the latest 20-week figures" in description


def test_a_note_taker_can_be_configured_as_a_plain_required_participant(
    engine: Engine, week: Week, settings: Settings
) -> None:
    plain = settings.model_copy(update={"note_taker_role": "REQ-PARTICIPANT"})
    publish(engine, week, plan_items(week)[:1], plain)
    vevent = the_vevent(outbox(engine)[0].ics)
    dai = next(a for a in vevent["ATTENDEE"] if week.emails["dai"] in str(a))
    assert dai.params["ROLE"] == "REQ-PARTICIPANT"


def test_a_visit_tells_the_setting_whom_to_gather_and_where(
    engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    message = next(m for m in outbox(engine) if m.recipient == week.emails["priya"])
    vevent = the_vevent(message.ics)

    assert str(vevent["LOCATION"]) == "Hillside Primary School, Hill Lane, Northbrook, NB3 7HS"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (52.9612, -1.1804)
    description = str(vevent["DESCRIPTION"])
    assert "Inspection visit to Hillside Primary School" in description
    assert "Whom the setting should gather for the inspector:" in description
    for person in ("The SENCo", "Two parents of children on SEN support", "A governor"):
        assert f"- {person}" in description


def test_an_online_item_gives_the_link_as_its_location(
    engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    webinar = next(m for m in outbox(engine) if m.subject.startswith("Invitation: Webinar"))
    vevent = the_vevent(webinar.ics)
    assert str(vevent["LOCATION"]) == "https://meet.example.org/northbrook-send"
    assert str(vevent["URL"]) == "https://meet.example.org/northbrook-send"
    assert "GEO" not in vevent


def test_publishing_the_same_plan_again_sends_nothing(
    engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    before = len(outbox(engine))
    summary = publish(engine, week, plan_items(week), settings, now=LATER)
    assert summary.messages == 0 and summary.unchanged_items == 5
    assert len(outbox(engine)) == before


def test_a_moved_meeting_updates_only_its_own_attendees_with_a_higher_sequence(
    engine: Engine, week: Week, settings: Settings, icaljs: Path
) -> None:
    items = plan_items(week)
    publish(engine, week, items, settings)
    last = outbox(engine)[-1].id or 0
    moved = [
        dataclasses.replace(i, start=at(2, 13, 15), end=at(2, 14, 15))
        if i.key == "meeting:2"
        else i
        for i in items
    ]

    summary = publish(engine, week, moved, settings, now=LATER)

    messages = outbox(engine, last)
    assert summary.changed_items == ["meeting:2"] and summary.unchanged_items == 4
    assert recipients(messages) == Counter([week.emails["dai"], week.emails["kwame"]])
    for message in messages:
        assert message.method == "REQUEST" and message.sequence == 1
        assert message.subject.startswith("Updated: Early years strategy meeting")
        seen = read_with_icaljs(icaljs, message.ics.encode())
        assert seen["events"][0]["sequence"] == 1
        assert seen["events"][0]["startUtc"] == "2026-11-02T13:15:00.000Z"


def test_a_new_colleague_is_invited_and_the_others_are_not_told_again(
    engine: Engine, week: Week, settings: Settings
) -> None:
    items = plan_items(week)
    publish(engine, week, items, settings)
    last = outbox(engine)[-1].id or 0
    meeting = by_key(items)["meeting:2"]
    joined = dataclasses.replace(
        meeting,
        attendees=(*meeting.attendees, ItemAttendee(week.person("owen"), AttendeeRole.OPTIONAL)),
    )

    publish(engine, week, [joined if i.key == "meeting:2" else i for i in items], settings, LATER)

    messages = outbox(engine, last)
    assert [(m.recipient, m.method, m.sequence) for m in messages] == [
        (week.emails["owen"], "REQUEST", 0)
    ]
    assert messages[0].subject.startswith("Invitation:")
    assert len(the_vevent(messages[0].ics)["ATTENDEE"]) == 3


def test_a_changed_role_updates_only_that_person(
    engine: Engine, week: Week, settings: Settings
) -> None:
    items = plan_items(week)
    publish(engine, week, items, settings)
    last = outbox(engine)[-1].id or 0
    meeting = by_key(items)["meeting:1"]
    promoted = dataclasses.replace(
        meeting,
        attendees=tuple(
            ItemAttendee(a.person_id, AttendeeRole.REQUIRED)
            if a.person_id == week.person("owen")
            else a
            for a in meeting.attendees
        ),
    )
    publish(engine, week, [promoted if i.key == "meeting:1" else i for i in items], settings, LATER)
    messages = outbox(engine, last)
    assert [(m.recipient, m.method, m.sequence) for m in messages] == [
        (week.emails["owen"], "REQUEST", 1)
    ]


def test_a_person_taken_off_an_item_gets_a_cancellation_and_nobody_else_hears(
    engine: Engine, week: Week, settings: Settings, icaljs: Path
) -> None:
    items = plan_items(week)
    publish(engine, week, items, settings)
    last = outbox(engine)[-1].id or 0
    meeting = by_key(items)["meeting:1"]
    without_owen = dataclasses.replace(
        meeting,
        attendees=tuple(a for a in meeting.attendees if a.person_id != week.person("owen")),
    )

    summary = publish(
        engine, week, [without_owen if i.key == "meeting:1" else i for i in items], settings, LATER
    )

    messages = outbox(engine, last)
    assert summary.cancellations == 1 and summary.requests == 0
    assert [(m.recipient, m.method) for m in messages] == [(week.emails["owen"], "CANCEL")]
    cancel = messages[0]
    assert cancel.sequence == 1 and cancel.subject.startswith("Cancelled:")
    vevent = the_vevent(cancel.ics)
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 1
    assert [str(a) for a in [vevent["ATTENDEE"]]] == [f"mailto:{week.emails['owen']}"]
    email_part = list(parsed_email(cancel).iter_parts())[1]
    assert email_part.get_param("method") == "CANCEL"
    seen = read_with_icaljs(icaljs, cancel.ics.encode())
    assert seen["method"] == "CANCEL" and seen["events"][0]["status"] == "CANCELLED"


def test_a_removed_item_is_cancelled_for_everybody_on_it(
    engine: Engine, week: Week, settings: Settings, icaljs: Path
) -> None:
    items = plan_items(week)
    publish(engine, week, items, settings)
    last = outbox(engine)[-1].id or 0

    summary = publish(engine, week, [i for i in items if i.key != "visit:7"], settings, LATER)

    messages = outbox(engine, last)
    assert summary.cancelled_items == ["visit:7"]
    assert recipients(messages, "CANCEL") == Counter([week.emails["kwame"], week.emails["priya"]])
    assert len(messages) == 2
    for message in messages:
        vevent = the_vevent(message.ics)
        assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 1
        assert read_with_icaljs(icaljs, message.ics.encode())["method"] == "CANCEL"
    with Session(engine) as session:
        inspection = session.get(Inspection, week.inspection_id)
        assert inspection is not None
        status = {e.summary: e.status for e in week_events(session, inspection)}
    assert status["Visit: Hillside Primary School"] == "CANCELLED"

    # Publishing it again later reinstates it: invitations with a still higher SEQUENCE.
    publish(engine, week, items, settings, LATER + timedelta(hours=1))
    again = outbox(engine, messages[-1].id or 0)
    assert {(m.method, m.sequence) for m in again} == {("REQUEST", 2)}
    assert recipients(again) == Counter([week.emails["kwame"], week.emails["priya"]])


def test_the_uid_stays_the_same_through_changes(
    engine: Engine, week: Week, settings: Settings
) -> None:
    items = plan_items(week)
    publish(engine, week, items, settings)
    first = {m.recipient: m.uid for m in outbox(engine) if "Early years" in m.subject}
    moved = [dataclasses.replace(i, venue_id=week.civic_centre) for i in items]
    publish(engine, week, moved, settings, LATER)
    later = {m.recipient: m.uid for m in outbox(engine) if m.subject.startswith("Updated: Early")}
    assert later == first and len(set(first.values())) == 1


def test_times_are_right_when_notice_is_in_bst_and_the_week_in_gmt(
    engine: Engine, week: Week, settings: Settings, icaljs: Path
) -> None:
    assert NOTICE.utcoffset() == timedelta(hours=1)  # notified in British Summer Time
    assert at(2, 9).utcoffset() == timedelta(0)  # the week is in GMT
    publish(engine, week, plan_items(week), settings, now=NOTICE)
    message = next(m for m in outbox(engine) if "EHCP planning" in m.subject)

    assert "DTSTART;TZID=Europe/London:20261102T090000" in message.ics
    assert "DTSTAMP:20261023T080000Z" in message.ics  # 09:00 BST
    seen = read_with_icaljs(icaljs, message.ics.encode())
    event = seen["events"][0]
    assert event["startUtc"] == "2026-11-02T09:00:00.000Z"
    assert event["endUtc"] == "2026-11-02T10:30:00.000Z"
    assert event["startTzid"] == "Europe/London"
    calendar = vobject.readOne(message.ics)
    zone = calendar.vtimezone.gettzinfo()
    start = calendar.vevent.dtstart.value.replace(tzinfo=None).replace(tzinfo=zone)
    assert start.astimezone(UTC) == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert (
        "Monday 2 November 2026, 09:00-10:30 (GMT)"
        in parsed_email(message).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    )


def test_publishing_without_a_link_officer_is_refused(
    engine: Engine, week: Week, settings: Settings
) -> None:
    with Session(engine) as session:
        inspection = session.get(Inspection, week.inspection_id)
        assert inspection is not None
        inspection.link_officer_id = None
        with pytest.raises(Unprocessable, match="link officer"):
            publish_week(session, inspection, plan_items(week), now=NOTICE, settings=settings)


def test_a_naive_publish_time_is_refused(engine: Engine, week: Week, settings: Settings) -> None:
    with Session(engine) as session:
        inspection = session.get(Inspection, week.inspection_id)
        assert inspection is not None
        with pytest.raises(ValueError, match="naive"):
            publish_week(
                session,
                inspection,
                plan_items(week),
                now=datetime(2026, 10, 23, 9),
                settings=settings,
            )


def test_a_publish_that_is_rolled_back_leaves_no_messages(
    engine: Engine, week: Week, settings: Settings
) -> None:
    with Session(engine) as session:
        inspection = session.get(Inspection, week.inspection_id)
        assert inspection is not None
        summary = publish_week(session, inspection, plan_items(week), now=NOTICE, settings=settings)
        assert summary.requests > 0
        session.rollback()
    assert outbox(engine) == []
    assert publish(engine, week, plan_items(week), settings).requests == summary.requests


def test_a_location_does_not_repeat_a_venue_name_its_address_already_gives(
    engine: Engine, week: Week, settings: Settings
) -> None:
    with Session(engine) as session:
        library = session.get(Venue, week.library)
        assert library is not None
        library.address = "Central Library, Market Square, Northbrook"
        session.commit()
    publish(engine, week, plan_items(week), settings)
    message = next(m for m in outbox(engine) if "Early years" in m.subject)
    location = str(the_vevent(message.ics)["LOCATION"])
    assert location == "Central Library, Market Square, Northbrook, NB1 2AA"


def test_two_publishes_at_once_never_queue_a_message_twice(
    engine: Engine, week: Week, settings: Settings
) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish_now() -> None:
        barrier.wait()
        try:
            publish(engine, week, plan_items(week), settings)
            outcomes.append("published")
        except (IntegrityError, OperationalError):  # the loser may be refused; never doubled
            outcomes.append("refused")

    threads = [threading.Thread(target=publish_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert "published" in outcomes, outcomes
    messages = outbox(engine)
    expected = sum(len(item.attendees) for item in plan_items(week))
    assert len(messages) == expected
    assert len({(m.uid, m.recipient) for m in messages}) == expected
