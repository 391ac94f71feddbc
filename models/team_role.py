"""Who does what during the inspection: lead and link officers, runners, data leads ..."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.data_set import ChildSafeText
from models.types import RowId


class Role(StrEnum):
    LEAD_OFFICER = "lead_officer"  # management responsibility over the area of focus
    LINK_OFFICER = "link_officer"  # organises the logistics
    RUNNER = "runner"
    TIMETABLE_MASTER = "timetable_master"
    DATA_LEAD = "data_lead"
    IT_SUPPORT = "it_support"
    NOTE_TAKER = "note_taker"
    OTHER = "other"


class TeamRoleBase(SQLModel):
    role: Role
    person_id: RowId
    responsibilities: ChildSafeText | None = Field(default=None, max_length=2000)
    deputy: bool = Field(default=False, description="Covers the role when the holder is away")


class TeamRole(AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("local_area_id", "role", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    role: Role = Field(index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    responsibilities: str | None = None
    deputy: bool = False


class TeamRoleCreate(TeamRoleBase):
    pass


class TeamRoleUpdate(SQLModel):
    role: Role | None = None
    person_id: RowId | None = None
    responsibilities: ChildSafeText | None = Field(default=None, max_length=2000)
    deputy: bool | None = None


class TeamRolePublic(TeamRoleBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class TeamRolePage(Page):
    items: list[TeamRolePublic]
