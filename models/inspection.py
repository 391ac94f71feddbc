"""An inspection of a local area: the notice window, the week's days and the inspectors."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, field_validator, model_validator
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.types import RowId, RowIds, SingleLine, UTCDateTime
from scheduler.frameworks import DEFAULT_PROFILE, PROFILES, DayRole


class InspectionDay(BaseModel):
    day: date
    role: DayRole


class WorkingHours(BaseModel):
    """Hours of the strategy and visit days, with the protected lunch window."""

    start: time = time(8, 30)
    end: time = time(17, 30)
    lunch_start: time = time(12, 30)
    lunch_end: time = time(13, 15)

    @model_validator(mode="after")
    def _ordered(self) -> WorkingHours:
        if not self.start <= self.lunch_start < self.lunch_end <= self.end:
            raise ValueError("lunch_start: need start <= lunch_start < lunch_end <= end")
        return self


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown timezone {value!r}") from error
    return value


def _check_notification(value: datetime) -> datetime:
    # Far-off years are typos, and the bank holiday calendar (and date arithmetic near
    # year 9999) cannot serve them.
    if not 2000 <= value.year <= 2099:
        raise ValueError("must be between the years 2000 and 2099")
    return value


def _check_framework(value: str) -> str:
    if value not in PROFILES:
        raise ValueError(f"unknown framework {value!r}; known: {', '.join(sorted(PROFILES))}")
    return value


class InspectionBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    framework: str = Field(default=DEFAULT_PROFILE, description="Framework profile key")
    notification_at: AwareDatetime = Field(description="When the notification call came")
    timezone: str = "Europe/London"
    inspector_ids: RowIds = Field(default_factory=list)
    lead_inspector_id: RowId | None = None
    link_officer_id: RowId | None = None
    working_hours: WorkingHours = Field(default_factory=WorkingHours)

    _tz = field_validator("timezone")(_check_timezone)
    _fw = field_validator("framework")(_check_framework)
    _when = field_validator("notification_at")(_check_notification)


class Inspection(AreaOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    framework: str = DEFAULT_PROFILE
    notification_at: datetime = Field(sa_type=UTCDateTime)
    timezone: str = "Europe/London"
    onsite_start: date
    days: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    inspector_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    lead_inspector_id: int | None = Field(default=None, foreign_key="person.id")
    link_officer_id: int | None = Field(default=None, foreign_key="person.id")
    working_hours: dict[str, str] = Field(default_factory=dict, sa_type=JSON)


class InspectionCreate(InspectionBase):
    title: SingleLine = Field(min_length=1, max_length=200)
    days: list[InspectionDay] | None = Field(
        default=None, description="Override the framework's day roles; derived when omitted"
    )


class InspectionUpdate(SQLModel):
    title: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    framework: str | None = None
    notification_at: AwareDatetime | None = None
    timezone: str | None = None
    inspector_ids: RowIds | None = None
    lead_inspector_id: RowId | None = None
    link_officer_id: RowId | None = None
    working_hours: WorkingHours | None = None
    days: list[InspectionDay] | None = None

    _tz = field_validator("timezone")(lambda v: v if v is None else _check_timezone(v))
    _fw = field_validator("framework")(lambda v: v if v is None else _check_framework(v))
    _when = field_validator("notification_at")(lambda v: v if v is None else _check_notification(v))


class InspectionPublic(InspectionBase):
    id: int
    local_area_id: int
    onsite_start: date
    days: list[InspectionDay]
    notice_working_days: list[date] = Field(
        default_factory=list, description="Full working days between notification and on-site"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class InspectionPage(Page):
    items: list[InspectionPublic]
