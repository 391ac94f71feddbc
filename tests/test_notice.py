"""The notice window: which Monday the inspectors arrive, given when the call came.

The default (2016) profile reads the rule literally: the on-site week starts on the first
Monday that leaves five FULL working days after the notification. The day of the call does
not count, weekends and England and Wales bank holidays do not count, and a Monday that is a
bank holiday is never a first on-site day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.settings import Settings
from scheduler.frameworks import AREA_SEND_2023, SEND_2016, DayRole, FrameworkProfile
from scheduler.notice import is_working_day, notice_window, onsite_start
from tests.api.conftest import cached_app

LONDON = ZoneInfo("Europe/London")


def call(day: str, at: time = time(9, 30)) -> datetime:
    return datetime.combine(date.fromisoformat(day), at, LONDON)


def start(day: str, profile: FrameworkProfile = SEND_2016, at: time = time(9, 30)) -> str:
    return onsite_start(call(day, at), profile, "Europe/London").isoformat()


@pytest.mark.parametrize(
    "notified",
    [
        "2026-11-23",  # Monday: Tue-Fri is only four full days before 30 Nov
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",  # Friday: Mon 30 Nov - Fri 4 Dec are the five full days
        "2026-11-28",
        "2026-11-29",  # Sunday: 30 Nov itself would leave no notice at all
    ],
)
def test_a_call_on_any_day_of_an_ordinary_week_means_the_monday_after_next(
    notified: str,
) -> None:
    assert start(notified) == "2026-12-07"


def test_the_notification_day_itself_never_counts_however_early_the_call() -> None:
    assert start("2026-11-23", at=time(7, 0)) == "2026-12-07"
    window = notice_window(call("2026-11-27"), SEND_2016, "Europe/London")
    assert window.notice_days[0] == date(2026, 11, 30)
    assert len(window.notice_days) == 5


@pytest.mark.parametrize(
    ("notified", "expected"),
    [
        # Christmas 2026: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute), Fri 1 Jan 2027
        ("2026-12-18", "2027-01-04"),
        ("2026-12-22", "2027-01-04"),  # 23, 24, 29, 30, 31 Dec: exactly five
        ("2026-12-23", "2027-01-11"),  # 24, 29, 30, 31 Dec: only four
        # Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar
        ("2027-03-19", "2027-04-05"),
        ("2027-03-24", "2027-04-05"),  # 25, 30, 31 Mar, 1, 2 Apr
        ("2027-03-25", "2027-04-12"),  # without Easter this would be 5 Apr
        # Late May bank holiday, Mon 25 May 2026
        ("2026-05-15", "2026-06-01"),  # five full days before 25 May, but it is a holiday
        ("2026-05-20", "2026-06-01"),
        ("2026-05-22", "2026-06-08"),  # 26-29 May: only four
        # Summer bank holiday, Mon 31 Aug 2026
        ("2026-08-21", "2026-09-07"),
        ("2026-08-28", "2026-09-14"),  # 1-4 Sep: only four
    ],
)
def test_bank_holidays_neither_count_as_notice_nor_start_a_week(
    notified: str, expected: str
) -> None:
    assert start(notified) == expected


def test_a_bank_holiday_monday_is_skipped_even_with_enough_notice() -> None:
    window = notice_window(call("2026-05-15"), SEND_2016, "Europe/London")
    assert not is_working_day(date(2026, 5, 25))
    assert window.onsite_start == date(2026, 6, 1)
    assert date(2026, 5, 25) not in window.notice_days
    assert len(window.notice_days) == 9


@pytest.mark.parametrize(
    ("notified", "expected"),
    [
        ("2026-12-11", "2027-01-04"),  # 21-25 Dec would give feedback on Christmas Day
        ("2027-03-12", "2027-04-05"),  # 22-26 Mar ends on Good Friday; 29 Mar is Easter Monday
    ],
)
def test_a_week_with_a_bank_holiday_on_any_on_site_day_is_skipped(
    notified: str, expected: str
) -> None:
    assert start(notified) == expected


def test_the_notice_days_are_the_full_working_days_in_between() -> None:
    window = notice_window(call("2026-12-22"), SEND_2016, "Europe/London")
    assert window.notified_on == date(2026, 12, 22)
    assert window.notice_days == (
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
    )


def test_the_2016_week_is_strategy_strategy_visits_visits_feedback() -> None:
    window = notice_window(call("2026-11-23"), SEND_2016, "Europe/London")
    assert [(d.day.isoformat(), d.role) for d in window.days] == [
        ("2026-12-07", DayRole.STRATEGY),
        ("2026-12-08", DayRole.STRATEGY),
        ("2026-12-09", DayRole.VISITS),
        ("2026-12-10", DayRole.VISITS),
        ("2026-12-11", DayRole.FEEDBACK),
    ]


def test_the_2023_profile_gives_ten_working_days_and_a_case_tracking_week() -> None:
    assert start("2026-11-23", AREA_SEND_2023) == "2026-12-14"  # 9 days to 7 Dec: too few
    assert start("2026-11-27", AREA_SEND_2023) == "2026-12-14"  # exactly ten
    assert start("2026-12-18", AREA_SEND_2023) == "2027-01-11"  # holidays stretch it
    window = notice_window(call("2026-11-27"), AREA_SEND_2023, "Europe/London")
    assert len(window.notice_days) == 10
    tracking = [d.day for d in window.days if d.role == DayRole.CASE_TRACKING]
    assert tracking == [date(2026, 12, 7) + timedelta(days=n) for n in range(5)]
    assert window.days[-1].role == DayRole.FEEDBACK and window.days[-1].day == date(2026, 12, 18)


def test_a_profile_may_let_a_morning_call_count_its_own_day() -> None:
    morning_counts = FrameworkProfile(
        key="test",
        name="Morning calls count",
        notice_working_days=5,
        days=SEND_2016.days,
        notification_day_counts_before=time(12, 0),
    )
    assert start("2026-11-23", morning_counts, at=time(9, 30)) == "2026-11-30"
    assert start("2026-11-23", morning_counts, at=time(14, 0)) == "2026-12-07"
    window = notice_window(call("2026-11-23"), morning_counts, "Europe/London")
    assert window.notice_days[0] == date(2026, 11, 23)
    assert len(window.notice_days) == 5


def test_the_calendar_day_is_taken_in_the_inspection_timezone() -> None:
    # 23:30 UTC on Sunday 7 June is 00:30 on Monday 8 June in London (BST)
    late = datetime(2026, 6, 7, 23, 30, tzinfo=UTC)
    assert onsite_start(late, SEND_2016, "Europe/London") == date(2026, 6, 22)
    assert onsite_start(late, SEND_2016, "UTC") == date(2026, 6, 15)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        onsite_start(datetime(2026, 11, 23, 9, 30), SEND_2016, "Europe/London")
    with pytest.raises(ValueError, match="timezone-aware"):
        notice_window(datetime(2026, 11, 23, 9, 30), SEND_2016, "Europe/London")


# Through the API


@pytest.fixture
def app(settings: Settings, engine: Engine) -> FastAPI:
    return cached_app(settings, engine)


def _create(client: TestClient, area_url: str, **fields: Any) -> dict[str, Any]:
    payload = {"title": "SEND inspection", "notification_at": "2026-12-22T10:00:00Z"} | fields
    response = client.post(f"{area_url}/inspections", json=payload)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_creating_an_inspection_derives_the_week_and_the_notice_days(
    client: TestClient, area_url: str
) -> None:
    inspection = _create(client, area_url)
    assert inspection["onsite_start"] == "2027-01-04"
    assert inspection["days"] == [
        {"day": "2027-01-04", "role": "strategy"},
        {"day": "2027-01-05", "role": "strategy"},
        {"day": "2027-01-06", "role": "visits"},
        {"day": "2027-01-07", "role": "visits"},
        {"day": "2027-01-08", "role": "feedback"},
    ]
    assert inspection["notice_working_days"] == [
        "2026-12-23",
        "2026-12-24",
        "2026-12-29",
        "2026-12-30",
        "2026-12-31",
    ]


def test_moving_the_notification_re_derives_the_week(client: TestClient, area_url: str) -> None:
    inspection = _create(client, area_url)
    url = f"{area_url}/inspections/{inspection['id']}"
    moved = client.patch(url, json={"notification_at": "2026-12-23T10:00:00Z"}).json()
    assert moved["onsite_start"] == "2027-01-11"
    assert moved["days"][0] == {"day": "2027-01-11", "role": "strategy"}
    assert len(moved["notice_working_days"]) == 9  # 1 Jan is a holiday
    assert client.get(url).json() == moved


def test_switching_framework_re_derives_the_week(client: TestClient, area_url: str) -> None:
    inspection = _create(client, area_url, notification_at="2026-11-27T10:00:00Z")
    url = f"{area_url}/inspections/{inspection['id']}"
    switched = client.patch(url, json={"framework": "area-send-2023"}).json()
    assert switched["onsite_start"] == "2026-12-14"
    assert switched["days"][0] == {"day": "2026-12-07", "role": "case_tracking"}


def test_day_roles_given_by_hand_are_kept(client: TestClient, area_url: str) -> None:
    days = [
        {"day": "2027-01-04", "role": "strategy"},
        {"day": "2027-01-05", "role": "visits"},
        {"day": "2027-01-06", "role": "visits"},
        {"day": "2027-01-07", "role": "strategy"},
        {"day": "2027-01-08", "role": "feedback"},
    ]
    inspection = _create(client, area_url, days=days)
    assert inspection["days"] == days
    url = f"{area_url}/inspections/{inspection['id']}"

    renamed = client.patch(url, json={"title": "Renamed"}).json()
    assert renamed["days"] == days

    edited = days[:4] + [{"day": "2027-01-08", "role": "off"}]
    assert client.patch(url, json={"days": edited}).json()["days"] == edited
    assert client.get(url).json()["days"] == edited


def test_a_new_notification_with_new_day_roles_keeps_the_roles_given(
    client: TestClient, area_url: str
) -> None:
    inspection = _create(client, area_url)
    url = f"{area_url}/inspections/{inspection['id']}"
    days = [{"day": "2027-01-11", "role": "strategy"}]
    changed = client.patch(
        url, json={"notification_at": "2026-12-23T10:00:00Z", "days": days}
    ).json()
    assert changed["onsite_start"] == "2027-01-11"
    assert changed["days"] == days


def test_changing_the_timezone_re_derives_the_week(client: TestClient, area_url: str) -> None:
    # 23:30 UTC on Sunday 7 June is already Monday 8 June in London
    inspection = _create(client, area_url, notification_at="2026-06-07T23:30:00Z", timezone="UTC")
    assert inspection["onsite_start"] == "2026-06-15"
    url = f"{area_url}/inspections/{inspection['id']}"
    moved = client.patch(url, json={"timezone": "Europe/London"}).json()
    assert moved["onsite_start"] == "2026-06-22"
    assert moved["days"][0] == {"day": "2026-06-22", "role": "strategy"}
