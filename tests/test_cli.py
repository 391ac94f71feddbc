"""The ``inspection-week`` command: the demo area, migrations and the openapi check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from api.cli import app
from api.database import make_engine
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


def _count(session: Session, model: type, *where: object) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def test_demo_loads_a_realistic_area_once(database_file: Path) -> None:
    first = runner.invoke(app, ["demo"])
    second = runner.invoke(app, ["demo"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "Northbrook" in first.output
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


def test_openapi_check_fails_on_a_stale_file(tmp_path: Path) -> None:
    # (that the committed file is current is tests/test_openapi.py)
    output = tmp_path / "openapi.json"
    output.write_text("{}\n", encoding="utf-8")
    stale = runner.invoke(app, ["openapi", "--check", "--output", str(output)])
    assert stale.exit_code == 1
    assert "out of date" in stale.output
