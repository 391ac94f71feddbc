"""The ``inspection-week`` command: the demo area, migrations and the openapi check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from api import cli
from api.cli import app
from api.database import make_engine
from api.demo_week import plan_and_publish
from api.settings import get_settings
from models import (
    Inspection,
    LocalArea,
    MeetingRequest,
    Organisation,
    Person,
    Setting,
    Venue,
    VisitCandidate,
)
from models.person import PersonKind
from models.setting import SettingType
from scheduler.frameworks import DayRole

runner = CliRunner()


@pytest.fixture
def database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "demo.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def _count(session: Session, model: type, *where: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def test_demo_loads_a_realistic_area_once(
    database_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    solves: list[int] = []

    def quick_plan_and_publish(session: Session, inspection: Any, settings: Any) -> Any:
        solves.append(inspection.id)  # the week's planning is tested in tests/plans
        return plan_and_publish(session, inspection, settings, time_limit_s=1.0)

    monkeypatch.setattr(cli, "plan_and_publish", quick_plan_and_publish)

    first = runner.invoke(app, ["demo"])
    second = runner.invoke(app, ["demo"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "Northbrook" in first.output
    assert len(solves) == 1  # loading again neither duplicates nor re-plans
    engine = make_engine(f"sqlite:///{database_file}")
    with Session(engine) as session:
        assert _count(session, LocalArea) == 1
        assert 140 <= _count(session, Person) <= 160
        assert _count(session, Organisation) == 12
        assert _count(session, Venue) == 8
        assert 38 <= _count(session, Setting) <= 42
        assert _count(session, Inspection) == 1
        types = set(session.exec(select(Setting.setting_type)).all())
        assert types == set(SettingType)
        kinds = set(session.exec(select(Person.kind)).all())
        assert kinds == set(PersonKind)

        inspection = session.exec(select(Inspection)).one()
        assert inspection.onsite_start.weekday() == 0
        assert [d["role"] for d in inspection.days] == [
            DayRole.STRATEGY,
            DayRole.STRATEGY,
            DayRole.VISITS,
            DayRole.VISITS,
            DayRole.FEEDBACK,
        ]
        inspectors = session.exec(
            select(Person).where(Person.id.in_(inspection.inspector_ids))  # type: ignore[union-attr]
        ).all()
        assert inspectors and all(p.kind == PersonKind.INSPECTOR for p in inspectors)
        assert _count(session, MeetingRequest) >= 10
        assert _count(session, VisitCandidate) == _count(session, Setting)
    engine.dispose()


def test_migrate_creates_an_empty_database(database_file: Path) -> None:
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{database_file}")
    with Session(engine) as session:
        assert _count(session, LocalArea) == 0
    engine.dispose()


def test_openapi_writes_the_schema_and_check_fails_when_it_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The schema itself is compared in tests/test_openapi.py; here only the command's logic.
    monkeypatch.setattr(cli, "openapi_text", lambda: '{"openapi": "3.1.0"}\n')
    output = tmp_path / "openapi.json"
    output.write_text("{}\n", encoding="utf-8")

    stale = runner.invoke(app, ["openapi", "--check", "--output", str(output)])
    written = runner.invoke(app, ["openapi", "--output", str(output)])
    current = runner.invoke(app, ["openapi", "--check", "--output", str(output)])

    assert stale.exit_code == 1 and "out of date" in stale.output
    assert written.exit_code == 0
    assert output.read_text(encoding="utf-8") == '{"openapi": "3.1.0"}\n'
    assert current.exit_code == 0
