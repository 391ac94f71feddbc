"""The readiness summary: done, open, at risk and overdue, by owner, as JSON and one HTML page."""

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.readiness.helpers import make_inspection, make_person

AS_OF = "2026-05-14"  # the Thursday before the on-site week of 18 May 2026


@pytest.fixture
def prepared(client: TestClient, area_url: str) -> dict[str, Any]:
    """An inspection notified on 7 May 2026 with a little of everything."""
    inspection = make_inspection(client, area_url)
    dana = make_person(client, area_url, "Dana Lead")
    base = f"{area_url}/inspections/{inspection['id']}"
    ready = client.get(f"{area_url}/data-sets", params={"q": "NEETs"}).json()["items"][0]
    client.patch(
        f"{area_url}/data-sets/{ready['id']}",
        json={
            "owner_id": dana["id"],
            "status": "ready",
            "last_refreshed_at": "2026-05-01T09:00:00+01:00",
        },
    )
    logistics = client.post(f"{base}/logistics/seed").json()["items"]
    venues = next(i for i in logistics if i["title"] == "Venues booked for the strategy days")
    client.patch(f"{base}/logistics/{venues['id']}", json={"owner_id": dana["id"]})
    client.post(
        f"{area_url}/actions",
        json={
            "action": "Refresh the SEND strategy",
            "owner_id": dana["id"],
            "due_on": "2026-05-10",
        },
    )
    client.post(f"{area_url}/team-roles", json={"role": "link_officer", "person_id": dana["id"]})
    meeting = client.post(
        f"{base}/meeting-requests", json={"title": "Therapies", "theme": "health"}
    ).json()
    record = client.post(
        f"{base}/meeting-records",
        json={
            "meeting_request_id": meeting["id"],
            "follow_ups": [
                {
                    "action": "Send the SALT waiting list",
                    "owner_id": dana["id"],
                    "due_on": "2026-05-19",
                }
            ],
        },
    )
    assert record.status_code == 201, record.text
    return {"inspection": inspection, "dana": dana, "base": base}


def test_summary_counts_and_groups_by_owner(client: TestClient, prepared: dict[str, Any]) -> None:
    response = client.get(f"{prepared['base']}/readiness", params={"as_of": AS_OF})

    assert response.status_code == 200, response.text
    summary = response.json()
    groups = {g["owner_name"]: g for g in summary["by_owner"]}
    total = 31 + 17 + 10 + 1 + 1 + 3  # data sets, documents, logistics, action, follow-up, roles
    assert sum(summary["counts"].values()) == total
    dana = groups["Dana Lead"]
    assert summary["by_owner"][0]["owner_name"] == "Dana Lead"
    states = {i["title"]: i["state"] for i in dana["items"]}
    assert states["NEETs with SEND"] == "done"
    assert states["Venues booked for the strategy days"] == "overdue"
    assert states["Refresh the SEND strategy"] == "overdue"
    assert states["Send the SALT waiting list"] == "open"
    assert dana["counts"] == {"done": 1, "open": 1, "at_risk": 0, "overdue": 2}
    unowned = groups["No owner"]
    documents = {i["title"]: i for i in unowned["items"] if i["kind"] == "document"}
    # Inspectors read public documents during the notice: due on the notification day.
    assert documents["Local offer"]["state"] == "overdue"
    assert documents["Panel minutes"]["state"] == "at_risk"
    assert "no owner" in documents["Panel minutes"]["reasons"]
    roles = {i["title"]: i["state"] for i in summary_items(summary) if i["kind"] == "team role"}
    assert roles == {
        "Name a lead officer": "overdue",
        "Name a link officer": "done",
        "Name a data lead": "overdue",
    }
    assert summary["feasibility"]["working_days_left"] == 6


def summary_items(summary: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for group in summary["by_owner"] for item in group["items"]]


def test_summary_of_an_unknown_inspection_is_a_404(client: TestClient, area_url: str) -> None:
    response = client.get(f"{area_url}/inspections/999999/readiness")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.fixture
def served(app: FastAPI) -> Iterator[str]:
    """The app on a free localhost port, in a thread, for a real browser."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_the_html_page_shows_counts_and_overdue_items_in_a_browser(
    client: TestClient, prepared: dict[str, Any], served: str
) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    counts = client.get(f"{prepared['base']}/readiness", params={"as_of": AS_OF}).json()["counts"]

    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # The API wants a token on every route; the browser sends the test client's.
            token = {"Authorization": client.headers["Authorization"]}
            page = browser.new_context(extra_http_headers=token).new_page()
            response = page.goto(f"{served}{prepared['base']}/readiness.html?as_of={AS_OF}")
            assert response is not None and response.status == 200

            assert page.get_by_role("heading", level=1).inner_text() == "Inspection readiness"
            assert page.get_by_role("heading", name="Dana Lead").is_visible()
            assert page.get_by_role("heading", name="No owner").is_visible()
            overdue = page.locator('[data-state="overdue"] strong').inner_text()
            assert int(overdue) == counts["overdue"]
            assert int(page.locator('[data-state="done"] strong').inner_text()) == counts["done"]
            overdue_list = page.locator("#overdue").inner_text()
            assert "Refresh the SEND strategy (action, Dana Lead, due 2026-05-10)" in overdue_list
            row = page.get_by_role("row").filter(has_text="Venues booked for the strategy days")
            assert row.get_by_role("cell").first.inner_text() == "overdue"
            assert (
                "not everything can be produced in time"
                in page.locator("#feasibility").inner_text()
            )
        finally:
            browser.close()
