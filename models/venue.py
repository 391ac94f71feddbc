"""Rooms and buildings where strategy meetings can take place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import NEVER_REUSED_IDS, AreaOwned, Page
from models.types import Period, SingleLine


class VenueBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    postcode: str | None = Field(default=None, max_length=12)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    capacity: int = Field(default=10, ge=1, le=10000)
    step_free: bool = True
    video_conferencing: bool = False
    unavailable: list[Period] = Field(default_factory=list)


class Venue(AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("local_area_id", "name"), NEVER_REUSED_IDS)
    id: int | None = Field(default=None, primary_key=True)
    name: str
    address: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    capacity: int = 10
    step_free: bool = True
    video_conferencing: bool = False
    unavailable: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)


class VenueCreate(VenueBase):
    name: SingleLine = Field(min_length=1, max_length=200)


class VenueUpdate(SQLModel):
    name: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    postcode: str | None = Field(default=None, max_length=12)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    capacity: int | None = Field(default=None, ge=1, le=10000)
    step_free: bool | None = None
    video_conferencing: bool | None = None
    unavailable: list[Period] | None = None


class VenuePublic(VenueBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class VenuePage(Page):
    items: list[VenuePublic]
