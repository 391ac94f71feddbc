"""Sending the outbox by SMTP: once per message, retried with backoff, safe across restarts.

A row moves ``pending`` -> ``sending`` in one conditional UPDATE (whoever changes the row owns
it, so two processes never send the same message), then to ``sent`` right after the server
accepts it. A failure puts it back to ``pending`` with ``next_attempt_at`` doubled each time,
or to ``failed`` when the server refuses it for good (5xx) or the attempts run out. A row left
in ``sending`` by a process that died is put back to ``pending`` once it is older than
``outbox_stuck_after_s`` (at start, and on every round).

The one window left is a process dying after the server accepted a message but before the
``sent`` mark: that message is sent again, with the same Message-ID, UID and SEQUENCE, which
mail and calendar clients treat as the same invitation.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.parser import HeaderParser
from email.utils import parseaddr
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from api.settings import Settings
from models.outbox import OutboxMessage, OutboxStatus
from models.types import utc_now

log = logging.getLogger(__name__)

SmtpFactory = Callable[[Settings], smtplib.SMTP]

_MAX_BACKOFF = timedelta(hours=6)
_BATCH = 100


@dataclass
class DeliveryCounts:
    """What one round of delivery did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    recovered: int = 0


def open_smtp(settings: Settings) -> smtplib.SMTP:
    """A connection to the configured server: STARTTLS and login when configured."""
    if not settings.smtp_host:
        raise RuntimeError("smtp_host is not set")
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s)
    try:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_username, password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def worker_name() -> str:
    """Who claimed a row: host, process and a random part (process ids get reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff(settings: Settings, attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: base, 2 x base, 4 x base, ... at most 6 hours."""
    delay = timedelta(seconds=settings.outbox_retry_base_s * 2 ** max(attempts - 1, 0))
    return min(delay, _MAX_BACKOFF)


def recover_stuck(engine: Engine, *, older_than: timedelta, now: datetime | None = None) -> int:
    """Put rows a dead sender left in ``sending`` back to ``pending``; returns how many."""
    now = now or utc_now()
    with engine.begin() as connection:
        result = connection.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.status) == OutboxStatus.SENDING,
                col(OutboxMessage.claimed_at) <= now - older_than,
            )
            .values(status=OutboxStatus.PENDING, claimed_at=None, claimed_by=None)
        )
    return int(result.rowcount)


def claim(engine: Engine, *, limit: int, worker: str, now: datetime) -> list[int]:
    """Take up to ``limit`` due messages for ``worker``; each one is taken by one worker only."""
    with Session(engine) as session:
        due = session.exec(
            select(OutboxMessage.id)
            .where(
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.next_attempt_at) <= now,
            )
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(limit)
        ).all()
    claimed = []
    with engine.begin() as connection:
        for message_id in due:
            result = connection.execute(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.id) == message_id,
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                )
                .values(status=OutboxStatus.SENDING, claimed_at=now, claimed_by=worker)
            )
            if result.rowcount == 1 and message_id is not None:
                claimed.append(message_id)
    return claimed


def _envelope_sender(settings: Settings, mime: str) -> str:
    if settings.mail_from:
        return parseaddr(settings.mail_from)[1]
    headers = HeaderParser().parsestr(mime, headersonly=True)
    return parseaddr(str(headers["From"]))[1]


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message or recipient: trying again will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600 and not isinstance(
            error, smtplib.SMTPAuthenticationError
        )
    return False


def _finish(
    engine: Engine,
    message_id: int,
    worker: str,
    **values: object,
) -> None:
    """Record the outcome, only if this worker still holds the row."""
    with engine.begin() as connection:
        connection.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message_id,
                col(OutboxMessage.status) == OutboxStatus.SENDING,
                col(OutboxMessage.claimed_by) == worker,
            )
            .values(claimed_at=None, claimed_by=None, **values)
        )


def _record_failure(
    engine: Engine,
    settings: Settings,
    message: OutboxMessage,
    worker: str,
    error: Exception,
    counts: DeliveryCounts,
    now: datetime,
) -> None:
    assert message.id is not None
    attempts = message.attempts + 1
    text = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or attempts >= settings.outbox_max_attempts:
        _finish(
            engine,
            message.id,
            worker,
            status=OutboxStatus.FAILED,
            attempts=attempts,
            last_error=text,
        )
        counts.failed += 1
        log.warning("outbox message %s failed for good: %s", message.id, text)
        return
    _finish(
        engine,
        message.id,
        worker,
        status=OutboxStatus.PENDING,
        attempts=attempts,
        last_error=text,
        next_attempt_at=now + backoff(settings, attempts),
    )
    counts.retrying += 1


def deliver_pending(
    engine: Engine,
    settings: Settings,
    limit: int = 100,
    *,
    smtp_factory: SmtpFactory = open_smtp,
    now: Callable[[], datetime] = utc_now,
) -> DeliveryCounts:
    """Send up to ``limit`` due messages over one SMTP connection; returns what happened.

    Without ``smtp_host`` nothing is sent and the messages stay in the outbox.
    """
    counts = DeliveryCounts()
    if not settings.smtp_host:
        return counts
    counts.recovered = recover_stuck(
        engine, older_than=timedelta(seconds=settings.outbox_stuck_after_s), now=now()
    )
    worker = worker_name()
    claimed = claim(engine, limit=limit, worker=worker, now=now())
    smtp: smtplib.SMTP | None = None
    try:
        for message_id in claimed:
            with Session(engine) as session:
                message = session.get(OutboxMessage, message_id)
            assert message is not None
            try:
                if smtp is None:
                    smtp = smtp_factory(settings)
                smtp.sendmail(
                    _envelope_sender(settings, message.mime),
                    [message.recipient],
                    message.mime.encode("ascii"),
                )
            except (smtplib.SMTPException, OSError) as error:
                if not isinstance(error, smtplib.SMTPResponseException):
                    _drop(smtp)  # the connection is gone; the next message reconnects
                    smtp = None
                _record_failure(engine, settings, message, worker, error, counts, now())
                continue
            _finish(
                engine,
                message_id,
                worker,
                status=OutboxStatus.SENT,
                sent_at=now(),
                attempts=message.attempts + 1,
                last_error=None,
            )
            counts.sent += 1
    finally:
        _drop(smtp)
    return counts


def _drop(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def export_name(message: OutboxMessage) -> str:
    """A file name that sorts by message and says what it is, e.g. 0007-request-p12.ics."""
    person = f"-p{message.person_id}" if message.person_id is not None else ""
    return f"{message.id or 0:04d}-{message.method.lower()}{person}.ics"


def export_invites(
    engine: Engine,
    directory: Path,
    *,
    inspection_id: int | None = None,
    status: OutboxStatus | None = None,
) -> list[Path]:
    """Write one .ics file per outbox message, for sending by hand when there is no SMTP."""
    directory.mkdir(parents=True, exist_ok=True)
    query = select(OutboxMessage).order_by(col(OutboxMessage.id))
    if inspection_id is not None:
        query = query.where(col(OutboxMessage.inspection_id) == inspection_id)
    if status is not None:
        query = query.where(col(OutboxMessage.status) == status)
    written = []
    with Session(engine) as session:
        for message in session.exec(query):
            path = directory / export_name(message)
            path.write_bytes(message.ics.encode("utf-8"))
            written.append(path)
    return written


def resend(message: OutboxMessage, *, now: datetime) -> OutboxMessage:
    """Queue a failed message again, with a fresh count of attempts."""
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now
    message.last_error = None
    return message


class OutboxSender:
    """A background thread that delivers the outbox every ``outbox_poll_s`` seconds."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            busy = False
            try:
                counts = deliver_pending(self.engine, self.settings, limit=_BATCH)
                busy = counts.sent + counts.retrying + counts.failed >= _BATCH
            except Exception:  # keep sending later; a broken round must not end the thread
                log.exception("outbox delivery round failed")
            if not busy:  # a full batch means more are waiting: go on at once
                self._stop.wait(self.settings.outbox_poll_s)


def start_outbox_sender(app: FastAPI) -> None:
    """Start the sender thread when SMTP is configured (called from the app's lifespan)."""
    settings: Settings = app.state.settings
    app.state.outbox_sender = None
    if not settings.smtp_host:
        return
    sender = OutboxSender(app.state.engine, settings)
    sender.start()
    app.state.outbox_sender = sender


def stop_outbox_sender(app: FastAPI) -> None:
    sender: OutboxSender | None = getattr(app.state, "outbox_sender", None)
    if sender is not None:
        sender.stop()
        app.state.outbox_sender = None
