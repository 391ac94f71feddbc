"""A small inspection built through the API: enough people, venues and settings to plan."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

NOTIFIED = "2026-11-23T09:30:00+00:00"  # Monday; the on-site week starts Monday 7 December


@dataclass
class SmallInspection:
    url: str
    inspection: dict[str, Any]
    people: dict[str, int]
    venues: dict[str, int]
    settings: dict[str, int]
    meetings: dict[str, int]


def _post(client: TestClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(url, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def small(client: TestClient, area_url: str) -> SmallInspection:
    people: dict[str, int] = {}
    for key, kind in (
        ("lead", "inspector"),
        ("cqc", "inspector"),
        ("link", "staff"),
        ("head_send", "staff"),
        ("ehc_lead", "staff"),
        ("nurse_lead", "staff"),
        ("camhs_lead", "staff"),
        ("physio", "frontline"),
        ("notes", "staff"),
        ("rep1", "parent_rep"),
        ("rep2", "parent_rep"),
        ("head_teacher", "staff"),
    ):
        body: dict[str, Any] = {
            "name": key.replace("_", " ").title(),
            "email": f"{key}@t.example",
            "kind": kind,
        }
        if key == "cqc":
            body["inspector_body"] = "cqc"
        people[key] = _post(client, f"{area_url}/people", body)["id"]
    venues = {
        "hall": _post(
            client,
            f"{area_url}/venues",
            {
                "name": "Civic Hall",
                "capacity": 30,
                "latitude": 52.95,
                "longitude": -1.15,
                "video_conferencing": True,
            },
        )["id"],
        "room": _post(
            client,
            f"{area_url}/venues",
            {"name": "Room 2", "capacity": 8, "latitude": 52.951, "longitude": -1.151},
        )["id"],
    }
    settings = {}
    for index, kind in enumerate(
        ("early_years", "primary", "secondary", "special", "post16", "pru_ap")
    ):
        body = {
            "urn": f"10{index}",
            "name": f"{kind.title()} Setting",
            "setting_type": kind,
            "latitude": 52.95 + index * 0.01,
            "longitude": -1.15 + index * 0.01,
            "sen_support": 20 + index,
            "ehc_plans": 5,
        }
        if kind == "early_years":
            body |= {"opens": "08:00", "closes": "17:30"}
        if kind == "primary":
            body["contact_person_id"] = people["head_teacher"]
        settings[kind] = _post(client, f"{area_url}/settings", body)["id"]
    inspection = _post(
        client,
        f"{area_url}/inspections",
        {
            "title": "Small inspection",
            "notification_at": NOTIFIED,
            "inspector_ids": [people["lead"], people["cqc"]],
            "lead_inspector_id": people["lead"],
            "link_officer_id": people["link"],
        },
    )
    url = f"{area_url}/inspections/{inspection['id']}"
    meetings = {
        "ehc": _post(
            client,
            f"{url}/meeting-requests",
            {
                "title": "EHC planning",
                "theme": "ehc_planning",
                "duration_minutes": 60,
                "required_attendee_ids": [people["head_send"], people["ehc_lead"]],
                "parent_reps_wanted": 1,
                "note_taker_id": people["notes"],
            },
        )["id"],
        "nursing": _post(
            client,
            f"{url}/meeting-requests",
            {
                "title": "School nursing",
                "theme": "school_nursing",
                "duration_minutes": 60,
                "required_attendee_ids": [people["nurse_lead"]],
                "optional_attendee_ids": [people["physio"]],
                "inspector_rule": "named",
                "named_inspector_ids": [people["cqc"]],
                "note_taker_id": people["notes"],
            },
        )["id"],
        "camhs": _post(
            client,
            f"{url}/meeting-requests",
            {
                "title": "CAMHS",
                "theme": "camhs",
                "duration_minutes": 90,
                "required_attendee_ids": [people["camhs_lead"], people["head_send"]],
                "note_taker_id": people["notes"],
            },
        )["id"],
        "intro": _post(
            client,
            f"{url}/meeting-requests",
            {
                "title": "Introductions",
                "theme": "introduction",
                "kind": "fixed",
                "duration_minutes": 60,
                "fixed_start": "2026-12-07T11:00:00+00:00",
                "fixed_venue_id": venues["hall"],
                "inspector_rule": "all",
                "required_attendee_ids": [people["head_send"], people["link"]],
                "note_taker_id": people["notes"],
            },
        )["id"],
    }
    for kind, setting_id in settings.items():
        _post(
            client,
            f"{url}/visit-candidates",
            {"setting_id": setting_id, "must_visit": kind == "special"},
        )
    return SmallInspection(url, inspection, people, venues, settings, meetings)


def wait_for(client: TestClient, job_url: str, timeout_s: float = 60.0) -> dict[str, Any]:
    """Poll a solve job until it ends (the solve runs in a worker thread)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(job_url).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"solve job did not finish in {timeout_s} s")


def solve(client: TestClient, url: str, part: str, **options: Any) -> dict[str, Any]:
    body = {"time_limit_s": 5, "reproducible": True} | options
    response = client.post(f"{url}/{part}/solve-jobs", json=body)
    assert response.status_code == 202, response.text
    job = wait_for(client, response.headers["location"].replace("http://testserver", ""))
    assert job["status"] == "succeeded", job
    return job
