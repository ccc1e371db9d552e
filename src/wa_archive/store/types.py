"""Column types that differ per dialect but mean the same thing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Dialect
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.types import TypeDecorator, TypeEngine

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def ms_to_datetime(ms: int | None) -> datetime | None:
    """Integer UTC milliseconds → aware datetime (None stays None).

    Exact at any size: a float ``ms / 1000`` is off by microseconds near the year 9999.
    """
    if ms is None:
        return None
    return _EPOCH + timedelta(milliseconds=ms)


def datetime_to_ms(value: datetime | int | None) -> int | None:
    """Aware datetime (or int ms) → integer UTC milliseconds."""
    if value is None or isinstance(value, int):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return round(value.timestamp() * 1000)


class UtcTime(TypeDecorator[datetime]):
    """A UTC instant: ``timestamptz`` in PostgreSQL, integer milliseconds in SQLite.

    Binds accept an aware ``datetime`` or integer milliseconds; results are aware datetimes.
    """

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TIMESTAMP(timezone=True))
        return dialect.type_descriptor(BigInteger())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return ms_to_datetime(value) if isinstance(value, int) else value
        return datetime_to_ms(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        return ms_to_datetime(int(value))


def json_type() -> TypeEngine[Any]:
    """JSON column: JSONB in PostgreSQL, JSON text in SQLite."""
    return JSON().with_variant(JSONB(), "postgresql")
