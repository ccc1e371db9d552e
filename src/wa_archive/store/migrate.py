"""Schema upgrades with Alembic, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

_MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at wa-archive's migrations (no ini file needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    """The newest migration revision shipped with this version."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@contextmanager
def _quiet_alembic() -> Iterator[None]:
    """Alembic narrates every step at INFO; a library should not, whatever logging the host
    application (or neonize, which configures the root logger) has set up."""
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    alembic_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        alembic_log.setLevel(level)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with _quiet_alembic(), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str | None:
    """Upgrade the database to head; returns the revision it is at afterwards."""
    if current_revision(engine) != head_revision():
        with _quiet_alembic(), engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    return current_revision(engine)
