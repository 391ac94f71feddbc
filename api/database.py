"""Engine, sessions and migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic.config import Config
from pydantic_core import from_json
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from alembic import command
from api.capacity import is_sqlite, pool_for

ROOT = Path(__file__).resolve().parent.parent


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys on and a busy timeout for several writers.

    JSON columns (lists of themes, periods, hours) are read with pydantic-core's parser:
    lists read dozens of them per page, and the standard library's took a quarter of it.
    """
    pool = pool_for(url)
    if is_sqlite(url):
        # A pool kept large: a new SQLite connection re-reads the schema on its first
        # statement, so connections are kept rather than opened per request.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool.size,
            max_overflow=pool.overflow,
            json_deserializer=from_json,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool.size,
        max_overflow=pool.overflow,
        json_deserializer=from_json,
    )


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["quiet"] = True
    return config


def migrate(url: str) -> None:
    """Bring the database to the newest schema; safe to run at every start."""
    command.upgrade(alembic_config(url), "head")


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
