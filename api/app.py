"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from api import problems
from api.database import make_engine
from api.routers import (
    csv_io,
    education_settings,
    inspections,
    local_areas,
    meeting_requests,
    organisations,
    people,
    readiness,
    venues,
    visit_candidates,
)
from api.settings import Settings, get_settings

API_PREFIX = "/api/v1"


def _operation_id(route: APIRoute) -> str:
    """Stable, readable operation ids so generated clients get good method names."""
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Inspection Week",
        version="0.1.0",
        description=(
            "Plan and run the Ofsted/CQC local area SEND inspection week: the people, partners, "
            "venues and settings, the strategy-day timetable and the visit rota."
        ),
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    problems.install(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Location"],
        )
    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", tags=["health"], name="health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for module in (
        local_areas,
        organisations,
        people,
        csv_io,
        venues,
        education_settings,
        inspections,
        meeting_requests,
        visit_candidates,
        readiness,
    ):
        api.include_router(module.router)
    app.include_router(api)
    return app
