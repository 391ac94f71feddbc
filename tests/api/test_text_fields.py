"""Names and titles are one line without surrounding spaces; no text carries a child's record."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MONDAY_CALL, Factory, created, error_fields, problem

# kind: (the name or title field, a valid body to create one)
KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    "areas": ("name", {"name": "Northbrook", "code": "northbrook"}),
    "people": ("name", {"name": "Aisha Khan", "email": "aisha@example.org"}),
    "venues": ("name", {"name": "Civic Centre"}),
    "settings": ("name", {"urn": "100999", "name": "Hillside Primary", "setting_type": "primary"}),
    "organisations": ("name", {"name": "Northbrook Council", "kind": "local_authority"}),
    "inspections": ("title", {"title": "SEND inspection", "notification_at": MONDAY_CALL}),
    "meeting-requests": ("title", {"title": "EHC planning", "theme": "ehc_planning"}),
    "data-sets": ("name", {"name": "Waiting times for autism assessment"}),
    "documents": ("name", {"name": "Parent carer forum newsletter"}),
    "logistics": ("title", {"title": "Lunch for the inspectors"}),
}


def collection_url(kind: str, factory: Factory, area_url: str) -> str:
    if kind == "areas":
        return "/api/v1/areas"
    if kind in ("meeting-requests", "logistics"):
        return f"{area_url}/inspections/{factory.inspection()['id']}/{kind}"
    return f"{area_url}/{kind}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "bad", ["Week\r\nBEGIN:VEVENT", "Line\nbreak", "Tab\there", "Bell\x07", "Next\x85line", "   "]
)
def test_a_name_or_title_that_is_not_one_line_is_refused_naming_the_field(
    client: TestClient, factory: Factory, area_url: str, kind: str, bad: str
) -> None:
    field, body = KINDS[kind]
    url = collection_url(kind, factory, area_url)

    refused = problem(client.post(url, json={**body, field: bad}), 422)
    row = created(client.post(url, json=body))
    edited = problem(client.patch(f"{url}/{row['id']}", json={field: bad}), 422)

    assert error_fields(refused) == error_fields(edited) == {field}
    assert client.get(f"{url}/{row['id']}").json()[field] == body[field]


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_or_title_is_stored_without_surrounding_spaces(
    client: TestClient, factory: Factory, area_url: str, kind: str
) -> None:
    field, body = KINDS[kind]
    url = collection_url(kind, factory, area_url)

    row = created(client.post(url, json={**body, field: f"  {body[field]} "}))
    renamed = client.patch(f"{url}/{row['id']}", json={field: "\tRenamed  "})

    assert row[field] == body[field]
    assert renamed.status_code == 200, renamed.text
    assert client.get(f"{url}/{row['id']}").json()[field] == "Renamed"


def test_a_venue_sent_with_a_trailing_space_is_stored_trimmed_and_imports_back_as_one(
    client: TestClient, factory: Factory, area_url: str
) -> None:
    factory.venue(name="Trailing Hall ")
    exported = client.get(f"{area_url}/venues.csv").text

    result = client.post(
        f"{area_url}/venues/import",
        files={"file": ("venues.csv", exported.encode("utf-8"), "text/csv")},
    )

    assert result.status_code == 200, result.text
    assert result.json()["created"] == 0
    assert [v["name"] for v in client.get(f"{area_url}/venues").json()["items"]] == [
        "Trailing Hall"
    ]


def test_free_text_keeps_its_line_breaks(client: TestClient, area_url: str) -> None:
    description = "Produced by the performance team.\nRefreshed every term."

    row = created(
        client.post(
            f"{area_url}/data-sets", json={"name": "EHC timeliness", "description": description}
        )
    )

    assert row["description"] == description


@pytest.mark.parametrize("kind", ["data-sets", "documents", "logistics"])
def test_a_register_name_or_title_with_a_pupil_number_is_refused(
    client: TestClient, factory: Factory, area_url: str, kind: str
) -> None:
    field, body = KINDS[kind]
    url = collection_url(kind, factory, area_url)
    text = "List for child UPN A12345678901B"

    refused = problem(client.post(url, json={**body, field: text}), 422)
    row = created(client.post(url, json=body))
    edited = problem(client.patch(f"{url}/{row['id']}", json={field: text}), 422)

    assert error_fields(refused) == error_fields(edited) == {field}
    assert "unique pupil number" in refused["detail"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Chased upn a12345678901b twice", "unique pupil number"),
        ("NHS 943.476.5919 referred", "NHS number"),
        ("Child born 03/04/2015, moved in", "date of birth"),
        ("DOB 3 April 2015", "date of birth"),
        ("date of birth: 3rd of Apr 2015", "date of birth"),
        ("Born on April 3, 2015", "date of birth"),
    ],
)
def test_child_identifiers_are_refused_however_they_are_written(
    client: TestClient, area_url: str, text: str, reason: str
) -> None:
    body = {"name": "Children in hospital", "description": text}

    refused = problem(client.post(f"{area_url}/data-sets", json=body), 422)

    assert error_fields(refused) == {"description"}
    assert reason in refused["detail"]


def test_ordinary_dates_years_and_numbers_are_not_taken_for_a_child(
    client: TestClient, factory: Factory, area_url: str
) -> None:
    inspection = factory.inspection()
    meeting = factory.meeting_request(inspection, title="Strategy meeting 3 April 2015")
    data_set = created(
        client.post(
            f"{area_url}/data-sets",
            json={
                "name": "SEND 2015 review",
                "description": "Agreed 03/04/2015 by the board; newborn hearing checks since 2015",
            },
        )
    )
    logistics = created(
        client.post(
            f"{area_url}/inspections/{inspection['id']}/logistics",
            json={"title": "Room booked for 3 April 2026, call 0161 496 0000"},
        )
    )

    assert meeting["title"] == "Strategy meeting 3 April 2015"
    assert data_set["name"] == "SEND 2015 review"
    assert logistics["title"].startswith("Room booked")
    # Cohorts are described by birth dates without being anyone's date of birth.
    for cohort in (
        "Children born March 2020 onwards",
        "Born: June 2021 cohort",
        "Reception cohort: children born 1 September 2020 to 31 August 2021",
    ):
        created(client.post(f"{area_url}/data-sets", json={"name": cohort}))
