"""Sending the outbox through a real SMTP server: once each, retried, and safe across restarts."""

from __future__ import annotations

import smtplib
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.outbox import claim, deliver_pending, open_smtp, recover_stuck
from api.settings import Settings
from models.outbox import OutboxStatus
from models.types import utc_now
from tests.calendar.conftest import Mailbox, Week, outbox, plan_items, publish
from tests.scheduler.test_ical import read_with_icaljs


class SenderDied(BaseException):
    """Stands for the process being killed: nothing in the sender may catch it."""


def dying_after(sent: int) -> object:
    """An SMTP factory whose connection dies (before sending) at message ``sent + 1``."""
    calls = {"n": 0}

    def factory(settings: Settings) -> smtplib.SMTP:
        smtp = open_smtp(settings)
        real_sendmail = smtp.sendmail

        def sendmail(*args: object, **kwargs: object) -> object:
            if calls["n"] == sent:
                raise SenderDied
            calls["n"] += 1
            return real_sendmail(*args, **kwargs)  # type: ignore[arg-type]

        smtp.sendmail = sendmail  # type: ignore[method-assign,assignment]
        return smtp

    return factory


def test_without_smtp_settings_messages_stay_in_the_outbox(
    engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    counts = deliver_pending(engine, settings)
    assert counts.sent == 0
    assert {m.status for m in outbox(engine)} == {OutboxStatus.PENDING}


def test_every_message_reaches_the_smtp_server_once_with_its_mime_intact(
    engine: Engine,
    week: Week,
    smtp_settings: Settings,
    smtp_server: tuple[Mailbox, int],
    icaljs: Path,
) -> None:
    mailbox, _ = smtp_server
    publish(engine, week, plan_items(week), smtp_settings)
    queued = outbox(engine)

    counts = deliver_pending(engine, smtp_settings, limit=100)
    again = deliver_pending(engine, smtp_settings, limit=100)

    assert counts.sent == len(queued) and again.sent == 0
    assert len(mailbox.received) == len(queued)
    assert {m.status for m in outbox(engine)} == {OutboxStatus.SENT}
    assert all(m.sent_at is not None and m.attempts == 1 for m in outbox(engine))
    by_id = {m.message_id: m for m in queued}
    for received in mailbox.received:
        assert received.sender == "invites@northbrook.example.gov.uk"
        message = received.message
        row = by_id[message["Message-ID"].strip()]
        assert received.recipients == [row.recipient]
        assert message.get_content_type() == "multipart/alternative"
        text, calendar = list(message.iter_parts())
        assert text.get_content_type() == "text/plain"
        assert calendar.get_content_type() == "text/calendar"
        assert calendar.get_param("method") == "REQUEST"
        assert str(calendar.get_param("charset")).upper() == "UTF-8"
        ics = calendar.get_payload(decode=True)
        assert ics == row.ics.encode("utf-8")  # byte for byte through the relay
    sample = mailbox.received[0].message
    ics = list(sample.iter_parts())[1].get_payload(decode=True)
    assert isinstance(ics, bytes)
    assert read_with_icaljs(icaljs, ics)["method"] == "REQUEST"


def test_a_sender_that_dies_mid_way_leaves_the_rest_to_the_next_without_duplicates(
    engine: Engine,
    week: Week,
    smtp_settings: Settings,
    smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, _ = smtp_server
    publish(engine, week, plan_items(week), smtp_settings)
    queued = outbox(engine)
    try:
        deliver_pending(engine, smtp_settings, smtp_factory=dying_after(3))  # type: ignore[arg-type]
    except SenderDied:
        pass
    statuses = Counter(m.status for m in outbox(engine))
    assert statuses[OutboxStatus.SENT] == 3 and len(mailbox.received) == 3
    assert statuses[OutboxStatus.SENDING] == len(queued) - 3  # claimed by the dead process

    # A new process starting right away must not take rows another live sender may hold ...
    assert deliver_pending(engine, smtp_settings).sent == 0
    # ... but once they are older than outbox_stuck_after_s, they are recovered and sent.
    later = utc_now() + timedelta(seconds=smtp_settings.outbox_stuck_after_s + 1)
    counts = deliver_pending(engine, smtp_settings, now=lambda: later)

    assert counts.recovered == len(queued) - 3 and counts.sent == len(queued) - 3
    ids = Counter(r.message["Message-ID"].strip() for r in mailbox.received)
    assert sorted(ids) == sorted(m.message_id for m in queued)
    assert set(ids.values()) == {1}  # each message exactly once
    assert {m.status for m in outbox(engine)} == {OutboxStatus.SENT}


def test_two_senders_never_claim_the_same_message(
    engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    now = utc_now()
    first = claim(engine, limit=5, worker="a", now=now)
    second = claim(engine, limit=100, worker="b", now=now)
    assert len(first) == 5 and not set(first) & set(second)
    assert len(first) + len(second) == len(outbox(engine))
    assert claim(engine, limit=100, worker="c", now=now) == []
    assert recover_stuck(engine, older_than=timedelta(minutes=10), now=now) == 0


def test_a_temporary_smtp_failure_is_retried_later_with_growing_backoff(
    engine: Engine,
    week: Week,
    smtp_settings: Settings,
    smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, _ = smtp_server
    publish(engine, week, plan_items(week)[1:2], smtp_settings)  # two messages
    mailbox.refuse = ["451 4.3.0 Try again later", "451 4.3.0 Still busy"]
    start = utc_now()

    first = deliver_pending(engine, smtp_settings, now=lambda: start)
    assert (first.sent, first.retrying) == (0, 2)
    rows = outbox(engine)
    assert {m.status for m in rows} == {OutboxStatus.PENDING}
    assert all(m.attempts == 1 and "451" in (m.last_error or "") for m in rows)
    assert all(m.next_attempt_at == start + timedelta(seconds=60) for m in rows)

    # Not due yet: nothing is tried.
    assert deliver_pending(engine, smtp_settings, now=lambda: start).sent == 0
    mailbox.refuse = ["451 4.3.0 Once more"]
    retry = start + timedelta(seconds=61)
    second = deliver_pending(engine, smtp_settings, now=lambda: retry)
    assert (second.sent, second.retrying) == (1, 1)
    waiting = next(m for m in outbox(engine) if m.status == OutboxStatus.PENDING)
    assert waiting.attempts == 2
    assert waiting.next_attempt_at == retry + timedelta(seconds=120)  # doubled

    third = deliver_pending(engine, smtp_settings, now=lambda: retry + timedelta(seconds=121))
    assert third.sent == 1
    assert len(mailbox.received) == 2
    assert {m.status for m in outbox(engine)} == {OutboxStatus.SENT}


def test_a_permanent_refusal_fails_the_message_until_it_is_resent(
    engine: Engine,
    week: Week,
    smtp_settings: Settings,
    smtp_server: tuple[Mailbox, int],
    client: object,
) -> None:
    mailbox, _ = smtp_server
    publish(engine, week, plan_items(week)[1:2], smtp_settings)
    mailbox.refuse = ["550 5.1.1 No such mailbox"]
    counts = deliver_pending(engine, smtp_settings)
    assert (counts.sent, counts.failed) == (1, 1)
    failed = next(m for m in outbox(engine) if m.status == OutboxStatus.FAILED)
    assert "550" in (failed.last_error or "")

    url = f"/api/v1/areas/{week.area_id}/inspections/{week.inspection_id}/outbox"
    listed = client.get(url, params={"status": "failed"})  # type: ignore[attr-defined]
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["items"]] == [failed.id]
    resent = client.post(f"{url}/{failed.id}/resend")  # type: ignore[attr-defined]
    assert resent.status_code == 200 and resent.json()["status"] == "pending"
    assert client.post(f"{url}/{failed.id}/resend").status_code == 409  # type: ignore[attr-defined]

    assert deliver_pending(engine, smtp_settings).sent == 1
    assert len(mailbox.received) == 2


def test_the_attempts_run_out_into_failed(
    engine: Engine,
    week: Week,
    smtp_settings: Settings,
    smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, _ = smtp_server
    limited = smtp_settings.model_copy(update={"outbox_max_attempts": 2})
    publish(engine, week, plan_items(week)[1:2], limited)
    mailbox.refuse = ["421 4.7.0 Busy"] * 4
    now = utc_now()
    deliver_pending(engine, limited, now=lambda: now)
    counts = deliver_pending(engine, limited, now=lambda: now + timedelta(hours=1))
    assert counts.failed == 2
    assert {m.status for m in outbox(engine)} == {OutboxStatus.FAILED}


def test_an_unreachable_server_is_retried_not_lost(
    engine: Engine, week: Week, settings: Settings
) -> None:
    from tests.calendar.conftest import free_port

    nowhere = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_starttls": False}
    )
    publish(engine, week, plan_items(week)[1:2], nowhere)
    counts = deliver_pending(engine, nowhere)
    assert counts.retrying == 2
    assert {m.status for m in outbox(engine)} == {OutboxStatus.PENDING}


def test_the_app_sends_in_the_background_only_when_smtp_is_configured(
    engine: Engine,
    week: Week,
    settings: Settings,
    smtp_settings: Settings,
    smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, _ = smtp_server
    quiet = create_app(settings)
    quiet.state.engine = engine
    with TestClient(quiet):
        assert quiet.state.outbox_sender is None

    sending = create_app(smtp_settings.model_copy(update={"outbox_poll_s": 0.05}))
    sending.state.engine = engine
    with TestClient(sending):
        assert sending.state.outbox_sender is not None
        publish(engine, week, plan_items(week), smtp_settings)
        expected = len(outbox(engine))
        deadline = time.monotonic() + 30
        while len(mailbox.received) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
    assert sending.state.outbox_sender is None  # stopped with the app
    assert len(mailbox.received) == expected
    assert {m.status for m in outbox(engine)} == {OutboxStatus.SENT}
