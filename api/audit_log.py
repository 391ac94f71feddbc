"""Recording every successful write in the audit log, in one place for all routes."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from models.audit import AuditEntry

log = logging.getLogger(__name__)

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
METHOD_ACTIONS = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}
NAMED_ACTIONS = {
    "publish": "publish",
    "solve-jobs": "solve",
    "stop": "stop",
    "import": "import",
    "import-gias": "import",
    "edits": "edit",
    "pins": "pin",
    "send": "send",
    "resend": "send",
    "seed": "seed",
    "replies": "reply",
}
AREA_PATH = re.compile(r"^/api/v1/areas(?:/(?P<area>\d+))?(?P<rest>/.*)?$")


def describe(method: str, path: str) -> tuple[int | None, str, str, str | None]:
    """(area id, action, resource, resource id) read off a write request's path."""
    match = AREA_PATH.match(path)
    area_id = int(match["area"]) if match and match["area"] else None
    rest = (match["rest"] or "") if match else path
    segments = [s for s in rest.strip("/").split("/") if s]
    action = METHOD_ACTIONS.get(method, method.lower())
    if segments and segments[-1] in NAMED_ACTIONS:
        action = NAMED_ACTIONS[segments[-1]]
        if method == "POST" and segments[-1] == "solve-jobs":
            segments = segments[:-1] + ["solve-jobs"]
    nouns = [s for s in segments if not s.isdigit()]
    ids = [s for s in segments if s.isdigit()]
    resource = "/".join(nouns) or "areas"
    return area_id, action, resource, ids[-1] if ids else None


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def audit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if request.method in WRITE_METHODS and response.status_code < 400:
            principal = getattr(request.state, "principal", None)
            if principal is not None:
                await run_in_threadpool(_record, request, response, principal.name)
        return response


def _record(request: Request, response: Response, actor: str) -> None:
    area_id, action, resource, resource_id = describe(request.method, request.url.path)
    if resource_id is None and response.headers.get("location"):
        resource_id = response.headers["location"].rstrip("/").rsplit("/", 1)[-1]
    entry = AuditEntry(
        local_area_id=area_id,
        actor=actor,
        action=action,
        resource=resource,
        resource_id=resource_id,
        method=request.method,
        path=request.url.path,
        status=response.status_code,
    )
    try:
        with Session(request.app.state.engine) as session:
            session.add(entry)
            session.commit()
    except SQLAlchemyError:  # the change itself is saved; losing its audit line is logged
        log.exception("could not write the audit entry for %s %s", request.method, request.url)
