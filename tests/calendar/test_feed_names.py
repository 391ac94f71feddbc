"""Names and other text in feeds and invitations are escaped TEXT, read back as written.

Checked with a small RFC 5545 reader written here (unfold, split at the first ':' outside a
quoted parameter, unescape), so the check does not rest on the library that wrote the file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.settings import Settings
from models.inspection import Inspection
from models.person import Person
from models.venue import Venue
from scheduler.ical import CalendarEvent, CalendarPerson, feed_calendar, request_calendar
from tests.calendar.conftest import Week, plan_items, publish
from tests.calendar.test_feeds import feed_path, new_feed
from tests.scheduler.test_ical import read_with_icaljs

TEXT_ESCAPES = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}


def content_lines(ics: bytes) -> list[tuple[str, str]]:
    """(name, raw value) of every content line, read as RFC 5545 section 3.1 says."""
    text = ics.decode("utf-8")
    assert text.endswith("\r\n")
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    lines = []
    for line in unfolded.split("\r\n")[:-1]:
        assert "\r" not in line and "\n" not in line, line
        quoted = False
        for index, char in enumerate(line):
            if char == '"':
                quoted = not quoted
            elif char == ":" and not quoted:
                name = line[:index].split(";", 1)[0].upper()
                lines.append((name, line[index + 1 :]))
                break
        else:
            raise AssertionError(f"no ':' in {line!r}")
    return lines


def unescape_text(raw: str) -> str:
    """One TEXT value (RFC 5545 section 3.3.11); anything left unescaped is an error."""
    out = []
    chars = iter(raw)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "")
            assert escaped in TEXT_ESCAPES, f"bad escape \\{escaped} in {raw!r}"
            out.append(TEXT_ESCAPES[escaped])
        else:
            assert char not in ",;", f"unescaped {char!r} in {raw!r}"
            assert char == "\t" or not (char < " " or "\x7f" <= char <= "\x9f"), repr(raw)
            out.append(char)
    return "".join(out)


def texts(ics: bytes, name: str) -> list[str]:
    return [unescape_text(value) for key, value in content_lines(ics) if key == name]


def event_count(ics: bytes) -> int:
    return sum(1 for key, value in content_lines(ics) if (key, value) == ("BEGIN", "VEVENT"))


@pytest.fixture
def published(engine: Engine, week: Week, settings: Settings) -> Week:
    publish(engine, week, plan_items(week), settings)
    return week


def test_a_name_with_commas_semicolons_and_backslashes_is_escaped_in_the_feed(
    client: TestClient, anonymous: TestClient, published: Week
) -> None:
    name = "Zara, Young; Jr \\North"
    dai = published.person("dai")
    renamed = client.patch(f"/api/v1/areas/{published.area_id}/people/{dai}", json={"name": name})
    assert renamed.status_code == 200, renamed.text

    response = anonymous.get(feed_path(new_feed(client, published, "person", dai)))

    assert response.status_code == 200
    assert "\r\nNAME:Northbrook SEND inspection: Zara\\, Young\\; Jr \\\\North\r\n" in response.text
    expected = f"Northbrook SEND inspection: {name}"
    assert texts(response.content, "NAME") == [expected]
    assert texts(response.content, "X-WR-CALNAME") == [expected]


def test_every_feed_still_answers_when_stored_names_hold_line_breaks(
    client: TestClient, anonymous: TestClient, engine: Engine, published: Week
) -> None:
    # Rows written before line breaks were refused: the feeds must not fail on them.
    with Session(engine) as session:
        inspection = session.get_one(Inspection, published.inspection_id)
        inspection.title = "Week\r\nBEGIN:VEVENT"
        person = session.get_one(Person, published.person("dai"))
        person.name = "Dai\nEvans, SENCo"
        venue = session.get_one(Venue, published.civic_centre)
        venue.name = "Civic Centre\rCommittee Room 3"
        session.add_all([inspection, person, venue])
        session.commit()
    feeds = {
        ("person", published.person("dai")): "Week\nBEGIN:VEVENT: Dai\nEvans, SENCo",
        ("venue", published.civic_centre): "Week\nBEGIN:VEVENT: Civic Centre\nCommittee Room 3",
        ("week", None): "Week\nBEGIN:VEVENT",
    }
    expected_events = {"person": 2, "venue": 2, "week": 5}

    for (kind, subject), name in feeds.items():
        response = anonymous.get(feed_path(new_feed(client, published, kind, subject)))

        assert response.status_code == 200, (kind, response.text)
        assert texts(response.content, "NAME") == [name]
        assert texts(response.content, "X-WR-CALNAME") == [name]
        assert event_count(response.content) == expected_events[kind]


ORGANIZER = CalendarPerson("Victor Roman", "victor.roman@northbrook.example.gov.uk")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def awkward_event() -> CalendarEvent:
    return CalendarEvent(
        uid="5d1f3f7e-text@northbrook.example.gov.uk",
        sequence=0,
        summary='Review: "EHCP" plans, drafts; share C:\\New\\Plans',
        start=START,
        end=START + timedelta(hours=1),
        location="Civic Centre, Committee Room 3; Godfrey Road\\North",
        geo=None,
        organizer=ORGANIZER,
        attendees=(),
        description="Who comes:\r\n- Dai, notes; \\N is not a break\x0bhere\n- Siân\rend",
        last_modified=START,
    )


@pytest.mark.parametrize("kind", ["feed", "invitation"])
def test_every_text_value_of_an_event_reads_back_as_written(kind: str, icaljs: Path) -> None:
    event = awkward_event()
    if kind == "feed":
        ics = feed_calendar("Week: Zara, Young; Jr", [event], description="Line\none, two")
    else:
        ics = request_calendar(event, stamp=START)

    # Line ends arrive as line breaks; a vertical tab (not allowed in TEXT) as a space.
    description = "Who comes:\n- Dai, notes; \\N is not a break here\n- Siân\nend"
    assert texts(ics, "SUMMARY") == [event.summary]
    assert texts(ics, "LOCATION") == [event.location]
    assert texts(ics, "DESCRIPTION")[-1] == description
    seen = read_with_icaljs(icaljs, ics)["events"][0]
    assert (seen["summary"], seen["location"]) == (event.summary, event.location)
    assert seen["description"] == description
    if kind == "feed":
        assert texts(ics, "NAME") == texts(ics, "X-WR-CALNAME") == ["Week: Zara, Young; Jr"]
        assert texts(ics, "X-WR-CALDESC") == ["Line\none, two"]
