"""The item routes every resource has (create, read, update, delete), declared once.

List routes stay in each resource's router, because their filters differ.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request, Response, status
from sqlmodel import Session

from api import crud
from api.crud import Resource
from api.deps import AreaDep, SessionDep, inspection_parent, no_parent
from api.problems import Problem

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown id"},
    409: {"model": Problem, "description": "Duplicate, or still referred to"},
    412: {"model": Problem, "description": "If-Match does not match the current ETag"},
    422: {"model": Problem, "description": "Invalid field"},
}

IfMatch = Annotated[str | None, Header(description="ETag from an earlier read")]
ItemId = Annotated[int, Path(ge=1)]


def add_item_routes(router: APIRouter, resource: Resource, id_name: str) -> None:
    """Add POST on the collection and GET/PATCH/DELETE on ``/{<id_name>}``."""
    public: Any = resource.public
    create_schema: Any = resource.create
    update_schema: Any = resource.update
    name = resource.label.replace(" ", "_")
    scope_of = inspection_parent if resource.parent_field else no_parent
    Scope = Annotated[int | None, Depends(scope_of)]
    item_path = "/{" + id_name + "}"
    item_id_param = Annotated[int, Path(alias=id_name, ge=1)]

    def extra(scope: int | None) -> dict[str, Any]:
        return {resource.parent_field: scope} if resource.parent_field else {}

    @router.post(
        "",
        response_model=public,
        status_code=status.HTTP_201_CREATED,
        responses=ERRORS,
        name=f"create_{name}",
        summary=f"Create a {resource.label}",
    )
    def create_item(
        request: Request,
        payload: create_schema,
        area: AreaDep,
        session: SessionDep,
        scope: Scope,
    ) -> Response:
        row = crud.create(session, resource, area, payload, **extra(scope))
        headers = {"ETag": crud.etag(row), "Location": f"{request.url.path}/{row.id}"}
        return crud.json_response(resource.present(row), status.HTTP_201_CREATED, headers)

    @router.get(
        item_path,
        response_model=public,
        responses=ERRORS,
        name=f"get_{name}",
        summary=f"Read a {resource.label}",
    )
    async def read_item(
        item_id: item_id_param, area: AreaDep, session: SessionDep, scope: Scope
    ) -> Response:
        return await crud.read(session, read_one, area.id, item_id, scope)

    def read_one(session: Session, area_id: int, item_id: int, scope: int | None) -> Response:
        row = crud.get_owned(session, resource, area_id, item_id, scope)
        return crud.json_response(resource.present(row), headers={"ETag": crud.etag(row)})

    @router.patch(
        item_path,
        response_model=public,
        responses=ERRORS,
        name=f"update_{name}",
        summary=f"Update a {resource.label} (only the fields given)",
    )
    def update_item(
        item_id: item_id_param,
        payload: update_schema,
        area: AreaDep,
        session: SessionDep,
        scope: Scope,
        if_match: IfMatch = None,
    ) -> Response:
        row = crud.get_owned(session, resource, area.id, item_id, scope)
        crud.check_if_match(row, if_match)
        row = crud.update(session, resource, area, row, payload)
        return crud.json_response(resource.present(row), headers={"ETag": crud.etag(row)})

    @router.delete(
        item_path,
        status_code=status.HTTP_204_NO_CONTENT,
        responses=ERRORS,
        name=f"delete_{name}",
        summary=f"Delete a {resource.label} (refused while others refer to it)",
    )
    def delete_item(
        item_id: item_id_param,
        area: AreaDep,
        session: SessionDep,
        scope: Scope,
        if_match: IfMatch = None,
    ) -> Response:
        row = crud.get_owned(session, resource, area.id, item_id, scope)
        crud.check_if_match(row, if_match)
        crud.delete(session, row)
        return Response(status_code=status.HTTP_204_NO_CONTENT)
