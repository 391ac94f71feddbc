"""Recording every successful write in the audit log, in one place for all routes."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class AuditMiddleware:
    """Plain ASGI (not BaseHTTPMiddleware, which costs every request a task and two queues):
    watches the response status and writes the audit line after a successful write."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        seen: dict[str, Any] = {}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"location":
                        seen["location"] = value.decode("latin-1")
            await send(message)

        await self.app(scope, receive, watch)
        principal = scope.get("state", {}).get("principal")
        status = seen.get("status", 500)
        if principal is not None and status < 400:
            await run_in_threadpool(
                _record,
                scope["app"].state.engine,
                scope["method"],
                scope["path"],
                status,
                seen.get("location"),
                principal.name,
            )


def _record(
    engine: Engine, method: str, path: str, status: int, location: str | None, actor: str
) -> None:
    area_id, action, resource, resource_id = describe(method, path)
    if resource_id is None and location:
        resource_id = location.rstrip("/").rsplit("/", 1)[-1]
    entry = AuditEntry(
        local_area_id=area_id,
        actor=actor,
        action=action,
        resource=resource,
        resource_id=resource_id,
        method=method,
        path=path,
        status=status,
    )
    try:
        with Session(engine) as session:
            session.add(entry)
            session.commit()
    except SQLAlchemyError:  # the change itself is saved; losing its audit line is logged
        log.exception("could not write the audit entry for %s %s", method, path)
