"""When the database is unreachable or drops connections: 503 problem+json, never a 500,
and reads that recover by themselves once it is back."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, text
from sqlmodel import Session

from api.database import make_engine
from api.problems import ServiceUnavailable
from api.stamps import StampReader
from models.person import Person
from tests.api.conftest import Factory, problem


@pytest.fixture
def unreachable(database_url: str, tmp_path: Path) -> Engine:
    """An engine for a database that cannot be reached (nothing listens / no such folder)."""
    if database_url.startswith("sqlite"):
        return make_engine(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'x.db'}")
    return make_engine(make_url(database_url).set(port=1).render_as_string(hide_password=False))


def test_writes_and_reads_answer_503_while_the_database_is_unreachable(
    app: FastAPI, client: TestClient, area_url: str, factory: Factory, unreachable: Engine
) -> None:
    ada = factory.person(name="Ada")
    working = app.state.engine
    app.state.engine = unreachable
    try:
        body = problem(
            client.post(f"{area_url}/people", json={"name": "Grace", "email": "grace@example.org"}),
            503,
        )
        assert "database is unavailable" in body["detail"]
        problem(client.get(f"{area_url}/people/{ada['id']}"), 503)
        problem(client.get(f"{area_url}/people", params={"q": "never listed"}), 503)
    finally:
        app.state.engine = working
    listed = client.get(f"{area_url}/people").json()["items"]
    assert [p["name"] for p in listed] == ["Ada"]  # nothing half-written


def test_a_stamp_read_answers_503_when_no_connection_can_be_had(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the stamp pool is PostgreSQL's")
    engine = make_engine(make_url(database_url).set(port=1).render_as_string(hide_password=False))

    async def read() -> None:
        reader = StampReader(wait_s=1.0)
        await reader.open(engine)
        try:
            await reader.read(Session(engine), Person, 1)
        finally:
            await reader.close()

    started = time.perf_counter()
    with pytest.raises(ServiceUnavailable):
        asyncio.run(read())
    assert time.perf_counter() - started < 1.8  # waited once for a connection, not twice


def test_list_reads_recover_when_the_server_drops_every_connection(
    client: TestClient, area_url: str, factory: Factory, engine: Engine
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop connections")
    factory.person(name="Ada")
    url = f"{area_url}/people"
    assert client.get(url).status_code == 200  # the pools hold connections now
    with engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    factory.person(name="Grace")
    assert [p["name"] for p in client.get(url).json()["items"]] == ["Ada", "Grace"]
