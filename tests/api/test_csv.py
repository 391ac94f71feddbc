"""CSV export and import of people, venues and settings: upsert by key, all or nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from models import Person, Setting, Venue
from tests.api.conftest import Factory, problem


def upload(client: TestClient, url: str, text: str | bytes) -> Any:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(url, files={"file": ("upload.csv", data, "text/csv")})


def imported(client: TestClient, url: str, text: str | bytes) -> dict[str, Any]:
    response = upload(client, url, text)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def as_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def count(session: Session, model: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


@pytest.fixture
def populated(factory: Factory) -> None:
    council = factory.organisation(name="Northbrook Council", kind="local_authority")
    factory.person(
        name="Aisha Khan",
        email="aisha.khan@northbrook.gov.uk",
        phone="01632 960001",
        organisation_id=council["id"],
        job_title="Head of SEND",
        themes=["ehc_planning", "inclusion"],
        max_meetings_per_day=4,
        needs_step_free=True,
        contact_verified_at="2026-11-02T10:15:00Z",
    )
    factory.inspector(name="Grace Turner", email="grace@inspection.example")
    factory.venue(
        name="Civic Centre, Room 2", address="1 High St", latitude=52.95123, longitude=-1.15
    )
    factory.venue(name="Library", step_free=False, capacity=8)
    factory.setting(urn="140001", name="Oakfield Primary", postcode="NB1 2HQ", pupils=320)
    factory.setting(
        urn="140002",
        name="Vale School",
        setting_type="special",
        opens="09:00:00",
        closes="15:00:00",
        ehc_plans=120,
    )


@pytest.mark.parametrize("kind", ["people", "venues", "settings"])
def test_exporting_then_importing_changes_nothing(
    client: TestClient, area_url: str, populated: None, kind: str
) -> None:
    before = client.get(f"{area_url}/{kind}").json()["items"]
    exported = client.get(f"{area_url}/{kind}.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]

    report = imported(client, f"{area_url}/{kind}/import", exported.text)

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert client.get(f"{area_url}/{kind}").json()["items"] == before


def test_the_people_export_names_the_organisation_and_joins_themes(
    client: TestClient, area_url: str, populated: None
) -> None:
    aisha = rows_of(client.get(f"{area_url}/people.csv").text)[0]
    assert aisha["organisation"] == "Northbrook Council"
    assert aisha["themes"] == "ehc_planning;inclusion"
    assert aisha["needs_step_free"] == "true"
    assert aisha["kind"] == "staff"


def test_editing_a_cell_updates_that_row_only(
    client: TestClient, area_url: str, populated: None
) -> None:
    rows = rows_of(client.get(f"{area_url}/people.csv").text)
    rows[0]["job_title"] = "Director of Education"
    rows[0]["themes"] = "inclusion"

    report = imported(client, f"{area_url}/people/import", as_csv(rows))

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    aisha = client.get(f"{area_url}/people", params={"q": "aisha"}).json()["items"][0]
    assert aisha["job_title"] == "Director of Education"
    assert aisha["themes"] == ["inclusion"]
    assert aisha["version"] == 2
    assert aisha["phone"] == "01632 960001"  # untouched cells stay


def test_a_new_key_creates_and_a_known_key_updates(
    client: TestClient, area_url: str, populated: None
) -> None:
    text = (
        "urn,name,setting_type,ehc_plans\r\n"
        "140002,Vale Special School,special,125\r\n"
        "140003,Brookside Nursery,early_years,2\r\n"
    )
    report = imported(client, f"{area_url}/settings/import", text)
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 1, 0)
    settings = {s["urn"]: s for s in client.get(f"{area_url}/settings").json()["items"]}
    assert settings["140002"]["name"] == "Vale Special School"
    assert settings["140002"]["opens"] == "09:00:00"  # a column the file lacks is kept
    assert settings["140003"]["setting_type"] == "early_years"


def test_people_are_matched_by_email_whatever_its_case(
    client: TestClient, area_url: str, populated: None
) -> None:
    text = "email,name,job_title\r\nAISHA.KHAN@Northbrook.gov.uk,Aisha Khan,Director\r\n"
    report = imported(client, f"{area_url}/people/import", text)
    assert (report["created"], report["updated"]) == (0, 1)
    assert client.get(f"{area_url}/people").json()["total"] == 2


def test_venues_are_matched_by_name(client: TestClient, area_url: str, populated: None) -> None:
    report = imported(client, f"{area_url}/venues/import", "name,capacity\r\nLibrary,9\r\n")
    assert (report["created"], report["updated"]) == (0, 1)
    venues = client.get(f"{area_url}/venues", params={"q": "library"}).json()["items"]
    assert venues[0]["capacity"] == 9 and venues[0]["step_free"] is False


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_written(
    client: TestClient, area_url: str, populated: None, session: Session
) -> None:
    text = (
        "email,name,organisation,kind,max_meetings_per_day\r\n"
        "new.person@example.org,New Person,Northbrook Council,staff,2\r\n"  # line 2: fine
        "not-an-email,Bad Email,,staff,\r\n"  # line 3
        "x@example.org,No Such Org,Nowhere Trust,staff,\r\n"  # line 4
        "y@example.org,,,wizard,-3\r\n"  # line 5: three bad cells
        "aisha.khan@northbrook.gov.uk,Aisha Khan,,staff,99\r\n"  # line 6: bad update
    )
    before = count(session, Person)

    body = problem(upload(client, f"{area_url}/people/import", text), 422)

    by_line: dict[int, set[str]] = {}
    for error in body["errors"]:
        assert error["reason"]
        by_line.setdefault(error["line"], set()).add(error["field"])
    assert by_line == {
        3: {"email"},
        4: {"organisation"},
        5: {"name", "kind", "max_meetings_per_day"},
        6: {"max_meetings_per_day"},
    }
    assert "nothing was imported" in body["detail"]
    assert count(session, Person) == before
    assert client.get(f"{area_url}/people", params={"q": "new.person"}).json()["total"] == 0


def test_a_bad_row_blocks_the_good_updates_too(
    client: TestClient, area_url: str, populated: None
) -> None:
    text = "urn,name,setting_type\r\n140001,Renamed Primary,primary\r\n140009,Broken,castle\r\n"
    body = problem(upload(client, f"{area_url}/settings/import", text), 422)
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(3, "setting_type")]
    names = {s["name"] for s in client.get(f"{area_url}/settings").json()["items"]}
    assert "Oakfield Primary" in names and "Renamed Primary" not in names


def test_a_key_twice_in_one_file_is_refused_naming_both_lines(
    client: TestClient, area_url: str, session: Session
) -> None:
    text = "name,capacity\r\nHall,10\r\nRoom 1,4\r\nHall,12\r\n"
    body = problem(upload(client, f"{area_url}/venues/import", text), 422)
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(4, "name")]
    assert "line 2" in body["errors"][0]["reason"]
    assert count(session, Venue) == 0


def test_emails_differing_only_in_case_are_the_same_key(client: TestClient, area_url: str) -> None:
    text = "email,name\r\nsam@example.org,Sam\r\nSAM@example.org,Sam again\r\n"
    body = problem(upload(client, f"{area_url}/people/import", text), 422)
    assert [e["line"] for e in body["errors"]] == [3]


def test_unknown_columns_are_named_once_and_nothing_is_written(
    client: TestClient, area_url: str, session: Session
) -> None:
    text = (
        "urn,name,setting_type,headteacher,ofsted\r\n1,A,primary,X,Good\r\n2,B,primary,Y,Good\r\n"
    )
    body = problem(upload(client, f"{area_url}/settings/import", text), 422)
    assert sorted((e["line"], e["field"]) for e in body["errors"]) == [
        (1, "headteacher"),
        (1, "ofsted"),
    ]
    assert count(session, Setting) == 0


def test_a_file_without_the_key_column_is_refused(client: TestClient, area_url: str) -> None:
    body = problem(upload(client, f"{area_url}/people/import", "name\r\nSam\r\n"), 422)
    assert "email" in body["detail"]


def test_windows_1252_from_excel_is_read(client: TestClient, area_url: str) -> None:
    text = "name,address\r\nCafé Room,St Mary’s Street\r\n"
    report = imported(client, f"{area_url}/venues/import", text.encode("cp1252"))
    assert report["created"] == 1
    venue = client.get(f"{area_url}/venues").json()["items"][0]
    assert venue["name"] == "Café Room"
    assert venue["address"] == "St Mary’s Street"


def test_utf8_with_a_byte_order_mark_is_read(client: TestClient, area_url: str) -> None:
    text = "\ufeffname,capacity\r\nSalle Renée,5\r\n"
    imported(client, f"{area_url}/venues/import", text)
    assert client.get(f"{area_url}/venues").json()["items"][0]["name"] == "Salle Renée"


def test_blank_lines_are_ignored_and_line_numbers_stay_true(
    client: TestClient, area_url: str
) -> None:
    text = "name,capacity\r\nHall,10\r\n\r\n,,\r\nRoom,zero\r\n"
    body = problem(upload(client, f"{area_url}/venues/import", text), 422)
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(5, "capacity")]


def test_an_import_reaches_only_its_own_area(
    client: TestClient, area_url: str, other_area_url: str, factory: Factory
) -> None:
    factory.venue(name="Hall", capacity=10)
    report = imported(client, f"{other_area_url}/venues/import", "name,capacity\r\nHall,50\r\n")
    assert report["created"] == 1
    assert client.get(f"{area_url}/venues").json()["items"][0]["capacity"] == 10


def test_a_cell_that_looks_like_a_formula_is_quoted_on_export_and_read_back_as_typed(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    factory.venue(name='=HYPERLINK("http://evil.example")', latitude=52.9, longitude=-1.2)
    exported = client.get(f"{area_url}/venues.csv").text
    row = rows_of(exported)[0]
    assert row["name"].startswith("'=")  # a spreadsheet shows it as text, never runs it
    assert row["longitude"] == "-1.2"  # numbers are left alone
    report = imported(client, f"{area_url}/venues/import", exported)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 1)


def test_a_file_over_the_size_limit_is_refused_with_413(client: TestClient, area_url: str) -> None:
    body = problem(upload(client, f"{area_url}/people/import", b"x" * 5_100_000), 413)
    assert "larger than" in body["detail"]
