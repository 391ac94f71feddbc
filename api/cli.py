"""The ``inspection-week`` command."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from sqlmodel import Session, select

from api.app import create_app
from api.auth import hash_token, issue_token, new_token
from api.database import ROOT, make_engine, migrate
from api.demo import load_demo
from api.demo_week import plan_and_publish
from api.outbox import export_invites
from api.settings import Settings, get_settings
from models.api_token import ApiToken, TokenRole
from models.inspection import Inspection
from models.local_area import LocalArea
from models.outbox import OutboxStatus
from models.plan import PlanVersion
from models.types import utc_now

app = typer.Typer(
    help="Plan and run the local area SEND inspection week.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def openapi_text() -> str:
    """The schema as committed: sorted keys and a trailing newline, so diffs stay readable."""
    schema = create_app().openapi()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _load_demo(settings: Settings) -> None:
    """Load the demo area; the first time, also solve, publish and open feeds for its week."""
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        area = load_demo(session)
        assert area.id is not None
        inspection = session.exec(
            select(Inspection).where(Inspection.local_area_id == area.id)
        ).one()
        planned = session.exec(
            select(PlanVersion).where(PlanVersion.inspection_id == inspection.id)
        ).first()
        _, token = issue_token(session, area.id, "demo admin", TokenRole.ADMIN)
        session.commit()
        typer.echo(f"Demo local area: {area.name} (id {area.id}), inspection {inspection.id}")
        typer.echo(f"Admin token (shown once): {token}")
        if planned is None:
            typer.echo("Solving and publishing the week …")
            week = plan_and_publish(session, inspection, settings)
            for part, report in week.reports.items():
                typer.echo(f"  {part}: {json.dumps(report)}")
            typer.echo(f"  {week.messages} invitations waiting in the outbox")
            for name, url in week.feeds.items():
                typer.echo(f"  feed ({name}): {url}")
    engine.dispose()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    demo: Annotated[bool, typer.Option(help="Load the demo local area first")] = False,
    workers: Annotated[int, typer.Option(help="Server processes")] = 1,
) -> None:
    """Apply migrations, then serve the API (docs at /docs)."""
    settings = get_settings()
    if "public_base_url" not in settings.model_fields_set:
        # Links in feeds and emails should point where this server listens.
        os.environ["PUBLIC_BASE_URL"] = f"http://{host}:{port}"
        get_settings.cache_clear()
        settings = get_settings()
    migrate(settings.database_url)
    if demo:
        _load_demo(settings)
    typer.echo(f"API docs: http://{host}:{port}/docs")
    uvicorn.run("api.main:app", host=host, port=port, workers=workers)


@app.command("demo")
def demo_command() -> None:
    """Load the invented demo local area into the database and exit."""
    settings = get_settings()
    migrate(settings.database_url)
    _load_demo(settings)
    typer.echo(f"API docs: {settings.public_base_url}/docs (serve with `inspection-week serve`)")


@app.command()
def openapi(
    check: Annotated[bool, typer.Option(help="Fail if openapi.json differs from the app")] = False,
    output: Annotated[Path, typer.Option(help="Where to write")] = ROOT / "openapi.json",
) -> None:
    """Write openapi.json, or with --check verify the committed one is current."""
    text = openapi_text()
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            typer.echo(f"{output} is out of date: run `inspection-week openapi`", err=True)
            raise typer.Exit(code=1)
        typer.echo(f"{output} is up to date")
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")


token_app = typer.Typer(help="API tokens (stored only as hashes; shown once).")
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    area: Annotated[str, typer.Option(help="Local area code, e.g. northbrook")],
    role: Annotated[TokenRole, typer.Option(help="admin, coordinator or viewer")],
    name: Annotated[str, typer.Option(help="Who or what uses it")] = "cli",
) -> None:
    """Create a token for a local area and print it (once)."""
    settings = get_settings()
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        found = session.exec(select(LocalArea).where(LocalArea.code == area)).first()
        if found is None or found.id is None:
            typer.echo(f"no local area with code {area!r}", err=True)
            raise typer.Exit(code=1)
        row, token = issue_token(session, found.id, name, role)
        session.commit()
        typer.echo(f"token {row.id} ({role.value}) for {found.name}: {token}")
    engine.dispose()


@token_app.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token by id: it stops working at once."""
    engine = make_engine(get_settings().database_url)
    with Session(engine) as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            typer.echo(f"no token {token_id}", err=True)
            raise typer.Exit(code=1)
        row.revoked_at = row.revoked_at or utc_now()
        session.add(row)
        session.commit()
        typer.echo(f"token {token_id} revoked")
    engine.dispose()


@token_app.command("operator")
def token_operator() -> None:
    """Make an operator token (creates local areas); put its hash in OPERATOR_TOKEN_HASH."""
    token = new_token()
    typer.echo(f"operator token: {token}")
    typer.echo(f"OPERATOR_TOKEN_HASH={hash_token(token)}")


invites_app = typer.Typer(help="Calendar invitations waiting in (or sent from) the outbox.")
app.add_typer(invites_app, name="invites")


@invites_app.command("export")
def invites_export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the .ics files to")],
    inspection: Annotated[int | None, typer.Option(help="Only this inspection id")] = None,
    status: Annotated[
        OutboxStatus | None, typer.Option(help="Only messages in this state, e.g. pending")
    ] = None,
) -> None:
    """Write one .ics file per outbox message (to send by hand when there is no SMTP)."""
    settings = get_settings()
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    written = export_invites(engine, directory, inspection_id=inspection, status=status)
    engine.dispose()
    typer.echo(f"wrote {len(written)} invitation file(s) to {directory}")


@app.command("migrate")
def migrate_command() -> None:
    """Apply database migrations (also done by `serve`)."""
    migrate(get_settings().database_url)


if __name__ == "__main__":
    sys.exit(app())
