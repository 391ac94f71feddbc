"""Subscription feeds: the right items per person, inspector, venue and week; cheap polling."""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from tests.calendar.conftest import NOTICE, Week, at, plan_items, publish
from tests.scheduler.test_ical import read_with_icaljs

LATER = NOTICE + timedelta(days=1)


def tokens_url(week: Week) -> str:
    return f"/api/v1/areas/{week.area_id}/inspections/{week.inspection_id}/feed-tokens"


def new_feed(client: TestClient, week: Week, kind: str, subject_id: int | None) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": kind, "label": f"{kind} feed"}
    if subject_id is not None:
        body["subject_id"] = subject_id
    response = client.post(tokens_url(week), json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def feed_path(created: dict[str, Any]) -> str:
    return f"/api/v1/feeds/{created['token']}.ics"


def summaries(ics: bytes) -> list[str]:
    calendar = icalendar.Calendar.from_ical(ics)
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


@pytest.fixture
def published(engine: Engine, week: Week, settings: Settings) -> Week:
    publish(engine, week, plan_items(week), settings)
    return week


def test_a_token_is_shown_once_with_its_webcal_and_https_urls(
    client: TestClient, published: Week
) -> None:
    created = new_feed(client, published, "week", None)
    token = created["token"]
    assert len(token) >= 40
    assert created["https_url"] == f"https://iw.example.org/api/v1/feeds/{token}.ics"
    assert created["webcal_url"] == f"webcal://iw.example.org/api/v1/feeds/{token}.ics"
    listed = client.get(tokens_url(published)).json()
    assert listed["total"] == 1
    assert "token" not in listed["items"][0] and token not in str(listed)


@pytest.mark.parametrize(
    ("kind", "subject", "expected"),
    [
        (
            "person",
            "dai",
            ["EHCP planning strategy meeting", "Early years strategy meeting"],
        ),
        (
            "person",
            "rhiannon",
            ["EHCP planning strategy meeting", "Webinar for parents and carers"],
        ),
        (
            "inspector",
            "kwame",
            ["Early years strategy meeting", "Visit: Hillside Primary School", "Feedback"],
        ),
        ("venue", "civic_centre", ["EHCP planning strategy meeting", "Feedback"]),
        (
            "week",
            None,
            [
                "EHCP planning strategy meeting",
                "Early years strategy meeting",
                "Webinar for parents and carers",
                "Visit: Hillside Primary School",
                "Feedback",
            ],
        ),
    ],
)
def test_each_feed_shows_only_its_own_items(
    client: TestClient,
    anonymous: TestClient,
    published: Week,
    icaljs: Path,
    kind: str,
    subject: str | None,
    expected: list[str],
) -> None:
    subject_id = None
    if subject == "civic_centre":
        subject_id = published.civic_centre
    elif subject is not None:
        subject_id = published.person(subject)
    response = anonymous.get(feed_path(new_feed(client, published, kind, subject_id)))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert summaries(response.content) == expected
    seen = read_with_icaljs(icaljs, response.content)
    assert seen["method"] == "PUBLISH"
    assert [event["summary"] for event in seen["events"]] == expected
    assert all(event["attendees"] == [] for event in seen["events"])  # nobody asked to RSVP
    assert all(
        event["organizer"]["value"].endswith(published.emails["victor"]) for event in seen["events"]
    )
    assert len(list(vobject.readComponents(response.content.decode()))) == 1


def test_a_feed_names_itself_and_its_refresh_as_clients_expect(
    client: TestClient, published: Week, icaljs: Path
) -> None:
    response = client.get(feed_path(new_feed(client, published, "person", published.person("dai"))))
    text = response.content.decode()
    assert "\r\nX-WR-CALNAME:Northbrook SEND inspection: Dai Evans\r\n" in text
    assert "\r\nNAME:Northbrook SEND inspection: Dai Evans\r\n" in text
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in text
    assert "\r\nMETHOD:PUBLISH\r\n" in text
    seen = read_with_icaljs(icaljs, response.content)
    assert seen["xWrCalname"] == "Northbrook SEND inspection: Dai Evans"
    assert seen["refreshInterval"]["type"] == "duration"


def test_an_unchanged_feed_answers_304_to_its_etag_and_its_date(
    client: TestClient, published: Week
) -> None:
    path = feed_path(new_feed(client, published, "week", None))
    first = client.get(path)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and parsedate_to_datetime(last_modified) <= NOTICE

    by_tag = client.get(path, headers={"If-None-Match": etag})
    assert by_tag.status_code == 304 and by_tag.content == b""
    assert by_tag.headers["etag"] == etag
    by_date = client.get(path, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304
    other_tag = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other_tag.status_code == 200 and other_tag.content == first.content
    earlier = format_datetime(parsedate_to_datetime(last_modified) - timedelta(hours=1), True)
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    # Some calendar clients ask with HEAD first.
    head = client.head(path)
    assert head.status_code == 200 and head.headers["etag"] == etag
    assert client.head(path, headers={"If-None-Match": etag}).status_code == 304


def test_a_change_is_seen_at_the_next_poll(
    client: TestClient, engine: Engine, published: Week, settings: Settings
) -> None:
    path = feed_path(new_feed(client, published, "person", published.person("dai")))
    first = client.get(path)
    items = plan_items(published)
    moved = [
        dataclasses.replace(i, start=at(2, 13), end=at(2, 14)) if i.key == "meeting:2" else i
        for i in items
    ]
    publish(engine, published, moved, settings, LATER)

    second = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200
    assert second.headers["etag"] != first.headers["etag"]
    assert parsedate_to_datetime(second.headers["last-modified"]) > parsedate_to_datetime(
        first.headers["last-modified"]
    )
    assert "DTSTART;TZID=Europe/London:20261102T130000" in second.text


def test_a_feed_drops_a_cancelled_item_and_an_item_the_person_left(
    client: TestClient, engine: Engine, published: Week, settings: Settings
) -> None:
    week_path = feed_path(new_feed(client, published, "week", None))
    dai_path = feed_path(new_feed(client, published, "person", published.person("dai")))
    items = plan_items(published)
    changed = []
    for item in items:
        if item.key == "visit:7":
            continue  # removed from the plan
        if item.key == "meeting:1":  # Dai no longer takes the notes
            item = dataclasses.replace(
                item,
                attendees=tuple(
                    a for a in item.attendees if a.person_id != published.person("dai")
                ),
            )
        changed.append(item)
    publish(engine, published, changed, settings, LATER)

    week_feed = client.get(week_path)
    assert "Visit: Hillside Primary School" not in summaries(week_feed.content)
    assert "CANCELLED" not in week_feed.text
    assert summaries(client.get(dai_path).content) == ["Early years strategy meeting"]


def test_a_revoked_token_answers_404_at_once(
    client: TestClient, anonymous: TestClient, published: Week
) -> None:
    created = new_feed(client, published, "week", None)
    path = feed_path(created)
    assert anonymous.get(path).status_code == 200  # now cached, and no API token needed

    revoked = client.delete(f"{tokens_url(published)}/{created['id']}")
    assert revoked.status_code == 204
    gone = anonymous.get(path)
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"
    assert client.get(tokens_url(published)).json()["total"] == 0
    listed = client.get(tokens_url(published), params={"include_revoked": True}).json()
    assert listed["items"][0]["revoked_at"] is not None


def test_an_unknown_token_is_404(client: TestClient, published: Week) -> None:
    assert client.get("/api/v1/feeds/" + "x" * 43 + ".ics").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "week", "subject_id": 1}, "subject_id"),
        ({"kind": "person"}, "subject_id"),
        ({"kind": "venue", "subject_id": 999999}, "subject_id"),
        ({"kind": "venue", "subject_id": 10**20}, "subject_id"),
    ],
)
def test_a_feed_needs_a_subject_that_fits_its_kind(
    client: TestClient, published: Week, body: dict[str, Any], field: str
) -> None:
    response = client.post(tokens_url(published), json=body)
    assert response.status_code == 422
    assert field in response.text


def test_only_an_inspector_has_an_inspector_feed(client: TestClient, published: Week) -> None:
    response = client.post(
        tokens_url(published), json={"kind": "inspector", "subject_id": published.person("dai")}
    )
    assert response.status_code == 422 and "not an inspector" in response.text


def test_managing_feed_tokens_needs_an_api_token(anonymous: TestClient, published: Week) -> None:
    assert anonymous.post(tokens_url(published), json={"kind": "week"}).status_code == 401
    assert anonymous.get(tokens_url(published)).status_code == 401


def test_a_feed_polled_again_within_the_token_cache_time_comes_from_memory(
    client: TestClient, engine: Engine, published: Week, settings: Settings
) -> None:
    # A change published by another process shows once this process's memory of the feed
    # (TOKEN_CACHE_S) runs out; revoking through this process is seen at once.
    remembering = create_app(settings.model_copy(update={"token_cache_s": 1.0}))
    remembering.state.engine = engine
    created = new_feed(client, published, "person", published.person("dai"))
    path = feed_path(created)
    poller = TestClient(remembering)
    first = poller.get(path)
    moved = [
        dataclasses.replace(i, start=at(2, 13), end=at(2, 14)) if i.key == "meeting:2" else i
        for i in plan_items(published)
    ]
    publish(engine, published, moved, settings, LATER)
    assert poller.get(path).headers["etag"] == first.headers["etag"]
    time.sleep(1.1)
    assert poller.get(path).headers["etag"] != first.headers["etag"]

    tokens = f"/api/v1/areas/{published.area_id}/inspections/{published.inspection_id}/feed-tokens"
    operator = TestClient(remembering, headers=dict(client.headers))
    assert operator.delete(f"{tokens}/{created['id']}").status_code == 204
    assert poller.get(path).status_code == 404
