"""Self-evaluation (SEF): RAG-rated statements under the three inspection questions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.data_set import ChildSafeText
from models.types import RowId


class InspectionQuestion(StrEnum):
    """The three questions the local area inspection asks."""

    IDENTIFY = "identify"  # how effectively the area identifies needs
    ASSESS_AND_MEET = "assess_and_meet"  # ... assesses and meets needs
    IMPROVE_OUTCOMES = "improve_outcomes"  # ... improves outcomes


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class SelfEvaluationStatementBase(SQLModel):
    question: InspectionQuestion
    theme: str | None = Field(default=None, max_length=200, description="e.g. early years")
    statement: ChildSafeText = Field(min_length=1, max_length=4000)
    rag: Rag
    evidence: ChildSafeText | None = Field(default=None, max_length=4000)
    partner_view: ChildSafeText | None = Field(default=None, max_length=4000)
    family_view: ChildSafeText | None = Field(
        default=None, max_length=4000, description="View of children, young people and families"
    )
    owner_id: RowId | None = None


class SelfEvaluationStatement(AreaOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    question: InspectionQuestion = Field(index=True)
    theme: str | None = None
    statement: str
    rag: Rag = Field(index=True)
    evidence: str | None = None
    partner_view: str | None = None
    family_view: str | None = None
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)


class SelfEvaluationStatementCreate(SelfEvaluationStatementBase):
    pass


class SelfEvaluationStatementUpdate(SQLModel):
    question: InspectionQuestion | None = None
    theme: str | None = Field(default=None, max_length=200)
    statement: ChildSafeText | None = Field(default=None, min_length=1, max_length=4000)
    rag: Rag | None = None
    evidence: ChildSafeText | None = Field(default=None, max_length=4000)
    partner_view: ChildSafeText | None = Field(default=None, max_length=4000)
    family_view: ChildSafeText | None = Field(default=None, max_length=4000)
    owner_id: RowId | None = None


class SelfEvaluationStatementPublic(SelfEvaluationStatementBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class SelfEvaluationStatementPage(Page):
    items: list[SelfEvaluationStatementPublic]
