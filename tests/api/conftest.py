"""Helpers for the API tests: a factory that creates valid rows over HTTP, and problem checks."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings

PROBLEM_JSON = "application/problem+json"


def problem(response: Response, status: int) -> dict[str, Any]:
    """The RFC 9457 body of an error response, after checking its status and content type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


def error_fields(body: dict[str, Any]) -> set[str]:
    """The fields a 422 problem names (each must also give a reason)."""
    errors = body.get("errors") or []
    assert errors, body
    for error in errors:
        assert error["reason"], error
    return {error["field"] for error in errors}


def created(response: Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


class Factory:
    """Creates valid rows through the API, with defaults a test overrides by keyword."""

    def __init__(self, client: TestClient, area_url: str) -> None:
        self.client = client
        self.area_url = area_url
        self._numbers = itertools.count(1)

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        return created(self.client.post(f"{self.area_url}/{path}", json=payload))

    def organisation(self, **fields: Any) -> dict[str, Any]:
        n = next(self._numbers)
        return self._post(
            "organisations", {"name": f"Partner {n}", "kind": "nhs_provider"} | fields
        )

    def person(self, **fields: Any) -> dict[str, Any]:
        n = next(self._numbers)
        payload = {"name": f"Person {n}", "email": f"person{n}@example.org"} | fields
        return self._post("people", payload)

    def inspector(self, **fields: Any) -> dict[str, Any]:
        return self.person(**({"kind": "inspector", "inspector_body": "hmi"} | fields))

    def venue(self, **fields: Any) -> dict[str, Any]:
        n = next(self._numbers)
        return self._post("venues", {"name": f"Room {n}", "capacity": 12} | fields)

    def setting(self, **fields: Any) -> dict[str, Any]:
        n = next(self._numbers)
        payload = {"urn": f"{100000 + n}", "name": f"School {n}", "setting_type": "primary"}
        return self._post("settings", payload | fields)

    def inspection(self, **fields: Any) -> dict[str, Any]:
        payload = {"title": "Local area SEND inspection", "notification_at": MONDAY_CALL}
        return self._post("inspections", payload | fields)

    def meeting_request(self, inspection: dict[str, Any], **fields: Any) -> dict[str, Any]:
        payload = {"title": "EHC planning", "theme": "ehc_planning"} | fields
        return self._post(f"inspections/{inspection['id']}/meeting-requests", payload)

    def visit_candidate(self, inspection: dict[str, Any], **fields: Any) -> dict[str, Any]:
        if "setting_id" not in fields:
            fields["setting_id"] = self.setting()["id"]
        return self._post(f"inspections/{inspection['id']}/visit-candidates", fields)


MONDAY_CALL = "2026-11-23T09:30:00Z"
"""A Monday notification in an ordinary week: the on-site week starts on 2026-12-07."""


_APPS: dict[str, FastAPI] = {}


def cached_app(settings: Settings, engine: Engine) -> FastAPI:
    """The app for these settings, built once: building one takes most of a second, and it
    keeps no state between requests besides the shared engine (tables are emptied per test)."""
    key = settings.model_dump_json()
    if key not in _APPS:
        built = create_app(settings)
        built.state.engine.dispose()
        built.state.engine = engine
        _APPS[key] = built
    return _APPS[key]


@pytest.fixture
def app(settings: Settings, engine: Engine) -> FastAPI:
    """The app of tests/conftest.py, reused across tests."""
    return cached_app(settings, engine)


@pytest.fixture
def factory(client: TestClient, area_url: str) -> Factory:
    return Factory(client, area_url)


@pytest.fixture
def other_area_url(client: TestClient) -> str:
    body = created(client.post("/api/v1/areas", json={"name": "Elsewhere", "code": "elsewhere"}))
    return f"/api/v1/areas/{body['id']}"


@pytest.fixture
def other_factory(client: TestClient, other_area_url: str) -> Factory:
    return Factory(client, other_area_url)
