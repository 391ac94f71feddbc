"""The outbox through the API and on disk: what waits, for whom, and each message as .ics."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app as cli_app
from api.outbox import export_invites
from api.settings import Settings, get_settings
from models.outbox import OutboxStatus
from tests.calendar.conftest import Week, outbox, plan_items, publish
from tests.scheduler.test_ical import read_with_icaljs


def outbox_url(week: Week) -> str:
    return f"/api/v1/areas/{week.area_id}/inspections/{week.inspection_id}/outbox"


def test_the_outbox_lists_messages_with_their_state_a_page_at_a_time(
    client: TestClient, engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    total = len(outbox(engine))

    first = client.get(outbox_url(week), params={"limit": 5}).json()
    second = client.get(outbox_url(week), params={"limit": 5, "offset": 5}).json()
    assert first["total"] == total and len(first["items"]) == 5
    assert not {m["id"] for m in first["items"]} & {m["id"] for m in second["items"]}
    message = first["items"][0]
    assert message["status"] == "pending" and message["attempts"] == 0
    assert message["method"] == "REQUEST" and message["sequence"] == 0
    assert "mime" not in message and "ics" not in message

    hana = client.get(outbox_url(week), params={"person_id": week.person("hana")}).json()
    assert hana["total"] == 3  # EHCP meeting, webinar, feedback
    assert {m["recipient"] for m in hana["items"]} == {week.emails["hana"]}
    assert client.get(outbox_url(week), params={"status": "sent"}).json()["total"] == 0


def test_a_message_can_be_downloaded_as_ics_and_as_the_email(
    client: TestClient, engine: Engine, week: Week, settings: Settings, icaljs: Path
) -> None:
    publish(engine, week, plan_items(week), settings)
    row = outbox(engine)[0]

    ics = client.get(f"{outbox_url(week)}/{row.id}/invite.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar; method=REQUEST")
    assert ics.content == row.ics.encode()
    assert icalendar.Calendar.from_ical(ics.content)["METHOD"] == "REQUEST"
    assert read_with_icaljs(icaljs, ics.content)["events"][0]["uid"] == row.uid

    eml = client.get(f"{outbox_url(week)}/{row.id}/message.eml")
    assert eml.status_code == 200 and eml.headers["content-type"] == "message/rfc822"
    assert b"Content-Type: multipart/alternative" in eml.content

    one = client.get(f"{outbox_url(week)}/{row.id}").json()
    assert one["uid"] == row.uid and one["recipient"] == row.recipient


def test_a_message_of_another_inspection_is_not_found(
    client: TestClient, engine: Engine, week: Week, settings: Settings
) -> None:
    publish(engine, week, plan_items(week), settings)
    row = outbox(engine)[0]
    other = f"/api/v1/areas/{week.area_id}/inspections/{week.inspection_id + 1000}/outbox"
    assert client.get(f"{other}/{row.id}").status_code == 404
    assert client.get(f"{outbox_url(week)}/999999/invite.ics").status_code == 404


def test_export_writes_one_ics_file_per_message(
    engine: Engine, week: Week, settings: Settings, tmp_path: Path
) -> None:
    publish(engine, week, plan_items(week), settings)
    rows = outbox(engine)

    written = export_invites(engine, tmp_path / "invites", status=OutboxStatus.PENDING)

    assert len(written) == len(rows)
    assert sorted(p.name for p in (tmp_path / "invites").iterdir()) == [p.name for p in written]
    assert written[0].name == f"{rows[0].id:04d}-request-p{rows[0].person_id}.ics"
    for path, row in zip(written, rows, strict=True):
        assert path.read_bytes() == row.ics.encode()
        assert icalendar.Calendar.from_ical(path.read_bytes())["METHOD"] == "REQUEST"


def test_the_invites_export_command_writes_the_files(
    engine: Engine,
    week: Week,
    settings: Settings,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    publish(engine, week, plan_items(week), settings)
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(
            cli_app, ["invites", "export", str(tmp_path), "--inspection", str(week.inspection_id)]
        )
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    count = len(outbox(engine))
    assert f"wrote {count} invitation file(s)" in done.output
    assert len(list(tmp_path.glob("*.ics"))) == count
