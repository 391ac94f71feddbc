"""422: every bad field is named with a reason, in an RFC 9457 body; nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Factory, error_fields, problem


def test_every_bad_field_of_a_person_is_named_at_once(client: TestClient, area_url: str) -> None:
    response = client.post(
        f"{area_url}/people",
        json={"name": "", "email": "not-an-email", "kind": "wizard", "max_meetings_per_day": -1},
    )
    body = problem(response, 422)
    assert error_fields(body) == {"name", "email", "kind", "max_meetings_per_day"}
    assert {e["location"] for e in body["errors"]} == {"body"}
    assert "email" in body["detail"]
    assert body["instance"] == f"{area_url}/people"
    assert client.get(f"{area_url}/people").json()["total"] == 0


def test_a_missing_required_field_is_named(client: TestClient, area_url: str) -> None:
    body = problem(client.post(f"{area_url}/settings", json={"name": "Oakfield"}), 422)
    assert error_fields(body) == {"urn", "setting_type"}


def test_a_body_that_is_not_json_is_422_not_500(client: TestClient, area_url: str) -> None:
    response = client.post(
        f"{area_url}/venues", content=b"{not json", headers={"content-type": "application/json"}
    )
    problem(response, 422)


def test_ids_pointing_outside_the_area_are_named(
    client: TestClient, area_url: str, factory: Factory, other_factory: Factory
) -> None:
    their_organisation = other_factory.organisation()
    body = problem(
        client.post(
            f"{area_url}/people",
            json={
                "name": "Aisha Khan",
                "email": "aisha@example.org",
                "organisation_id": their_organisation["id"],
            },
        ),
        422,
    )
    assert error_fields(body) == {"organisation_id"}
    assert f"no organisation {their_organisation['id']} in this local area" in body["detail"]


def test_every_unknown_id_in_a_meeting_request_is_named(
    client: TestClient, area_url: str, factory: Factory, other_factory: Factory
) -> None:
    inspection = factory.inspection()
    stranger = other_factory.person()["id"]
    response = client.post(
        f"{area_url}/inspections/{inspection['id']}/meeting-requests",
        json={
            "title": "Transport",
            "theme": "transport",
            "required_attendee_ids": [factory.person()["id"], stranger, 999999],
            "note_taker_id": 999998,
            "fixed_venue_id": 999997,
        },
    )
    body = problem(response, 422)
    reasons = {(e["field"], e["reason"]) for e in body["errors"]}
    assert reasons == {
        ("required_attendee_ids", f"no person {stranger} in this local area"),
        ("required_attendee_ids", "no person 999999 in this local area"),
        ("note_taker_id", "no person 999998 in this local area"),
        ("fixed_venue_id", "no venue 999997 in this local area"),
    }


def test_a_setting_that_closes_before_it_opens_is_refused_naming_closes(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    payload = {"urn": "1", "name": "Late", "setting_type": "primary", "opens": "15:00:00"}
    body = problem(client.post(f"{area_url}/settings", json=payload | {"closes": "09:00:00"}), 422)
    assert error_fields(body) == {"closes"}
    assert body["errors"][0]["reason"] == "must be after opens"

    # the same check applies to an update, against the stored opening time
    school = factory.setting(opens="08:30:00", closes="15:30:00")
    url = f"{area_url}/settings/{school['id']}"
    body = problem(client.patch(url, json={"closes": "08:00:00"}), 422)
    assert error_fields(body) == {"closes"}
    assert client.get(url).json() == school


def test_an_unavailable_period_that_ends_before_it_starts_is_refused(
    client: TestClient, area_url: str
) -> None:
    period = {"start": "2026-12-08T12:00:00Z", "end": "2026-12-08T09:00:00Z"}
    body = problem(
        client.post(f"{area_url}/venues", json={"name": "Hall", "unavailable": [period]}), 422
    )
    assert error_fields(body) == {"unavailable.0.end"}


def test_a_naive_datetime_is_refused(client: TestClient, area_url: str) -> None:
    period = {"start": "2026-12-08T09:00:00", "end": "2026-12-08T12:00:00"}
    body = problem(
        client.post(f"{area_url}/venues", json={"name": "Hall", "unavailable": [period]}), 422
    )
    assert error_fields(body) == {"unavailable.0.start", "unavailable.0.end"}
    body = problem(
        client.post(
            f"{area_url}/inspections",
            json={"title": "Naive", "notification_at": "2026-11-23T09:30:00"},
        ),
        422,
    )
    assert error_fields(body) == {"notification_at"}


@pytest.mark.parametrize(
    "when", ["9999-12-30T00:00:00Z", "0001-01-01T00:00:00Z", "1826-01-01T09:00:00Z"]
)
def test_a_notification_in_a_far_off_year_is_named(
    client: TestClient, area_url: str, factory: Factory, when: str
) -> None:
    payload = {"title": "SEND", "notification_at": when}
    body = problem(client.post(f"{area_url}/inspections", json=payload), 422)
    assert error_fields(body) == {"notification_at"}
    inspection = factory.inspection()
    url = f"{area_url}/inspections/{inspection['id']}"
    body = problem(client.patch(url, json={"notification_at": when}), 422)
    assert error_fields(body) == {"notification_at"}


def test_an_unknown_timezone_or_framework_is_named(client: TestClient, area_url: str) -> None:
    payload = {
        "title": "SEND",
        "notification_at": "2026-11-23T09:30:00Z",
        "timezone": "Europe/Atlantis",
        "framework": "send-1999",
    }
    body = problem(client.post(f"{area_url}/inspections", json=payload), 422)
    assert error_fields(body) == {"timezone", "framework"}
    assert "send-2016" in body["detail"]  # says which frameworks exist


def test_working_hours_must_hold_lunch_inside_the_day(client: TestClient, area_url: str) -> None:
    payload = {
        "title": "SEND",
        "notification_at": "2026-11-23T09:30:00Z",
        "working_hours": {"start": "09:00:00", "end": "12:00:00"},
    }
    body = problem(client.post(f"{area_url}/inspections", json=payload), 422)
    assert error_fields(body) == {"working_hours.lunch_start"}


def test_a_non_inspector_cannot_be_an_inspector_of_an_inspection(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspector = factory.inspector()
    officer = factory.person(kind="staff")
    payload = {
        "title": "SEND",
        "notification_at": "2026-11-23T09:30:00Z",
        "inspector_ids": [inspector["id"], officer["id"]],
    }
    body = problem(client.post(f"{area_url}/inspections", json=payload), 422)
    assert error_fields(body) == {"inspector_ids"}
    assert str(officer["id"]) in body["errors"][0]["reason"]


def test_the_lead_inspector_must_be_one_of_the_inspectors(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    first, second = factory.inspector(), factory.inspector()
    payload = {
        "title": "SEND",
        "notification_at": "2026-11-23T09:30:00Z",
        "inspector_ids": [first["id"]],
        "lead_inspector_id": second["id"],
    }
    body = problem(client.post(f"{area_url}/inspections", json=payload), 422)
    assert error_fields(body) == {"lead_inspector_id"}


def test_an_inspector_listed_twice_is_refused(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspector = factory.inspector()
    payload = {
        "title": "SEND",
        "notification_at": "2026-11-23T09:30:00Z",
        "inspector_ids": [inspector["id"], inspector["id"]],
    }
    body = problem(client.post(f"{area_url}/inspections", json=payload), 422)
    assert error_fields(body) == {"inspector_ids"}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"inspector_rule": "named"}, {"named_inspector_ids"}),
        ({"kind": "fixed"}, {"fixed_start"}),
        ({"kind": "webinar", "online": True}, {"fixed_start"}),
        (
            {"duration_minutes": 5, "parent_reps_wanted": -1},
            {"duration_minutes", "parent_reps_wanted"},
        ),
    ],
)
def test_meeting_request_cross_field_rules_name_the_field(
    client: TestClient, area_url: str, factory: Factory, fields: dict[str, Any], named: set[str]
) -> None:
    inspection = factory.inspection()
    url = f"{area_url}/inspections/{inspection['id']}/meeting-requests"
    body = problem(client.post(url, json={"title": "Health", "theme": "health"} | fields), 422)
    assert error_fields(body) == named


def test_a_person_cannot_be_both_required_and_optional(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspection = factory.inspection()
    both = factory.person()["id"]
    url = f"{area_url}/inspections/{inspection['id']}/meeting-requests"
    payload = {"title": "Health", "theme": "health"}
    ids = {"required_attendee_ids": [both], "optional_attendee_ids": [both]}
    body = problem(client.post(url, json=payload | ids), 422)
    assert error_fields(body) == {"optional_attendee_ids"}


def test_named_inspectors_must_be_inspectors_of_this_inspection(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    ours = factory.inspector()
    not_on_team = factory.inspector()
    inspection = factory.inspection(inspector_ids=[ours["id"]])
    url = f"{area_url}/inspections/{inspection['id']}/meeting-requests"
    payload = {"title": "Health", "theme": "health", "inspector_rule": "named"}
    body = problem(
        client.post(url, json=payload | {"named_inspector_ids": [not_on_team["id"]]}), 422
    )
    assert error_fields(body) == {"named_inspector_ids"}
    assert client.post(url, json=payload | {"named_inspector_ids": [ours["id"]]}).status_code == 201


def test_an_update_that_breaks_a_cross_field_rule_is_refused(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspection = factory.inspection()
    meeting = factory.meeting_request(inspection)
    url = f"{area_url}/inspections/{inspection['id']}/meeting-requests/{meeting['id']}"
    body = problem(client.patch(url, json={"inspector_rule": "named"}), 422)
    assert error_fields(body) == {"named_inspector_ids"}
    assert client.get(url).json() == meeting


def test_null_for_a_required_field_in_an_update_is_422(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    person = factory.person()
    body = problem(client.patch(f"{area_url}/people/{person['id']}", json={"name": None}), 422)
    assert error_fields(body) == {"name"}
    body = problem(client.patch(area_url, json={"name": None, "code": None}), 422)
    assert error_fields(body) == {"name", "code"}
    assert client.get(area_url).json()["name"]
    # And as for every other resource, a PATCH that changes nothing keeps the version.
    before = client.get(area_url).json()
    for unchanged in ({}, {"name": before["name"]}):
        assert client.patch(area_url, json=unchanged).json()["version"] == before["version"]


def test_a_visit_candidate_for_a_setting_of_another_area_is_refused(
    client: TestClient, area_url: str, factory: Factory, other_factory: Factory
) -> None:
    inspection = factory.inspection()
    their_school = other_factory.setting()
    url = f"{area_url}/inspections/{inspection['id']}/visit-candidates"
    body = problem(client.post(url, json={"setting_id": their_school["id"]}), 422)
    assert error_fields(body) == {"setting_id"}


def test_an_area_code_must_be_url_safe(client: TestClient) -> None:
    body = problem(client.post("/api/v1/areas", json={"name": "X", "code": "Not Safe!"}), 422)
    assert error_fields(body) == {"code"}


@pytest.mark.parametrize("bad_id", ["0", "abc", str(2**70)])
def test_a_malformed_or_huge_id_in_the_path_is_a_problem_not_a_crash(
    client: TestClient, area_url: str, bad_id: str
) -> None:
    response = client.get(f"{area_url}/people/{bad_id}")
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_huge_id_in_the_body_is_a_problem_not_a_crash(client: TestClient, area_url: str) -> None:
    payload = {"name": "A", "email": "a@example.org", "organisation_id": 2**70}
    body = problem(client.post(f"{area_url}/people", json=payload), 422)
    assert error_fields(body) == {"organisation_id"}


def test_an_unknown_path_or_method_is_a_problem_too(client: TestClient, area_url: str) -> None:
    problem(client.get("/api/v1/nowhere"), 404)
    problem(client.put(f"{area_url}/venues"), 405)
    problem(client.get("/api/v1/areas/999999/people"), 404)


def test_an_inspector_on_an_inspection_cannot_stop_being_an_inspector(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    grace = factory.inspector()
    inspection = factory.inspection(title="Autumn", inspector_ids=[grace["id"]])
    url = f"{area_url}/people/{grace['id']}"
    to_staff = {"kind": "staff", "inspector_body": None}
    body = problem(client.patch(url, json=to_staff), 422)
    assert error_fields(body) == {"kind"}
    assert f"inspection {inspection['id']} (Autumn)" in body["detail"]
    assert client.get(url).json()["kind"] == "inspector"
    # someone on no inspection may change kind freely
    other = factory.inspector()
    assert client.patch(f"{area_url}/people/{other['id']}", json=to_staff).is_success


def test_an_inspector_named_by_a_meeting_stays_on_the_inspection(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    hmi, cqc = factory.inspector(), factory.inspector(inspector_body="cqc")
    inspection = factory.inspection(inspector_ids=[hmi["id"], cqc["id"]])
    factory.meeting_request(
        inspection, title="Health", inspector_rule="named", named_inspector_ids=[cqc["id"]]
    )
    url = f"{area_url}/inspections/{inspection['id']}"
    body = problem(client.patch(url, json={"inspector_ids": [hmi["id"]]}), 422)
    assert error_fields(body) == {"inspector_ids"}
    assert "Health" in body["detail"]
    assert client.get(url).json()["inspector_ids"] == [hmi["id"], cqc["id"]]


def test_only_an_inspector_belongs_to_an_inspecting_body(client: TestClient, area_url: str) -> None:
    body = problem(
        client.post(
            f"{area_url}/people",
            json={
                "name": "Sam",
                "email": "sam@example.org",
                "kind": "staff",
                "inspector_body": "cqc",
            },
        ),
        422,
    )
    assert error_fields(body) == {"inspector_body"}


def test_a_huge_id_in_a_list_filter_is_a_422_naming_it(client: TestClient, area_url: str) -> None:
    for path, name in (("people", "organisation_id"), ("actions", "owner_id")):
        response = client.get(f"{area_url}/{path}", params={name: 10**20})
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == name and error["location"] == "query"
