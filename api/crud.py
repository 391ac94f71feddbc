"""Create, read, update, delete and list for area-owned rows, with the checks all share."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, String, cast, func, or_, true
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select
from starlette.concurrency import run_in_threadpool

from api.capacity import runs_on_loop
from api.deps import Listing, PageParams
from api.problems import (
    Conflict,
    NotFound,
    PreconditionFailed,
    Unprocessable,
    field_errors,
    summary,
)
from api.references import check_targets, describe, label, refuse_if_referenced
from api.stamps import Stamp, read_stamp
from models.types import MAX_ROW_ID, row_values, utc_now

T = TypeVar("T")

Prepare = Callable[[Session, Any, dict[str, Any], Any | None], None]
"""Hook(session, area, values, existing_row) that derives fields or adds domain checks."""


@dataclass(frozen=True)
class Resource:
    """What the generic operations need to know about one resource."""

    model: type[SQLModel]
    create: type[SQLModel]
    update: type[SQLModel]
    public: type[SQLModel]
    unique: tuple[str, ...] = ()
    parent_field: str | None = None  # e.g. "inspection_id" for rows owned by an inspection
    prepare: Prepare | None = None
    to_public: Callable[[Any], Any] | None = None
    search: tuple[str, ...] = field(default=("name",))

    @property
    def label(self) -> str:
        return label(self.model)

    def present(self, row: Any) -> Any:
        return self.to_public(row) if self.to_public else self.public.model_validate(row)


def etag(row: Any) -> str:
    return f'"{type(row).__name__.lower()}-{row.id}-v{row.version}"'


def etag_matches(header: str | None, tag: str) -> bool:
    """Whether an If-Match / If-None-Match header names this ETag (or is "*")."""
    if header is None:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or tag in tags


def check_if_match(row: Any, if_match: str | None) -> None:
    """Refuse a write based on a stale copy (someone else changed the row first)."""
    if if_match is None:
        return
    if not etag_matches(if_match, etag(row)):
        raise PreconditionFailed(
            f"{describe(row)} has changed since you read it (now {etag(row)}); "
            "reload it and apply your change again"
        )


def get_owned(
    session: Session, resource: Resource, area_id: int, row_id: int, parent_id: int | None = None
) -> Any:
    model: Any = resource.model
    row = session.get(model, row_id) if row_id <= MAX_ROW_ID else None
    if row is None or row.local_area_id != area_id:
        raise NotFound(f"{resource.label} {row_id} does not exist in local area {area_id}")
    if resource.parent_field and getattr(row, resource.parent_field) != parent_id:
        raise NotFound(f"{resource.label} {row_id} does not belong to {parent_id}")
    return row


def _check_unique(
    session: Session, resource: Resource, area_id: int, values: dict[str, Any], existing: Any
) -> None:
    """Refuse a new or changed key that another row of the area already has. A key an update
    leaves as it is is not checked: rows saved before keys ignored case may share one."""
    model: Any = resource.model
    row_id = existing.id if existing is not None else None
    for name in resource.unique:
        if values.get(name) is None:
            continue
        if existing is not None and getattr(existing, name) == values[name]:
            continue
        value = values[name]
        column = getattr(model, name)
        stmt = select(model).where(
            model.local_area_id == area_id, _may_match(column, value), model.id != row_id
        )
        if resource.parent_field:
            scope = getattr(model, resource.parent_field)
            stmt = stmt.where(scope == values.get(resource.parent_field))
        rows = session.exec(stmt.order_by(model.id))
        clash = next((r for r in rows if folded(getattr(r, name)) == folded(value)), None)
        if clash is not None:
            raise Conflict(
                f"{name} {value!r} is already used by {describe(clash)}",
                [{"field": name, "reason": f"already used by {describe(clash)}"}],
            )


def folded(value: Any) -> Any:
    """Names, emails and codes are the same whatever their case: "New Hall" and "new hall"
    are one venue to a reader, and to the CSV import."""
    return value.lower() if isinstance(value, str) else value


def _may_match(column: Any, value: Any) -> Any:
    """A filter for the rows whose key may be ``value`` (:func:`folded` decides). The
    database's lower() folds as Python's does only for ASCII on SQLite, so a key with other
    letters ("École Hall") is compared in Python alone, on both databases."""
    if not isinstance(value, str):
        return column == value
    if value.isascii():
        return func.lower(column) == value.lower()
    return true()


def validated(schema: type[SQLModel], data: dict[str, Any]) -> SQLModel:
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        errors = field_errors(error.errors(), location="body")
        raise Unprocessable(summary(errors), errors) from error


def values_for_write(
    session: Session,
    resource: Resource,
    area: Any,
    payload: BaseModel,
    existing: Any | None,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Validated column values for a create (existing=None) or a merged update."""
    if existing is None:
        merged = payload
    else:
        current = {name: getattr(existing, name) for name in resource.create.model_fields}
        current.update(payload.model_dump(exclude_unset=True))
        merged = validated(resource.create, current)
    values = row_values(merged, resource.model)
    values.update(extra)
    if resource.prepare:
        resource.prepare(session, area, values, existing)
    values = {k: v for k, v in values.items() if k in resource.model.model_fields}
    check_targets(session, area.id, resource.model, values)
    _check_unique(session, resource, area.id, values, existing)
    return values


def commit(session: Session) -> None:
    """Commit or roll back as a whole, translating constraint races to 409."""
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise Conflict("the change conflicts with existing data; nothing was saved") from error


def add(session: Session, resource: Resource, area: Any, payload: BaseModel, **extra: Any) -> Any:
    """A new row in the session, not yet committed: for writes of several rows that must
    be saved together or not at all."""
    values = values_for_write(session, resource, area, payload, None, extra)
    row = resource.model(local_area_id=area.id, **values)
    session.add(row)
    return row


def create(
    session: Session, resource: Resource, area: Any, payload: BaseModel, **extra: Any
) -> Any:
    row = add(session, resource, area, payload, **extra)
    commit(session)
    session.refresh(row)
    return row


def update(session: Session, resource: Resource, area: Any, row: Any, payload: BaseModel) -> Any:
    extra = (
        {resource.parent_field: getattr(row, resource.parent_field)}
        if resource.parent_field
        else {}
    )
    values = values_for_write(session, resource, area, payload, row, extra)
    if all(getattr(row, name) == value for name, value in values.items()):
        # Nothing changes: the version and its ETag stay, so no one's If-Match goes stale.
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    row.updated_at = utc_now()
    session.add(row)
    commit(session)
    session.refresh(row)
    return row


def delete(session: Session, row: Any) -> None:
    refuse_if_referenced(session, row)
    session.delete(row)
    commit(session)


def _conditions(
    resource: Resource,
    area_id: int,
    equals: dict[str, Any] | None,
    contains: dict[str, str] | None,
    text: str | None,
) -> list[Any]:
    """Filters by equality, JSON-list membership and free text, inside the area."""
    model: Any = resource.model
    conditions = [model.local_area_id == area_id]
    for name, value in (equals or {}).items():
        if value is not None:
            conditions.append(getattr(model, name) == value)
    for name, value in (contains or {}).items():
        if value:
            # JSON lists are stored as text on both databases; match the element as JSON
            # writes it (quoted, non-ASCII escaped), with % and _ taken literally.
            element = json.dumps(value)
            conditions.append(cast(getattr(model, name), String).contains(element, autoescape=True))
    if text and resource.search:
        # autoescape: a "%" or "_" typed in the search box is a character, not a wildcard.
        conditions.append(
            or_(
                *(
                    func.lower(getattr(model, column)).contains(text.lower(), autoescape=True)
                    for column in resource.search
                )
            )
        )
    return conditions


def _page_body(
    session: Session,
    resource: Resource,
    page_model: type[BaseModel],
    area_id: int,
    conditions: list[Any],
    page: PageParams,
) -> tuple[Stamp, bytes]:
    """A page as JSON and the stamp it was built at, read in one snapshot.

    Read apart, a change committed between the two would be cached under the older stamp,
    and served again if the table came back to that stamp (a row added, then deleted).
    """
    model: Any = resource.model
    connection = _snapshot(session)
    stamp = read_stamp(session, model, area_id)
    total = connection.execute(select(func.count()).select_from(model).where(*conditions))
    rows = connection.execute(
        select(*model.__table__.columns)
        .where(*conditions)
        .order_by(model.id)
        .offset(page.offset)
        .limit(page.limit)
    )
    names = list(rows.keys())
    plain = [dict(zip(names, row, strict=True)) for row in rows]
    if resource.to_public is not None:
        items = [resource.to_public(model.model_validate(values)) for values in plain]
    else:
        # Plain rows validated straight into the public model cost about half of loading
        # ORM objects and converting those.
        validate = resource.public.__pydantic_validator__.validate_python
        items = [validate(values) for values in plain]
    whole = page_model(items=items, total=total.scalar_one(), limit=page.limit, offset=page.offset)
    return stamp, whole.model_dump_json().encode()


def _snapshot(session: Session) -> Connection:
    """The session's connection in a read-only transaction that sees one snapshot.

    SQLite's driver opens no transaction for reads, so one is begun here (in WAL mode a
    reader's transaction keeps its snapshot); PostgreSQL needs REPEATABLE READ, since at
    READ COMMITTED each statement sees a snapshot of its own. Ended when the session closes.
    """
    if session.get_bind().dialect.name == "sqlite":
        connection = session.connection()
        if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN")
        return connection
    if session.in_transaction():
        session.rollback()  # only reads so far (see read); the snapshot needs its own
    return session.connection(
        execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    )


async def list_response(
    session: Session,
    resource: Resource,
    page_model: type[BaseModel],
    area_id: int,
    page: PageParams,
    listing: Listing,
    *,
    equals: dict[str, Any] | None = None,
    contains: dict[str, str] | None = None,
    text: str | None = None,
) -> Response:
    """A page of public items as JSON, with an ETag, from memory while nothing changed.

    The table's change stamp in the area (api.stamps) is the only question asked of the
    database while the page built last time still holds. A client sending the ETag back
    gets 304.
    """
    model: Any = resource.model
    stamp = await listing.stamps.read(session, model, area_id)
    # What the page shows, then the state it shows it at.
    shown = (model.__tablename__, area_id, repr(equals), repr(contains), text)
    key = (*shown, page.limit, page.offset, stamp)
    if etag_matches(listing.if_none_match, _list_etag(key)):
        return Response(status_code=304, headers={"ETag": _list_etag(key)})
    body = listing.cache.get(key)
    if body is None:
        conditions = _conditions(resource, area_id, equals, contains, text)
        built_at, built = await read(
            session, _page_body, resource, page_model, area_id, conditions, page, snapshot=True
        )
        key = (*shown, page.limit, page.offset, built_at)
        listing.cache.put(key, built)
        body = built
    return Response(body, headers={"ETag": _list_etag(key)}, media_type="application/json")


def _list_etag(key: tuple[Any, ...]) -> str:
    return '"list-' + hashlib.sha256(repr(key).encode()).hexdigest()[:32] + '"'


def json_response(
    model: BaseModel, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A validated model sent as JSON bytes at once.

    Returning a Response skips FastAPI's second validation of the return value (in a
    threadpool hop for a sync route) and its second serialisation: a fifth of a list
    request. The route still declares ``response_model`` for the schema.
    """
    return Response(
        model.model_dump_json(),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


def tagged_response(model: BaseModel, if_none_match: str | None) -> Response:
    """``model`` as JSON with an ETag taken from its content, or 304 when the client has
    it already: for resources without a row version to tag, such as plan versions."""
    body = model.model_dump_json()
    tag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    if etag_matches(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    return Response(body, headers={"ETag": tag}, media_type="application/json")


async def read(
    session: Session, work: Callable[..., T], *args: Any, snapshot: bool = False, **kwargs: Any
) -> T:
    """Run ``work(session, ...)``, a read-only piece of database work, where the engine
    runs reads: on the event loop or in the threadpool (see api.capacity.runs_on_loop).

    The last use of the request's session: in the threadpool it is closed in the same hop.
    Work that asks for a ``snapshot`` begins its own transaction (see _snapshot); other
    work runs in autocommit there.
    """
    assert not (session.new or session.dirty or session.deleted), "read after a write"
    if runs_on_loop(session.get_bind().engine):
        return work(session, *args, **kwargs)
    return await run_in_threadpool(_read_and_close, session, work, snapshot, *args, **kwargs)


def _read_and_close(
    session: Session, work: Callable[..., T], snapshot: bool, *args: Any, **kwargs: Any
) -> T:
    """Read, then give the connection back, all in one thread hop.

    Outside a snapshot, autocommit: at READ COMMITTED every statement sees its own snapshot
    inside a transaction too, so leaving out BEGIN and ROLLBACK changes nothing a reader
    sees and saves two round trips.
    """
    if not snapshot and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    try:
        return work(session, *args, **kwargs)
    finally:
        session.close()
