"""Team roles, the contact list, logistics, meeting records and the we said, we did log."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.readiness.helpers import make_inspection, make_person, problem


def test_team_roles_crud_with_the_api_conventions(client: TestClient, area_url: str) -> None:
    victor = make_person(client, area_url, "Victor Link")
    runners = [make_person(client, area_url, f"Runner {n}") for n in range(3)]
    url = f"{area_url}/team-roles"

    created = client.post(url, json={"role": "link_officer", "person_id": victor["id"]})
    assert created.status_code == 201 and created.headers["ETag"]
    for runner in runners:
        client.post(url, json={"role": "runner", "person_id": runner["id"]})
    role_url = f"{url}/{created.json()['id']}"

    page = client.get(url, params={"role": "runner", "limit": 2, "offset": 2}).json()
    assert (page["total"], len(page["items"]), page["limit"], page["offset"]) == (3, 1, 2, 2)
    assert client.get(url, params={"person_id": victor["id"]}).json()["total"] == 1

    problem(client.post(url, json={"role": "link_officer", "person_id": victor["id"]}), 409)
    problem(client.post(url, json={"role": "wizard", "person_id": victor["id"]}), 422)
    missing = problem(client.post(url, json={"role": "runner", "person_id": 777777}), 422)
    assert missing["errors"][0]["field"] == "person_id"
    stale = problem(client.patch(role_url, json={"deputy": True}, headers={"If-Match": '"x"'}), 412)
    assert "changed since you read it" in stale["detail"]
    etag = client.get(role_url).headers["ETag"]
    assert client.patch(role_url, json={"deputy": True}, headers={"If-Match": etag}).json()[
        "deputy"
    ]
    conflict = problem(client.delete(f"{area_url}/people/{victor['id']}"), 409)
    assert "team role" in conflict["detail"]
    assert client.delete(role_url).status_code == 204
    problem(client.get(role_url), 404)


def test_contact_list_flags_contacts_not_verified_recently(
    client: TestClient, area_url: str
) -> None:
    now = datetime.now(UTC)
    fresh = make_person(
        client,
        area_url,
        "Fresh Contact",
        contact_verified_at=(now - timedelta(days=10)).isoformat(),
    )
    make_person(
        client, area_url, "Old Contact", contact_verified_at=(now - timedelta(days=120)).isoformat()
    )
    make_person(client, area_url, "Never Checked", phone="=HYPERLINK(1)")
    client.post(f"{area_url}/team-roles", json={"role": "data_lead", "person_id": fresh["id"]})

    response = client.get(f"{area_url}/team-roles/contacts.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert rows["Fresh Contact"]["needs_checking"] == "no"
    assert rows["Fresh Contact"]["roles"] == "data_lead"
    assert rows["Old Contact"]["needs_checking"] == "yes"
    assert rows["Old Contact"]["reason"] == "last verified 120 days ago"
    assert rows["Never Checked"]["reason"] == "never verified"
    assert rows["Never Checked"]["phone"].startswith("'=")  # not run as a formula
    assert list(rows)[-1] == "Fresh Contact"  # contacts to check come first

    strict = client.get(f"{area_url}/team-roles/contacts.csv", params={"verified_within_days": 5})
    assert all(r["needs_checking"] == "yes" for r in csv.DictReader(io.StringIO(strict.text)))
    team = client.get(f"{area_url}/team-roles/contacts.csv", params={"team_only": True})
    assert [r["name"] for r in csv.DictReader(io.StringIO(team.text))] == ["Fresh Contact"]


def test_logistics_seed_is_idempotent_and_due_before_the_week(
    client: TestClient, area_url: str
) -> None:
    inspection = make_inspection(client, area_url)  # on site Monday 18 May 2026
    url = f"{area_url}/inspections/{inspection['id']}/logistics"

    first = client.post(f"{url}/seed")
    second = client.post(f"{url}/seed")

    assert first.status_code == 200, first.text
    assert first.json()["added"] == 10 and second.json()["added"] == 0
    items = {i["title"]: i for i in first.json()["items"]}
    assert items["Venues booked for the strategy days"]["due_on"] == "2026-05-13"
    assert items["ID badges printed"]["due_on"] == "2026-05-14"
    assert "parent carer forum" in items["Lanyard colours agreed per role"]["detail"]
    assert {i["category"] for i in items.values()} >= {
        "venues",
        "badges",
        "lanyards",
        "consent",
        "refreshments",
        "parking_access",
        "it",
    }


def test_logistics_crud_with_the_api_conventions(client: TestClient, area_url: str) -> None:
    inspection = make_inspection(client, area_url)
    other = make_inspection(client, area_url, "2026-06-04T10:00:00+01:00")
    owner = make_person(client, area_url, "Lee Logistics")
    url = f"{area_url}/inspections/{inspection['id']}/logistics"
    client.post(f"{url}/seed")

    created = client.post(
        url, json={"title": "Quiet room", "category": "venues", "owner_id": owner["id"]}
    )
    assert created.status_code == 201, created.text
    item_url = f"{url}/{created.json()['id']}"

    assert client.get(url, params={"category": "venues"}).json()["total"] == 3
    assert client.get(url, params={"owner_id": owner["id"]}).json()["total"] == 1
    page = client.get(url, params={"limit": 5, "offset": 10}).json()
    assert page["total"] == 11 and len(page["items"]) == 1
    done = client.patch(item_url, json={"status": "done"})
    assert done.json()["status"] == "done"
    assert client.get(url, params={"status": "done"}).json()["total"] == 1
    problem(
        client.get(f"{area_url}/inspections/{other['id']}/logistics/{created.json()['id']}"), 404
    )
    problem(client.patch(item_url, json={"status": "finished"}), 422)
    problem(client.patch(item_url, json={}, headers={"If-Match": '"logisticsitem-0-v0"'}), 412)
    blocked = problem(client.delete(f"{area_url}/inspections/{inspection['id']}"), 409)
    assert "logistics item" in blocked["detail"]
    assert client.delete(item_url).status_code == 204
    problem(client.delete(item_url), 404)


def _meeting(client: TestClient, area_url: str, inspection: dict[str, Any], title: str) -> int:
    response = client.post(
        f"{area_url}/inspections/{inspection['id']}/meeting-requests",
        json={"title": title, "theme": "health"},
    )
    assert response.status_code == 201, response.text
    meeting_id: int = response.json()["id"]
    return meeting_id


def test_meeting_records_crud_with_the_api_conventions(client: TestClient, area_url: str) -> None:
    inspection = make_inspection(client, area_url)
    other = make_inspection(client, area_url, "2026-06-04T10:00:00+01:00")
    notes = make_person(client, area_url, "Nia Notes")
    meeting = _meeting(client, area_url, inspection, "School nursing")
    elsewhere = _meeting(client, area_url, other, "CAMHS")
    url = f"{area_url}/inspections/{inspection['id']}/meeting-records"
    body = {
        "meeting_request_id": meeting,
        "note_taker_id": notes["id"],
        "issues_arising": "Waiting times for therapy",
        "key_messages": "Partners know the gaps",
        "follow_ups": [
            {"action": "Send the SALT data", "owner_id": notes["id"], "due_on": "2026-05-19"}
        ],
    }

    created = client.post(url, json=body)
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["follow_ups"][0]["progress"] == "not_started"
    record_url = f"{url}/{record['id']}"

    problem(client.post(url, json=body), 409)
    wrong = problem(client.post(url, json={**body, "meeting_request_id": elsewhere}), 422)
    assert "another inspection" in wrong["detail"]
    owners = problem(
        client.post(url, json={**body, "meeting_request_id": elsewhere + 1000, "follow_ups": []}),
        422,
    )
    assert owners["errors"][0]["field"] == "meeting_request_id"
    bad_owner = problem(
        client.patch(record_url, json={"follow_ups": [{"action": "x", "owner_id": 999999}]}), 422
    )
    assert bad_owner["errors"][0]["field"] == "follow_ups"
    listed = client.get(url, params={"meeting_request_id": meeting}).json()
    assert listed["total"] == 1 and listed["limit"] == 50
    assert client.get(url, params={"q": "therapy"}).json()["total"] == 1
    updated = client.patch(record_url, json={"key_messages": "Inspectors heard consistency"})
    assert updated.json()["version"] == 2
    problem(client.patch(record_url, json={}, headers={"If-Match": created.headers["ETag"]}), 412)
    blocked = problem(
        client.delete(f"{area_url}/inspections/{inspection['id']}/meeting-requests/{meeting}"), 409
    )
    assert "meeting record" in blocked["detail"]
    assert client.delete(record_url).status_code == 204
    problem(client.get(record_url), 404)


def test_we_said_we_did_log(client: TestClient, area_url: str) -> None:
    url = f"{area_url}/coproduction"
    created = client.post(
        url,
        json={
            "we_said": "Families could not find the local offer",
            "we_did": "Rebuilt the local offer with the parent carer forum",
            "source": "parent carer forum",
            "said_on": "2025-11-01",
            "done_on": "2026-03-01",
        },
    )
    assert created.status_code == 201, created.text
    client.post(url, json={"we_said": "More short breaks", "source": "survey"})

    assert client.get(url, params={"source": "survey"}).json()["total"] == 1
    assert client.get(url, params={"q": "local offer"}).json()["total"] == 1
    problem(client.post(url, json={"we_said": "", "source": "survey"}), 422)
    entry_url = f"{url}/{created.json()['id']}"
    assert (
        client.patch(entry_url, json={"evidence_link": "https://x.example/wswd"}).status_code == 200
    )
    assert client.delete(entry_url).status_code == 204
    problem(client.delete(entry_url), 404)
