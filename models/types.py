"""Column types and value objects shared by the resource models."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    Field,
    StringConstraints,
    model_validator,
)
from sqlalchemy import JSON, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores instants in UTC and gives them back timezone-aware.

    SQLite has no timezone type, so without this an aware datetime would come back naive
    and be read as local time by whoever sees it next.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: give a timezone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONList = JSON

MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
"""An id another row refers to: bounded, so a huge number is a 422 naming the field rather
than an overflow inside the database driver."""


def _each_once(ids: list[int]) -> list[int]:
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"listed more than once: {twice}")
    return ids


RowIds = Annotated[list[RowId], AfterValidator(_each_once)]
"""Ids of other rows, each at most once: a person listed twice in one meeting would be
counted twice by the planner."""

# C0 and C1 controls (newline, carriage return, tab, ...), DEL, and the Unicode line and
# paragraph separators that some readers also take for a line break.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(value: str) -> str:
    if _NOT_ONE_LINE.search(value):
        raise ValueError("must be a single line: no line breaks, tabs or other control characters")
    return value


SingleLine = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_one_line)]
"""A name or title: one line, without surrounding whitespace.

Names end up in calendar feeds, email subjects and CSV cells, where a line break splits or
breaks the line it sits in. Stripping matches the CSV import (which strips every cell), so an
export then import finds the same row instead of adding a second one. Used in the create and
update schemas only, so that rows stored before this rule still read back."""


class Period(BaseModel):
    """A span of time someone or something is (un)available, with an optional reason."""

    start: AwareDatetime
    end: AwareDatetime
    reason: str | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Period:
        if self.end <= self.start:
            raise ValueError("end: must be after start")
        return self


def utc_now() -> datetime:
    return datetime.now(UTC)


def row_values(schema: BaseModel, table: Any, *, exclude_unset: bool = False) -> dict[str, Any]:
    """Values of ``schema`` ready to assign to ``table`` columns.

    JSON columns need JSON-safe values (ISO strings), every other column needs Python
    values, so the two dumps are merged per column type.
    """
    python = schema.model_dump(exclude_unset=exclude_unset)
    as_json = schema.model_dump(mode="json", exclude_unset=exclude_unset)
    columns = table.__table__.columns
    return {
        name: as_json[name] if name in columns and isinstance(columns[name].type, JSON) else value
        for name, value in python.items()
    }
