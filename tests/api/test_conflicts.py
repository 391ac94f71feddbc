"""409: duplicates within one area, and deletes refused while others still refer to a row."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from models import Organisation, Person, Venue
from tests.api.conftest import Factory, created, problem


def test_an_email_is_unique_in_an_area_whatever_its_case(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    first = factory.person(name="Aisha Khan", email="aisha.khan@example.org")

    body = problem(
        client.post(
            f"{area_url}/people", json={"name": "A Khan", "email": "Aisha.Khan@Example.ORG"}
        ),
        409,
    )

    assert body["errors"][0]["field"] == "email"
    assert f"person {first['id']} (Aisha Khan)" in body["detail"]
    assert client.get(f"{area_url}/people").json()["total"] == 1


def test_the_same_email_may_be_used_in_two_areas(
    client: TestClient, factory: Factory, other_factory: Factory
) -> None:
    mine = factory.person(email="shared@example.org")
    theirs = other_factory.person(email="shared@example.org")
    assert mine["id"] != theirs["id"]


def test_changing_an_email_to_one_already_used_is_409_and_changes_nothing(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    factory.person(email="taken@example.org")
    other = factory.person(email="free@example.org")

    url = f"{area_url}/people/{other['id']}"
    problem(client.patch(url, json={"email": "TAKEN@example.org"}), 409)

    assert client.get(url).json() == other
    # a person may keep (or re-case) their own email
    assert client.patch(url, json={"email": "Free@example.org"}).status_code == 200


def test_a_urn_is_unique_in_an_area(
    client: TestClient, area_url: str, factory: Factory, other_factory: Factory
) -> None:
    factory.setting(urn="140001")
    other_factory.setting(urn="140001")
    body = problem(
        client.post(
            f"{area_url}/settings",
            json={"urn": "140001", "name": "Copy", "setting_type": "secondary"},
        ),
        409,
    )
    assert body["errors"][0]["field"] == "urn"


def test_organisation_and_venue_names_are_unique_in_an_area(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    factory.organisation(name="Northbrook Council")
    factory.venue(name="Civic Centre")
    problem(
        client.post(
            f"{area_url}/organisations", json={"name": "Northbrook Council", "kind": "other"}
        ),
        409,
    )
    problem(client.post(f"{area_url}/venues", json={"name": "Civic Centre"}), 409)
    # The same name in other letters is the same venue (and the CSV import reads it so),
    # beyond ASCII too, where SQLite's lower() would not fold them.
    body = problem(client.post(f"{area_url}/venues", json={"name": "CIVIC centre"}), 409)
    assert body["errors"][0]["field"] == "name"
    factory.venue(name="École Hall")
    for name in ("École Hall", "ÉCOLE HALL"):
        body = problem(client.post(f"{area_url}/venues", json={"name": name}), 409)
        assert body["errors"][0]["field"] == "name"


def test_rows_saved_before_names_ignored_case_can_still_be_edited(
    client: TestClient, area: dict[str, Any], area_url: str, session: Session
) -> None:
    for name in ("New Hall A", "new hall a"):
        session.add(Venue(local_area_id=area["id"], name=name, capacity=10))
    session.commit()
    venues = client.get(f"{area_url}/venues").json()["items"]
    first, second = (v["id"] for v in venues)
    changed = client.patch(f"{area_url}/venues/{first}", json={"capacity": 12})
    assert changed.status_code == 200, changed.text
    # A rename onto the other spelling is still refused.
    problem(client.patch(f"{area_url}/venues/{first}", json={"name": "NEW HALL A"}), 409)
    assert client.get(f"{area_url}/venues/{second}").json()["name"] == "new hall a"


def test_a_setting_is_a_visit_candidate_of_an_inspection_once(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspection = factory.inspection()
    candidate = factory.visit_candidate(inspection)
    url = f"{area_url}/inspections/{inspection['id']}/visit-candidates"
    problem(client.post(url, json={"setting_id": candidate["setting_id"]}), 409)
    # ...but another inspection may list it too
    later = factory.inspection()
    factory.visit_candidate(later, setting_id=candidate["setting_id"])


def test_a_local_area_code_is_unique(client: TestClient, area: dict[str, Any]) -> None:
    body = problem(client.post("/api/v1/areas", json={"name": "Copy", "code": area["code"]}), 409)
    assert body["errors"][0]["field"] == "code"


def test_deleting_an_organisation_people_belong_to_names_them_and_keeps_it(
    client: TestClient, area_url: str, factory: Factory, session: Session
) -> None:
    council = factory.organisation(name="Northbrook Council")
    aisha = factory.person(name="Aisha Khan", organisation_id=council["id"])
    owen = factory.person(name="Owen Davies", organisation_id=council["id"])

    body = problem(client.delete(f"{area_url}/organisations/{council['id']}"), 409)

    assert f"person {aisha['id']} (Aisha Khan) via organisation_id" in body["detail"]
    assert [e["dependent"] for e in body["errors"]] == [
        f"person {aisha['id']} (Aisha Khan) via organisation_id",
        f"person {owen['id']} (Owen Davies) via organisation_id",
    ]
    assert session.exec(select(func.count()).select_from(Organisation)).one() == 1


def test_deleting_a_person_others_refer_to_names_every_reference(
    client: TestClient, area_url: str, factory: Factory, session: Session
) -> None:
    lead = factory.inspector(name="Grace Turner")
    inspection = factory.inspection(
        title="Autumn", inspector_ids=[lead["id"]], lead_inspector_id=lead["id"]
    )
    school = factory.setting(name="Oakfield Primary", contact_person_id=lead["id"])
    meeting = factory.meeting_request(
        inspection,
        title="Health",
        inspector_rule="named",
        named_inspector_ids=[lead["id"]],
        optional_attendee_ids=[lead["id"]],
    )

    body = problem(client.delete(f"{area_url}/people/{lead['id']}"), 409)

    dependents = {e["dependent"] for e in body["errors"]}
    assert dependents == {
        f"setting {school['id']} (Oakfield Primary) via contact_person_id",
        f"inspection {inspection['id']} (Autumn) via inspector_ids",
        f"inspection {inspection['id']} (Autumn) via lead_inspector_id",
        f"meeting request {meeting['id']} (Health) via optional_attendee_ids",
        f"meeting request {meeting['id']} (Health) via named_inspector_ids",
    }
    assert session.exec(select(func.count()).select_from(Person)).one() == 1


def test_deleting_a_venue_or_setting_in_use_is_refused(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspection = factory.inspection()
    hall = factory.venue(name="Civic Hall")
    meeting = factory.meeting_request(
        inspection,
        title="Introduction",
        kind="fixed",
        fixed_start="2026-12-07T11:00:00Z",
        fixed_venue_id=hall["id"],
    )
    candidate = factory.visit_candidate(inspection)

    venue_body = problem(client.delete(f"{area_url}/venues/{hall['id']}"), 409)
    setting_body = problem(client.delete(f"{area_url}/settings/{candidate['setting_id']}"), 409)

    assert (
        f"meeting request {meeting['id']} (Introduction) via fixed_venue_id" in venue_body["detail"]
    )
    assert f"visit candidate {candidate['id']} via setting_id" in setting_body["detail"]

    # once the reference is gone, the delete goes through
    meetings = f"{area_url}/inspections/{inspection['id']}/meeting-requests"
    assert client.delete(f"{meetings}/{meeting['id']}").status_code == 204
    assert client.delete(f"{area_url}/venues/{hall['id']}").status_code == 204


def test_deleting_an_inspection_with_meetings_and_visits_names_them(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspection = factory.inspection()
    factory.meeting_request(inspection, title="Transport")
    factory.visit_candidate(inspection)
    body = problem(client.delete(f"{area_url}/inspections/{inspection['id']}"), 409)
    assert "meeting request" in body["detail"] and "visit candidate" in body["detail"]


def test_deleting_a_local_area_that_still_owns_rows_is_refused(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    factory.person()
    body = problem(client.delete(area_url), 409)
    assert "1 × person" in body["detail"]

    empty = created(client.post("/api/v1/areas", json={"name": "Empty", "code": "empty"}))
    assert client.delete(f"/api/v1/areas/{empty['id']}").status_code == 204
    problem(client.get(f"/api/v1/areas/{empty['id']}"), 404)
