"""Idempotency-Key on publish and resend: a retry gets the first answer and redoes nothing."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from models.idempotency import IdempotentResponse
from models.outbox import OutboxMessage, OutboxStatus
from tests.plans.conftest import SmallInspection, solve


def _messages(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage)).one()


def test_a_publish_retried_with_its_key_returns_the_first_answer_and_sends_nothing_more(
    client: TestClient, small: SmallInspection, engine: Engine
) -> None:
    number = solve(client, small.url, "strategy")["result_version"]
    url = f"{small.url}/strategy/versions/{number}/publish"
    first = client.post(url, headers={"Idempotency-Key": "publish-monday"})
    assert first.status_code == 200, first.text
    assert first.json()["calendar"]["requests"] > 0
    queued = _messages(engine)

    retry = client.post(url, headers={"Idempotency-Key": "publish-monday"})
    assert retry.status_code == 200
    assert retry.content == first.content
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert _messages(engine) == queued


def test_a_key_used_on_another_request_is_refused(
    client: TestClient, small: SmallInspection
) -> None:
    number = solve(client, small.url, "strategy")["result_version"]
    published = client.post(
        f"{small.url}/strategy/versions/{number}/publish", headers={"Idempotency-Key": "k-1"}
    )
    assert published.status_code == 200
    misused = client.post(f"{small.url}/outbox/1/resend", headers={"Idempotency-Key": "k-1"}).json()
    assert misused["status"] == 422
    assert misused["errors"][0]["field"] == "Idempotency-Key"


def test_a_resend_retried_with_its_key_queues_the_message_once(
    client: TestClient, small: SmallInspection, engine: Engine
) -> None:
    number = solve(client, small.url, "strategy")["result_version"]
    assert client.post(f"{small.url}/strategy/versions/{number}/publish").status_code == 200
    with Session(engine) as session:
        message = session.exec(select(OutboxMessage)).first()
        assert message is not None
        message.status = OutboxStatus.FAILED
        message.attempts = 8
        session.add(message)
        session.commit()
        message_id = message.id

    url = f"{small.url}/outbox/{message_id}/resend"
    first = client.post(url, headers={"Idempotency-Key": "again-1"})
    assert first.status_code == 200 and first.json()["status"] == "pending"
    retry = client.post(url, headers={"Idempotency-Key": "again-1"})
    assert retry.status_code == 200 and retry.content == first.content
    assert client.post(url).status_code == 409  # without the key: it is no longer failed


def test_keys_older_than_a_day_are_forgotten(
    client: TestClient, small: SmallInspection, engine: Engine
) -> None:
    number = solve(client, small.url, "strategy")["result_version"]
    url = f"{small.url}/strategy/versions/{number}/publish"
    assert client.post(url, headers={"Idempotency-Key": "old"}).status_code == 200
    with Session(engine) as session:
        old = session.exec(select(IdempotentResponse)).one()
        old.created_at = old.created_at - timedelta(hours=25)
        session.add(old)
        session.commit()
    assert client.post(url, headers={"Idempotency-Key": "new"}).status_code == 200
    with Session(engine) as session:
        assert [r.key for r in session.exec(select(IdempotentResponse)).all()] == ["new"]
    assert "Idempotent-Replayed" not in client.post(url, headers={"Idempotency-Key": "old"}).headers
