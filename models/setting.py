"""Education settings the inspectors may visit."""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from pydantic import model_validator
from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import NEVER_REUSED_IDS, AreaOwned, Page
from models.types import Period, RowId, SingleLine


class SettingType(StrEnum):
    EARLY_YEARS = "early_years"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SPECIAL = "special"
    POST16 = "post16"
    PRU_AP = "pru_ap"
    ALL_THROUGH = "all_through"


# SQLModel ignores ``regex=``; ``schema_extra={"pattern": ...}`` is what pydantic enforces.
URN_PATTERN = r"^[0-9A-Za-z]+$"


class SettingBase(SQLModel):
    urn: str = Field(min_length=1, max_length=20, schema_extra={"pattern": URN_PATTERN})
    name: str = Field(min_length=1, max_length=200)
    setting_type: SettingType
    address: str | None = Field(default=None, max_length=500)
    postcode: str | None = Field(default=None, max_length=12)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    opens: time = time(8, 30)
    closes: time = time(15, 30)
    pupils: int | None = Field(default=None, ge=0)
    sen_support: int = Field(default=0, ge=0, description="Children on SEN support")
    ehc_plans: int = Field(default=0, ge=0, description="Children with an EHC plan")
    contact_person_id: RowId | None = None
    unavailable: list[Period] = Field(default_factory=list)

    @model_validator(mode="after")
    def _closes_after_opens(self) -> SettingBase:
        if self.closes <= self.opens:
            raise ValueError("closes: must be after opens")
        return self


class Setting(AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("local_area_id", "urn"), NEVER_REUSED_IDS)
    id: int | None = Field(default=None, primary_key=True)
    urn: str
    name: str = Field(index=True)
    setting_type: SettingType = Field(index=True)
    address: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    opens: time = time(8, 30)
    closes: time = time(15, 30)
    pupils: int | None = None
    sen_support: int = 0
    ehc_plans: int = 0
    contact_person_id: int | None = Field(default=None, foreign_key="person.id")
    unavailable: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)


class SettingCreate(SettingBase):
    name: SingleLine = Field(min_length=1, max_length=200)


class SettingUpdate(SQLModel):
    urn: str | None = Field(
        default=None, min_length=1, max_length=20, schema_extra={"pattern": URN_PATTERN}
    )
    name: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    setting_type: SettingType | None = None
    address: str | None = Field(default=None, max_length=500)
    postcode: str | None = Field(default=None, max_length=12)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    opens: time | None = None
    closes: time | None = None
    pupils: int | None = Field(default=None, ge=0)
    sen_support: int | None = Field(default=None, ge=0)
    ehc_plans: int | None = Field(default=None, ge=0)
    contact_person_id: RowId | None = None
    unavailable: list[Period] | None = None


class SettingPublic(SettingBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class SettingPage(Page):
    items: list[SettingPublic]
