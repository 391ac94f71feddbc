"""Tokens, roles, area isolation and the audit log."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.app import create_app
from api.settings import Settings
from models.api_token import ApiToken
from models.types import utc_now


def token(client: TestClient, area_url: str, role: str) -> str:
    response = client.post(f"{area_url}/tokens", json={"name": f"{role} test", "role": role})
    assert response.status_code == 201, response.text
    value: str = response.json()["token"]
    return value


def as_(app: FastAPI, value: str) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {value}"})


PERSON = {"name": "Ada Lovelace", "email": "ada@example.org"}


def test_without_a_token_every_route_but_health_answers_401(anonymous: TestClient) -> None:
    refused = anonymous.get("/api/v1/areas")
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert anonymous.get("/api/v1/health").status_code == 200
    wrong = anonymous.get("/api/v1/areas", headers={"Authorization": "Bearer iw_nonsense"})
    assert wrong.status_code == 401


def test_a_viewer_reads_but_cannot_change(app: FastAPI, client: TestClient, area_url: str) -> None:
    viewer = as_(app, token(client, area_url, "viewer"))
    assert viewer.get(f"{area_url}/people").status_code == 200
    refused = viewer.post(f"{area_url}/people", json=PERSON)
    assert refused.status_code == 403
    assert "coordinator" in refused.json()["detail"]
    assert client.get(f"{area_url}/people").json()["total"] == 0


def test_a_coordinator_edits_but_cannot_manage_tokens_or_read_the_audit_log(
    app: FastAPI, client: TestClient, area_url: str
) -> None:
    coordinator = as_(app, token(client, area_url, "coordinator"))
    assert coordinator.post(f"{area_url}/people", json=PERSON).status_code == 201
    assert coordinator.get(f"{area_url}/tokens").status_code == 403
    assert (
        coordinator.post(f"{area_url}/tokens", json={"name": "x", "role": "admin"}).status_code
        == 403
    )
    assert coordinator.get(f"{area_url}/audit").status_code == 403


def test_only_the_operator_creates_local_areas(
    app: FastAPI, client: TestClient, area_url: str
) -> None:
    admin = as_(app, token(client, area_url, "admin"))
    refused = admin.post("/api/v1/areas", json={"name": "Other", "code": "other"})
    assert refused.status_code == 403
    assert [a["id"] for a in admin.get("/api/v1/areas").json()["items"]] == [
        int(area_url.rsplit("/", 1)[1])
    ]


def test_only_an_admin_changes_the_area_itself_and_only_the_operator_deletes_it(
    app: FastAPI, client: TestClient, area_url: str
) -> None:
    coordinator = as_(app, token(client, area_url, "coordinator"))
    admin = as_(app, token(client, area_url, "admin"))
    refused = coordinator.patch(area_url, json={"code": "hijack"})
    assert refused.status_code == 403 and "admin" in refused.json()["detail"]
    assert coordinator.delete(area_url).status_code == 403
    assert admin.patch(area_url, json={"name": "Renamed"}).status_code == 200
    refused = admin.delete(area_url)
    assert refused.status_code == 403 and "operator" in refused.json()["detail"]
    assert client.get(area_url).json()["name"] == "Renamed"
    assert client.get(f"{area_url}/data-sets").json()["total"] > 0


def test_a_revoked_token_stops_working_at_once(
    app: FastAPI, client: TestClient, area_url: str
) -> None:
    created = client.post(f"{area_url}/tokens", json={"name": "laptop", "role": "viewer"}).json()
    viewer = as_(app, created["token"])
    assert viewer.get(f"{area_url}/people").status_code == 200
    assert client.delete(f"{area_url}/tokens/{created['id']}").status_code == 200
    assert viewer.get(f"{area_url}/people").status_code == 401
    listed = client.get(f"{area_url}/tokens").json()["items"]
    assert all("token" not in item for item in listed)  # never shown again
    assert next(i for i in listed if i["id"] == created["id"])["revoked_at"] is not None


def _area_routes(app: FastAPI) -> list[tuple[str, str]]:
    routes: list[tuple[str, str]] = []
    for path, operations in app.openapi()["paths"].items():
        if "{area_id}" in path:
            routes.extend((method.upper(), path) for method in operations)
    return routes


def test_a_token_of_one_area_never_sees_or_changes_another_area_on_any_route(
    app: FastAPI, client: TestClient, area_url: str
) -> None:
    other = client.post("/api/v1/areas", json={"name": "Elsewhere", "code": "elsewhere"}).json()
    client.post(f"/api/v1/areas/{other['id']}/people", json=PERSON)
    admin = as_(app, token(client, area_url, "admin"))
    checked = 0
    for method, path in _area_routes(app):
        url = re.sub(r"\{(\w+)\}", "1", path).replace("/areas/1", f"/areas/{other['id']}", 1)
        body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
        response = admin.request(method, url, json=body)
        assert response.status_code == 404, (method, path, response.status_code, response.text)
        checked += 1
    assert checked > 60
    assert client.get(f"/api/v1/areas/{other['id']}/people").json()["total"] == 1


def test_the_audit_log_records_who_changed_what_and_cannot_be_edited(
    app: FastAPI, client: TestClient, area_url: str
) -> None:
    coordinator = as_(app, token(client, area_url, "coordinator"))
    person = coordinator.post(f"{area_url}/people", json=PERSON).json()
    coordinator.patch(f"{area_url}/people/{person['id']}", json={"job_title": "Analyst"})
    coordinator.delete(f"{area_url}/people/{person['id']}")
    entries = client.get(f"{area_url}/audit", params={"resource": "people"}).json()["items"]
    assert [e["action"] for e in entries] == ["delete", "update", "create"]
    assert all("coordinator test" in e["actor"] for e in entries)
    assert {e["resource_id"] for e in entries} == {str(person["id"])}
    only_updates = client.get(f"{area_url}/audit", params={"action": "update"}).json()
    assert only_updates["total"] == 1
    assert client.delete(f"{area_url}/audit").status_code == 405
    assert client.post(f"{area_url}/audit", json={}).status_code == 405


@pytest.mark.parametrize("size", [6_000_000])
def test_a_body_over_the_limit_is_refused_before_it_is_read(
    client: TestClient, area_url: str, size: int
) -> None:
    response = client.post(
        f"{area_url}/people", content=b"x" * size, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_body_sent_in_chunks_is_refused_once_it_passes_the_limit(
    client: TestClient, area_url: str
) -> None:
    person = client.post(f"{area_url}/people", json=PERSON).json()
    name = b"x" * 6_000_000
    chunks = iter(
        [b'{"name": "', *(name[i : i + 65536] for i in range(0, len(name), 65536)), b'"}']
    )
    response = client.patch(
        f"{area_url}/people/{person['id']}",
        content=chunks,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"{area_url}/people/{person['id']}").json()["version"] == 1


def _revoke_elsewhere(session: Session, token_id: int) -> None:
    """A revocation made by another process (the CLI, another server worker)."""
    row = session.get(ApiToken, token_id)
    assert row is not None
    row.revoked_at = utc_now()
    session.add(row)
    session.commit()


def test_a_token_revoked_by_another_process_stops_working_within_the_cache_time(
    settings: Settings, engine: Engine, client: TestClient, area_url: str, session: Session
) -> None:
    cached = create_app(settings.model_copy(update={"token_cache_s": 1.0}))
    cached.state.engine = engine
    created = client.post(f"{area_url}/tokens", json={"name": "tablet", "role": "viewer"}).json()
    viewer = as_(cached, created["token"])
    assert viewer.get(f"{area_url}/people").status_code == 200
    _revoke_elsewhere(session, created["id"])
    assert viewer.get(f"{area_url}/people").status_code == 200  # still trusted for a moment
    time.sleep(1.1)
    assert viewer.get(f"{area_url}/people").status_code == 401


def test_with_the_token_cache_off_a_revocation_elsewhere_is_seen_at_once(
    settings: Settings, engine: Engine, client: TestClient, area_url: str, session: Session
) -> None:
    uncached = create_app(settings.model_copy(update={"token_cache_s": 0}))
    uncached.state.engine = engine
    created = client.post(f"{area_url}/tokens", json={"name": "phone", "role": "viewer"}).json()
    viewer = as_(uncached, created["token"])
    assert viewer.get(f"{area_url}/people").status_code == 200
    _revoke_elsewhere(session, created["id"])
    assert viewer.get(f"{area_url}/people").status_code == 401
