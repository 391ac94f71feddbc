"""How much the server does at once: threads for blocking work and requests in flight.

Two limits keep a busy server fast rather than stuck:

- Threads. SQLite's driver releases the GIL for every row it steps through, so many threads
  reading at once spend their time handing the GIL around: on 2 cores, 40 threads made a
  page of 50 people about ten times dearer than 4 did. SQLite gets 4 threads; server
  databases keep anyio's 40 (their drivers fetch a whole result in one go).
- Requests in flight. A request holds its database connection from its first query to its
  end, across thread hops. Admitting at most half as many requests as the pool has
  connections (a request and its audit record use two) means a thread never waits for a
  connection held by a request parked between hops, which is how a pool runs dry.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import anyio.to_thread
from sqlalchemy import Engine
from starlette.types import ASGIApp, Receive, Scope, Send


@dataclass(frozen=True)
class PoolSize:
    size: int
    overflow: int

    @property
    def connections(self) -> int:
        return self.size + self.overflow


SQLITE_POOL = PoolSize(size=40, overflow=10)
SERVER_POOL = PoolSize(size=20, overflow=20)
SQLITE_THREADS = 4
SERVER_THREADS = 40


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def runs_on_loop(engine: Engine) -> bool:
    """Whether the engine's reads run on the event loop rather than in the threadpool.

    A read on SQLite in WAL mode never waits for a lock: it is CPU work on local pages, like
    building the JSON after it, so doing it on the loop saves a thread hop and the GIL
    handovers between threads its driver makes for every row. On a server database a read
    is a network round trip, which must not block the loop.
    """
    return is_sqlite(engine.url.drivername)


def pool_for(url: str) -> PoolSize:
    return SQLITE_POOL if is_sqlite(url) else SERVER_POOL


def worker_threads(url: str, configured: int | None) -> int:
    if configured is not None:
        return configured
    return SQLITE_THREADS if is_sqlite(url) else SERVER_THREADS


def max_in_flight(url: str) -> int:
    return pool_for(url).connections // 2


def apply_worker_threads(count: int) -> None:
    """Size the threadpool of the running event loop (sync routes and run_in_threadpool)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = count


class InFlightLimit:
    """Let at most ``limit`` HTTP requests run at once; the rest wait their turn, holding
    nothing (plain ASGI, so the wait costs no thread)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # created in the server's event loop, on first use
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
