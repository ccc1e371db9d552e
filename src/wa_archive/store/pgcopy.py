"""How the writer's values travel in a PostgreSQL binary COPY straight into a table.

The row builder makes one row shape for both dialects: times as integer UTC milliseconds,
JSON as text already serialised. For a COPY into the real table (``timestamptz`` and
``jsonb`` columns) a cursor gets two dumpers that take those values as they are, instead
of building a ``datetime`` per value and serialising the JSON a second time.
"""

from __future__ import annotations

import struct
from typing import Any

import orjson
from psycopg import Cursor, postgres
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.types.json import set_json_dumps

_PG_EPOCH_MS = 946_684_800_000
"""2000-01-01T00:00:00Z, PostgreSQL's time zero, in Unix milliseconds."""

_pack_int8 = struct.Struct("!q").pack


class _Milliseconds(int):
    """Never instantiated: registering a dumper needs a Python type; COPY picks it by oid."""


class MillisecondsTimestamptz(Dumper):
    """Binary ``timestamptz`` (microseconds since 2000-01-01 UTC) from integer Unix ms."""

    format = Format.BINARY
    oid = postgres.types["timestamptz"].oid

    def dump(self, obj: Any) -> bytes:
        return _pack_int8((obj - _PG_EPOCH_MS) * 1000)


def prepare_copy_cursor(cur: Cursor[Any]) -> None:
    """Make ``cur``'s binary COPYs take ms integers for timestamptz and JSON text for jsonb."""
    cur.adapters.register_dumper(_Milliseconds, MillisecondsTimestamptz)
    set_json_dumps(_as_is, context=cur)


def _as_is(value: Any) -> str:
    return value if isinstance(value, str) else orjson.dumps(value).decode()
