"""The change stamp of one table's rows in one local area, and where it is read.

A list read asks the database only for this before answering from memory (see
crud.list_response): the rows' count, latest change, sum of versions and highest id, which
move with every insert, update and delete (the way Rails keys collection caches). It
covers the area's whole table, not only the rows a filter keeps: a change anywhere in the
table rebuilds a filtered page too, but the statement is one per table, prepared once,
with the area as its only parameter.

Where it runs:
- SQLite: on the event loop, on the request's session (see capacity.runs_on_loop).
- PostgreSQL: on the event loop too, through psycopg's asyncio driver and a small pool of
  its own in autocommit. Through SQLAlchemy in the threadpool the same query cost about
  five times the server's CPU (thread hop, ORM session, pool checkout, BEGIN and ROLLBACK
  round trips), which held list reads to a sixth of a bare endpoint's throughput.
- Anywhere else, or before the app's lifespan has opened the pool: in the threadpool.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import Dialect, Engine, bindparam, func, select
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.capacity import runs_on_loop
from api.problems import ServiceUnavailable

STAMP_CONNECTIONS = 5
"""A stamp read takes well under a millisecond: five serve thousands a second, and keep a
server process within forty-five connections with its main pool (see capacity)."""

Stamp = tuple[Any, ...]


@cache
def stamp_query(model: Any) -> Any:
    """The stamp statement of one table, with the area as the parameter ``area``."""
    return select(
        func.count(), func.max(model.updated_at), func.sum(model.version), func.max(model.id)
    ).where(model.local_area_id == bindparam("area"))


@cache
def _server_sql(model: Any, dialect: Dialect) -> str:
    return str(stamp_query(model).compile(dialect=dialect))


def _read_on(session: Session, model: Any, area_id: int) -> Stamp:
    return tuple(session.connection().execute(stamp_query(model), {"area": area_id}).one())


class StampReader:
    """Reads stamps where it is cheapest (see the module's docstring)."""

    def __init__(self, wait_s: float = 10.0) -> None:
        self._wait_s = wait_s  # for a connection, before answering 503
        self._pool: AsyncConnectionPool | None = None
        self._dialect: Dialect | None = None

    async def open(self, engine: Engine) -> None:
        """Open the pool for a PostgreSQL engine (psycopg); a no-op elsewhere.

        Opened without waiting: the app starts while the database is down and a stamp
        read waits for a connection, then answers 503.
        """
        url = engine.url
        if url.get_backend_name() != "postgresql" or url.get_driver_name() != "psycopg":
            return
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._dialect = engine.dialect
        self._pool = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=STAMP_CONNECTIONS,
            kwargs={"autocommit": True},
            timeout=self._wait_s,
            open=False,
        )
        await self._pool.open(wait=False)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def read(self, session: Session, model: Any, area_id: int) -> Stamp:
        if runs_on_loop(session.get_bind().engine):
            return _read_on(session, model, area_id)
        if self._pool is None or self._dialect is None:
            return await run_in_threadpool(_read_on, session, model, area_id)
        sql = _server_sql(model, self._dialect)
        try:
            return await self._fetch(sql, area_id)
        except psycopg.OperationalError:
            # The server dropped a connection (a restart, say): the pool leaves that one
            # out, checks the others it holds, and the read, safe to repeat, runs again.
            try:
                await self._pool.check()
                return await self._fetch(sql, area_id)
            except (psycopg.OperationalError, PoolTimeout) as error:
                raise ServiceUnavailable("the database is unavailable") from error
        except PoolTimeout as error:
            raise ServiceUnavailable("the database is unavailable") from error

    async def _fetch(self, sql: str, area_id: int) -> Stamp:
        assert self._pool is not None
        async with self._pool.connection() as connection:
            cursor = await connection.execute(sql, {"area": area_id}, prepare=True)
            row = await cursor.fetchone()
        assert row is not None  # an aggregate always answers one row
        return tuple(row)
