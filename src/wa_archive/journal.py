"""The raw-first journal: every live event's bytes are made durable before anything else.

``append`` commits a journal row (or, when the database cannot be reached, appends an fsync'd
frame to a spool file next to the archive). The decoded rows are written later, and the writer
marks the journal row processed in the same transaction. ``pending`` yields what still needs
processing after a crash; ``drain_spool`` moves spooled frames into the table once the database
is back. Journal ids are monotonic per process and unique per account, so replaying a spool
twice inserts nothing twice.
"""

from __future__ import annotations

import logging
import os
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Connection, Engine, and_, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from wa_archive.errors import DatabaseError
from wa_archive.store.schema import journal as journal_table
from wa_archive.store.sequence import monotonic_id

log = logging.getLogger("wa_archive.journal")

MAX_ATTEMPTS = 3
"""A row that failed this many times stays quarantined (its ``error`` says why)."""

_MAGIC = b"WAJ1"
_HEADER = struct.Struct(">4sQqHI")  # magic, id, received_at ms, kind length, payload length
_CRC = struct.Struct(">I")


class JournalEntry(NamedTuple):
    """One journaled event: its id, kind and raw bytes; ``spooled`` when it went to the spool."""

    id: int
    kind: str
    payload: bytes
    spooled: bool = False
    received_at: int = 0


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` means the database is unreachable (retry later), not that data is bad."""
    if isinstance(exc, DatabaseError):
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError | ConnectionError)


class Journal:
    """The durable journal of one account: a table in the archive plus a local spool file."""

    def __init__(self, engine: Engine, account_id: int, spool_dir: Path, source: str = "live"):
        self.engine, self.account_id, self.source = engine, account_id, source
        self.spool_path = Path(spool_dir) / f"account-{account_id}.spool"
        self._conn: Connection | None = None
        self._lock = threading.RLock()

    def append(self, kind: str, payload: bytes) -> JournalEntry:
        """Make ``payload`` durable: a committed row, or an fsync'd spool frame if the DB is down."""
        entry = JournalEntry(monotonic_id(), kind, payload, False, int(time.time() * 1000))
        try:
            with self._lock:
                self._insert([entry], ignore_existing=False)
            return entry
        except Exception as exc:
            if not is_outage(exc):
                raise
            self._drop_connection()
            log.warning("database unreachable, spooling journal entry %d (%s)", entry.id, kind)
        entry = entry._replace(spooled=True)
        self._spool(entry)
        return entry

    def spool(self, kind: str, payload: bytes) -> JournalEntry:
        """Append straight to the spool (used while the database is known to be down)."""
        entry = JournalEntry(monotonic_id(), kind, payload, True, int(time.time() * 1000))
        self._spool(entry)
        return entry

    def has_spool(self) -> bool:
        """True when spooled entries wait to be moved into the database."""
        return self.spool_path.exists()

    def drain_spool(self) -> int:
        """Move spooled entries into the journal table (each at most once), then drop the file."""
        if not self.spool_path.exists():
            return 0
        entries = list(read_spool(self.spool_path))
        with self._lock:
            self._insert(entries, ignore_existing=True)
        self.spool_path.unlink()
        log.info("moved %d spooled journal entries into the database", len(entries))
        return len(entries)

    def pending(self, page: int = 500) -> Iterator[JournalEntry]:
        """Unprocessed, not-yet-quarantined rows in id order, fetched in pages."""
        t = journal_table
        after = -1
        while True:
            query = (
                select(t.c.id, t.c.kind, t.c.payload)
                .where(t.c.account_id == self.account_id, t.c.id > after)
                .where(t.c.processed_at.is_(None), t.c.attempts < MAX_ATTEMPTS)
                .order_by(t.c.id)
                .limit(page)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            for row in rows:
                yield JournalEntry(row.id, row.kind, bytes(row.payload))
            if len(rows) < page:
                return
            after = rows[-1].id

    def mark_failed(self, entry_id: int, error: str) -> None:
        """Quarantine a row: record why it failed and count the attempt (it stays unprocessed)."""
        t = journal_table
        with self._lock, self.engine.begin() as conn:
            conn.execute(
                update(t)
                .where(and_(t.c.account_id == self.account_id, t.c.id == entry_id))
                .values(error=error[:4000], attempts=t.c.attempts + 1)
            )

    def mark_processed(self, ids: list[int]) -> None:
        """Mark rows processed that produced nothing to write (the writer does it otherwise)."""
        t = journal_table
        with self._lock, self.engine.begin() as conn:
            conn.execute(
                update(t)
                .where(t.c.account_id == self.account_id, t.c.id.in_(ids))
                .values(processed_at=int(time.time() * 1000))
            )

    def close(self) -> None:
        """Release the journal's held connection."""
        with self._lock:
            self._drop_connection()

    def _insert(self, entries: list[JournalEntry], ignore_existing: bool) -> None:
        """Insert and commit ``entries`` on the held connection."""
        if not entries:
            return
        rows = [
            {
                "account_id": self.account_id,
                "id": e.id,
                "source": self.source,
                "kind": e.kind,
                "received_at": e.received_at or int(time.time() * 1000),
                "payload": e.payload,
                "attempts": 0,
            }
            for e in entries
        ]
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(journal_table)
        if ignore_existing:
            stmt = stmt.on_conflict_do_nothing(index_elements=["account_id", "id"])
        conn = self._connection()
        try:
            with conn.begin():
                conn.execute(stmt, rows)
        except Exception:
            self._drop_connection()
            raise

    def _connection(self) -> Connection:
        if self._conn is None:
            self._conn = self.engine.connect()
        return self._conn

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()
                conn.close()
            except Exception:  # the connection is already broken; dropping it is the point
                log.debug("closing a broken journal connection failed", exc_info=True)

    def _spool(self, entry: JournalEntry) -> None:
        """Append one frame to the spool file and fsync it (and the directory when new)."""
        self.spool_path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.spool_path.exists()
        with self._lock, open(self.spool_path, "ab") as out:
            out.write(encode_frame(entry))
            out.flush()
            os.fsync(out.fileno())
        if new:
            _fsync_dir(self.spool_path.parent)


def encode_frame(entry: JournalEntry) -> bytes:
    """One spool frame: header, kind, payload and a CRC32 over all of them."""
    kind = entry.kind.encode()
    body = _HEADER.pack(_MAGIC, entry.id, entry.received_at, len(kind), len(entry.payload))
    body += kind + entry.payload
    return body + _CRC.pack(zlib.crc32(body))


def read_spool(path: Path) -> Iterator[JournalEntry]:
    """The complete frames of a spool file; a torn last frame (crash mid-write) is skipped."""
    data = path.read_bytes()
    pos = 0
    while pos + _HEADER.size <= len(data):
        magic, entry_id, received, klen, plen = _HEADER.unpack_from(data, pos)
        end = pos + _HEADER.size + klen + plen
        if magic != _MAGIC or end + _CRC.size > len(data):
            break
        (crc,) = _CRC.unpack_from(data, end)
        if crc != zlib.crc32(data[pos:end]):
            break
        kind = data[pos + _HEADER.size : pos + _HEADER.size + klen].decode()
        yield JournalEntry(entry_id, kind, data[end - plen : end], True, received)
        pos = end + _CRC.size
    if pos < len(data):
        log.warning("spool %s: ignored %d bytes of a torn trailing frame", path, len(data) - pos)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
