"""Self-evaluation statements, and how amber and red ones become the area action plan."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, ListingDep, PageDep, SessionDep
from api.resource_routes import ERRORS, add_item_routes
from api.routers.actions import ACTION
from models.action import Action, ActionCreate, ActionPublic
from models.data_set import ChildSafeText
from models.local_area import LocalArea
from models.self_evaluation import (
    InspectionQuestion,
    Rag,
    SelfEvaluationStatement,
    SelfEvaluationStatementCreate,
    SelfEvaluationStatementPage,
    SelfEvaluationStatementPublic,
    SelfEvaluationStatementUpdate,
)
from models.types import RowId, utc_now

STATEMENT = Resource(
    model=SelfEvaluationStatement,
    create=SelfEvaluationStatementCreate,
    update=SelfEvaluationStatementUpdate,
    public=SelfEvaluationStatementPublic,
    search=("statement", "theme", "evidence"),
)

# Red gaps are tackled first: the default due date of a generated action follows the rating.
DAYS_TO_ACT = {Rag.RED: 30, Rag.AMBER: 60}

QUESTION_TEXT = {
    InspectionQuestion.IDENTIFY: "identify needs",
    InspectionQuestion.ASSESS_AND_MEET: "assess and meet needs",
    InspectionQuestion.IMPROVE_OUTCOMES: "improve outcomes",
}


class ActionFromStatement(BaseModel):
    """Anything left out is taken from the statement (text, owner, a due date by RAG)."""

    action: ChildSafeText | None = Field(default=None, min_length=1, max_length=2000)
    owner_id: RowId | None = None
    due_on: date | None = None


class QuestionRagCount(BaseModel):
    """One inspection question with how its statements are rated."""

    question: InspectionQuestion
    question_text: str
    rag: dict[Rag, int]
    statements: int
    without_action: int = Field(description="Amber and red statements with no action yet")


class GeneratedActions(BaseModel):
    created: int
    items: list[ActionPublic]


router = APIRouter(prefix="/areas/{area_id}/self-evaluation", tags=["self-evaluation"])


@router.get("", response_model=SelfEvaluationStatementPage, summary="List SEF statements")
async def list_statements(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    question: InspectionQuestion | None = None,
    rag: Rag | None = None,
    owner_id: IdFilter = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return await crud.list_response(
        session,
        STATEMENT,
        SelfEvaluationStatementPage,
        area.id,
        page,
        listing,
        equals={"question": question, "rag": rag, "owner_id": owner_id},
        text=q,
    )


@router.get(
    "/by-question",
    response_model=list[QuestionRagCount],
    responses=ERRORS,
    summary="RAG counts under each of the three inspection questions",
)
def statements_by_question(area: AreaDep, session: SessionDep) -> list[QuestionRagCount]:
    statements = session.exec(
        select(SelfEvaluationStatement).where(SelfEvaluationStatement.local_area_id == area.id)
    ).all()
    covered = _statements_with_actions(session, area.id)
    result = []
    for question, text in QUESTION_TEXT.items():
        mine = [s for s in statements if s.question == question]
        result.append(
            QuestionRagCount(
                question=question,
                question_text=text,
                rag={rag: sum(1 for s in mine if s.rag == rag) for rag in Rag},
                statements=len(mine),
                without_action=sum(1 for s in mine if s.rag in DAYS_TO_ACT and s.id not in covered),
            )
        )
    return result


def _statements_with_actions(session: Session, area_id: int | None) -> set[int | None]:
    return set(
        session.exec(
            select(Action.statement_id).where(
                Action.local_area_id == area_id,
                Action.statement_id.is_not(None),  # type: ignore[union-attr]
            )
        ).all()
    )


def _action_for(
    session: Session,
    area: LocalArea,
    statement: SelfEvaluationStatement,
    given: ActionFromStatement,
) -> Action:
    today = utc_now().date()
    default_due = today + timedelta(days=DAYS_TO_ACT.get(statement.rag, 90))
    text = f"Close the gap ({statement.rag.value}, {QUESTION_TEXT[statement.question]}): "
    payload = crud.validated(
        ActionCreate,
        {
            "action": given.action or (text + statement.statement)[:2000],
            "owner_id": given.owner_id if given.owner_id is not None else statement.owner_id,
            "due_on": given.due_on or default_due,
            "statement_id": statement.id,
        },
    )
    added: Action = crud.add(session, ACTION, area, payload)
    return added


@router.post(
    "/generate-actions",
    response_model=GeneratedActions,
    responses=ERRORS,
    summary="Add an action for every amber or red statement that has none yet",
)
def generate_actions(area: AreaDep, session: SessionDep) -> GeneratedActions:
    covered = _statements_with_actions(session, area.id)
    statements = session.exec(
        select(SelfEvaluationStatement)
        .where(
            SelfEvaluationStatement.local_area_id == area.id,
            SelfEvaluationStatement.rag.in_(tuple(DAYS_TO_ACT)),  # type: ignore[attr-defined]
        )
        .order_by(SelfEvaluationStatement.id)  # type: ignore[arg-type]
    ).all()
    created = [
        _action_for(session, area, s, ActionFromStatement())
        for s in statements
        if s.id not in covered
    ]
    # One commit for all: a statement whose action is refused leaves none of them saved.
    crud.commit(session)
    for action in created:
        session.refresh(action)
    return GeneratedActions(created=len(created), items=[ACTION.present(a) for a in created])


@router.post(
    "/{statement_id}/actions",
    response_model=ActionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
    summary="Turn a statement into an action plan item",
)
def create_action_for_statement(
    statement_id: Annotated[int, Path(ge=1)],
    area: AreaDep,
    session: SessionDep,
    response: Response,
    payload: ActionFromStatement | None = None,
) -> ActionPublic:
    statement = crud.get_owned(session, STATEMENT, area.id, statement_id)
    action = _action_for(session, area, statement, payload or ActionFromStatement())
    crud.commit(session)
    session.refresh(action)
    response.headers["ETag"] = crud.etag(action)
    return ActionPublic.model_validate(action)


add_item_routes(router, STATEMENT, "statement_id")
