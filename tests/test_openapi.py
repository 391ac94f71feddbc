"""The committed openapi.json is what the app serves, so generated clients never drift."""

from __future__ import annotations

from api.cli import openapi_text
from api.database import ROOT


def test_committed_openapi_matches_the_app() -> None:
    committed = (ROOT / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(), "openapi.json is out of date: run `inspection-week openapi`"
