"""RFC 9457 problem details: every error the API returns goes through here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str
    reason: str
    location: str = "body"


class Problem(BaseModel):
    """The problem+json body; ``errors`` lists each bad field or row."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


class ProblemError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFound(ProblemError):
    status = 404
    title = "Not found"


class Conflict(ProblemError):
    status = 409
    title = "Conflict"


class Unprocessable(ProblemError):
    status = 422
    title = "Unprocessable content"

    @classmethod
    def field(cls, field: str, reason: str, location: str = "body") -> Unprocessable:
        error = FieldError(field=field, reason=reason, location=location)
        return cls(f"{field}: {reason}", [error.model_dump()])


class ContentTooLarge(ProblemError):
    status = 413
    title = "Content too large"


class PreconditionFailed(ProblemError):
    status = 412
    title = "Precondition failed"


class PreconditionRequired(ProblemError):
    status = 428
    title = "Precondition required"


class ServiceUnavailable(ProblemError):
    status = 503
    title = "Service unavailable"


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str | None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=title, status=status, detail=detail, instance=request.url.path, errors=errors
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


_NAMED_REASON = re.compile(r"^(?:Value error, )?([a-z_]+): (.+)$", re.DOTALL)


def field_errors(raw: Sequence[Any], location: str | None = None) -> list[dict[str, Any]]:
    """Pydantic errors as {field, reason, location}.

    Checks across fields report "field: reason"; that field is named instead of the body.
    """
    errors = []
    for error in raw:
        loc = [str(p) for p in error.get("loc", ())]
        where = location or (loc.pop(0) if loc else "body")
        reason = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        named = _NAMED_REASON.match(reason)
        if named:
            loc.append(named.group(1))
            reason = named.group(2)
        field = ".".join(loc) or where
        errors.append(FieldError(field=field, reason=reason, location=where).model_dump())
    return errors


def summary(errors: list[dict[str, Any]]) -> str:
    return "; ".join(f"{e.get('field')}: {e.get('reason')}" for e in errors)


def install(app: FastAPI) -> None:
    """Map every exception to problem+json, so nothing leaks as a bare 500 or HTML."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.status, exc.title, exc.detail, exc.errors)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = field_errors(exc.errors())
        return problem_response(request, 422, "Unprocessable content", summary(errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers) if exc.headers else None
        titles = {404: "Not found", 405: "Method not allowed", 413: "Content too large"}
        title = titles.get(exc.status_code, "Error")
        return problem_response(request, exc.status_code, title, str(exc.detail), headers=headers)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        return problem_response(request, 409, "Conflict", "the change conflicts with existing data")

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # A number too large for the database column, e.g. an id of 2**70 in the path.
        return problem_response(
            request, 422, "Unprocessable content", "a number is out of range; nothing was saved"
        )

    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError) -> JSONResponse:
        return problem_response(
            request, 503, "Service unavailable", "the database is unavailable; nothing was saved"
        )
