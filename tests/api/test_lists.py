"""Lists page with limit/offset and a total, and filter by the fields people look things up by."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Factory, error_fields, problem


def _ids(client: TestClient, url: str, **params: Any) -> list[int]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["items"]]


def test_pages_walk_through_every_row_once_in_creation_order(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    venues = [factory.venue()["id"] for _ in range(7)]

    first = client.get(f"{area_url}/venues", params={"limit": 3}).json()
    second = client.get(f"{area_url}/venues", params={"limit": 3, "offset": 3}).json()
    last = client.get(f"{area_url}/venues", params={"limit": 3, "offset": 6}).json()
    beyond = client.get(f"{area_url}/venues", params={"limit": 3, "offset": 30}).json()

    assert (first["total"], first["limit"], first["offset"]) == (7, 3, 0)
    assert [r["id"] for page in (first, second, last) for r in page["items"]] == venues
    assert second["offset"] == 3
    assert beyond["items"] == [] and beyond["total"] == 7


def test_the_page_size_is_capped_by_settings(client: TestClient, area_url: str) -> None:
    body = client.get(f"{area_url}/people", params={"limit": 1000}).json()
    assert body["limit"] == 200


def test_a_nonsense_limit_or_offset_is_422_naming_it(client: TestClient, area_url: str) -> None:
    body = problem(client.get(f"{area_url}/people", params={"limit": 0, "offset": -1}), 422)
    assert error_fields(body) == {"limit", "offset"}
    assert {e["location"] for e in body["errors"]} == {"query"}


def test_people_filter_by_organisation_kind_theme_and_text(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    council = factory.organisation(name="Northbrook Council", kind="local_authority")["id"]
    trust = factory.organisation(name="Community Health Trust")["id"]
    head = factory.person(
        name="Aisha Khan",
        email="a.khan@northbrook.gov.uk",
        organisation_id=council,
        job_title="Head of SEND",
        themes=["ehc_planning", "inclusion"],
    )["id"]
    nurse = factory.person(
        name="Owen Davies",
        email="owen@cht.nhs.uk",
        organisation_id=trust,
        kind="frontline",
        job_title="School nurse",
        themes=["school_nursing"],
    )["id"]
    inspector = factory.inspector(name="Grace Turner", themes=["health"])["id"]
    people = f"{area_url}/people"

    assert _ids(client, people) == [head, nurse, inspector]
    assert _ids(client, people, organisation_id=council) == [head]
    assert _ids(client, people, kind="inspector") == [inspector]
    assert _ids(client, people, kind="frontline", organisation_id=trust) == [nurse]
    assert _ids(client, people, theme="inclusion") == [head]
    assert _ids(client, people, theme="health") == [inspector]
    assert _ids(client, people, theme="heal") == []  # a theme matches whole, not a prefix
    assert _ids(client, people, q="khan") == [head]  # name, any case
    assert _ids(client, people, q="CHT.NHS") == [nurse]  # email
    assert _ids(client, people, q="nurse") == [nurse]  # job title
    assert client.get(people, params={"kind": "frontline"}).json()["total"] == 1
    problem(client.get(people, params={"kind": "wizard"}), 422)


def test_a_theme_matches_exactly_even_with_accents_or_wildcards(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    health_fr = factory.person(themes=["santé"])["id"]
    factory.person(themes=["therapies"])
    people = f"{area_url}/people"
    assert _ids(client, people, theme="santé") == [health_fr]
    assert _ids(client, people, theme="%") == []
    assert _ids(client, people, theme="_herapies") == []


def test_text_search_treats_percent_and_underscore_literally(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    factory.venue(name="Room 100")
    factory.venue(name="Hall_A")
    assert _ids(client, f"{area_url}/venues", q="%") == []
    assert len(_ids(client, f"{area_url}/venues", q="_")) == 1


def test_organisations_filter_by_kind_and_name(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    council = factory.organisation(name="Northbrook Council", kind="local_authority")["id"]
    forum = factory.organisation(name="Parent Carer Forum", kind="parent_carer_forum")["id"]
    url = f"{area_url}/organisations"
    assert _ids(client, url, kind="parent_carer_forum") == [forum]
    assert _ids(client, url, q="council") == [council]


def test_settings_filter_by_type_and_text(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    primary = factory.setting(urn="100001", name="Oakfield Primary", postcode="NB1 2HQ")["id"]
    special = factory.setting(urn="100002", name="Vale School", setting_type="special")["id"]
    url = f"{area_url}/settings"
    assert _ids(client, url, setting_type="special") == [special]
    assert _ids(client, url, q="oakfield") == [primary]
    assert _ids(client, url, q="100002") == [special]  # URN
    assert _ids(client, url, q="nb1") == [primary]  # postcode


def test_venues_filter_by_access_and_video(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    chamber = factory.venue(step_free=True, video_conferencing=True)["id"]
    library = factory.venue(step_free=False)["id"]
    url = f"{area_url}/venues"
    assert _ids(client, url, step_free="false") == [library]
    assert _ids(client, url, video_conferencing="true") == [chamber]


def test_inspections_filter_by_framework_and_title(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    old = factory.inspection(title="Autumn inspection")["id"]
    new = factory.inspection(title="Spring inspection", framework="area-send-2023")["id"]
    url = f"{area_url}/inspections"
    assert _ids(client, url, framework="area-send-2023") == [new]
    assert _ids(client, url, q="autumn") == [old]


def test_meeting_requests_filter_by_theme_kind_online_and_text(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspection = factory.inspection()
    transport = factory.meeting_request(
        inspection, title="Home to school transport", theme="transport"
    )
    webinar = factory.meeting_request(
        inspection,
        title="Parent webinar",
        theme="webinar",
        kind="webinar",
        online=True,
        fixed_start="2026-12-07T18:00:00Z",
    )
    another = factory.inspection()
    factory.meeting_request(another, title="Transport elsewhere", theme="transport")
    url = f"{area_url}/inspections/{inspection['id']}/meeting-requests"

    assert _ids(client, url) == [transport["id"], webinar["id"]]  # only this inspection's
    assert _ids(client, url, theme="transport") == [transport["id"]]
    assert _ids(client, url, kind="webinar") == [webinar["id"]]
    assert _ids(client, url, online="true") == [webinar["id"]]
    assert _ids(client, url, q="HOME TO") == [transport["id"]]


def test_visit_candidates_filter_by_must_visit_and_setting(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    inspection = factory.inspection()
    must = factory.visit_candidate(inspection, must_visit=True)
    may = factory.visit_candidate(inspection)
    url = f"{area_url}/inspections/{inspection['id']}/visit-candidates"
    assert _ids(client, url, must_visit="true") == [must["id"]]
    assert _ids(client, url, must_visit="false") == [may["id"]]
    assert _ids(client, url, setting_id=may["setting_id"]) == [may["id"]]


def test_local_areas_list_and_search(client: TestClient, area: dict[str, Any]) -> None:
    client.post("/api/v1/areas", json={"name": "Vale", "code": "vale"})
    body = client.get("/api/v1/areas", params={"q": "TESTSH"}).json()
    assert body["total"] == 1 and body["items"][0]["id"] == area["id"]
    assert client.get("/api/v1/areas").json()["total"] == 2
