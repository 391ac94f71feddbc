"""Data-set register: each data set the inspectors may ask for, and how ready it is.

The register tracks that a data set (say "children in need with SEND") can be produced; it never
holds the children's records. Free text that carries child-level identifiers is refused here.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.types import RowId, SingleLine, UTCDateTime

# A unique pupil number: a check letter then 12 characters (the last may be a letter), in
# either case: people type them in lower case too.
_UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b", re.I)
# NHS numbers (and ULNs, same shape): ten digits, optionally grouped 3-3-4 by spaces, dots or
# dashes. The check digit (see _valid_nhs_number) keeps other ten-digit numbers out.
_TEN_DIGITS = re.compile(r"\b(\d{3})[ .-]?(\d{3})[ .-]?(\d{4})\b")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
_GAP = r"(?:\s*,\s*|\s+)"
# A date only counts after a birth keyword: a date or a year alone (a meeting on 3 April
# 2015, "since 2015") is ordinary text, and so is a cohort's range ("born 1 September 2020
# to 31 August 2021"). Dates: 03/04/2015, 2015-04-03, 3 April 2015, 3rd of Apr 2015, April 3,
# 2015. Each gap between parts can be matched one way only, so that a long run of spaces
# costs linear time, not quadratic (the guard runs on fields of thousands of characters).
_DATE_OF_BIRTH = re.compile(
    r"\b(?:dob|d\.o\.b\.?|date[ -]of[ -]birth|birth ?date|born(?:\s+on)?)[\s:=-]{0,4}"
    r"(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}{_GAP}\d{{4}}"
    rf"|{_MONTH}\s+{_DAY}{_GAP}\d{{4}})\b"
    r"(?![ \t]*(?:to|until|and|-|–)\s)",
    re.I,
)


def _valid_nhs_number(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return (0 if check == 11 else check) == int(digits[9]) and check != 10


def child_identifier_reason(text: str) -> str | None:
    """Why ``text`` looks like child-level data, or None.

    The checks are deliberately narrow (identifier patterns, not names) so that ordinary
    descriptions and links pass.
    """
    if _UPN.search(text):
        return "contains what looks like a unique pupil number (UPN)"
    for match in _TEN_DIGITS.finditer(text):
        if _valid_nhs_number("".join(match.groups())):
            return "contains what looks like an NHS number"
    if _DATE_OF_BIRTH.search(text):
        return "contains a date of birth"
    return None


def _refuse_child_identifiers(value: str) -> str:
    reason = child_identifier_reason(value)
    if reason:
        raise ValueError(f"{reason}; the register records readiness only, never children's records")
    return value


ChildSafeText = Annotated[str, AfterValidator(_refuse_child_identifiers)]
"""Free text or a link that must not carry child-level identifiers."""

ChildSafeName = Annotated[SingleLine, AfterValidator(_refuse_child_identifiers)]
"""A name or title (see SingleLine) of a register entry: a list "for child UPN ..." is as much
a child's record as the same words in its description."""


class DataSetStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    READY = "ready"
    STALE = "stale"


class DataSetBase(SQLModel):
    name: str = Field(min_length=1, max_length=300)
    description: ChildSafeText | None = Field(default=None, max_length=2000)
    category: str = Field(default="other", min_length=1, max_length=100)
    owner_id: RowId | None = Field(default=None, description="Person who produces it")
    source_system: ChildSafeText | None = Field(default=None, max_length=200)
    source_team: ChildSafeText | None = Field(default=None, max_length=200)
    extraction_days: int = Field(
        default=1, ge=0, le=60, description="Working days it takes to extract and present"
    )
    last_refreshed_at: AwareDatetime | None = None
    status: DataSetStatus = DataSetStatus.NOT_STARTED
    link: ChildSafeText | None = Field(
        default=None, max_length=2000, description="Where the prepared extract is kept"
    )


class DataSet(AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("local_area_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    # Seeded with the area, so it goes with the area (a new area can still be deleted).
    local_area_id: int = Field(foreign_key="localarea.id", index=True, ondelete="CASCADE")
    name: str
    description: str | None = None
    category: str = Field(default="other", index=True)
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    source_system: str | None = None
    source_team: str | None = None
    extraction_days: int = 1
    last_refreshed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: DataSetStatus = Field(default=DataSetStatus.NOT_STARTED, index=True)
    link: str | None = None


class DataSetCreate(DataSetBase):
    name: ChildSafeName = Field(min_length=1, max_length=300)


class DataSetUpdate(SQLModel):
    name: ChildSafeName | None = Field(default=None, min_length=1, max_length=300)
    description: ChildSafeText | None = Field(default=None, max_length=2000)
    category: str | None = Field(default=None, min_length=1, max_length=100)
    owner_id: RowId | None = None
    source_system: ChildSafeText | None = Field(default=None, max_length=200)
    source_team: ChildSafeText | None = Field(default=None, max_length=200)
    extraction_days: int | None = Field(default=None, ge=0, le=60)
    last_refreshed_at: AwareDatetime | None = None
    status: DataSetStatus | None = None
    link: ChildSafeText | None = Field(default=None, max_length=2000)


class DataSetPublic(DataSetBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class DataSetPage(Page):
    items: list[DataSetPublic]
