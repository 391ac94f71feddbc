"""Idempotency-Key on the POSTs that publish or send (the IETF httpapi draft's rules).

The first answer is stored with the change it made and replayed, byte for byte, to a retry
with the same key within a day; the same key on another route is a 422; a retry racing the first
request gets 409 and changes nothing. Solving has its own form: the key finds the job.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Header, Request, Response
from pydantic import BaseModel
from sqlalchemy import delete
from sqlmodel import Session, col, select

from api.crud import json_response
from api.problems import Unprocessable
from models.idempotency import IdempotentResponse
from models.types import utc_now

IdempotencyKey = Annotated[
    str | None,
    Header(
        min_length=1,
        max_length=200,
        description="Retrying with the same key returns the first answer; nothing is redone",
    ),
]
REPLAYED = "Idempotent-Replayed"
KEYS_KEPT = timedelta(hours=24)
"""A retry later than this is a new request (the draft lets keys expire)."""


def _request_of(request: Request) -> str:
    return f"{request.method} {request.url.path}"


def replay(
    session: Session, inspection_id: int, key: str | None, request: Request
) -> Response | None:
    """The stored first answer for this key, or None when the key is new (or not given)."""
    if key is None:
        return None
    earlier = session.exec(
        select(IdempotentResponse).where(
            IdempotentResponse.inspection_id == inspection_id, IdempotentResponse.key == key
        )
    ).first()
    if earlier is None:
        return None
    if earlier.request != _request_of(request):
        raise Unprocessable.field(
            "Idempotency-Key",
            f"this key was used for {earlier.request}; send a new key",
            location="header",
        )
    return Response(
        earlier.body,
        status_code=earlier.status_code,
        media_type="application/json",
        headers={REPLAYED: "true"},
    )


def answer(
    session: Session,
    inspection_id: int,
    key: str | None,
    request: Request,
    result: BaseModel,
    status_code: int = 200,
) -> Response:
    """The answer to send, recorded under the key in the caller's transaction (commit next)."""
    response = json_response(result, status_code)
    if key is not None:
        session.execute(
            delete(IdempotentResponse).where(
                col(IdempotentResponse.created_at) < utc_now() - KEYS_KEPT
            )
        )
        session.add(
            IdempotentResponse(
                inspection_id=inspection_id,
                key=key,
                request=_request_of(request),
                status_code=status_code,
                body=bytes(response.body).decode("utf-8"),
            )
        )
    return response
