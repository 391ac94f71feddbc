"""The area action plan: what will be done about amber and red self-evaluation statements."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import AreaOwned, Page
from models.data_set import ChildSafeText
from models.types import RowId


class Progress(StrEnum):
    """How far a task has got; shared by actions and logistics items."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class ActionBase(SQLModel):
    action: ChildSafeText = Field(min_length=1, max_length=2000)
    owner_id: RowId | None = None
    due_on: date | None = None
    progress: Progress = Progress.NOT_STARTED
    progress_note: ChildSafeText | None = Field(default=None, max_length=2000)
    statement_id: RowId | None = Field(
        default=None, description="The self-evaluation statement it addresses"
    )


class Action(AreaOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    action: str
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    due_on: date | None = None
    progress: Progress = Field(default=Progress.NOT_STARTED, index=True)
    progress_note: str | None = None
    statement_id: int | None = Field(
        default=None, foreign_key="selfevaluationstatement.id", index=True
    )


class ActionCreate(ActionBase):
    pass


class ActionUpdate(SQLModel):
    action: ChildSafeText | None = Field(default=None, min_length=1, max_length=2000)
    owner_id: RowId | None = None
    due_on: date | None = None
    progress: Progress | None = None
    progress_note: ChildSafeText | None = Field(default=None, max_length=2000)
    statement_id: RowId | None = None


class ActionPublic(ActionBase):
    id: int
    local_area_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class ActionPage(Page):
    items: list[ActionPublic]
