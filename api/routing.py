"""Copy routes into a router one by one, instead of ``include_router``.

FastAPI 0.137 and later keep an included router as a node of a tree and walk the whole tree,
once per level, to match every request: with our ~180 routes that cost about 1.5 ms a request
before any of our code ran, more than the feed itself. Copying each route (what
``include_router`` did before 0.137) leaves one flat list that is matched in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, params
from fastapi.routing import APIRoute


def include_flat(
    target: APIRouter,
    source: APIRouter,
    prefix: str = "",
    dependencies: Sequence[params.Depends] = (),
) -> None:
    """Add each of ``source``'s routes to ``target`` under ``prefix``, behind ``dependencies``.

    ``target``'s own prefix, tags, responses and operation ids apply, as with include_router.
    A router that itself includes routers is refused: copy its parts with this function too.
    """
    for route in source.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"{route!r} is not an APIRoute: build {source!r} with include_flat")
        target.add_api_route(
            prefix + route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=list(route.tags),
            dependencies=[*dependencies, *route.dependencies],
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses=route.responses,
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
        )
