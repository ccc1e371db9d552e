"""Opening a database: URL parsing, password masking, per-dialect connection set-up."""

from __future__ import annotations

import operator
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import QueuePool

from ..errors import UserInputError
from .checkpoint import AUTOCHECKPOINT_PAGES

_PASSWORD = re.compile(r"(://[^:/@]+:)([^@]*)(@)")


def mask_url(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``."""
    return _PASSWORD.sub(r"\1***\3", url)


def normalise_url(target: str | Path) -> URL:
    """Turn a path or database URL into a SQLAlchemy URL (psycopg 3 for PostgreSQL)."""
    text = str(target)
    if "://" not in text:
        return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser()))
    try:
        url = make_url(text)
    except ArgumentError:
        raise UserInputError(f"not a database URL: {mask_url(text)}") from None
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url.set(drivername="sqlite+pysqlite")
    raise UserInputError(f"unsupported database {backend!r}: use a SQLite path or postgresql://…")


def create_archive_engine(target: str | Path) -> Engine:
    """Create an engine with wa-archive's connection settings for the URL's dialect."""
    url = normalise_url(target)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return _postgres_engine(url)


def _sqlite_engine(url: URL) -> Engine:
    # Python's sqlite3 binds only exact int, float, str and bytearray values directly; any
    # other value (None, bytes, bool) is looked up for adaptation, which raises and drops two
    # AttributeErrors when no adapter is registered: 15% of a bulk write's instructions. The
    # adapters are C callables: a Python function costs a frame per value (2.5% more).
    sqlite3.register_adapter(type(None), cast(Callable[[None], None], {}.get))  # returns None
    sqlite3.register_adapter(bytes, bytes)  # bytes(b) is b
    sqlite3.register_adapter(bool, operator.index)  # the int; SQLite stores a bool so anyway
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # A small pool keeps connections (and their PRAGMAs) across writes; SQLite connections
    # are used by one thread at a time, which the pool guarantees.
    engine = create_engine(url, poolclass=QueuePool, pool_size=4, max_overflow=8,
                           connect_args={"check_same_thread": False})  # fmt: skip

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Autocommit at the driver level: wa-archive issues BEGIN itself (IMMEDIATE for writers).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        # 8 MB of page cache per connection (allocated as used). A 1M-message import ran
        # as fast as with 64 MB (the rows arrive sorted by chat, so the pages it touches
        # are few), and the writing process peaked 65 MB lower.
        cur.execute("PRAGMA cache_size=-8192")
        # The writer's thread of checkpoints keeps the log short; this is the safety net,
        # and the size a log that grew past it is truncated to when it restarts.
        cur.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        cur.execute(f"PRAGMA journal_size_limit={AUTOCHECKPOINT_PAGES * 4096}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _postgres_engine(url: URL) -> Engine:
    query = dict(url.query)
    search_path = query.pop("search_path", None)
    url = url.set(query=query)
    engine = create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)
    if search_path:
        schema = str(search_path if isinstance(search_path, str) else search_path[0])

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            with dbapi_conn.cursor() as cur:
                cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
                cur.execute(f'SET search_path TO "{schema}"')
            dbapi_conn.commit()

    return engine
