"""Dialect-aware SQL fragments and upsert statements shared by the writer and identity merges."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import JSON
from sqlalchemy.dialects import postgresql

from .schema import TIME_COLUMNS, metadata

JSON_COLUMNS = frozenset(
    (t.name, c.name)
    for t in metadata.tables.values()
    for c in t.columns
    if isinstance(c.type, JSON)
)
_POSTGRESQL = postgresql.dialect()


def greatest(dialect: str, a: str, b: str) -> str:
    """SQL for the larger of two nullable values (NULL only when both are NULL)."""
    if dialect == "postgresql":
        return f"GREATEST({a}, {b})"
    return f"(CASE WHEN {b} IS NULL OR {a} >= {b} THEN COALESCE({a}, {b}) ELSE {b} END)"


def least(dialect: str, a: str, b: str) -> str:
    """SQL for the smaller of two nullable values (NULL only when both are NULL)."""
    if dialect == "postgresql":
        return f"LEAST({a}, {b})"
    return f"(CASE WHEN {b} IS NULL OR {a} <= {b} THEN COALESCE({a}, {b}) ELSE {b} END)"


@dataclass(frozen=True)
class Upsert:
    """An idempotent ``INSERT … ON CONFLICT`` for one table.

    ``update`` maps a column to its SQL expression on conflict (``excluded.x`` is the new
    row, ``<table>.x`` the stored one); no update means ``DO NOTHING``.
    """

    table: str
    columns: tuple[str, ...]
    keys: tuple[str, ...]
    update: dict[str, str] = field(default_factory=dict)
    where: str | None = None

    def conflict_clause(self) -> str:
        """The ``ON CONFLICT …`` tail of the statement."""
        target = ", ".join(self.keys)
        if not self.update:
            return f"ON CONFLICT ({target}) DO NOTHING"
        sets = ", ".join(f"{col} = {expr}" for col, expr in self.update.items())
        tail = f" WHERE {self.where}" if self.where else ""
        return f"ON CONFLICT ({target}) DO UPDATE SET {sets}{tail}"

    def value_expr(self, dialect: str, column: str, placeholder: str) -> str:
        """The SQL that turns one bound value into the column's stored form."""
        if dialect != "postgresql":
            return placeholder
        if (self.table, column) in TIME_COLUMNS:
            return f"to_timestamp({placeholder}::bigint / 1000.0)"
        if (self.table, column) in JSON_COLUMNS:
            return f"{placeholder}::jsonb"
        return placeholder

    def insert_sql(self, dialect: str) -> str:
        """``INSERT … VALUES (…)`` without a conflict clause, for rows believed new."""
        mark = "%s" if dialect == "postgresql" else "?"
        values = ", ".join(self.value_expr(dialect, c, mark) for c in self.columns)
        return f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({values})"

    def values_sql(self, dialect: str) -> str:
        """``INSERT … VALUES (…) ON CONFLICT …`` for executemany."""
        return f"{self.insert_sql(dialect)} {self.conflict_clause()}"

    def select_sql(self, stage: str) -> str:
        """``INSERT … SELECT … FROM stage ON CONFLICT …`` for PostgreSQL's COPY path."""
        exprs = ", ".join(self.value_expr("postgresql", c, c) for c in self.columns)
        return (
            f"INSERT INTO {self.table} ({', '.join(self.columns)}) "
            f"SELECT {exprs} FROM {stage} ORDER BY {', '.join(self.keys)} "
            f"{self.conflict_clause()}"
        )

    @cached_property
    def stage_types(self) -> tuple[str, ...]:
        """PostgreSQL types of the staging columns (plain values: ms as int8, JSON as text).

        Worked out once per statement: the writer asks for them in every batch.
        """
        table = metadata.tables[self.table]
        out = []
        for name in self.columns:
            if (self.table, name) in TIME_COLUMNS:
                out.append("int8")
            elif (self.table, name) in JSON_COLUMNS:
                out.append("text")
            else:
                compiled = str(table.c[name].type.compile(dialect=_POSTGRESQL))
                out.append(_STAGE_TYPES.get(compiled.split("(")[0], "text"))
        return tuple(out)

    @cached_property
    def table_types(self) -> tuple[str, ...]:
        """PostgreSQL types of the table's own columns, for a binary COPY straight into it."""
        return tuple(
            "timestamptz"
            if (self.table, name) in TIME_COLUMNS
            else "jsonb"
            if (self.table, name) in JSON_COLUMNS
            else kind
            for name, kind in zip(self.columns, self.stage_types, strict=True)
        )

    def stage_ddl(self, stage: str) -> str:
        """A temporary staging table whose columns accept the writer's plain values."""
        cols = ", ".join(f"{n} {t}" for n, t in zip(self.columns, self.stage_types, strict=True))
        return f"CREATE TEMP TABLE IF NOT EXISTS {stage} ({cols}) ON COMMIT DELETE ROWS"


_STAGE_TYPES = {
    "INTEGER": "int4",
    "BIGINT": "int8",
    "BOOLEAN": "bool",
    "BYTEA": "bytea",
    "VARCHAR": "text",
    "TEXT": "text",
}
