"""The notice window: from the notification call to the first on-site day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from scheduler.frameworks import DayRole, FrameworkProfile


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    # England and Wales share one list of bank holidays.
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_between(after: date, before: date) -> list[date]:
    """Working days strictly after ``after`` and strictly before ``before``."""
    days = []
    current = after + timedelta(days=1)
    while current < before:
        if is_working_day(current):
            days.append(current)
        current += timedelta(days=1)
    return days


@dataclass(frozen=True)
class PlannedDay:
    day: date
    role: DayRole


@dataclass(frozen=True)
class NoticeWindow:
    notified_on: date
    onsite_start: date
    notice_days: tuple[date, ...]
    days: tuple[PlannedDay, ...]


def _notice_counted_after(notified_at: datetime, profile: FrameworkProfile, timezone: str) -> date:
    """The day after which notice days count: the notification day, or the day before it
    when the profile lets a call received early enough count its own day as a full one."""
    if notified_at.tzinfo is None:
        raise ValueError("notification time must be timezone-aware")
    local = notified_at.astimezone(ZoneInfo(timezone))
    counted_from = local.date()
    cutoff = profile.notification_day_counts_before
    if cutoff is not None and local.time() < cutoff and is_working_day(counted_from):
        counted_from -= timedelta(days=1)
    return counted_from


def onsite_start(notified_at: datetime, profile: FrameworkProfile, timezone: str) -> date:
    """First Monday that leaves the profile's full working days of notice.

    A week whose on-site days include a bank holiday is skipped (a Monday holiday, or
    feedback on Good Friday or Christmas Day): nobody inspects then.
    """
    counted_from = _notice_counted_after(notified_at, profile, timezone)
    candidate = counted_from + timedelta(days=(7 - counted_from.weekday()) % 7 or 7)
    while len(
        working_days_between(counted_from, candidate)
    ) < profile.notice_working_days or not _onsite_days_free(candidate, profile):
        candidate += timedelta(days=7)
    return candidate


def _onsite_days_free(monday: date, profile: FrameworkProfile) -> bool:
    return all(
        is_working_day(monday + timedelta(days=t.offset_days))
        for t in profile.days
        if t.offset_days >= 0
    )


def notice_window(notified_at: datetime, profile: FrameworkProfile, timezone: str) -> NoticeWindow:
    start = onsite_start(notified_at, profile, timezone)
    notified_on = notified_at.astimezone(ZoneInfo(timezone)).date()
    counted_after = _notice_counted_after(notified_at, profile, timezone)
    return NoticeWindow(
        notified_on=notified_on,
        onsite_start=start,
        notice_days=tuple(working_days_between(counted_after, start)),
        days=tuple(PlannedDay(start + timedelta(days=t.offset_days), t.role) for t in profile.days),
    )
