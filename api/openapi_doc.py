"""The OpenAPI document as clients should read it: every error is RFC 9457 problem+json.

FastAPI documents errors as application/json with its own validation-error shape; the app
answers application/problem+json with the Problem shape, so the document is corrected once
here rather than on every route.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.auth import is_open
from api.problems import PROBLEM_JSON, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
COMMON = {
    "401": "No token, or an unknown or revoked one",
    "403": "The token's role does not allow this",
    "413": "The body is too large",
    "422": "Invalid input: `errors` names each field and the reason",
    "503": "The database is unavailable; nothing was saved",
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}


def problem_document(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    document["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "An API token"}
    }
    document["security"] = [{"bearer": []}]
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    responses[status] = _problem(response.get("description", "Error"))
            for status, description in COMMON.items():
                if status in ("401", "403") and is_open(path):
                    continue
                responses.setdefault(status, _problem(description))
            if "{" in path:
                responses.setdefault("404", _problem("No such id (or not in your local area)"))
            if is_open(path):
                operation["security"] = []
    app.openapi_schema = document
    return document


def install(app: FastAPI) -> None:
    app.openapi = lambda: problem_document(app)  # type: ignore[method-assign]
