"""Local areas: the tenants. Each owns its people, partners, venues, settings and inspections."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy import func
from sqlmodel import col, select

from api import crud
from api.auth import Forbidden
from api.deps import AreaRowDep, PageDep, SessionDep, principal_of
from api.problems import Conflict, Unprocessable, summary
from api.readiness_seed import seed_register
from api.resource_routes import ERRORS, IfMatch
from models import (
    Action,
    ApiToken,
    CoproductionEntry,
    Inspection,
    Organisation,
    Person,
    SelfEvaluationStatement,
    Setting,
    TeamRole,
    Venue,
)
from models.local_area import (
    LocalArea,
    LocalAreaCreate,
    LocalAreaPage,
    LocalAreaPublic,
    LocalAreaUpdate,
)
from models.types import utc_now

router = APIRouter(prefix="/areas", tags=["local areas"])


def _refuse_duplicate_code(session: SessionDep, code: str | None, area_id: int | None) -> None:
    if code is None:
        return
    clash = session.exec(select(LocalArea).where(LocalArea.code == code)).first()
    if clash is not None and clash.id != area_id:
        raise Conflict(
            f"code {code!r} is already used by local area {clash.id}",
            [{"field": "code", "reason": f"already used by local area {clash.id}"}],
        )


@router.post(
    "", response_model=LocalAreaPublic, status_code=status.HTTP_201_CREATED, responses=ERRORS
)
def create_local_area(
    request: Request, payload: LocalAreaCreate, session: SessionDep, response: Response
) -> LocalArea:
    principal = principal_of(request)
    if principal is None or not principal.is_operator:
        raise Forbidden("only the deployment's operator token creates local areas")
    _refuse_duplicate_code(session, payload.code, None)
    area = LocalArea.model_validate(payload)
    session.add(area)
    crud.commit(session)
    session.refresh(area)
    seed_register(session, area.id)  # data sets and documents every area starts with
    response.headers["ETag"] = crud.etag(area)
    return area


@router.get("", response_model=LocalAreaPage)
def list_local_areas(
    request: Request,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    stmt = select(LocalArea)
    principal = principal_of(request)
    if principal is not None and not principal.is_operator:
        stmt = stmt.where(LocalArea.id == principal.local_area_id)
    if q:
        stmt = stmt.where(func.lower(LocalArea.name).contains(q.lower(), autoescape=True))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(
        stmt.order_by(col(LocalArea.id)).offset(page.offset).limit(page.limit)
    ).all()
    items = [LocalAreaPublic.model_validate(r) for r in rows]
    return crud.json_response(
        LocalAreaPage(items=items, total=total, limit=page.limit, offset=page.offset)
    )


@router.get("/{area_id}", response_model=LocalAreaPublic, responses=ERRORS)
def get_local_area(area: AreaRowDep, response: Response) -> LocalArea:
    response.headers["ETag"] = crud.etag(area)
    return area


@router.patch("/{area_id}", response_model=LocalAreaPublic, responses=ERRORS)
def update_local_area(
    request: Request,
    area: AreaRowDep,
    payload: LocalAreaUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> LocalArea:
    crud.check_if_match(area, if_match)
    values = payload.model_dump(exclude_unset=True)
    nulls = [name for name, value in values.items() if value is None]
    if nulls:
        # As for every other resource: null is not "leave it", and an area needs both.
        errors = [
            {"field": name, "reason": "must not be null", "location": "body"} for name in nulls
        ]
        raise Unprocessable(summary(errors), errors)
    _refuse_duplicate_code(session, values.get("code"), area.id)
    if any(getattr(area, name) != value for name, value in values.items()):
        area.sqlmodel_update(values)
        area.version += 1
        area.updated_at = utc_now()
        session.add(area)
        crud.commit(session)
        request.app.state.areas.forget(area.id)
        session.refresh(area)
    response.headers["ETag"] = crud.etag(area)
    return area


@router.delete("/{area_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def delete_local_area(
    request: Request, area: AreaRowDep, session: SessionDep, if_match: IfMatch = None
) -> Response:
    """Only the operator, who creates areas, deletes one: with it go its tokens and its
    readiness register (data sets and documents), so it must own nothing else."""
    principal = principal_of(request)
    if principal is None or not principal.is_operator:
        raise Forbidden("only the deployment's operator token deletes local areas")
    crud.check_if_match(area, if_match)
    owned = []
    for model in (
        Organisation,
        Person,
        Venue,
        Setting,
        Inspection,
        SelfEvaluationStatement,
        Action,
        TeamRole,
        CoproductionEntry,
    ):
        count = session.exec(
            select(func.count()).select_from(model).where(model.local_area_id == area.id)
        ).one()
        if count:
            owned.append(f"{count} × {model.__tablename__}")
    if owned:
        raise Conflict(
            f"local area {area.id} still owns {', '.join(owned)}; delete them first",
            [{"dependent": text} for text in owned],
        )
    for token in session.exec(select(ApiToken).where(ApiToken.local_area_id == area.id)):
        session.delete(token)
    session.delete(area)
    crud.commit(session)
    request.app.state.areas.forget(area.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
