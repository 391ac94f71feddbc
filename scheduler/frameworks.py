"""Inspection framework profiles: the notice rule and the roles of the days, kept as data.

Adding a framework means adding a profile here, not changing the date logic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import StrEnum


class DayRole(StrEnum):
    STRATEGY = "strategy"
    VISITS = "visits"
    FEEDBACK = "feedback"
    CASE_TRACKING = "case_tracking"
    OFF = "off"


@dataclass(frozen=True)
class DayTemplate:
    offset_days: int  # from the on-site Monday; negative = before it
    role: DayRole


@dataclass(frozen=True)
class FrameworkProfile:
    """How much notice a framework gives and what each day is for.

    ``notice_working_days`` full working days (Mon-Fri, not a bank holiday) must fall strictly
    between the notification and the on-site Monday. ``notification_day_counts_before``, when
    set, lets a call received before that local time count its own day as a full one.
    """

    key: str
    name: str
    notice_working_days: int
    days: tuple[DayTemplate, ...]
    notification_day_counts_before: time | None = None


SEND_2016 = FrameworkProfile(
    key="send-2016",
    name="Local area SEND inspection (2016): five working days' notice, one on-site week",
    notice_working_days=5,
    days=(
        DayTemplate(0, DayRole.STRATEGY),
        DayTemplate(1, DayRole.STRATEGY),
        DayTemplate(2, DayRole.VISITS),
        DayTemplate(3, DayRole.VISITS),
        DayTemplate(4, DayRole.FEEDBACK),
    ),
)

AREA_SEND_2023 = FrameworkProfile(
    key="area-send-2023",
    name="Area SEND inspection (2023): ten working days' notice, case tracking, on-site week",
    notice_working_days=10,
    days=(
        *(DayTemplate(offset, DayRole.CASE_TRACKING) for offset in range(-7, -2)),
        DayTemplate(0, DayRole.STRATEGY),
        DayTemplate(1, DayRole.STRATEGY),
        DayTemplate(2, DayRole.VISITS),
        DayTemplate(3, DayRole.VISITS),
        DayTemplate(4, DayRole.FEEDBACK),
    ),
)

PROFILES: dict[str, FrameworkProfile] = {p.key: p for p in (SEND_2016, AREA_SEND_2023)}
DEFAULT_PROFILE = SEND_2016.key
