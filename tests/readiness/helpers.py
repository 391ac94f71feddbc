"""Small builders the readiness tests share."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def make_person(client: TestClient, area_url: str, name: str, **fields: Any) -> dict[str, Any]:
    email = name.lower().replace(" ", ".") + "@testshire.example"
    response = client.post(f"{area_url}/people", json={"name": name, "email": email, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def make_inspection(
    client: TestClient, area_url: str, notification_at: str = "2026-05-07T10:00:00+01:00"
) -> dict[str, Any]:
    response = client.post(
        f"{area_url}/inspections",
        json={"title": "SEND inspection", "notification_at": notification_at},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: Any, status: int) -> dict[str, Any]:
    """The problem+json body of an expected error."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body
