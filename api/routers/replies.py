"""Attendees' answers: an uploaded iTIP REPLY, or a signed accept / decline link from the email.

A link first shows a page with one button, and only the button (a POST) records the answer:
mail scanners open every link in an email, and a GET that declined would flag meetings for
re-planning that nobody declined.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.crud import commit
from api.deps import InspectionDep, SessionDep, SettingsDep
from api.problems import Conflict, NotFound, Problem, ProblemError, Unprocessable
from api.publishing import LINK_ANSWERS, record_answer, rsvp_signature_valid
from api.routing import include_flat
from models.calendar_state import (
    AttendanceAnswer,
    CalendarAttendance,
    CalendarItem,
    DeclinedAttendee,
    PartStat,
    ReplanItem,
)
from models.types import utc_now
from scheduler.ical import parse_reply

MAX_REPLY_BYTES = 200_000


class LinkRefused(ProblemError):
    status = 403
    title = "Forbidden"


ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": Problem, "description": "The link's signature does not match"},
    404: {"model": Problem, "description": "Unknown item or attendee"},
    409: {"model": Problem, "description": "The answer is for an earlier version or a past item"},
    422: {"model": Problem, "description": "Not a readable iTIP REPLY"},
}

inspection_router = APIRouter(
    prefix="/areas/{area_id}/inspections/{inspection_id}", tags=["replies"], responses=ERRORS
)
public_router = APIRouter(prefix="/rsvp", tags=["replies"], responses=ERRORS)


def _answer(item: CalendarItem, attendance: CalendarAttendance) -> AttendanceAnswer:
    return AttendanceAnswer(
        item_key=item.item_key,
        uid=item.uid,
        person_id=attendance.person_id,
        email=attendance.email,
        partstat=PartStat(attendance.partstat),
        needs_replan=attendance.needs_replan,
    )


def _check_current(item: CalendarItem, attendance: CalendarAttendance, sequence: int) -> None:
    if item.cancelled or not attendance.active:
        raise Conflict(f"{attendance.email} is no longer invited to {item.event.get('summary')}")
    if attendance.sent_sequence is not None and sequence < attendance.sent_sequence:
        raise Conflict(
            f"this answers version {sequence}, but version {attendance.sent_sequence} was sent "
            "since: answer the newest invitation"
        )


@inspection_router.post(
    "/replies",
    response_model=AttendanceAnswer,
    name="upload_reply",
    summary="Record an attendee's iTIP REPLY (.ics from their calendar app)",
)
async def upload_reply(
    inspection: InspectionDep,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="The METHOD:REPLY .ics")],
) -> AttendanceAnswer:
    content = await file.read(MAX_REPLY_BYTES + 1)
    if len(content) > MAX_REPLY_BYTES:
        raise Unprocessable.field("file", "too large for a reply")
    try:
        reply = parse_reply(content)
    except ValueError as error:
        raise Unprocessable.field("file", str(error)) from error
    item = session.exec(
        select(CalendarItem).where(
            CalendarItem.inspection_id == inspection.id, CalendarItem.uid == reply.uid
        )
    ).first()
    if item is None:
        raise NotFound(f"no item of inspection {inspection.id} has UID {reply.uid}")
    attendance = session.exec(
        select(CalendarAttendance).where(
            CalendarAttendance.calendar_item_id == item.id,
            func.lower(CalendarAttendance.email) == reply.attendee_email,
        )
    ).first()
    if attendance is None:
        raise NotFound(f"{reply.attendee_email} was never invited to {item.event.get('summary')}")
    _check_current(item, attendance, reply.sequence)
    record_answer(attendance, PartStat(reply.partstat), now=utc_now())
    commit(session)
    return _answer(item, attendance)


@inspection_router.get(
    "/calendar/replan",
    response_model=list[ReplanItem],
    name="list_items_to_replan",
    summary="Items a required attendee declined, to re-plan",
)
def list_items_to_replan(inspection: InspectionDep, session: SessionDep) -> list[ReplanItem]:
    rows = session.exec(
        select(CalendarItem, CalendarAttendance)
        .join(CalendarAttendance, col(CalendarItem.id) == CalendarAttendance.calendar_item_id)
        .where(
            CalendarItem.inspection_id == inspection.id,
            col(CalendarItem.cancelled).is_(False),
            col(CalendarAttendance.active).is_(True),
            col(CalendarAttendance.needs_replan).is_(True),
        )
        .order_by(col(CalendarItem.start), col(CalendarItem.id), col(CalendarAttendance.id))
    ).all()
    items: dict[int, ReplanItem] = {}
    for item, attendance in rows:
        assert item.id is not None
        entry = items.setdefault(
            item.id,
            ReplanItem(
                item_key=item.item_key,
                uid=item.uid,
                title=item.event.get("summary", item.item_key),
                start=item.start,
                end=item.end,
                declined_by=[],
            ),
        )
        entry.declined_by.append(
            DeclinedAttendee(
                person_id=attendance.person_id,
                name=attendance.name,
                email=attendance.email,
                role=attendance.role,
                replied_at=attendance.replied_at,
            )
        )
    return list(items.values())


# --- signed links ----------------------------------------------------------------------------

AttendanceId = Annotated[int, Path(ge=1)]
Answer = Annotated[str, Path(pattern="^(accept|tentative|decline)$")]
Version = Annotated[int, Query(alias="v", ge=0)]
Signature = Annotated[str, Query(alias="sig", min_length=64, max_length=64)]


def _linked(
    session: Session,
    secret: str | None,
    attendance_id: int,
    answer: str,
    version: int,
    signature: str,
) -> tuple[CalendarItem, CalendarAttendance]:
    if secret is None or not rsvp_signature_valid(
        secret, attendance_id, version, answer, signature
    ):
        raise LinkRefused("this answer link is not valid; use the link in your email as sent")
    attendance = session.get(CalendarAttendance, attendance_id)
    if attendance is None:
        raise NotFound("this invitation no longer exists")
    item = session.get(CalendarItem, attendance.calendar_item_id)
    assert item is not None
    _check_current(item, attendance, version)
    return item, attendance


def _secret(settings: Any) -> str | None:
    return settings.rsvp_secret.get_secret_value() if settings.rsvp_secret else None


@public_router.get(
    "/{attendance_id}/{answer}",
    response_class=HTMLResponse,
    name="confirm_answer_page",
    summary="The page a signed answer link opens: one button records the answer",
)
def confirm_answer_page(
    attendance_id: AttendanceId,
    answer: Answer,
    version: Version,
    signature: Signature,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    item, attendance = _linked(
        session, _secret(settings), attendance_id, answer, version, signature
    )
    title = escape(str(item.event.get("summary", "")))
    action = escape(str(request.url.path) + "?" + str(request.url.query), quote=True)
    label = {"accept": "Accept", "tentative": "Maybe", "decline": "Decline"}[answer]
    return HTMLResponse(
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>{label}: {title}</title>"
        f"<p>{escape(attendance.name)}, your answer to <strong>{title}</strong>:</p>"
        f'<form method=post action="{action}"><button type=submit>{label}</button></form>'
        "</html>"
    )


@public_router.post(
    "/{attendance_id}/{answer}",
    response_class=HTMLResponse,
    name="record_linked_answer",
    summary="Record the answer of a signed link",
)
def record_linked_answer(
    attendance_id: AttendanceId,
    answer: Answer,
    version: Version,
    signature: Signature,
    session: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    item, attendance = _linked(
        session, _secret(settings), attendance_id, answer, version, signature
    )
    record_answer(attendance, LINK_ANSWERS[answer], now=utc_now())
    commit(session)
    title = escape(str(item.event.get("summary", "")))
    said = escape(PartStat(attendance.partstat).lower().replace("-", " "))
    return HTMLResponse(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Thank you</title>"
        f"<p>Thank you, {escape(attendance.name)}: your answer to <strong>{title}</strong> "
        f"is recorded as <strong>{said}</strong>.</p></html>"
    )


# One router per module for the app: the area's routes and the public one (no token needed).
router = APIRouter()
include_flat(router, inspection_router)
include_flat(router, public_router)
