"""Partner organisations of the local area."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.types import SingleLine


class OrganisationKind(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    HEALTH_COMMISSIONER = "health_commissioner"
    NHS_PROVIDER = "nhs_provider"
    EDUCATION_SETTING = "education_setting"
    PARENT_CARER_FORUM = "parent_carer_forum"
    VOLUNTARY_SECTOR = "voluntary_sector"
    INSPECTORATE = "inspectorate"
    OTHER = "other"


class OrganisationBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    website: str | None = Field(default=None, max_length=500)


class Organisation(OrganisationBase, AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("local_area_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)


class OrganisationCreate(OrganisationBase):
    name: SingleLine = Field(min_length=1, max_length=200)


class OrganisationUpdate(SQLModel):
    name: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    kind: OrganisationKind | None = None
    website: str | None = Field(default=None, max_length=500)


class OrganisationPublic(OrganisationBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class OrganisationPage(Page):
    items: list[OrganisationPublic]
