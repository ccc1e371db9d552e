"""Alembic environment: runs on the connection wa-archive hands over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from wa_archive.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=False)
with context.begin_transaction():
    context.run_migrations()
