"""The ``inspection-week`` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from sqlmodel import Session

from api.app import create_app
from api.database import ROOT, make_engine, migrate
from api.demo import load_demo
from api.settings import get_settings

app = typer.Typer(
    help="Plan and run the local area SEND inspection week.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def openapi_text() -> str:
    """The schema as committed: sorted keys and a trailing newline, so diffs stay readable."""
    schema = create_app().openapi()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _load_demo(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        area = load_demo(session)
        typer.echo(f"Demo local area loaded: {area.name} (id {area.id})")
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
    migrate(settings.database_url)
    if demo:
        _load_demo(settings.database_url)
    typer.echo(f"API docs: http://{host}:{port}/docs")
    uvicorn.run("api.main:app", host=host, port=port, workers=workers)


@app.command("demo")
def demo_command() -> None:
    """Load the invented demo local area into the database and exit."""
    settings = get_settings()
    migrate(settings.database_url)
    _load_demo(settings.database_url)


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


@app.command("migrate")
def migrate_command() -> None:
    """Apply database migrations (also done by `serve`)."""
    migrate(get_settings().database_url)


if __name__ == "__main__":
    sys.exit(app())
