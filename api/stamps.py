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

import asyncio
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

Stamp = tuple[str, ...]
"""As text, so that the same state reads the same through either driver (int or Decimal sums)."""


@cache
def stamp_query(model: Any) -> Any:
    """The stamp statement of one table, with the area as the parameter ``area``."""
    return select(
        func.count(), func.max(model.updated_at), func.sum(model.version), func.max(model.id)
    ).where(model.local_area_id == bindparam("area"))


def as_stamp(values: Any) -> Stamp:
    return tuple(str(value) for value in values)


@cache
def _server_sql(model: Any, dialect: Dialect) -> str:
    return str(stamp_query(model).compile(dialect=dialect))


def read_stamp(session: Session, model: Any, area_id: int) -> Stamp:
    """The stamp, read on the session's connection (and in its transaction, if it has one)."""
    return as_stamp(session.connection().execute(stamp_query(model), {"area": area_id}).one())


class StampReader:
    """Reads stamps where it is cheapest (see the module's docstring).

    A pool belongs to the event loop that opened it (a server process has one; tests may
    run several apps' lifespans at once, each in its own loop).
    """

    def __init__(self, wait_s: float = 3.0) -> None:
        # How long a read waits for a connection before answering 503: a stamp read takes
        # well under a millisecond, so seconds of waiting mean the database is away.
        self._wait_s = wait_s
        self._pools: dict[asyncio.AbstractEventLoop, tuple[AsyncConnectionPool, Dialect]] = {}

    async def open(self, engine: Engine) -> None:
        """Open this loop's pool for a PostgreSQL engine (psycopg); a no-op elsewhere.

        Opened without waiting for its first connection: a stamp read waits for one, then
        answers 503. The connection parameters are the engine's own, as its dialect passes
        them to psycopg (a URL rendered back to text would lose escaping, e.g. of spaces).
        """
        await self.close()
        url = engine.url
        if url.get_backend_name() != "postgresql" or url.get_driver_name() != "psycopg":
            return
        _, params = engine.dialect.create_connect_args(url)
        params.pop("context", None)  # SQLAlchemy's type adapters, for its own connections
        pool = AsyncConnectionPool(
            min_size=1,
            max_size=STAMP_CONNECTIONS,
            kwargs={**params, "autocommit": True},
            timeout=self._wait_s,
            open=False,
        )
        await pool.open(wait=False)
        self._pools[asyncio.get_running_loop()] = (pool, engine.dialect)

    async def close(self) -> None:
        """Close this loop's pool, if it has one."""
        opened = self._pools.pop(asyncio.get_running_loop(), None)
        if opened is not None:
            await opened[0].close()

    async def read(self, session: Session, model: Any, area_id: int) -> Stamp:
        if runs_on_loop(session.get_bind().engine):
            return read_stamp(session, model, area_id)
        opened = self._pools.get(asyncio.get_running_loop())
        if opened is None:
            return await run_in_threadpool(read_stamp, session, model, area_id)
        pool, dialect = opened
        sql = _server_sql(model, dialect)
        try:
            return await _fetch(pool, sql, area_id)
        except PoolTimeout as error:  # no connection within wait_s: do not wait twice
            raise ServiceUnavailable("the database is unavailable") from error
        except psycopg.OperationalError:
            # The server dropped a connection (a restart, say): the pool leaves that one
            # out, checks the others it holds, and the read, safe to repeat, runs again.
            try:
                await pool.check()
                return await _fetch(pool, sql, area_id)
            except psycopg.OperationalError as error:  # PoolTimeout included
                raise ServiceUnavailable("the database is unavailable") from error


async def _fetch(pool: AsyncConnectionPool, sql: str, area_id: int) -> Stamp:
    async with pool.connection() as connection:
        cursor = await connection.execute(sql, {"area": area_id}, prepare=True)
        row = await cursor.fetchone()
    assert row is not None  # an aggregate always answers one row
    return as_stamp(row)
