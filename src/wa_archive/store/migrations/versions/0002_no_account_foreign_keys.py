"""drop the account foreign keys of the data tables

Revision ID: 0002
Revises: 0001

Every data table's key starts with account_id, which referenced accounts(id). On
PostgreSQL that check is a trigger and a row lock per inserted row: it cost 23% of the
server's work in a bulk load. Accounts are never deleted, and the writer refuses an
account id that does not exist (store/writer.py), so the constraint guards nothing the
writer does not.

SQLite cannot drop a constraint with ALTER TABLE; removing a FOREIGN KEY clause leaves
the stored rows as they are, so it is done the way SQLite documents for such changes:
the table definitions in sqlite_master are rewritten under writable_schema and the schema
version is bumped. Rebuilding the tables instead would renumber the messages' rowids,
which the full-text index refers to.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_FK_CLAUSE = re.compile(r",\s*FOREIGN KEY\s*\(\s*account_id\s*\)\s*REFERENCES\s+accounts\s*\(id\)")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_rewrite(bind, lambda sql: _FK_CLAUSE.sub("", sql))
        return
    inspector = sa.inspect(bind)
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            if fk["referred_table"] == "accounts" and fk["name"]:
                op.drop_constraint(fk["name"], table, type_="foreignkey")


def downgrade() -> None:
    bind = op.get_bind()
    tables = _data_tables(bind)
    if bind.dialect.name == "sqlite":
        restore = ",\n\tFOREIGN KEY(account_id) REFERENCES accounts (id)\n)"
        _sqlite_rewrite(bind, lambda sql: sql[: sql.rindex(")")].rstrip() + restore, tables)
        return
    for table in tables:
        op.create_foreign_key(f"{table}_account_id_fkey", table, "accounts", ["account_id"], ["id"])


def _data_tables(bind: sa.Connection) -> list[str]:
    """The tables keyed by account (all but accounts itself and the full-text index)."""
    inspector = sa.inspect(bind)
    return [
        table
        for table in inspector.get_table_names()
        if table != "accounts"
        and any(c["name"] == "account_id" for c in inspector.get_columns(table))
    ]


def _sqlite_rewrite(
    bind: sa.Connection, edit: Callable[[str], str], tables: list[str] | None = None
) -> None:
    """Rewrite table definitions in sqlite_master (the stored rows are not touched)."""
    found = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
    ).fetchall()
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for name, sql in found:
            if (tables is None or name in tables) and edit(sql) != sql:
                bind.exec_driver_sql(
                    "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                    (edit(sql), name),
                )
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
