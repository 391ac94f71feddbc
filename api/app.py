"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import audit_log, openapi_doc, problems
from api.auth import Principal
from api.capacity import InFlightLimit, apply_worker_threads, max_in_flight, worker_threads
from api.database import make_engine
from api.deps import authorize
from api.jobs import JobRunner, fail_stale_jobs
from api.outbox import start_outbox_sender, stop_outbox_sender
from api.planners import PLANNERS
from api.recent import Lru, Recent
from api.routers import (
    audit,
    csv_io,
    education_settings,
    feeds,
    inspections,
    local_areas,
    meeting_requests,
    organisations,
    outbox,
    people,
    planning_settings,
    plans,
    readiness,
    replies,
    tokens,
    venues,
    visit_candidates,
)
from api.routing import include_flat
from api.settings import Settings, get_settings
from api.stamps import StampReader
from models.local_area import LocalArea

API_PREFIX = "/api/v1"
LIST_CACHE_PAGES = 512
RESOURCE_ROUTERS = (
    local_areas,
    organisations,
    people,
    csv_io,
    venues,
    education_settings,
    inspections,
    meeting_requests,
    visit_candidates,
    planning_settings,
    readiness,
    tokens,
    audit,
    outbox,
    feeds,
    replies,
)


health_router = APIRouter()


@health_router.get("/health", tags=["health"], name="health")
def health() -> dict[str, str]:
    return {"status": "ok"}


def _operation_id(route: APIRoute) -> str:
    """Stable, readable operation ids so generated clients get good method names."""
    return route.name


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    apply_worker_threads(worker_threads(settings.database_url, settings.worker_threads))
    fail_stale_jobs(app.state.engine)
    start_outbox_sender(app)
    await app.state.stamps.open(app.state.engine)
    yield
    await app.state.stamps.close()
    stop_outbox_sender(app)
    app.state.job_runner.shutdown()


class BodyLimit:
    """Refuse a body over the limit with 413: a declared one before reading it, and one
    sent without a length (chunked) as soon as it passes the limit (plain ASGI)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                response = problems.problem_response(
                    Request(scope), 413, "Content too large", self._detail()
                )
                await response(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # An HTTP error passes through FastAPI's body parsing to the handlers.
                    raise StarletteHTTPException(413, self._detail())
            return message

        await self.app(scope, counted, send)

    def _detail(self) -> str:
        return f"the body is larger than {self.limit} bytes"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Inspection Week",
        version="0.1.0",
        description=(
            "Plan and run the Ofsted/CQC local area SEND inspection week: the people, partners, "
            "venues and settings, the strategy-day timetable and the visit rota. Every route "
            "needs `Authorization: Bearer <token>` except the health check and calendar feeds."
        ),
        generate_unique_id_function=_operation_id,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.principals = Recent[str, Principal](settings.token_cache_s)
    app.state.areas = Recent[int, LocalArea](settings.token_cache_s)
    app.state.list_cache = Lru[tuple[Any, ...], bytes](LIST_CACHE_PAGES)
    app.state.stamps = StampReader()
    app.state.recent_feeds = Recent[str, feeds.FeedEntry](settings.token_cache_s)
    app.state.feed_cache = Lru[tuple[Any, ...], feeds.FeedEntry](feeds.FEED_CACHE_SIZE)
    app.state.job_runner = JobRunner(app.state.engine, PLANNERS)
    problems.install(app)
    openapi_doc.install(app)
    app.add_middleware(audit_log.AuditMiddleware)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(InFlightLimit, limit=max_in_flight(settings.database_url))
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Location"],
        )
    routers = [health_router, *(m.router for m in RESOURCE_ROUTERS)]
    routers += [plans.plan_router(planner) for planner in PLANNERS.values()]
    for router in routers:
        include_flat(app.router, router, prefix=API_PREFIX, dependencies=[Depends(authorize)])
    return app
