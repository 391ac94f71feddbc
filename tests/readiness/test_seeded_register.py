"""A new local area starts with the Appendix 1 data sets and the section B documents."""

from typing import Any

from fastapi.testclient import TestClient

from tests.readiness.helpers import make_person, problem


def _all(client: TestClient, url: str) -> list[dict[str, Any]]:
    response = client.get(url, params={"limit": 200})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_new_area_has_the_appendix_1_data_sets(client: TestClient, area_url: str) -> None:
    names = [d["name"] for d in _all(client, f"{area_url}/data-sets")]

    assert len(names) == 31
    assert "NEETs with SEND" in names
    assert "Children in need (social care and early help) with SEND" in names
    assert "CAMHS 0-25 commissioning and performance" in names
    assert any(name.startswith("EHC plans issued within 20 weeks") for name in names)


def test_a_new_area_has_the_section_b_documents_with_public_ones_flagged(
    client: TestClient, area_url: str
) -> None:
    documents = {d["name"]: d for d in _all(client, f"{area_url}/documents")}

    assert "Short breaks statement (including personal budgets policy)" in documents
    assert "Evidence of co-production" in documents
    public = {name for name, d in documents.items() if d["public_domain"]}
    assert {
        "Joint strategic needs assessment (JSNA)",
        "Local offer",
        "Joint health and wellbeing strategy",
    } <= public
    assert not documents["Panel minutes"]["public_domain"]
    assert all(d["status"] == "missing" for d in documents.values())


def test_seeding_again_adds_only_what_is_missing_and_keeps_edits(
    client: TestClient, area_url: str
) -> None:
    data_sets = _all(client, f"{area_url}/data-sets")
    owner = make_person(client, area_url, "Dana Lead")
    edited, removed = data_sets[0], data_sets[1]
    patch = client.patch(
        f"{area_url}/data-sets/{edited['id']}", json={"owner_id": owner["id"], "status": "ready"}
    )
    assert patch.status_code == 200, patch.text
    assert client.delete(f"{area_url}/data-sets/{removed['id']}").status_code == 204

    first = client.post(f"{area_url}/data-sets/seed")
    second = client.post(f"{area_url}/data-sets/seed")

    assert first.json() == {"added": 1, "total": 31}
    assert second.json() == {"added": 0, "total": 31}
    kept = client.get(f"{area_url}/data-sets/{edited['id']}").json()
    assert kept["owner_id"] == owner["id"] and kept["status"] == "ready"
    assert client.post(f"{area_url}/documents/seed").json() == {"added": 0, "total": 17}


def test_data_set_filters_and_pagination(client: TestClient, area_url: str) -> None:
    page = client.get(f"{area_url}/data-sets", params={"limit": 10, "offset": 30}).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (31, 10, 30, 1)

    health = client.get(f"{area_url}/data-sets", params={"category": "Health"}).json()
    assert health["total"] == 3
    found = client.get(f"{area_url}/data-sets", params={"q": "tribunal"}).json()
    assert [d["name"] for d in found["items"]] == ["First-tier tribunal appeals and mediation"]


def test_data_set_names_are_unique_in_an_area(client: TestClient, area_url: str) -> None:
    body = problem(client.post(f"{area_url}/data-sets", json={"name": "NEETs with SEND"}), 409)
    assert body["errors"][0]["field"] == "name"


def test_an_owner_still_named_on_a_data_set_cannot_be_deleted(
    client: TestClient, area_url: str
) -> None:
    owner = make_person(client, area_url, "Dana Lead")
    data_set = client.get(f"{area_url}/data-sets", params={"limit": 1}).json()["items"][0]
    client.patch(f"{area_url}/data-sets/{data_set['id']}", json={"owner_id": owner["id"]})

    body = problem(client.delete(f"{area_url}/people/{owner['id']}"), 409)

    assert "data set" in body["detail"] and "owner_id" in body["detail"]


def test_a_new_area_with_only_its_seeded_register_can_be_deleted(
    client: TestClient, area_url: str
) -> None:
    assert client.delete(area_url).status_code == 204
    assert client.get(f"{area_url}/data-sets").status_code == 404


def test_documents_checklist_filters_and_edits(client: TestClient, area_url: str) -> None:
    url = f"{area_url}/documents"
    public = client.get(url, params={"public_domain": True}).json()
    assert public["total"] == 5
    jsna = next(d for d in public["items"] if d["name"].endswith("(JSNA)"))

    ready = client.patch(
        f"{url}/{jsna['id']}",
        json={
            "status": "ready",
            "link": "https://testshire.example/jsna",
            "review_due_on": "2027-03-31",
        },
    )

    assert ready.status_code == 200, ready.text
    assert client.get(url, params={"status": "ready"}).json()["total"] == 1
    problem(client.patch(f"{url}/{jsna['id']}", json={"status": "done"}), 422)
    problem(client.get(f"{url}/999999"), 404)
    created = client.post(url, json={"name": "Home to school transport review", "kind": "policy"})
    assert created.status_code == 201 and created.json()["status"] == "missing"
