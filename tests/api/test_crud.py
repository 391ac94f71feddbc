"""Every resource can be created, read, updated, listed and deleted, and ids stay in their area."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MONDAY_CALL, Factory, created, problem


@dataclass(frozen=True)
class Case:
    """One resource: where it lives, a valid body, and a change to apply."""

    collection: Callable[[Factory], str]  # path below the area URL
    payload: Callable[[Factory], dict[str, Any]]
    change: dict[str, Any]


def _inspection_child(name: str) -> Callable[[Factory], str]:
    def collection(factory: Factory) -> str:
        return f"inspections/{factory.inspection()['id']}/{name}"

    return collection


CASES: dict[str, Case] = {
    "organisations": Case(
        lambda f: "organisations",
        lambda f: {"name": "Northbrook Council", "kind": "local_authority"},
        {"website": "https://northbrook.gov.uk"},
    ),
    "people": Case(
        lambda f: "people",
        lambda f: {
            "name": "Aisha Khan",
            "email": "aisha.khan@example.org",
            "organisation_id": f.organisation()["id"],
            "themes": ["camhs", "health"],
            "unavailable": [
                {
                    "start": "2026-12-08T09:00:00Z",
                    "end": "2026-12-08T12:00:00Z",
                    "reason": "Training",
                }
            ],
        },
        {"job_title": "Head of SEND", "max_meetings_per_day": 3},
    ),
    "venues": Case(
        lambda f: "venues",
        lambda f: {"name": "Civic Centre Room 2", "capacity": 12, "latitude": 52.95},
        {"capacity": 20, "video_conferencing": True},
    ),
    "settings": Case(
        lambda f: "settings",
        lambda f: {"urn": "140123", "name": "Oakfield Primary", "setting_type": "primary"},
        {"ehc_plans": 7, "closes": "15:15:00"},
    ),
    "inspections": Case(
        lambda f: "inspections",
        lambda f: {"title": "SEND inspection", "notification_at": MONDAY_CALL},
        {"title": "Local area SEND inspection"},
    ),
    "meeting-requests": Case(
        _inspection_child("meeting-requests"),
        lambda f: {
            "title": "Transport",
            "theme": "transport",
            "required_attendee_ids": [f.person()["id"]],
        },
        {"duration_minutes": 90, "online": True},
    ),
    "visit-candidates": Case(
        _inspection_child("visit-candidates"),
        lambda f: {"setting_id": f.setting()["id"]},
        {"must_visit": True, "visit_minutes": 120},
    ),
}


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> Case:
    return CASES[request.param]


def test_a_created_row_reads_back_updates_lists_and_deletes(
    client: TestClient, area: dict[str, Any], area_url: str, factory: Factory, case: Case
) -> None:
    collection = f"{area_url}/{case.collection(factory)}"
    payload = case.payload(factory)

    response = client.post(collection, json=payload)
    row = created(response)
    assert response.headers["ETag"]
    assert row["local_area_id"] == area["id"]
    assert row["version"] == 1
    for name, value in payload.items():
        assert row[name] == value, name
    item = f"{collection}/{row['id']}"

    assert client.get(item).json() == row

    response = client.patch(item, json=case.change)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["version"] == 2
    for name, value in case.change.items():
        assert changed[name] == value, name
    assert client.get(item).json() == changed
    # The same change again, or none, changes nothing: the ETag others hold stays good.
    for again in (case.change, {}):
        same = client.patch(item, json=again, headers={"If-Match": response.headers["ETag"]})
        assert same.status_code == 200, same.text
        assert same.json()["version"] == 2
        assert same.headers["ETag"] == response.headers["ETag"]

    listed = client.get(collection).json()
    assert listed["total"] == 1
    assert [r["id"] for r in listed["items"]] == [row["id"]]

    assert client.delete(item).status_code == 204
    problem(client.get(item), 404)
    assert client.get(collection).json()["total"] == 0


def test_an_unknown_id_is_404_for_read_update_and_delete(
    client: TestClient, area_url: str, factory: Factory, case: Case
) -> None:
    item = f"{area_url}/{case.collection(factory)}/999999"
    for response in (client.get(item), client.patch(item, json={}), client.delete(item)):
        body = problem(response, 404)
        assert "999999" in body["detail"]


def test_a_row_of_another_local_area_is_never_visible(
    client: TestClient,
    area_url: str,
    other_area_url: str,
    factory: Factory,
    other_factory: Factory,
    case: Case,
) -> None:
    theirs_collection = f"{other_area_url}/{case.collection(other_factory)}"
    theirs = created(client.post(theirs_collection, json=case.payload(other_factory)))
    mine = f"{area_url}/{case.collection(factory)}"

    problem(client.get(f"{mine}/{theirs['id']}"), 404)
    problem(client.patch(f"{mine}/{theirs['id']}", json=case.change), 404)
    problem(client.delete(f"{mine}/{theirs['id']}"), 404)
    assert client.get(mine).json()["total"] == 0
    assert client.get(f"{theirs_collection}/{theirs['id']}").json() == theirs


def test_an_inspection_of_another_area_hides_its_meetings_and_visits(
    client: TestClient, area_url: str, other_factory: Factory
) -> None:
    theirs = other_factory.inspection()
    other_factory.meeting_request(theirs)
    for child in ("meeting-requests", "visit-candidates"):
        url = f"{area_url}/inspections/{theirs['id']}/{child}"
        problem(client.get(url), 404)
        problem(client.post(url, json={"title": "X", "theme": "x", "setting_id": 1}), 404)
