"""The ``wa-archive`` command line: typer commands over the ``Archive`` API.

Every command parses its input, calls one library function and renders the result (a Rich
table for humans, ``--json`` for scripts). A ``WaArchiveError`` becomes one line on stderr
and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ...errors import WaArchiveError
from ...settings import Settings
from . import browse, db, imports
from .context import State

app = typer.Typer(
    name="wa-archive",
    help="A durable, searchable WhatsApp archive.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    db_url: Annotated[
        str | None,
        typer.Option("--db", help="SQLite path or postgresql:// URL [env WA_ARCHIVE_DB]"),
    ] = None,
    home: Annotated[
        Path | None, typer.Option("--home", help="data directory [env WA_ARCHIVE_HOME]")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", "-a", help="account name [env WA_ARCHIVE_ACCOUNT]")
    ] = None,
) -> None:
    """Resolve settings once for every command."""
    ctx.obj = State(Settings.load(db=db_url, home=home, account=account))


db.register(app)
browse.register(app)
imports.register(app)
try:
    from . import live
except ImportError:  # pragma: no cover - live capture commands ship with the live source
    live = None  # type: ignore[assignment]
if live is not None:
    live.register(app)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, turning wa-archive errors into one clean line."""
    try:
        app(args=argv)  # usage errors are printed by typer with exit code 2
    except WaArchiveError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
