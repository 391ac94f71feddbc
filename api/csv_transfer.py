"""CSV import and export of people, venues and settings, all-or-nothing.

Every row is checked before anything is written; one bad row means nothing changes and
the answer lists every bad row with its line number, so a file can be fixed in one go.

A file is refused (422, nothing written) rather than guessed at when it is not UTF-8 or
Windows-1252 text, when a quote is never closed or text follows a closing quote, when a cell
is longer than the csv module's field limit, when a row has more non-empty cells than the
header has columns, or when the header names a column twice.

Cells are trimmed, and a blank cell leaves the field as it is (lists and the organisation
included): a file with only some cells filled in changes only those. Clearing a field is
done through the API. Rows are matched on their key (email, name or URN) and people's
organisations on their name the way the API compares them, ignoring case and surrounding
spaces, so a file exported here imports back with nothing created or changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, SQLModel, select

from api import crud
from api.crud import Resource
from api.gias import NotASetting, grid_to_latlon, setting_type
from api.problems import ProblemError, Unprocessable
from models.organisation import Organisation
from models.types import row_values, utc_now

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class CsvFormat:
    """How one resource looks as CSV: its columns and the column rows are matched on."""

    resource: Resource
    key: str
    columns: tuple[str, ...]
    list_columns: tuple[str, ...] = ()


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as GIAS and Excel write it.

    A few bytes mean nothing in Windows-1252 either; such a file is refused, not guessed at.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise Unprocessable.field(
            "file",
            f"the file is not UTF-8 or Windows-1252 text "
            f"(byte 0x{data[error.start]:02x} at offset {error.start})",
        ) from error


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-blank rows, each with the line it starts on, cells trimmed.

    Strict, so a stray or unclosed quote is an error instead of swallowing the cells after
    it; a row with more non-empty cells than columns is refused rather than cut short.
    Reading stops at the first error the csv module raises; the rows found bad before it
    are listed with it.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[dict[str, Any]] = []
    start = 1  # the line the record being read starts on
    try:
        header = [cell.strip() for cell in next(reader, [])]
        errors.extend(_columns_named_twice(header))
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells[len(header) :]):
                reason = f"more cells than columns ({len(cells)} cells, {len(header)} columns)"
                errors.append({"line": start, "field": "file", "reason": reason})
            else:
                padded = (cells + [""] * len(header))[: len(header)]
                cleaned = {
                    column: undefuse(cell.strip())
                    for column, cell in zip(header, padded, strict=True)
                }
                if any(cleaned.values()):
                    rows.append((start, cleaned))
            start = reader.line_num + 1
    except csv.Error as error:
        errors.append({"line": start, "field": "file", "reason": _csv_reason(error)})
    if errors:
        raise Unprocessable("the file is not well-formed CSV; nothing was imported", errors)
    return header, rows


def _columns_named_twice(header: list[str]) -> list[dict[str, Any]]:
    """A column named twice is ambiguous: which of its cells would count?"""
    errors = []
    for index, column in enumerate(header):
        if column and column in header[:index]:
            reason = f"column named twice in the header (columns {header.index(column) + 1} "
            reason += f"and {index + 1})"
            errors.append({"line": 1, "field": column, "reason": reason})
    return errors


def _csv_reason(error: csv.Error) -> str:
    """The csv module's error in words a spreadsheet user can act on."""
    message = str(error)
    if message == "unexpected end of data":
        return "a quoted cell is never closed (unterminated quote)"
    if message.startswith("field larger than field limit"):
        return f"a cell is longer than {csv.field_size_limit()} characters"
    if message.startswith("',' expected after"):
        return 'text follows the closing quote of a cell (write a quote inside a cell as "")'
    return f"not valid CSV: {message}"


def _to_field_value(fmt: CsvFormat, column: str, raw: str) -> Any:
    """None (leave the field as it is) for a blank cell, lists included."""
    if raw == "":
        return None
    if column in fmt.list_columns:
        return [part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip()]
    return raw


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def defuse(text: str) -> str:
    """Stop a spreadsheet running a cell as a formula (OWASP CSV injection): quote it."""
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def undefuse(text: str) -> str:
    """Read back a cell that :func:`defuse` quoted, so export then import changes nothing."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _export_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return defuse(LIST_SEPARATOR.join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return defuse(str(getattr(value, "value", value)))


def export_csv(fmt: CsvFormat, rows: Iterable[Any], extra: Callable[[Any], dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fmt.columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        values = {c: _export_value(getattr(row, c, None)) for c in fmt.columns}
        values.update(extra(row))
        writer.writerow(values)
    return out.getvalue()


def _row_errors(line: int, error: ProblemError) -> list[dict[str, Any]]:
    if error.errors:
        return [
            {"line": line, "field": e.get("field"), "reason": e.get("reason", error.detail)}
            for e in error.errors
        ]
    return [{"line": line, "field": None, "reason": error.detail}]


def import_rows(
    session: Session,
    fmt: CsvFormat,
    area: Any,
    rows: list[tuple[int, dict[str, Any]]],
    earlier_errors: list[dict[str, Any]] | None = None,
) -> ImportReport:
    """Upsert ``rows`` (already mapped to field names) by the format's key, all or nothing.

    People's ``organisation`` is still a name here: which organisation it means can depend
    on the row it updates. ``earlier_errors`` are rows that could not even be mapped; they
    are reported together with the rows found bad here, so one answer lists every bad row.
    """
    resource = fmt.resource
    model: Any = resource.model
    report = ImportReport()
    errors: list[dict[str, Any]] = list(earlier_errors or [])
    in_area = session.exec(select(model).where(model.local_area_id == area.id)).all()
    by_key = _by_name(in_area, fmt.key)
    organisations: dict[str, list[Any]] = {}
    if "organisation" in fmt.columns:
        found = session.exec(select(Organisation).where(Organisation.local_area_id == area.id))
        organisations = _by_name(found.all(), "name")
    seen: dict[tuple[str, Any], int] = {}
    planned: list[tuple[Any | None, dict[str, Any]]] = []
    for line, mapped in rows:
        values = dict(mapped)
        key_value = str(values.get(fmt.key) or "")
        try:
            candidates = by_key.get(_normal(key_value), [])
            existing = _one(candidates, fmt.key, fmt.key, key_value)
            # Two lines are the same row if they update the same one, or would create rows
            # whose keys the API would take for the same.
            claim = ("row", existing.id) if existing else ("new", _normal(key_value))
            if key_value and claim in seen:
                reason = f"{fmt.key} {key_value!r} also on line {seen[claim]}"
                raise Unprocessable.field(fmt.key, reason)
            seen[claim] = line
            if "organisation" in values:
                values["organisation_id"] = _organisation_id(
                    organisations, values.pop("organisation"), existing
                )
            schema: type[SQLModel] = resource.update if existing else resource.create
            payload = crud.validated(schema, values)
            if existing is not None and not _changes(existing, payload):
                # Nothing to write, so nothing to check against other rows either: a row
                # stored before names were unique whatever their case still imports back.
                planned.append((existing, {}))
                continue
            written = crud.values_for_write(session, resource, area, payload, existing, {})
        except ProblemError as error:
            errors.extend(_row_errors(line, error))
            continue
        planned.append((existing, written))
    if errors:
        errors.sort(key=lambda e: e["line"])
        raise Unprocessable(
            f"{len({e['line'] for e in errors})} bad rows; nothing was imported", errors
        )
    for existing, written in planned:
        if existing is None:
            session.add(model(local_area_id=area.id, **written))
            report.created += 1
            continue
        changed = {k: v for k, v in written.items() if _differs(getattr(existing, k), v)}
        if not changed:
            report.unchanged += 1
            continue
        for name, value in changed.items():
            setattr(existing, name, value)
        existing.version += 1
        existing.updated_at = utc_now()
        session.add(existing)
        report.updated += 1
    crud.commit(session)
    return report


def _normal(text: Any) -> str:
    """A key or name as the API compares them (:func:`crud.folded`), and trimmed as cells
    are, since rows stored before names were trimmed may carry surrounding spaces."""
    folded: str = crud.folded(str(text or "").strip())
    return folded


def _by_name(rows: Iterable[Any], attribute: str) -> dict[str, list[Any]]:
    """Rows by their normalised ``attribute``, looked up once instead of once per line."""
    index: dict[str, list[Any]] = {}
    for row in rows:
        index.setdefault(_normal(getattr(row, attribute)), []).append(row)
    return index


def _one(
    candidates: list[Any], column: str, attribute: str, text: str, preferred_id: Any = None
) -> Any | None:
    """The row a cell names among ``candidates`` (those matching it as the API compares).

    Rows stored before names were trimmed and unique whatever their case can match the
    same cell; the row named by ``preferred_id`` (the one already referred to), else the
    one spelled exactly as the cell, is taken, and a cell that could still mean several
    is refused rather than guessed at.
    """
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    narrowed = [r for r in candidates if r.id == preferred_id] or [
        r for r in candidates if getattr(r, attribute) == text
    ]
    if len(narrowed) == 1:
        return narrowed[0]
    spellings = ", ".join(repr(getattr(r, attribute)) for r in candidates)
    raise Unprocessable.field(
        column, f"{text!r} could mean any of {spellings}; use the exact spelling of one"
    )


def _differs(stored: Any, written: Any) -> bool:
    """Whether importing changes a value. Cells are trimmed, so text stored with surrounding
    spaces is the same text: rewriting it would report a change the file never asked for."""
    if isinstance(stored, str) and isinstance(written, str):
        return stored.strip() != written.strip()
    return bool(stored != written)


def _changes(existing: Any, payload: SQLModel) -> bool:
    """Whether the cells a row fills in differ from the stored row."""
    given = row_values(payload, type(existing), exclude_unset=True)
    return any(_differs(getattr(existing, name), value) for name, value in given.items())


def map_columns(fmt: CsvFormat, header: list[str], row: dict[str, str]) -> dict[str, Any]:
    """Turn one CSV row into field values, leaving out blank cells (they change nothing).

    People name their organisation by name; :func:`import_rows` finds it.
    """
    values: dict[str, Any] = {}
    for column in header:
        value = _to_field_value(fmt, column, row[column])
        if value is not None:
            values[column] = value
    return values


def unknown_columns(fmt: CsvFormat, header: list[str]) -> list[dict[str, Any]]:
    """Header cells the format does not know, as errors on line 1 (checked once per file)."""
    return [
        {"line": 1, "field": h, "reason": f"unknown column; known: {', '.join(fmt.columns)}"}
        for h in header
        if h not in fmt.columns
    ]


def _organisation_id(
    organisations: dict[str, list[Organisation]], name: str, existing: Any | None
) -> int | None:
    """The organisation a cell names; the row's own organisation wins among lookalikes, so a
    person is never moved to another organisation whose name differs only in case or spaces.
    """
    current = getattr(existing, "organisation_id", None)
    candidates = organisations.get(_normal(name), [])
    found: Organisation | None = _one(candidates, "organisation", "name", name, current)
    if found is None:
        raise Unprocessable.field("organisation", f"no organisation named {name!r}")
    return found.id


GIAS_COLUMNS = ("URN", "EstablishmentName")
"""Columns without which a file is not a GIAS extract (another export sent here by mistake
would otherwise come back as every row skipped)."""


def check_gias_header(header: list[str]) -> None:
    """Refuse the file before its rows: each would be skipped, and the answer would not say
    that the whole file was the wrong one."""
    missing = [column for column in GIAS_COLUMNS if column not in header]
    if missing:
        raise Unprocessable.field(
            "file", f"not a GIAS establishment extract: no {', '.join(missing)} column"
        )


def gias_rows(
    rows: list[tuple[int, dict[str, str]]], report: ImportReport
) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]]]:
    """Map GIAS columns onto settings; closed or out-of-scope establishments are skipped."""
    mapped: list[tuple[int, dict[str, Any]]] = []
    errors: list[dict[str, Any]] = []
    for line, row in rows:
        if row.get("EstablishmentStatus (name)", "").lower().startswith("closed"):
            report.skipped.append({"line": line, "reason": "closed"})
            continue
        try:
            kind = setting_type(
                row.get("TypeOfEstablishment (code)"),
                row.get("TypeOfEstablishment (name)"),
                row.get("PhaseOfEducation (name)"),
            )
        except NotASetting as skip:
            report.skipped.append({"line": line, "reason": str(skip)})
            continue
        values: dict[str, Any] = {
            "urn": row.get("URN", ""),
            "name": row.get("EstablishmentName", ""),
            "setting_type": kind,
            "address": ", ".join(
                part for part in (row.get("Street"), row.get("Locality"), row.get("Town")) if part
            )
            or None,
            "postcode": row.get("Postcode") or None,
        }
        for source, target in (
            ("NumberOfPupils", "pupils"),
            ("SENNoStat", "sen_support"),
            ("SENStat", "ehc_plans"),
        ):
            if row.get(source):
                values[target] = row[source]
        easting, northing = row.get("Easting"), row.get("Northing")
        if easting and northing:
            try:
                place = grid_to_latlon(float(easting), float(northing))
            except ValueError as error:
                errors.append({"line": line, "field": "Easting/Northing", "reason": str(error)})
                continue
            values["latitude"], values["longitude"] = place.latitude, place.longitude
        mapped.append((line, values))
    return mapped, errors
