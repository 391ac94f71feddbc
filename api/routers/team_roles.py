"""Who holds which inspection role, and the contact list the team keeps current."""

import csv
import io
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlmodel import select

from api import crud
from api.crud import Resource
from api.deps import AreaDep, IdFilter, ListingDep, PageDep, SessionDep
from api.resource_routes import ERRORS, add_item_routes
from models.person import Person
from models.team_role import (
    Role,
    TeamRole,
    TeamRoleCreate,
    TeamRolePage,
    TeamRolePublic,
    TeamRoleUpdate,
)
from models.types import utc_now

TEAM_ROLE = Resource(
    model=TeamRole,
    create=TeamRoleCreate,
    update=TeamRoleUpdate,
    public=TeamRolePublic,
    search=("responsibilities",),
)

CONTACT_COLUMNS = (
    "name",
    "email",
    "phone",
    "job_title",
    "kind",
    "roles",
    "contact_verified_at",
    "needs_checking",
    "reason",
)

router = APIRouter(prefix="/areas/{area_id}/team-roles", tags=["team and roles"])


@router.get("", response_model=TeamRolePage, summary="List team roles")
async def list_team_roles(
    area: AreaDep,
    session: SessionDep,
    page: PageDep,
    listing: ListingDep,
    role: Role | None = None,
    person_id: IdFilter = None,
    deputy: bool | None = None,
) -> Response:
    return await crud.list_response(
        session,
        TEAM_ROLE,
        TeamRolePage,
        area.id,
        page,
        listing,
        equals={"role": role, "person_id": person_id, "deputy": deputy},
    )


def _cell(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def check_reason(verified_on: date | None, today: date, within_days: int) -> str:
    """Why a contact needs checking again, or '' when it was verified recently enough."""
    if verified_on is None:
        return "never verified"
    age = (today - verified_on).days
    return f"last verified {age} days ago" if age > within_days else ""


@router.get(
    "/contacts.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **ERRORS},
    name="export_contacts_csv",
    summary="Contact list with the roles people hold, flagging contacts not verified recently",
)
def export_contacts(
    area: AreaDep,
    session: SessionDep,
    verified_within_days: Annotated[
        int, Query(ge=1, le=3650, description="Older verifications are flagged")
    ] = 90,
    team_only: Annotated[bool, Query(description="Only people holding a role")] = False,
) -> Response:
    today = utc_now().date()
    roles: dict[int, list[str]] = {}
    for held in session.exec(
        select(TeamRole).where(TeamRole.local_area_id == area.id).order_by(TeamRole.id)  # type: ignore[arg-type]
    ):
        roles.setdefault(held.person_id, []).append(held.role.value)
    people = session.exec(
        select(Person).where(Person.local_area_id == area.id).order_by(Person.name, Person.id)  # type: ignore[arg-type]
    ).all()
    rows = []
    for person in people:
        if team_only and person.id not in roles:
            continue
        verified = person.contact_verified_at
        reason = check_reason(verified.date() if verified else None, today, verified_within_days)
        rows.append(
            {
                "name": person.name,
                "email": person.email,
                "phone": person.phone or "",
                "job_title": person.job_title or "",
                "kind": person.kind.value,
                "roles": ";".join(roles.get(person.id or 0, [])),
                "contact_verified_at": verified.isoformat() if verified else "",
                "needs_checking": "yes" if reason else "no",
                "reason": reason,
            }
        )
    rows.sort(key=lambda r: r["needs_checking"] != "yes")  # stable: flagged first, by name
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CONTACT_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    filename = f"{area.code}-contacts.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


add_item_routes(router, TEAM_ROLE, "team_role_id")
