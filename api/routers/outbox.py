"""The invitation outbox of an inspection: what was queued, sent or failed, and each message."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy import func
from sqlmodel import Session, col, select

from api import crud, idempotency
from api.crud import commit
from api.deps import IdFilter, InspectionDep, PageDep, SessionDep
from api.outbox import export_name, resend
from api.problems import Conflict, NotFound, Problem
from models.inspection import Inspection
from models.outbox import OutboxMessage, OutboxMessagePublic, OutboxPage, OutboxStatus
from models.types import utc_now

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown id"},
    409: {"model": Problem, "description": "Only a failed message can be sent again"},
}

router = APIRouter(
    prefix="/areas/{area_id}/inspections/{inspection_id}/outbox",
    tags=["invitations"],
    responses=ERRORS,
)

MessageId = Annotated[int, Path(ge=1)]


def _message(session: Session, inspection: Inspection, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None or message.inspection_id != inspection.id:
        raise NotFound(f"message {message_id} does not exist in inspection {inspection.id}")
    return message


def _public(message: OutboxMessage) -> OutboxMessagePublic:
    return OutboxMessagePublic.model_validate(message, from_attributes=True)


@router.get("", response_model=OutboxPage, name="list_outbox", summary="List invitation emails")
def list_outbox(
    inspection: InspectionDep,
    session: SessionDep,
    page: PageDep,
    status: OutboxStatus | None = None,
    person_id: IdFilter = None,
) -> Response:
    where = [col(OutboxMessage.inspection_id) == inspection.id]
    if status is not None:
        where.append(col(OutboxMessage.status) == status)
    if person_id is not None:
        where.append(col(OutboxMessage.person_id) == person_id)
    total = session.exec(select(func.count()).select_from(OutboxMessage).where(*where)).one()
    rows = session.exec(
        select(OutboxMessage)
        .where(*where)
        .order_by(col(OutboxMessage.id))
        .offset(page.offset)
        .limit(page.limit)
    ).all()
    items = [_public(row) for row in rows]
    return crud.json_response(
        OutboxPage(items=items, total=total, limit=page.limit, offset=page.offset)
    )


@router.get(
    "/{message_id}",
    response_model=OutboxMessagePublic,
    name="get_outbox_message",
    summary="One invitation email and its delivery state",
)
def get_outbox_message(
    message_id: MessageId, inspection: InspectionDep, session: SessionDep
) -> OutboxMessagePublic:
    return _public(_message(session, inspection, message_id))


@router.get(
    "/{message_id}/invite.ics",
    response_class=Response,
    name="download_outbox_ics",
    summary="The message's calendar object (.ics), e.g. to send it by hand",
    responses={200: {"content": {"text/calendar": {}}, "description": "The iTIP object"}},
)
def download_outbox_ics(
    message_id: MessageId, inspection: InspectionDep, session: SessionDep
) -> Response:
    message = _message(session, inspection, message_id)
    return Response(
        content=message.ics.encode("utf-8"),
        media_type=f"text/calendar; method={message.method}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{export_name(message)}"'},
    )


@router.get(
    "/{message_id}/message.eml",
    response_class=Response,
    name="download_outbox_email",
    summary="The whole email (message/rfc822), as it is sent",
    responses={200: {"content": {"message/rfc822": {}}, "description": "The email"}},
)
def download_outbox_email(
    message_id: MessageId, inspection: InspectionDep, session: SessionDep
) -> Response:
    message = _message(session, inspection, message_id)
    return Response(content=message.mime.encode("ascii"), media_type="message/rfc822")


@router.post(
    "/{message_id}/resend",
    response_model=OutboxMessagePublic,
    name="resend_outbox_message",
    summary="Queue a failed message again",
)
def resend_outbox_message(
    request: Request,
    message_id: MessageId,
    inspection: InspectionDep,
    session: SessionDep,
    idempotency_key: idempotency.IdempotencyKey = None,
) -> Response:
    assert inspection.id is not None
    earlier = idempotency.replay(session, inspection.id, idempotency_key, request)
    if earlier is not None:
        return earlier
    message = _message(session, inspection, message_id)
    if message.status != OutboxStatus.FAILED:
        raise Conflict(f"message {message_id} is {message.status}; only a failed one is resent")
    resend(message, now=utc_now())
    session.flush()
    response = idempotency.answer(
        session, inspection.id, idempotency_key, request, _public(message)
    )
    commit(session)
    return response
