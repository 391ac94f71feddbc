"""Shared fixtures: a real database migrated with Alembic, the app, and an HTTP client.

SQLite by default; set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test)
to run the same tests against PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, make_url, text
from sqlmodel import Session, SQLModel

from api.app import create_app
from api.auth import hash_token
from api.database import make_engine, migrate
from api.settings import Settings


def _worker_database(url: str, worker: str) -> str:
    """A fresh PostgreSQL database per xdist worker, so parallel workers never collide."""
    base = make_url(url)
    if worker == "master":
        name = base.database or "test"
    else:
        name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = _worker_database(url, worker_id)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts from empty tables (cheaper than migrating a new database)."""
    yield
    if "engine" not in request.fixturenames:
        return
    engine: Engine = request.getfixturevalue("engine")
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


OPERATOR_TOKEN = "iw_test-operator-token"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, operator_token_hash=hash_token(OPERATOR_TOKEN))


@pytest.fixture
def app(settings: Settings, engine: Engine) -> FastAPI:
    app = create_app(settings)
    app.state.engine = engine
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client acting as the deployment's operator (every area, every role)."""
    with TestClient(app, headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}) as client:
        yield client


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def area(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/v1/areas", json={"name": "Testshire", "code": "testshire"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def area_url(area: dict[str, Any]) -> str:
    return f"/api/v1/areas/{area['id']}"


FIXTURES = Path(__file__).parent / "fixtures"
