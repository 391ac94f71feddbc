"""CSV import and export of people, venues and settings, all-or-nothing.

Every row is checked before anything is written; one bad row means nothing changes and
the answer lists every bad row with its line number, so a file can be fixed in one go.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, SQLModel, func, select

from api import crud
from api.crud import Resource
from api.gias import NotASetting, grid_to_latlon, setting_type
from api.problems import ProblemError, Unprocessable
from models.organisation import Organisation
from models.types import utc_now

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


class RowError(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("bad row")
        self.errors = errors


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as GIAS and Excel write it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    for row in reader:
        cleaned = {k: undefuse((v or "").strip()) for k, v in row.items() if k is not None}
        if any(cleaned.values()):
            rows.append((reader.line_num, cleaned))
    return header, rows


def _to_field_value(fmt: CsvFormat, column: str, raw: str) -> Any:
    if column in fmt.list_columns:
        return [part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip()]
    return raw if raw != "" else None


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

    ``earlier_errors`` are rows that could not even be mapped; they are reported together
    with the rows found bad here, so one answer lists every bad row.
    """
    resource = fmt.resource
    model: Any = resource.model
    report = ImportReport()
    errors: list[dict[str, Any]] = list(earlier_errors or [])
    seen: dict[str, int] = {}
    planned: list[tuple[Any | None, dict[str, Any]]] = []
    for line, values in rows:
        key_value = values.get(fmt.key)
        key_text = str(key_value or "").lower()
        if key_text and key_text in seen:
            errors.append(
                {
                    "line": line,
                    "field": fmt.key,
                    "reason": f"{fmt.key} {key_value!r} also on line {seen[key_text]}",
                }
            )
            continue
        seen[key_text] = line
        existing = None
        if key_value:
            column = getattr(model, fmt.key)
            # Emails are unique whatever their case, so they are matched that way too.
            match = func.lower(column) == key_text if fmt.key == "email" else column == key_value
            existing = session.exec(
                select(model).where(model.local_area_id == area.id, match)
            ).first()
        try:
            schema: type[SQLModel] = resource.update if existing else resource.create
            payload = crud.validated(schema, values)
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
        changed = {k: v for k, v in written.items() if getattr(existing, k) != v}
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


def map_columns(
    session: Session,
    fmt: CsvFormat,
    area_id: int,
    header: list[str],
    line: int,
    row: dict[str, str],
) -> dict[str, Any]:
    """Turn one CSV row into field values; people name their organisation by name."""
    values: dict[str, Any] = {}
    for column in header:
        if column == "organisation":
            values["organisation_id"] = _organisation_id(session, area_id, line, row[column])
        else:
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


def _organisation_id(session: Session, area_id: int, line: int, name: str) -> int | None:
    if not name:
        return None
    found = session.exec(
        select(Organisation).where(Organisation.local_area_id == area_id, Organisation.name == name)
    ).first()
    if found is None:
        raise RowError(
            [{"line": line, "field": "organisation", "reason": f"no organisation named {name!r}"}]
        )
    return found.id


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
