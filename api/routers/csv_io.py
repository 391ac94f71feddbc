"""CSV import and export of people, venues and settings, and the GIAS settings import."""

from typing import Annotated, Any

from fastapi import APIRouter, File, Response, UploadFile
from pydantic import BaseModel
from sqlmodel import select

from api.csv_transfer import (
    CsvFormat,
    ImportReport,
    check_gias_header,
    decode,
    export_csv,
    gias_rows,
    import_rows,
    map_columns,
    read_rows,
    unknown_columns,
)
from api.deps import AreaDep, SessionDep, SettingsDep
from api.problems import ContentTooLarge, Problem, Unprocessable
from api.routers.education_settings import SETTING
from api.routers.people import PERSON
from api.routers.venues import VENUE
from models.organisation import Organisation

router = APIRouter(prefix="/areas/{area_id}", tags=["csv"])

FORMATS: dict[str, CsvFormat] = {
    "people": CsvFormat(
        resource=PERSON,
        key="email",
        columns=(
            "email",
            "name",
            "phone",
            "organisation",
            "job_title",
            "kind",
            "inspector_body",
            "themes",
            "max_meetings_per_day",
            "needs_step_free",
            "contact_verified_at",
        ),
        list_columns=("themes",),
    ),
    "venues": CsvFormat(
        resource=VENUE,
        key="name",
        columns=(
            "name",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "capacity",
            "step_free",
            "video_conferencing",
        ),
    ),
    "settings": CsvFormat(
        resource=SETTING,
        key="urn",
        columns=(
            "urn",
            "name",
            "setting_type",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "opens",
            "closes",
            "pupils",
            "sen_support",
            "ehc_plans",
        ),
    ),
}


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
    skipped: list[dict[str, Any]]


CsvFile = Annotated[UploadFile, File(description="CSV file, UTF-8 or Windows-1252")]
IMPORT_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "Bad rows (each with line and reason); nothing saved"},
    413: {"model": Problem, "description": "File too large"},
}


def _read(file: UploadFile, limit: int) -> str:
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise ContentTooLarge(f"the file is larger than {limit} bytes")
    return decode(data)


def _import(session: SessionDep, fmt: CsvFormat, area: Any, text: str) -> ImportResult:
    header, rows = read_rows(text)
    if fmt.key not in header:
        raise Unprocessable.field("file", f"the header must include the column {fmt.key!r}")
    unknown = unknown_columns(fmt, header)
    if unknown:
        raise Unprocessable(f"{len(unknown)} unknown columns; nothing was imported", unknown)
    mapped = [(line, map_columns(fmt, header, row)) for line, row in rows]
    report = import_rows(session, fmt, area, mapped)
    return ImportResult(**vars(report))


def _export(session: SessionDep, fmt: CsvFormat, area: Any, filename: str) -> Response:
    model: Any = fmt.resource.model
    rows = session.exec(select(model).where(model.local_area_id == area.id).order_by(model.id))
    names = {
        o.id: o.name
        for o in session.exec(select(Organisation).where(Organisation.local_area_id == area.id))
    }

    def organisation_name(row: Any) -> dict[str, str]:
        if "organisation" not in fmt.columns:
            return {}
        return {"organisation": names.get(row.organisation_id, "")}

    return Response(
        export_csv(fmt, rows, organisation_name),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _add_routes(kind: str) -> None:
    fmt = FORMATS[kind]

    @router.get(
        f"/{kind}.csv",
        response_class=Response,
        name=f"export_{kind}_csv",
        summary=f"Export {kind} as CSV",
        responses={200: {"content": {"text/csv": {}}}},
    )
    def export_rows(area: AreaDep, session: SessionDep) -> Response:
        return _export(session, fmt, area, f"{area.code}-{kind}.csv")

    @router.post(
        f"/{kind}/import",
        response_model=ImportResult,
        responses=IMPORT_ERRORS,
        name=f"import_{kind}_csv",
        summary=f"Import {kind} from CSV (upsert by {fmt.key}; any bad row changes nothing)",
    )
    def import_file(
        area: AreaDep, session: SessionDep, settings: SettingsDep, file: CsvFile
    ) -> ImportResult:
        return _import(session, fmt, area, _read(file, settings.max_request_bytes))


for _kind in FORMATS:
    _add_routes(_kind)


@router.post(
    "/settings/import-gias",
    response_model=ImportResult,
    responses=IMPORT_ERRORS,
    name="import_gias",
    summary="Import settings from a GIAS establishment extract (closed ones skipped)",
)
def import_gias(
    area: AreaDep, session: SessionDep, settings: SettingsDep, file: CsvFile
) -> ImportResult:
    header, rows = read_rows(_read(file, settings.max_request_bytes))
    check_gias_header(header)
    report = ImportReport()
    mapped, errors = gias_rows(rows, report)
    written = import_rows(session, FORMATS["settings"], area, mapped, earlier_errors=errors)
    written.skipped = report.skipped
    return ImportResult(**vars(written))
