"""Migrations build the schema the models describe, on an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table, as alembic/env.py does)
from api.database import make_engine, migrate


def test_upgrade_head_on_an_empty_sqlite_file_creates_every_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate(url)
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"localarea", "organisation", "person", "venue", "setting", "inspection"} <= tables
    assert {"meetingrequest", "visitcandidate", "alembic_version"} <= tables


def test_upgrade_head_twice_is_harmless(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    migrate(url)
    migrate(url)


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    """The test database was built by `alembic upgrade head`; autogenerate must find nothing.

    The metadata is what Alembic's env.py sees: every table ``import models`` registers.
    """
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    if differences:
        pytest.fail(
            "models and migrations differ; add a migration (alembic revision --autogenerate):\n"
            + "\n".join(f"  {difference}" for difference in differences)
        )


def test_downgrade_to_base_and_upgrade_again_works(tmp_path: Path, database_url: str) -> None:
    """Every migration can be undone and redone (PostgreSQL keeps enum types unless dropped)."""
    from sqlalchemy import create_engine, make_url, text

    from alembic import command
    from api.database import alembic_config

    if database_url.startswith("postgresql"):
        base = make_url(database_url)
        name = f"{base.database}_roundtrip"
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    migrate(url)
    command.downgrade(alembic_config(url), "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    migrate(url)
    engine = make_engine(url)
    assert "person" in inspect(engine).get_table_names()
    engine.dispose()
