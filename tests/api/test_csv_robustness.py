"""CSV imports refuse files they cannot read faithfully, and an export imports back unchanged.

A broken file is a 422 naming the line and the reason (never a 500, never a silently
mangled import), blank cells leave fields alone, and keys and organisation names are matched
the way the API compares them: ignoring case and surrounding spaces.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from models import Person, Setting, Venue
from models.organisation import Organisation, OrganisationKind
from models.person import PersonKind
from models.setting import SettingType
from tests.api.conftest import Factory, problem


def upload(client: TestClient, url: str, data: str | bytes) -> Any:
    body = data.encode("utf-8") if isinstance(data, str) else data
    return client.post(url, files={"file": ("upload.csv", body, "text/csv")})


def report_of(response: Any) -> tuple[int, int, int]:
    assert response.status_code == 200, response.text
    body = response.json()
    return body["created"], body["updated"], body["unchanged"]


def venue_names(session: Session) -> list[str]:
    return sorted(session.exec(select(Venue.name)).all())


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_a_422_naming_the_file(
    client: TestClient, area_url: str, session: Session
) -> None:
    data = b"name,capacity\nNew Hall A,10\x81\n"  # 0x81 is unassigned in Windows-1252 too
    body = problem(upload(client, f"{area_url}/venues/import", data), 422)
    assert [e["field"] for e in body["errors"]] == ["file"]
    assert "UTF-8" in body["errors"][0]["reason"]
    assert "Windows-1252" in body["errors"][0]["reason"]
    assert venue_names(session) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # A cell over the csv module's field limit (a 500 before).
        ("name,address\nHall,1 High St\nX," + "x" * 200_000 + "\n", "longer than"),
        # Without the check the quote swallows the rest of the file into one venue's name.
        ('name,capacity\nHall,10\n"unterminated,10\nRoom 1,4\n', "quote"),
        # Line 4's extra cells are empty, so nothing would be lost: only line 3 is refused.
        ("name,capacity\nHall,10\nNew Hall A,10,extra,cells\nRoom 1,4,,\n", "more cells"),
    ],
    ids=["cell over the field limit", "unterminated quote", "more cells than columns"],
)
def test_a_malformed_line_is_refused_naming_it_and_nothing_is_imported(
    client: TestClient, area_url: str, session: Session, text: str, words: str
) -> None:
    body = problem(upload(client, f"{area_url}/venues/import", text), 422)
    assert [e["line"] for e in body["errors"]] == [3]
    assert words in body["errors"][0]["reason"]
    assert venue_names(session) == []


def test_a_column_named_twice_in_the_header_is_refused_naming_it(
    client: TestClient, area_url: str, session: Session
) -> None:
    text = "name,capacity,name\nNew Hall A,10,New Hall B\n"
    body = problem(upload(client, f"{area_url}/venues/import", text), 422)
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(1, "name")]
    assert "twice" in body["errors"][0]["reason"]
    assert venue_names(session) == []


def test_blank_cells_leave_every_field_unchanged_lists_and_organisation_included(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    council = factory.organisation(name="Northbrook Council", kind="local_authority")
    person = factory.person(
        email="aisha.khan@northbrook.gov.uk",
        phone="01632 960001",
        themes=["ehc_planning", "inclusion"],
        job_title="Head of SEND",
        organisation_id=council["id"],
    )
    text = "email,phone,themes,job_title,organisation\naisha.khan@northbrook.gov.uk,,,,\n"

    assert report_of(upload(client, f"{area_url}/people/import", text)) == (0, 0, 1)

    after = client.get(f"{area_url}/people/{person['id']}").json()
    assert after["phone"] == "01632 960001"
    assert after["themes"] == ["ehc_planning", "inclusion"]
    assert after["job_title"] == "Head of SEND"
    assert after["organisation_id"] == council["id"]


def test_keys_and_organisation_names_match_ignoring_case_and_surrounding_spaces(
    client: TestClient, area_url: str, factory: Factory, session: Session, area: dict[str, Any]
) -> None:
    council = factory.organisation(name="Northbrook Council", kind="local_authority")
    factory.person(email="sam@example.org", name="Sam")
    session.add(Venue(local_area_id=area["id"], name="Trailing Hall ", capacity=10))
    session.commit()

    venues = "name,capacity\r\n  TRAILING HALL ,12\r\n"
    assert report_of(upload(client, f"{area_url}/venues/import", venues)) == (0, 1, 0)
    assert session.exec(select(func.count()).select_from(Venue)).one() == 1

    people = "email,organisation\r\nsam@example.org,  northbrook COUNCIL \r\n"
    assert report_of(upload(client, f"{area_url}/people/import", people)) == (0, 1, 0)
    sam = client.get(f"{area_url}/people", params={"q": "sam"}).json()["items"][0]
    assert sam["organisation_id"] == council["id"]


def test_a_key_that_matches_two_rows_differing_only_in_case_is_refused(
    client: TestClient, area_url: str, session: Session, area: dict[str, Any]
) -> None:
    for name in ("New Hall A", "new hall a"):  # from before names were unique whatever the case
        session.add(Venue(local_area_id=area["id"], name=name, capacity=10))
    session.commit()
    body = problem(
        upload(client, f"{area_url}/venues/import", "name,capacity\nNEW HALL A,5\n"), 422
    )
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(2, "name")]
    assert "'New Hall A'" in body["errors"][0]["reason"]
    assert "'new hall a'" in body["errors"][0]["reason"]


@pytest.fixture
def awkward_rows(session: Session, area: dict[str, Any]) -> None:
    """Rows stored before names were trimmed and unique whatever their case.

    Written straight to the database: the API may no longer accept them, but areas hold them.
    """
    area_id = area["id"]
    spaced = Organisation(
        local_area_id=area_id, name="Northbrook Council ", kind=OrganisationKind.LOCAL_AUTHORITY
    )
    trimmed = Organisation(
        local_area_id=area_id, name="Northbrook Council", kind=OrganisationKind.OTHER
    )
    session.add_all([spaced, trimmed])
    session.flush()
    session.add_all(
        [
            Venue(local_area_id=area_id, name="New Hall A", capacity=10),
            Venue(local_area_id=area_id, name="new hall a", capacity=20),
            Venue(local_area_id=area_id, name="Trailing Hall ", address="1 High St "),
            Person(
                local_area_id=area_id,
                name="Aisha Khan ",
                email="aisha@example.org",
                organisation_id=spaced.id,
                kind=PersonKind.STAFF,
            ),
            Person(
                local_area_id=area_id,
                name="Ben Ode",
                email="Ben@example.org",
                organisation_id=trimmed.id,
                kind=PersonKind.STAFF,
            ),
            Person(
                local_area_id=area_id,
                name="Ben Ode (other)",
                email="ben@example.org",
                kind=PersonKind.STAFF,
            ),
            Setting(
                local_area_id=area_id,
                urn="140001",
                name="Oakfield Primary ",
                setting_type=SettingType.PRIMARY,
            ),
            Setting(
                local_area_id=area_id, urn="140002", name="Vale", setting_type=SettingType.SPECIAL
            ),
        ]
    )
    session.commit()


@pytest.mark.parametrize("kind", ["people", "venues", "settings"])
def test_an_export_of_awkward_rows_imports_back_with_nothing_created_or_changed(
    client: TestClient, area_url: str, awkward_rows: None, kind: str
) -> None:
    before = client.get(f"{area_url}/{kind}").json()["items"]
    exported = client.get(f"{area_url}/{kind}.csv")
    assert exported.status_code == 200

    created, updated, unchanged = report_of(
        upload(client, f"{area_url}/{kind}/import", exported.text)
    )

    assert (created, updated, unchanged) == (0, 0, len(before))
    assert client.get(f"{area_url}/{kind}").json()["items"] == before
