"""Can every data set be produced inside the notice window? Concrete dates, real bank holidays."""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from api.readiness import RiskCode, feasibility
from models.data_set import DataSet, DataSetStatus
from tests.readiness.helpers import make_inspection, make_person

LONDON = ZoneInfo("Europe/London")


def _data_set(
    extraction_days: int = 1,
    owner_id: int | None = 0,
    status: DataSetStatus = DataSetStatus.IN_PROGRESS,
    refreshed: datetime | None = datetime(2026, 5, 1, 9, tzinfo=UTC),
    row_id: int = 1,
) -> DataSet:
    """A data set in progress, refreshed recently, owned by its own person unless told."""
    return DataSet(
        id=row_id,
        local_area_id=1,
        name=f"data set {row_id}",
        extraction_days=extraction_days,
        owner_id=row_id if owner_id == 0 else owner_id,
        status=status,
        last_refreshed_at=refreshed,
    )


def _codes(result: Any) -> dict[int, set[RiskCode]]:
    return {r.data_set_id: {risk.code for risk in r.risks} for r in result.at_risk}


def test_six_working_days_fit_after_an_ordinary_thursday_call() -> None:
    # Thursday 7 May 2026: on site Monday 18 May; 8 and 11-15 May are left.
    result = feasibility(
        [_data_set(6)], datetime(2026, 5, 7, 10, tzinfo=LONDON), "send-2016", "Europe/London"
    )

    assert result.onsite_start.isoformat() == "2026-05-18"
    assert result.working_days_left == 6
    assert result.can_produce_all and result.at_risk == []


def test_the_bank_holiday_monday_leaves_a_six_day_extraction_at_risk() -> None:
    # Thursday 21 May 2026: Monday 25 May is the spring bank holiday, so only 22 and
    # 26-29 May are left before the on-site Monday, 1 June.
    result = feasibility(
        [_data_set(6)], datetime(2026, 5, 21, 10, tzinfo=LONDON), "send-2016", "Europe/London"
    )

    assert result.onsite_start.isoformat() == "2026-06-01"
    assert result.working_days_left == 5
    assert not result.can_produce_all
    assert _codes(result) == {1: {RiskCode.TOO_SLOW}}
    assert "6 working days" in result.at_risk[0].risks[0].detail


def test_a_friday_call_leaves_five_working_days() -> None:
    result = feasibility(
        [_data_set(5, row_id=1), _data_set(6, row_id=2)],
        datetime(2026, 5, 29, 15, tzinfo=LONDON),
        "send-2016",
        "Europe/London",
    )

    assert result.working_days_left == 5
    assert _codes(result) == {2: {RiskCode.TOO_SLOW}}


def test_a_friday_call_before_a_bank_holiday_pushes_the_week_out_a_week() -> None:
    # Friday 22 May 2026: the Monday after is a bank holiday and the next leaves only four
    # working days, so the inspection starts on 8 June and nine days are left.
    result = feasibility(
        [_data_set(6)], datetime(2026, 5, 22, 10, tzinfo=LONDON), "send-2016", "Europe/London"
    )

    assert result.onsite_start.isoformat() == "2026-06-08"
    assert result.working_days_left == 9
    assert result.can_produce_all


def test_data_are_due_before_case_tracking_in_the_2023_framework() -> None:
    # Thursday 4 June 2026: ten working days' notice puts the on-site week at 22 June, but
    # case tracking starts on 15 June, and the data are needed by then: 5 and 8-12 June.
    result = feasibility(
        [_data_set(6, row_id=1), _data_set(7, row_id=2)],
        datetime(2026, 6, 4, 10, tzinfo=LONDON),
        "area-send-2023",
        "Europe/London",
    )

    assert result.onsite_start.isoformat() == "2026-06-22"
    assert result.data_due_on.isoformat() == "2026-06-15"
    assert result.working_days_left == 6
    assert _codes(result) == {2: {RiskCode.TOO_SLOW}}


def test_stale_and_never_refreshed_data_sets_are_at_risk() -> None:
    notified = datetime(2026, 5, 7, 10, tzinfo=LONDON)
    rows = [
        _data_set(row_id=1, refreshed=notified - timedelta(days=100)),
        _data_set(row_id=2, refreshed=notified - timedelta(days=30)),
        _data_set(row_id=3, refreshed=None),
        _data_set(row_id=4, status=DataSetStatus.STALE, refreshed=notified - timedelta(days=1)),
    ]

    result = feasibility(rows, notified, "send-2016", "Europe/London", freshness_days=90)

    assert _codes(result) == {1: {RiskCode.STALE}, 3: {RiskCode.STALE}, 4: {RiskCode.STALE}}
    details = {r.data_set_id: r.risks[0].detail for r in result.at_risk}
    assert details[1].startswith("last refreshed 100 days")
    assert details[3] == "never refreshed"
    # Stale data can still be extracted in time, so production is not blocked.
    assert result.can_produce_all
    looser = feasibility(rows, notified, "send-2016", "Europe/London", freshness_days=120)
    assert 1 not in _codes(looser)


def test_a_data_set_nobody_owns_blocks_production() -> None:
    result = feasibility(
        [_data_set(owner_id=None)],
        datetime(2026, 5, 7, 10, tzinfo=LONDON),
        "send-2016",
        "Europe/London",
    )

    assert _codes(result) == {1: {RiskCode.NO_OWNER}}
    assert not result.can_produce_all


def test_one_owner_with_too_many_extractions_puts_them_all_at_risk() -> None:
    # Thursday 7 May 2026 leaves six working days; Dana has 3 + 4 days of extraction.
    rows = [
        _data_set(3, owner_id=7, row_id=1),
        _data_set(4, owner_id=7, row_id=2),
        _data_set(4, owner_id=8, row_id=3),
        _data_set(9, owner_id=7, row_id=4, status=DataSetStatus.READY),  # nothing to do
    ]

    result = feasibility(
        rows, datetime(2026, 5, 7, 10, tzinfo=LONDON), "send-2016", "Europe/London"
    )

    assert _codes(result) == {1: {RiskCode.OWNER_OVERLOADED}, 2: {RiskCode.OWNER_OVERLOADED}}
    assert "7 working days of extractions" in result.at_risk[0].risks[0].detail
    assert not result.can_produce_all


def test_a_ready_fresh_data_set_needs_no_extraction_however_slow() -> None:
    result = feasibility(
        [_data_set(20, status=DataSetStatus.READY)],
        datetime(2026, 5, 7, 10, tzinfo=LONDON),
        "send-2016",
        "Europe/London",
    )

    assert result.at_risk == [] and result.ready == 1


def test_the_inspection_feasibility_route_uses_the_inspections_notice_window(
    client: TestClient, area_url: str
) -> None:
    inspection = make_inspection(client, area_url, "2026-05-21T10:00:00+01:00")
    owner = make_person(client, area_url, "Dana Lead")
    items = client.get(f"{area_url}/data-sets", params={"limit": 200}).json()["items"]
    for item in items:
        client.patch(
            f"{area_url}/data-sets/{item['id']}",
            json={
                "owner_id": owner["id"],
                "extraction_days": 1,
                "status": "ready",
                "last_refreshed_at": "2026-05-01T09:00:00+01:00",
            },
        )
    slow = items[0]
    client.patch(
        f"{area_url}/data-sets/{slow['id']}", json={"status": "in_progress", "extraction_days": 6}
    )

    response = client.get(f"{area_url}/inspections/{inspection['id']}/data-sets/feasibility")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["working_days_left"] == 5 and body["data_due_on"] == "2026-06-01"
    assert body["can_produce_all"] is False
    assert [(r["name"], [x["code"] for x in r["risks"]]) for r in body["at_risk"]] == [
        (slow["name"], ["too_slow"])
    ]
    assert body["ready"] == 30 and body["data_sets"] == 31


def test_the_area_feasibility_route_takes_a_notification_date(
    client: TestClient, area_url: str
) -> None:
    url = f"{area_url}/data-sets/feasibility"

    ordinary = client.get(url, params={"notified_at": "2026-05-07T10:00:00+01:00"})
    assert ordinary.status_code == 200, ordinary.text
    assert ordinary.json()["working_days_left"] == 6
    # Seeded data sets have no owner and were never refreshed.
    assert len(ordinary.json()["at_risk"]) == 31

    naive = client.get(url, params={"notified_at": "2026-05-07T10:00:00"})
    assert naive.status_code == 422
    unknown = client.get(url, params={"notified_at": "2026-05-07T10:00:00Z", "framework": "x"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "framework"
    zone = client.get(url, params={"notified_at": "2026-05-07T10:00:00Z", "timezone": "Mars/Base"})
    assert zone.status_code == 422
    assert zone.json()["errors"] == [
        {"field": "timezone", "reason": "unknown timezone 'Mars/Base'", "location": "query"}
    ]
    assert unknown.json()["errors"][0]["location"] == "query"
