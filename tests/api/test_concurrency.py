"""ETags on reads and writes; a write based on a stale copy is refused with 412."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Factory, problem


def test_the_etag_changes_with_every_write(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    venue = factory.venue()
    url = f"{area_url}/venues/{venue['id']}"
    before = client.get(url).headers["ETag"]
    after = client.patch(url, json={"capacity": 30}).headers["ETag"]
    assert before != after
    assert client.get(url).headers["ETag"] == after


def test_an_update_with_a_stale_if_match_is_412_and_changes_nothing(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    person = factory.person(job_title="Head of SEND")
    url = f"{area_url}/people/{person['id']}"
    stale = client.get(url).headers["ETag"]
    fresh = client.patch(url, json={"job_title": "Director"}, headers={"If-Match": stale})
    assert fresh.status_code == 200

    body = problem(
        client.patch(url, json={"job_title": "Team leader"}, headers={"If-Match": stale}), 412
    )

    assert "changed since you read it" in body["detail"]
    assert client.get(url).json()["job_title"] == "Director"
    current = fresh.headers["ETag"]
    ok = client.patch(url, json={"job_title": "Team leader"}, headers={"If-Match": current})
    assert ok.status_code == 200


def test_a_delete_with_a_stale_if_match_is_412(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    venue = factory.venue()
    url = f"{area_url}/venues/{venue['id']}"
    stale = client.get(url).headers["ETag"]
    client.patch(url, json={"capacity": 30})
    problem(client.delete(url, headers={"If-Match": stale}), 412)
    assert client.get(url).status_code == 200
    assert client.delete(url, headers={"If-Match": "*"}).status_code == 204


def test_a_weak_etag_from_a_proxy_still_matches(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    venue = factory.venue()
    url = f"{area_url}/venues/{venue['id']}"
    tag = client.get(url).headers["ETag"]
    response = client.patch(url, json={"capacity": 3}, headers={"If-Match": f"W/{tag}"})
    assert response.status_code == 200


def test_a_local_area_has_an_etag_and_honours_if_match(client: TestClient, area_url: str) -> None:
    stale = client.get(area_url).headers["ETag"]
    assert client.patch(area_url, json={"name": "Northbrook"}).status_code == 200
    problem(client.patch(area_url, json={"name": "Vale"}, headers={"If-Match": stale}), 412)
    assert client.get(area_url).json()["name"] == "Northbrook"
