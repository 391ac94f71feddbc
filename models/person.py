"""People the week involves: staff, frontline practitioners, parent carer forum reps, inspectors."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, EmailStr, model_validator
from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import NEVER_REUSED_IDS, AreaOwned, Page
from models.types import Period, RowId, SingleLine, UTCDateTime


class PersonKind(StrEnum):
    STAFF = "staff"
    FRONTLINE = "frontline"
    PARENT_REP = "parent_rep"
    INSPECTOR = "inspector"


class InspectorBody(StrEnum):
    HMI = "hmi"
    CQC = "cqc"
    LA = "la"


class PersonBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr = Field(max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    organisation_id: RowId | None = None
    job_title: str | None = Field(default=None, max_length=200)
    kind: PersonKind = PersonKind.STAFF
    inspector_body: InspectorBody | None = Field(
        default=None, description="Only for inspectors: HMI (Ofsted), CQC or LA"
    )
    themes: list[str] = Field(default_factory=list, description="Themes of expertise")
    unavailable: list[Period] = Field(default_factory=list)
    max_meetings_per_day: int | None = Field(default=None, ge=0, le=20)
    needs_step_free: bool = False
    available_hours: list[Period] = Field(
        default_factory=list,
        description="Parent carer forum reps: the only hours they can attend (empty = any)",
    )
    contact_verified_at: AwareDatetime | None = Field(
        default=None, description="When the contact details were last confirmed"
    )

    @model_validator(mode="after")
    def _inspector_body_only_for_inspectors(self) -> PersonBase:
        if self.inspector_body is not None and self.kind != PersonKind.INSPECTOR:
            raise ValueError("inspector_body: only inspectors belong to an inspecting body")
        return self


class Person(AreaOwned, table=True):
    __table_args__ = (UniqueConstraint("local_area_id", "email"), NEVER_REUSED_IDS)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    email: str
    phone: str | None = None
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    job_title: str | None = None
    kind: PersonKind = Field(default=PersonKind.STAFF, index=True)
    inspector_body: InspectorBody | None = None
    themes: list[str] = Field(default_factory=list, sa_type=JSON)
    unavailable: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    max_meetings_per_day: int | None = None
    needs_step_free: bool = False
    available_hours: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    contact_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PersonCreate(PersonBase):
    name: SingleLine = Field(min_length=1, max_length=200)


class PersonUpdate(SQLModel):
    name: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    organisation_id: RowId | None = None
    job_title: str | None = Field(default=None, max_length=200)
    kind: PersonKind | None = None
    inspector_body: InspectorBody | None = None
    themes: list[str] | None = None
    unavailable: list[Period] | None = None
    max_meetings_per_day: int | None = Field(default=None, ge=0, le=20)
    needs_step_free: bool | None = None
    available_hours: list[Period] | None = None
    contact_verified_at: AwareDatetime | None = None


class PersonPublic(PersonBase):
    email: str
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class PersonPage(Page):
    items: list[PersonPublic]
