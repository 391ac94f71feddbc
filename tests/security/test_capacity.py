"""A burst of requests larger than the connection pool is served, not stuck on the pool."""

from __future__ import annotations

import asyncio

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from tests.conftest import OPERATOR_TOKEN


def test_a_burst_larger_than_the_pool_gets_answers_with_a_single_worker_thread(
    settings: Settings, engine: Engine, client: TestClient, area_url: str
) -> None:
    # One thread and many requests each holding a connection between thread hops is how a
    # pool runs dry; admitting only as many requests as the pool can serve prevents it.
    client.post(f"{area_url}/people", json={"name": "Ada Lovelace", "email": "ada@example.org"})
    app = create_app(settings.model_copy(update={"worker_threads": 1}))
    app.state.engine = engine
    burst = 3 * (engine.pool.size() + 20)  # type: ignore[attr-defined]  # a QueuePool

    async def fire() -> list[int]:
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://test",
                headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"},
                timeout=60,
            ) as http:
                answers = await asyncio.gather(
                    *(http.get(f"{area_url}/people") for _ in range(burst))
                )
        return [answer.status_code for answer in answers]

    assert asyncio.run(fire()) == [200] * burst
