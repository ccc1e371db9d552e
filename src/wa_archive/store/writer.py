"""The batched writer: one ``Batch`` → one transaction of idempotent upserts.

A batch is first prepared in memory (its rows with canonical JIDs, the identity pairs it
teaches); then, inside the transaction: store identity pairs (re-keying rows stored under a
newly mapped LID), upsert every table, append new messages to the SQLite full-text index,
apply pending edits and revokes to targets that now exist, mark journal rows processed.
``write_all`` overlaps them on PostgreSQL: a batch is prepared while the server takes the
two before it, each on its own connection.
"""

from __future__ import annotations

import logging
import operator
import random
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, NamedTuple, TypeVar

import msgspec
from sqlalchemy import Engine

from ..errors import UserInputError
from ..records import Batch
from .checkpoint import Checkpointer
from .effects import Key, apply_pending
from .identity import IdentityMap, rekey, rekey_table_ddl
from .rows import RowBuilder
from .sql import Upsert
from .upserts import upserts

log = logging.getLogger("wa_archive.store.writer")

_NAN = float("nan")
_T = TypeVar("_T")

_IN_FLIGHT = 2
"""Batches written at once on PostgreSQL (``Writer.write_all``)."""

BATCH_MESSAGES = 5000
"""Messages per batch a bulk source (an import) is asked to send (``Writer.batch_messages``):
fewer, larger transactions. On PostgreSQL, where ``write_all`` holds two batches in flight
and a third ready, a batch is half that: a 2 GB import then stays within 300 MB (the
writer ~50 MB smaller, ~7% slower)."""

BULK_ROWS = 200
"""A batch's rows for one table are a bulk insert from this many: tried straight into the
table (COPY on PostgreSQL, a plain INSERT on SQLite) before the upsert."""


class WriteReport(msgspec.Struct, kw_only=True):
    """What one or more writes changed."""

    messages_new: int = 0
    messages_updated: int = 0
    messages_unchanged: int = 0
    rows: int = 0
    quarantined: int = 0

    def add(self, other: WriteReport) -> None:
        """Accumulate another report into this one."""
        for name in self.__struct_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Prepared(NamedTuple):
    """A batch made ready to write: its rows, and the identities to store with them."""

    batch: Batch
    tables: dict[str, list[tuple[Any, ...]]]
    fresh: dict[str, str]
    """Phone numbers of LIDs learnt from this batch."""
    unmapped: list[str]
    """LIDs this batch writes without a known phone number, seen for the first time."""
    written: set[Key]
    """(chat, id) of the batch's messages."""
    targets: set[Key]
    """(chat, id) of the messages its edits and revokes target."""


class Writer:
    """Writes batches for any account of one database; safe to share within a process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.param = "%s" if self.dialect == "postgresql" else "?"
        self.identities = IdentityMap()
        self._accounts: set[int] = set()
        self._fresh_skip: dict[str, int] = {}
        self._written = 0
        self._analyze_at = 5_000
        database = engine.url.database if self.dialect == "sqlite" else None
        self._checkpointer = (
            Checkpointer(database)
            if database and database != ":memory:" and not database.startswith("file:")
            else None
        )

    @property
    def batch_messages(self) -> int:
        """Messages per batch that suit this database (``BATCH_MESSAGES``)."""
        return BATCH_MESSAGES // _IN_FLIGHT if self.dialect == "postgresql" else BATCH_MESSAGES

    def close(self) -> None:
        """Stop the background checkpoints (SQLite); the writer is not used afterwards."""
        if self._checkpointer is not None:
            self._checkpointer.close()

    def write(self, account_id: int, batch: Batch, journal_ids: Sequence[int] = ()) -> WriteReport:
        """Write ``batch`` in one transaction; retry what PostgreSQL asks to be retried."""
        return self._retrying(self._write_once, account_id, batch, journal_ids)

    def _retrying(self, work: Callable[..., _T], account_id: int, *args: Any) -> _T:
        """``work(account_id, *args)``, one transaction, retried when the database asks."""
        for attempt in range(8):
            try:
                return work(account_id, *args)
            except Exception as exc:
                self.identities.forget(account_id)
                if attempt == 7 or not _retryable(exc):
                    raise
                log.info("retrying a batch after %s", type(exc).__name__)
                time.sleep(random.uniform(0.01, 0.05) * (2**attempt))
        raise AssertionError("unreachable")

    def write_all(
        self, account_id: int, batches: Iterable[Batch]
    ) -> Iterator[tuple[Batch, WriteReport]]:
        """Write ``batches`` in order, one transaction each, yielding each with its report.

        On PostgreSQL two batches are written at once, on two connections, while the
        next one's rows are built: each transaction runs in a thread (the GIL is free
        while psycopg waits), and this thread owns the identity cache. So that the
        archive ends as when the batches are written one by one:

        * a batch that teaches identities (a pair, or a LID first written without its
          phone number) is written alone, after the batches before it: a re-key must
          see every row stored under the LID, and later rows are built with the pair;
        * a batch that writes a message the batch in flight writes too (a later copy,
          as in a batch of ``repeats``) starts once that one has committed: the first
          copy is reported new and the later one as what it changed;
        * a batch starts only when the one two before it has committed, and after the
          two that ran together have both committed, an edit or revoke of one of them
          whose target the other wrote (each was invisible to the other's
          transaction) is applied;
        * a batch that fails with an error worth retrying is written again in this
          thread, and the rows already built for the next one are built anew;
        * an error of ``batches``, or a batch refused for good, is raised once the
          batches already in flight are written.
        """
        if self.dialect != "postgresql":
            for batch in batches:
                yield batch, self.write(account_id, batch)
            return
        with ThreadPoolExecutor(_IN_FLIGHT, thread_name_prefix="wa-archive-write") as pool:
            flight: deque[_Flight] = deque()
            before: _Flight | None = None  # the last batch settled
            source = iter(batches)
            while True:
                try:
                    batch = next(source)
                except StopIteration:
                    break
                except BaseException:
                    while flight:
                        before, report, _ = self._land(account_id, flight, before)
                        yield before.prepared.batch, report
                    raise
                prepared = self.prepare(account_id, batch)
                exclusive = bool(prepared.fresh or prepared.unmapped)
                while flight and (
                    len(flight) == _IN_FLIGHT
                    or exclusive
                    or flight[-1].exclusive
                    or _shares_messages(flight, prepared)
                ):
                    before, report, clean = self._land(account_id, flight, before)
                    yield before.prepared.batch, report
                    if not clean:
                        prepared = self.prepare(account_id, batch)
                        exclusive = bool(prepared.fresh or prepared.unmapped)
                future = pool.submit(self._write_once, account_id, batch, (), prepared)
                flight.append(_Flight(prepared, exclusive, future, overlaps=bool(flight)))
            while flight:
                before, report, _ = self._land(account_id, flight, before)
                yield before.prepared.batch, report

    def _land(
        self, account_id: int, flight: deque[_Flight], before: _Flight | None
    ) -> tuple[_Flight, WriteReport, bool]:
        """Settle the oldest batch in flight; apply what it and the one before hid."""
        done = flight.popleft()
        try:
            report, clean = self._settle(account_id, done.prepared.batch, done.future)
        except BaseException:
            for other in flight:  # a batch refused for good: let the ones after it end
                other.future.exception()
            raise
        if done.overlaps and before is not None:
            across = _across(before.prepared, done.prepared)
            if across:
                self._retrying(self._apply_across, account_id, across)
        return done, report, clean

    def _settle(
        self, account_id: int, batch: Batch, future: Future[WriteReport]
    ) -> tuple[WriteReport, bool]:
        """The report of a batch written in a thread, and whether it was written there."""
        try:
            return future.result(), True
        except Exception as exc:
            self.identities.forget(account_id)
            if not _retryable(exc):
                raise
            log.info("retrying a batch after %s", type(exc).__name__)
            return self.write(account_id, batch), False

    def _apply_across(self, account_id: int, keys: set[Key]) -> None:
        """Apply the pending edits and revokes of ``keys`` in a transaction of its own."""
        raw = self.engine.raw_connection()
        try:
            apply_pending(raw.cursor(), self.dialect, account_id, keys, set())
            raw.commit()
        except BaseException:
            self._rollback(raw)
            raise
        finally:
            raw.close()

    def prepare(self, account_id: int, batch: Batch, cur: Any = None) -> Prepared:
        """The batch's rows with canonical JIDs, and the identities to store with them.

        Only memory is touched (the identity cache takes the batch's pairs and unmapped
        LIDs); the cache is loaded first if it is not, on ``cur`` or a connection of its own.
        """
        known = self.identities.cached(account_id)
        if known is None:
            if cur is not None:
                known = self.identities.known(cur, account_id, self.param)
            else:
                raw = self.engine.raw_connection()
                try:
                    known = self.identities.known(raw.cursor(), account_id, self.param)
                    raw.rollback()
                finally:
                    raw.close()
        fresh = self.identities.plan(known, batch.identities)
        canonical = _Canonical(known)
        # SQLite binds an exact int, float or str directly but sends a bool, None or bytes
        # through its adapter registry (~1,260 instructions a value). So on SQLite a
        # message's flags are ints, and its usually empty columns are bound as NaN, which
        # SQLite stores as NULL: ~8 of them per message, 8.2k instructions saved.
        sqlite = self.dialect == "sqlite"
        flag = operator.index if sqlite else operator.truth
        null = _NAN if sqlite else None
        tables = RowBuilder(account_id, canonical.__getitem__, flag, null).build(batch)
        unmapped = self.identities.plan_unmapped(known, canonical.unmapped)
        return Prepared(batch, tables, fresh, unmapped, *_keys(tables))

    def _write_once(
        self,
        account_id: int,
        batch: Batch,
        journal_ids: Sequence[int],
        prepared: Prepared | None = None,
    ) -> WriteReport:
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            self._check_account(cur, account_id)
            self._begin(cur)
            if prepared is None:
                prepared = self.prepare(account_id, batch, cur)
            report = self._write_tx(cur, account_id, prepared, journal_ids)
            self._commit(raw, cur)
            return report
        except BaseException:
            self._rollback(raw)
            raise
        finally:
            raw.close()

    def _check_account(self, cur: Any, account_id: int) -> None:
        """Refuse an account id that does not exist (checked once per account).

        This stands in for a foreign key on every table (dropped by migration 0002: on
        PostgreSQL its per-row check was 23% of the server's work in a bulk load).
        """
        if account_id in self._accounts:
            return
        cur.execute(f"SELECT 1 FROM accounts WHERE id = {self.param}", (account_id,))
        if cur.fetchone() is None:
            raise UserInputError(f"no account with id {account_id} in this archive")
        self._accounts.add(account_id)

    def _begin(self, cur: Any) -> None:
        if self.dialect == "sqlite":
            cur.execute("BEGIN IMMEDIATE")

    def _commit(self, raw: Any, cur: Any) -> None:
        if self.dialect == "sqlite":
            cur.execute("COMMIT")
            if self._checkpointer is not None:
                self._checkpointer.poke()
        else:
            raw.commit()

    def _rollback(self, raw: Any) -> None:
        try:
            if self.dialect == "sqlite":
                raw.driver_connection.execute("ROLLBACK")
            else:
                raw.rollback()
        except Exception:  # the connection may already be gone; nothing more to undo
            log.debug("rollback failed", exc_info=True)

    def _write_tx(
        self, cur: Any, account_id: int, prepared: Prepared, journal_ids: Sequence[int]
    ) -> WriteReport:
        batch, tables = prepared.batch, prepared.tables
        moved = self.identities.store(cur, account_id, prepared.fresh, self.param)
        if moved:
            cur.execute(rekey_table_ddl(self.dialect))
            rekey(cur, self.dialect, account_id, moved)
        if prepared.unmapped:
            self.identities.store_unmapped(cur, account_id, prepared.unmapped, self.param)
        report = WriteReport(quarantined=len(batch.quarantined))
        fts_from = self._max_rowid(cur)
        specs = upserts(self.dialect)
        fresh = not batch.repeats  # worth trying a straight COPY (PostgreSQL)
        for name, rows in tables.items():
            if not rows:
                continue
            report.rows += len(rows)
            if name == "messages":
                new, updated = self._upsert_messages(cur, specs[name], rows, fts_from, fresh)
                report.messages_new += new
                report.messages_updated += updated
                report.messages_unchanged += len(batch.messages) - new - updated
            else:
                self._upsert(cur, specs[name], rows, fresh)
        if fts_from is not None and tables["messages"]:
            cur.execute(
                "INSERT INTO messages_fts (rowid, text) SELECT rowid, text FROM messages "
                "WHERE rowid > ? AND text IS NOT NULL",
                (fts_from,),
            )
        self._refresh_statistics(cur, report.rows)
        written = None if moved else prepared.written
        apply_pending(cur, self.dialect, account_id, written, prepared.targets)
        if journal_ids:
            self._mark_processed(cur, account_id, journal_ids)
        return report

    def _refresh_statistics(self, cur: Any, rows: int) -> None:
        """ANALYZE on PostgreSQL as a bulk load grows (×4 steps), before autovacuum would.

        Freshly COPY-loaded tables have no statistics; the planner then picks the
        chat/time index for key lookups and scans whole chats. Table sizes and a coarse
        sample are all those plans need: 3,000 sampled rows (``default_statistics_target``
        10, for this transaction only) instead of 30,000 make an ANALYZE of 1M messages
        take 0.08 s instead of 0.9 s. Autovacuum's own ANALYZE later uses the server's
        setting.
        """
        self._written += rows
        if self.dialect != "postgresql" or self._written < self._analyze_at:
            return
        self._analyze_at = self._written * 4
        cur.execute("SET LOCAL default_statistics_target = 10")
        cur.execute("ANALYZE messages, message_edits, message_revokes")

    def _max_rowid(self, cur: Any) -> int | None:
        if self.dialect != "sqlite":
            return None
        cur.execute("SELECT COALESCE(MAX(rowid), 0) FROM messages")
        return int(cur.fetchone()[0])

    def _upsert(self, cur: Any, spec: Upsert, rows: list[tuple[Any, ...]], fresh: bool) -> None:
        bulk = len(rows) >= BULK_ROWS
        if bulk and fresh and self._insert_fresh(cur, spec, rows):
            return
        if bulk and self.dialect == "postgresql":
            self._copy_stage(cur, spec, rows)
            cur.execute(spec.select_sql(f"_wa_stage_{spec.table}"))
        else:
            cur.executemany(spec.values_sql(self.dialect), rows)

    def _upsert_messages(
        self,
        cur: Any,
        spec: Upsert,
        rows: list[tuple[Any, ...]],
        before: int | None,
        fresh: bool,
    ) -> tuple[int, int]:
        """Upsert message rows; return (inserted, updated) counts.

        SQLite counts new rows by rowid (``before`` is the largest before this batch).
        """
        bulk = len(rows) >= BULK_ROWS
        if bulk and fresh and self._insert_fresh(cur, spec, rows):
            return len(rows), 0
        if self.dialect == "sqlite":
            middle = self._max_rowid(cur) or 0  # after what a refused plain INSERT got in
            cur.executemany(spec.values_sql("sqlite"), rows)
            changed = max(cur.rowcount, 0)  # inserted or updated by the upsert
            after = self._max_rowid(cur) or 0
            return after - (before or 0), changed - (after - middle)
        if bulk:
            self._copy_stage(cur, spec, rows)
            source = spec.select_sql("_wa_stage_messages")
            cur.execute(
                f"WITH w AS ({source} RETURNING (xmax = 0) AS inserted) "
                "SELECT count(*) FILTER (WHERE inserted), count(*) FROM w"
            )
            new, total = cur.fetchone()
            return int(new), int(total) - int(new)
        new = total = 0
        sql = spec.values_sql("postgresql") + " RETURNING (xmax = 0)"
        for row in rows:
            cur.execute(sql, row)
            result = cur.fetchone()
            if result is not None:
                total += 1
                new += bool(result[0])
        return new, total - new

    def _insert_fresh(self, cur: Any, spec: Upsert, rows: list[tuple[Any, ...]]) -> bool:
        """Insert a bulk batch straight into its table when none of its keys exists yet.

        Imports and history syncs are mostly new rows. PostgreSQL takes them by a binary
        COPY, skipping the staging table and the speculative ``ON CONFLICT`` insert;
        SQLite by a plain INSERT, skipping the upsert's extra look-up of each key (9% of a
        bulk write's instructions). The first existing key aborts the insert (to a
        savepoint) and the caller falls back to the upsert; after a fallback the table's
        next few batches go straight to the upsert, as overlapping input continues.
        """
        skip = self._fresh_skip.get(spec.table, 0)
        if skip > 0:
            self._fresh_skip[spec.table] = skip - 1
            return False
        if self.dialect == "sqlite":
            # No savepoint (it would journal every page the insert touches): the rows
            # inserted before the refused one stay, and the upsert that follows finds
            # them equal to its own, which every merge rule leaves as they are.
            try:
                cur.executemany(spec.insert_sql("sqlite"), rows)
            except sqlite3.IntegrityError as exc:
                if not str(exc).startswith("UNIQUE constraint failed"):
                    raise
                self._fresh_skip[spec.table] = 8
                return False
            return True
        cur.execute("SAVEPOINT wa_fresh")
        try:
            self._copy_into(cur, spec, rows)
        except _unique_violation():
            cur.execute("ROLLBACK TO SAVEPOINT wa_fresh")
            self._fresh_skip[spec.table] = 8
            return False
        cur.execute("RELEASE SAVEPOINT wa_fresh")
        return True

    def _copy_into(self, cur: Any, spec: Upsert, rows: list[tuple[Any, ...]]) -> None:
        from .pgcopy import prepare_copy_cursor  # psycopg: 0.1 s of start-up SQLite never needs

        prepare_copy_cursor(cur)
        _copy(cur, spec.table, spec.columns, spec.table_types, rows)

    def _copy_stage(self, cur: Any, spec: Upsert, rows: Iterable[tuple[Any, ...]]) -> None:
        stage = f"_wa_stage_{spec.table}"
        cur.execute(spec.stage_ddl(stage))
        _copy(cur, stage, spec.columns, spec.stage_types, rows)

    def _mark_processed(self, cur: Any, account_id: int, ids: Sequence[int]) -> None:
        p = self.param
        now = int(time.time() * 1000)
        stamp = f"to_timestamp({p}::bigint / 1000.0)" if self.dialect == "postgresql" else p
        cur.executemany(
            f"UPDATE journal SET processed_at = {stamp}, error = NULL "
            f"WHERE account_id = {p} AND id = {p}",
            [(now, account_id, i) for i in ids],
        )


class _Flight(NamedTuple):
    """A batch being written in a thread."""

    prepared: Prepared
    exclusive: bool
    """It teaches identities, so it is written with no other batch at the same time."""
    future: Future[WriteReport]
    overlaps: bool
    """The batch before it was still in flight when it started."""


def _keys(tables: dict[str, list[tuple[Any, ...]]]) -> tuple[set[Key], set[Key]]:
    """The (chat, id) keys of a batch's messages, and of its edits' and revokes' targets."""
    written = {(row[1], row[2]) for row in tables["messages"]}
    targets = {
        (row[1], row[2]) for name in ("message_edits", "message_revokes") for row in tables[name]
    }
    return written, targets


def _shares_messages(flight: Iterable[_Flight], prepared: Prepared) -> bool:
    """Whether a batch in flight writes one of the messages ``prepared`` writes."""
    return any(not other.prepared.written.isdisjoint(prepared.written) for other in flight)


def _across(first: Prepared, second: Prepared) -> set[Key]:
    """Messages of one of two batches that the other's edits or revokes target."""
    return (first.written & second.targets) | (second.written & first.targets)


class _Canonical(dict[str, str]):
    """JID → canonical JID for one batch; each distinct JID is resolved when first seen.

    Its ``__getitem__`` is the row builder's resolve: after the first time, a JID costs a
    C-level dict look-up (a batch repeats its few chats and senders in every row). LIDs
    without a known phone number are collected in ``unmapped``.
    """

    def __init__(self, known: dict[str, str | None]) -> None:
        super().__init__()
        self.known = known
        self.unmapped: set[str] = set()

    def __missing__(self, jid: str) -> str:
        canonical = self.known.get(jid)
        if not canonical:
            canonical = jid
            if jid.endswith("@lid"):
                self.unmapped.add(jid)
        self[jid] = canonical
        return canonical


def _copy(
    cur: Any,
    table: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    """A binary ``COPY`` of ``rows`` into ``table`` (PostgreSQL)."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    with cur.copy(sql) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _unique_violation() -> type[Exception]:
    from psycopg import errors as pg

    return pg.UniqueViolation


def _retryable(exc: BaseException) -> bool:
    """True for PostgreSQL deadlocks, serialization failures and SQLite lock time-outs."""
    try:
        from psycopg import errors as pg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, pg.DeadlockDetected | pg.SerializationFailure | pg.UniqueViolation):
            return True
        if "database is locked" in str(cause):
            return True
        cause = cause.__cause__
    return False
