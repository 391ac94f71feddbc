"""Answers: an uploaded iTIP REPLY or a signed link sets PARTSTAT; a required decline flags."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.settings import Settings
from models.calendar_state import CalendarAttendance, CalendarItem
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


def inspection_url(week: Week) -> str:
    return f"/api/v1/areas/{week.area_id}/inspections/{week.inspection_id}"


def reply_ics(uid: str, address: str, partstat: str, sequence: int = 0) -> bytes:
    """What a calendar app sends back: METHOD:REPLY naming only the answering attendee."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Example Corp.//Calendar App//EN",
        "METHOD:REPLY",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        "DTSTAMP:20261024T101500Z",
        "ORGANIZER:mailto:victor.roman@northbrook.example.gov.uk",
        f"ATTENDEE;PARTSTAT={partstat}:mailto:{address}",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    return "\r\n".join(lines).encode()


def upload(client: TestClient, week: Week, ics: bytes) -> object:
    return client.post(
        f"{inspection_url(week)}/replies",
        files={"file": ("reply.ics", ics, "text/calendar")},
    )


def attendance(engine: Engine, week: Week, person: str, item_key: str) -> CalendarAttendance:
    with Session(engine) as session:
        row = session.exec(
            select(CalendarAttendance)
            .join(CalendarItem, col(CalendarItem.id) == CalendarAttendance.calendar_item_id)
            .where(
                CalendarAttendance.person_id == week.person(person),
                CalendarItem.item_key == item_key,
            )
        ).one()
    return row


def uid_of(engine: Engine, title: str) -> str:
    return next(m.uid for m in outbox(engine) if title in m.subject)


def links_in(engine: Engine, week: Week, person: str, title: str) -> dict[str, str]:
    message = next(
        m
        for m in reversed(outbox(engine))
        if m.recipient == week.emails[person] and title in m.subject
    )
    text = parsed_email(message).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.findall(r"(Accept|Maybe|Decline): (https://\S+)", text)
    return dict(found)


@pytest.fixture
def published(engine: Engine, week: Week, settings: Settings) -> Week:
    publish(engine, week, plan_items(week), settings)
    return week


def test_an_uploaded_acceptance_sets_partstat(
    client: TestClient, engine: Engine, published: Week
) -> None:
    uid = uid_of(engine, "Early years")
    response = upload(
        client, published, reply_ics(uid, "DAI.EVANS@northbrook.example.gov.uk", "ACCEPTED")
    )
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["partstat"] == "ACCEPTED" and body["needs_replan"] is False
    assert attendance(engine, published, "dai", "meeting:2").partstat == "ACCEPTED"
    assert client.get(f"{inspection_url(published)}/calendar/replan").json() == []


def test_a_required_attendee_declining_flags_the_item_for_replanning(
    client: TestClient, engine: Engine, published: Week
) -> None:
    uid = uid_of(engine, "EHCP planning")
    response = upload(client, published, reply_ics(uid, published.emails["sian"], "DECLINED"))
    assert response.json()["needs_replan"] is True  # type: ignore[attr-defined]
    # An optional attendee's decline does not.
    optional = upload(client, published, reply_ics(uid, published.emails["owen"], "DECLINED"))
    assert optional.json()["needs_replan"] is False  # type: ignore[attr-defined]

    replan = client.get(f"{inspection_url(published)}/calendar/replan").json()
    assert [item["item_key"] for item in replan] == ["meeting:1"]
    assert [d["email"] for d in replan[0]["declined_by"]] == [published.emails["sian"]]

    # Accepting after all clears the flag.
    upload(client, published, reply_ics(uid, published.emails["sian"], "ACCEPTED"))
    assert client.get(f"{inspection_url(published)}/calendar/replan").json() == []


def test_the_next_invitation_shows_the_answers_so_far(
    client: TestClient, engine: Engine, published: Week, settings: Settings
) -> None:
    uid = uid_of(engine, "EHCP planning")
    upload(client, published, reply_ics(uid, published.emails["sian"], "ACCEPTED"))
    items = plan_items(published)
    meeting = items[0]
    publish(
        engine,
        published,
        [dataclasses.replace(meeting, notes=("Bring the tribunal figures too",)), *items[1:]],
        settings,
        NOTICE + timedelta(hours=2),
    )
    update = next(m for m in reversed(outbox(engine)) if m.recipient == published.emails["dai"])
    sian = next(a for a in the_vevent(update.ics)["ATTENDEE"] if published.emails["sian"] in str(a))
    assert sian.params["PARTSTAT"] == "ACCEPTED"  # a new note is not a new time: answer kept


def test_a_move_asks_everyone_again(
    client: TestClient, engine: Engine, published: Week, settings: Settings
) -> None:
    uid = uid_of(engine, "EHCP planning")
    upload(client, published, reply_ics(uid, published.emails["sian"], "DECLINED"))
    items = plan_items(published)
    moved = dataclasses.replace(items[0], start=at(3, 9), end=at(3, 10, 30))
    publish(engine, published, [moved, *items[1:]], settings, NOTICE + timedelta(hours=2))
    assert attendance(engine, published, "sian", "meeting:1").partstat == "NEEDS-ACTION"
    assert client.get(f"{inspection_url(published)}/calendar/replan").json() == []
    # An answer to the old version is refused: it was about another time.
    stale = upload(client, published, reply_ics(uid, published.emails["sian"], "ACCEPTED", 0))
    assert stale.status_code == 409  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("ics", "status"),
    [
        (b"not a calendar", 422),
        (reply_ics("unknown@example.org", "sian.jones@health.example.nhs.uk", "ACCEPTED"), 404),
    ],
)
def test_an_unusable_reply_is_refused(
    client: TestClient, published: Week, ics: bytes, status: int
) -> None:
    response = upload(client, published, ics)
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]


def test_someone_never_invited_cannot_answer(
    client: TestClient, engine: Engine, published: Week
) -> None:
    uid = uid_of(engine, "Early years")
    response = upload(client, published, reply_ics(uid, published.emails["priya"], "ACCEPTED"))
    assert response.status_code == 404  # type: ignore[attr-defined]


def test_a_signed_link_opens_a_page_and_its_button_records_the_answer(
    client: TestClient, anonymous: TestClient, engine: Engine, published: Week
) -> None:
    links = links_in(engine, published, "dai", "Early years")
    assert set(links) == {"Accept", "Maybe", "Decline"}
    decline = urlsplit(links["Decline"])
    path = f"{decline.path}?{decline.query}"

    page = anonymous.get(path)  # the link works without an API token
    assert page.status_code == 200 and "<form method=post" in page.text
    assert attendance(engine, published, "dai", "meeting:2").partstat == "NEEDS-ACTION"

    answered = anonymous.post(path)
    assert answered.status_code == 200 and "declined" in answered.text
    row = attendance(engine, published, "dai", "meeting:2")
    assert row.partstat == "DECLINED" and row.needs_replan  # Dai is required there
    replan = client.get(f"{inspection_url(published)}/calendar/replan").json()
    assert [item["title"] for item in replan] == ["Early years strategy meeting"]


@pytest.mark.parametrize("tamper", ["answer", "signature", "version", "attendee"])
def test_a_tampered_link_is_refused(
    anonymous: TestClient, engine: Engine, published: Week, tamper: str
) -> None:
    accept = urlsplit(links_in(engine, published, "dai", "Early years")["Accept"])
    parts = accept.path.split("/")
    query = {k: v[0] for k, v in parse_qs(accept.query).items()}
    if tamper == "answer":
        parts[-1] = "decline"
    elif tamper == "signature":
        query["sig"] = ("0" if query["sig"][0] != "0" else "1") + query["sig"][1:]
    elif tamper == "version":
        query["v"] = "5"
    else:
        parts[-2] = str(int(parts[-2]) + 1)
    path = "/".join(parts) + "?" + "&".join(f"{k}={v}" for k, v in query.items())

    for method in ("GET", "POST"):
        response = anonymous.request(method, path)
        assert response.status_code == 403, (method, response.text)
    assert attendance(engine, published, "dai", "meeting:2").partstat == "NEEDS-ACTION"


def test_without_a_signing_key_emails_carry_no_links(
    engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings.model_copy(update={"rsvp_secret": None}))
    text = parsed_email(outbox(engine)[0]).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "/rsvp/" not in text
