"""List pages carry an ETag, answer 304 to it, and never serve a page a change made stale."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api import crud
from api.app import create_app
from api.settings import Settings
from models.person import Person
from tests.api.conftest import Factory
from tests.conftest import OPERATOR_TOKEN


def names(client: TestClient, url: str, **params: str) -> list[str]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def test_a_list_answers_304_to_its_own_etag_and_200_after_a_change(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    person = factory.person(name="Ada")
    url = f"{area_url}/people"
    first = client.get(url)
    tag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag and not again.content

    client.patch(f"{url}/{person['id']}", json={"name": "Ada Lovelace"})
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert [p["name"] for p in changed.json()["items"]] == ["Ada Lovelace"]


def test_every_kind_of_change_shows_in_the_next_read(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    url = f"{area_url}/people"
    ada = factory.person(name="Ada")
    factory.person(name="Grace")
    assert names(client, url) == ["Ada", "Grace"]
    client.patch(f"{url}/{ada['id']}", json={"job_title": "Head of SEND"})
    assert client.get(url).json()["items"][0]["job_title"] == "Head of SEND"
    assert client.delete(f"{url}/{ada['id']}").status_code == 204
    assert names(client, url) == ["Grace"]
    factory.person(name="Hana")
    assert names(client, url) == ["Grace", "Hana"]
    assert client.get(url).json()["total"] == 2


def test_a_row_leaving_or_joining_a_filter_changes_the_filtered_page(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    url = f"{area_url}/people"
    grace = factory.inspector(name="Grace")
    factory.inspector(name="Hana")
    assert names(client, url, kind="inspector") == ["Grace", "Hana"]
    client.patch(f"{url}/{grace['id']}", json={"kind": "staff", "inspector_body": None})
    assert names(client, url, kind="inspector") == ["Hana"]
    assert names(client, url, kind="staff") == ["Grace"]
    assert names(client, url, q="gra") == ["Grace"]


def test_pages_and_areas_are_kept_apart(
    client: TestClient, area_url: str, factory: Factory
) -> None:
    for n in range(3):
        factory.person(name=f"Person {n}")
    url = f"{area_url}/people"
    assert names(client, url, limit="2") == ["Person 0", "Person 1"]
    assert names(client, url, limit="2", offset="2") == ["Person 2"]
    other = client.post("/api/v1/areas", json={"name": "Elsewhere", "code": "elsewhere"}).json()
    assert names(client, f"/api/v1/areas/{other['id']}/people") == []


def test_a_change_made_through_another_server_process_shows_in_the_next_read(
    client: TestClient, settings: Settings, engine: Engine, area_url: str, factory: Factory
) -> None:
    """Two workers share the database, not their memory: each read asks the database."""
    url = f"{area_url}/people"
    ada = factory.person(name="Ada")
    assert names(client, url) == ["Ada"]  # the page is in this process's memory now
    other = create_app(settings)
    other.state.engine = engine
    with TestClient(other, headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}) as second:
        assert second.patch(f"{url}/{ada['id']}", json={"name": "Ada L"}).status_code == 200
        assert names(client, url) == ["Ada L"]
        assert second.delete(f"{url}/{ada['id']}").status_code == 204
        assert names(client, url) == []


def test_a_page_built_across_a_change_is_not_served_once_the_change_is_undone(
    client: TestClient,
    engine: Engine,
    area: dict[str, Any],
    area_url: str,
    factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Someone adds a person just as a page is built, then deletes them: the table's stamp
    is back where it was, and the page showing that person must not come back with it."""
    url = f"{area_url}/people"
    factory.person(name="Ada")
    build = crud._page_body

    def build_just_after_a_change(session: Session, *args: Any) -> Any:
        monkeypatch.setattr(crud, "_page_body", build)
        with Session(engine) as other:
            other.add(Person(local_area_id=area["id"], name="Grace", email="g@example.org"))
            other.commit()
        return build(session, *args)

    monkeypatch.setattr(crud, "_page_body", build_just_after_a_change)
    listed = client.get(url).json()["items"]
    assert [p["name"] for p in listed] == ["Ada", "Grace"]
    assert client.delete(f"{url}/{listed[1]['id']}").status_code == 204
    assert names(client, url) == ["Ada"]
