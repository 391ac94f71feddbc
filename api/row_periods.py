"""Reading stored JSON periods back as aware (start, end) pairs for the planners."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any


def periods(raw: Iterable[Mapping[str, Any]] | None) -> tuple[tuple[datetime, datetime], ...]:
    return tuple(
        (datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"])) for p in raw or ()
    )
