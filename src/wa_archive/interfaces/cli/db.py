"""``wa-archive db …``: schema management."""

from __future__ import annotations

import typer

from ...store import migrate
from .context import state

db_app = typer.Typer(help="Database management.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create or upgrade the archive's schema to the current version."""
    st = state(ctx)
    archive = st.archive()  # opening upgrades
    typer.echo(f"{st.settings.db_display}: schema at {migrate.current_revision(archive.engine)}")


def register(app: typer.Typer) -> None:
    """Add the ``db`` command group to ``app``."""
    app.add_typer(db_app, name="db")
