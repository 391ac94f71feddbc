"""Settings straight from a Get Information About Schools (GIAS) establishment extract.

tests/fixtures/gias_extract.csv is shaped like the real download (Windows-1252, the real
column names, extra columns we ignore): open schools of every type, two closed ones, an
independent school and a university that are not settings we plan visits to.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from api.gias import grid_to_latlon, setting_type
from models import Setting
from tests.api.conftest import problem
from tests.conftest import FIXTURES

EXTRACT = (FIXTURES / "gias_extract.csv").read_bytes()


def import_gias(client: TestClient, area_url: str, data: bytes) -> Any:
    return client.post(
        f"{area_url}/settings/import-gias", files={"file": ("edubasealldata.csv", data)}
    )


@pytest.fixture
def imported(client: TestClient, area_url: str) -> dict[str, Any]:
    response = import_gias(client, area_url, EXTRACT)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def by_urn(client: TestClient, area_url: str, imported: dict[str, Any]) -> dict[str, Any]:
    items = client.get(f"{area_url}/settings", params={"limit": 100}).json()["items"]
    return {s["urn"]: s for s in items}


def test_open_establishments_are_created_and_closed_ones_skipped(
    imported: dict[str, Any], by_urn: dict[str, Any]
) -> None:
    assert imported["created"] == 8
    assert sorted(by_urn) == [f"1000{n:02}" for n in (1, 2, 3, 4, 5, 6, 7, 11)]
    skipped = {s["line"]: s["reason"] for s in imported["skipped"]}
    assert skipped[9] == "closed" and skipped[13] == "closed"
    assert "Higher education" in skipped[11]
    assert "Other independent school" in skipped[10]
    assert len(skipped) == 4


def test_types_and_phases_map_onto_setting_types(by_urn: dict[str, Any]) -> None:
    assert {urn: s["setting_type"] for urn, s in by_urn.items()} == {
        "100001": "primary",  # voluntary aided, phase primary
        "100002": "secondary",  # academy sponsor led, phase secondary
        "100003": "special",  # community special school
        "100004": "pru_ap",  # pupil referral unit
        "100005": "early_years",  # LA nursery school
        "100006": "post16",  # further education
        "100007": "all_through",  # academy converter, phase all-through
        "100011": "secondary",  # open, but proposed to close: still open
    }


def test_names_addresses_and_counts_are_read(by_urn: dict[str, Any]) -> None:
    school = by_urn["100001"]
    assert school["name"] == "St Mary’s Church of England Primary School"  # cp1252 quote
    assert school["address"] == "1 Strand, London"
    assert school["postcode"] == "WC2N 5DN"
    assert (school["pupils"], school["ehc_plans"], school["sen_support"]) == (210, 4, 31)
    assert by_urn["100002"]["address"] == "Harrow Road, Maida Vale, London"
    assert by_urn["100006"]["ehc_plans"] == 0  # blank counts are zero, not an error


def test_easting_and_northing_become_latitude_and_longitude(by_urn: dict[str, Any]) -> None:
    # 530034, 180381 is Charing Cross, the conventional centre of London
    charing_cross = by_urn["100001"]
    assert charing_cross["latitude"] == pytest.approx(51.5074, abs=0.0005)
    assert charing_cross["longitude"] == pytest.approx(-0.1277, abs=0.0005)


def test_importing_the_same_extract_again_changes_nothing(
    client: TestClient, area_url: str, imported: dict[str, Any]
) -> None:
    again = import_gias(client, area_url, EXTRACT).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 8)


def test_a_newer_extract_updates_by_urn_and_keeps_local_edits_gias_lacks(
    client: TestClient, area_url: str, by_urn: dict[str, Any]
) -> None:
    school = by_urn["100003"]
    client.patch(f"{area_url}/settings/{school['id']}", json={"opens": "09:15:00"})
    newer = EXTRACT.replace(b"Oakwood School", b"Oakwood Academy")
    report = import_gias(client, area_url, newer).json()
    assert (report["created"], report["updated"]) == (0, 1)
    refreshed = client.get(f"{area_url}/settings/{school['id']}").json()
    assert refreshed["name"] == "Oakwood Academy"
    assert refreshed["opens"] == "09:15:00"


def test_a_bad_grid_reference_lists_the_row_and_imports_nothing(
    client: TestClient, area_url: str, session: Session
) -> None:
    broken = EXTRACT.replace(b"525800,182200", b"9525800,182200").replace(
        b",95,92,2,", b",lots,92,2,"
    )
    body = problem(import_gias(client, area_url, broken), 422)
    assert {(e["line"], e["field"]) for e in body["errors"]} == {
        (3, "Easting/Northing"),
        (4, "pupils"),
    }
    assert session.exec(select(func.count()).select_from(Setting)).one() == 0


def test_a_file_that_is_not_a_gias_extract_is_refused_naming_what_it_lacks(
    client: TestClient, area_url: str, session: Session
) -> None:
    people = b"name,email,kind\nAda Lovelace,ada@example.org,staff\n"
    body = problem(import_gias(client, area_url, people), 422)
    [error] = body["errors"]
    assert error["field"] == "file" and "URN" in error["reason"]
    assert session.exec(select(func.count()).select_from(Setting)).one() == 0


def test_an_extract_with_type_codes_alone_imports_as_the_full_one(
    client: TestClient, area_url: str, by_urn: dict[str, Any]
) -> None:
    header, _, rest = EXTRACT.partition(b"\n")
    columns = header.split(b",")
    dropped = columns.index(b"TypeOfEstablishment (name)")
    lines = [line.split(b",") for line in rest.splitlines()]
    # No cell before the dropped column holds a comma in this extract.
    trimmed = [b",".join(c[:dropped] + c[dropped + 1 :]) for c in [columns, *lines]]
    response = import_gias(client, area_url, b"\n".join(trimmed) + b"\n")
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 0  # the same settings, read by their type codes


def test_grid_references_outside_great_britain_are_refused() -> None:
    with pytest.raises(ValueError, match="outside Great Britain"):
        grid_to_latlon(-5, 100)


@pytest.mark.parametrize(
    ("code", "name", "phase", "expected"),
    [
        ("7", "Community special school", "Not applicable", "special"),
        ("44", "Academy special converter", "Not applicable", "special"),
        ("38", "Free schools alternative provision", "Not applicable", "pru_ap"),
        ("14", "Pupil referral unit", "Secondary", "pru_ap"),
        ("45", "Academy 16-19 converter", "16 plus", "post16"),
        ("15", "Local authority nursery school", "Nursery", "early_years"),
        ("1", "Community school", "Primary", "primary"),
        ("2", "Voluntary aided school", "Middle deemed secondary", "secondary"),
        ("34", "Academy converter", "All-through", "all_through"),
        ("", "Academy special sponsor led", "", "special"),  # no code column: by name
    ],
)
def test_setting_type_by_code_then_name_then_phase(
    code: str, name: str, phase: str, expected: str
) -> None:
    assert setting_type(code, name, phase) == expected
