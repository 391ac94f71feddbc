"""Per-inspection planning parameters: visit quotas and lengths, inspectors' bases, travel.

Kept apart from the inspection itself so the planners' knobs can grow without touching
the inspection's own record.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import JSON
from sqlmodel import Field as ColumnField
from sqlmodel import SQLModel

from models.setting import SettingType
from models.types import UTCDateTime, utc_now

DEFAULT_QUOTAS = {
    SettingType.EARLY_YEARS: 1,
    SettingType.PRIMARY: 1,
    SettingType.SECONDARY: 1,
    SettingType.SPECIAL: 1,
    SettingType.POST16: 1,
    SettingType.PRU_AP: 1,
}


class Base(BaseModel):
    """Where an inspector starts and ends each visit day (hotel or council office)."""

    inspector_id: int
    name: str = Field(min_length=1, max_length=200)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class TravelTime(BaseModel):
    """A real road time that overrides the estimate from coordinates."""

    origin: str = Field(description='"base:<inspector id>", "setting:<id>" or "venue:<id>"')
    destination: str
    minutes: int = Field(ge=0, le=600)


class Travel(BaseModel):
    road_factor: float = Field(default=1.35, ge=1.0, le=3.0)
    speed_kmh: float = Field(default=30.0, gt=0, le=130)
    minimum_minutes: int = Field(default=5, ge=0, le=120)
    matrix: list[TravelTime] = Field(default_factory=list)


class Feedback(BaseModel):
    """The Friday feedback meeting: one fixed event for the inspectors and the area's leaders."""

    start: time = time(11, 0)
    end: time = time(12, 30)
    venue_id: int | None = None
    leader_ids: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Feedback:
        if self.end <= self.start:
            raise ValueError("end: must be after start")
        return self


class PlanningSettingsBody(BaseModel):
    grid_minutes: int = Field(default=15, ge=5, le=60)
    visit_quotas: dict[SettingType, int] = Field(
        default_factory=lambda: dict(DEFAULT_QUOTAS),
        description="Least number of visits per setting type",
    )
    visit_minutes: dict[SettingType, int] = Field(
        default_factory=dict, description="Visit length per setting type (default 180)"
    )
    max_visits_per_inspector_day: int = Field(default=2, ge=1, le=6)
    inspector_bases: list[Base] = Field(default_factory=list)
    travel: Travel = Field(default_factory=Travel)
    feedback: Feedback = Field(default_factory=Feedback)

    @model_validator(mode="after")
    def _limits(self) -> PlanningSettingsBody:
        for kind, minutes in self.visit_minutes.items():
            if not 30 <= minutes <= 180:
                raise ValueError(f"visit_minutes: {kind.value} must be 30 to 180 minutes")
        for kind, count in self.visit_quotas.items():
            if not 0 <= count <= 20:
                raise ValueError(f"visit_quotas: {kind.value} must be 0 to 20")
        return self


class PlanningSettings(SQLModel, table=True):
    id: int | None = ColumnField(default=None, primary_key=True)
    local_area_id: int = ColumnField(foreign_key="localarea.id", index=True)
    inspection_id: int = ColumnField(foreign_key="inspection.id", unique=True)
    values: dict[str, Any] = ColumnField(default_factory=dict, sa_type=JSON)
    version: int = 1
    updated_at: datetime = ColumnField(default_factory=utc_now, sa_type=UTCDateTime)
