"""Write benchmark: wa-archive's writer against the database's raw bulk path and the
seed document's one-INSERT-per-message approach, on the same synthetic data, same run.

    python bench/write_bench.py [--messages 200000] [--seed-sample 20000] [--pg URL]

Prints messages/second for each path and the ratios. The raw path writes exactly the rows
wa-archive writes (messages, media, reactions, edits, receipts, chats, …) into the same
schema (same indexes, full-text index included), pre-built, with no conflict handling:
SQLite plain ``executemany`` INSERTs plus ``INSERT INTO messages_fts SELECT``; PostgreSQL
``COPY`` into the tables (the generated tsvector and its GIN index maintained by the server).
Both use the same batches and one transaction per batch. The per-message approach is timed
on a sample (it is slow) and reported as a rate.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wa_archive import Archive, Batch
from wa_archive.sources.fake import FakeArchive
from wa_archive.store.rows import RowBuilder
from wa_archive.store.schema import TIME_COLUMNS
from wa_archive.store.types import datetime_to_ms, ms_to_datetime
from wa_archive.store.upserts import MESSAGE_COLUMNS, upserts

PG_DSN = os.environ.get("WA_ARCHIVE_TEST_PG", "postgresql://root@127.0.0.1:5432/test")


def generate(n: int) -> list[Batch]:
    return list(FakeArchive(n).batches(5000))


def table_rows(batches: list[Batch], account: int) -> list[dict[str, list[tuple]]]:  # type: ignore[type-arg]
    """The exact rows wa-archive writes, per batch and table (the raw paths insert these)."""
    builder = RowBuilder(account, lambda j: j)
    return [{t: r for t, r in builder.build(b).items() if r} for b in batches]


def run_writer(target: str, batches: list[Batch]) -> float:
    with Archive.open(target) as archive:
        account = archive.ensure_account("bench")
        start = time.perf_counter()
        for b in batches:
            archive.write(account, b)
        return time.perf_counter() - start


def raw_sqlite(path: Path, tables: list[dict[str, list[tuple]]]) -> float:  # type: ignore[type-arg]
    """Plain executemany INSERTs of the same rows, one transaction per batch, FTS appended."""
    with Archive.open(path) as archive:
        archive.ensure_account("bench")
        raw = archive.engine.raw_connection()
        cur = raw.cursor()
        specs = upserts("sqlite")
        start = time.perf_counter()
        for batch in tables:
            cur.execute("BEGIN")
            cur.execute("SELECT COALESCE(MAX(rowid), 0) FROM messages")
            before = cur.fetchone()[0]
            for name, rows in batch.items():
                cols = specs[name].columns
                tail = " ON CONFLICT DO NOTHING" if name in REPEATED else ""
                cur.executemany(
                    f"INSERT INTO {name} ({', '.join(cols)}) "
                    f"VALUES ({', '.join('?' * len(cols))}){tail}",
                    rows,
                )
            cur.execute(
                "INSERT INTO messages_fts (rowid, text) SELECT rowid, text FROM messages "
                "WHERE rowid > ? AND text IS NOT NULL",
                (before,),
            )
            cur.execute("COMMIT")
        elapsed = time.perf_counter() - start
        raw.close()
        return elapsed


def raw_postgres(url: str, tables: list[dict[str, list[tuple]]]) -> float:  # type: ignore[type-arg]
    """COPY of the same rows straight into the tables, one transaction per batch."""
    specs = upserts("postgresql")
    converted = [
        {name: [_pg_row(name, specs[name].columns, r) for r in rows] for name, rows in b.items()}
        for b in tables
    ]
    with Archive.open(url) as archive:
        archive.ensure_account("bench")
        raw = archive.engine.raw_connection()
        cur = raw.cursor()
        start = time.perf_counter()
        for batch in converted:
            for name, rows in batch.items():
                cols = ", ".join(specs[name].columns)
                if name in REPEATED:  # a few rows that recur across batches
                    cur.executemany(
                        specs[name].values_sql("postgresql").split(" ON CONFLICT")[0]
                        + " ON CONFLICT DO NOTHING",
                        [_plain(r) for r in rows],
                    )
                    continue
                with cur.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            raw.commit()
        elapsed = time.perf_counter() - start
        raw.close()
        return elapsed


REPEATED = frozenset({"chats", "contacts", "chat_coverage"})
"""Tables whose few rows recur in every batch: the raw paths skip their duplicates."""


def _plain(row: tuple) -> tuple:  # type: ignore[type-arg]
    return tuple(datetime_to_ms(v) if isinstance(v, datetime) else v for v in row)


def _pg_row(table: str, columns: tuple[str, ...], row: tuple) -> tuple:  # type: ignore[type-arg]
    return tuple(
        ms_to_datetime(v) if (table, c) in TIME_COLUMNS else v
        for c, v in zip(columns, row, strict=True)
    )


def seed_approach(target: str, rows: list[tuple], dialect: str) -> float:  # type: ignore[type-arg]
    """One autocommitted INSERT … ON CONFLICT DO NOTHING per message."""
    with Archive.open(target) as archive:
        archive.ensure_account("bench")
        raw = archive.engine.raw_connection()
        cur = raw.cursor()
        if dialect == "postgresql":
            raw.driver_connection.autocommit = True
            ph = ", ".join(
                "to_timestamp(%s::bigint / 1000.0)"
                if c == "timestamp"
                else "%s::jsonb"
                if c in ("stub_params", "mentions", "attrs")
                else "%s"
                for c in MESSAGE_COLUMNS
            )
        else:
            ph = ", ".join("?" * len(MESSAGE_COLUMNS))
        sql = (f"INSERT INTO messages ({', '.join(MESSAGE_COLUMNS)}) VALUES ({ph}) "
               "ON CONFLICT DO NOTHING")  # fmt: skip
        start = time.perf_counter()
        for row in rows:
            cur.execute(sql, row)
        elapsed = time.perf_counter() - start
        raw.close()
        return elapsed


def _pg_url() -> tuple[str, str]:
    schema = f"wa_bench_{uuid.uuid4().hex[:8]}"
    return f"{PG_DSN}?search_path={schema}", schema


def _drop(schema: str) -> None:
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--seed-sample", type=int, default=20_000,
                        help="messages timed for the per-message approach (it is slow)")  # fmt: skip
    args = parser.parse_args()
    n = args.messages
    batches = generate(n)
    tables = table_rows(batches, 1)
    sample = [r for b in tables for r in b["messages"]][: args.seed_sample]
    print(f"{n} messages in {len(batches)} batches (+media, reactions, edits, receipts)")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        results["sqlite"] = {
            "raw": n / raw_sqlite(d / "raw.db", tables),
            "wa-archive": n / run_writer(str(d / "wa.db"), batches),
            "per-message": len(sample) / seed_approach(str(d / "seed.db"), sample, "sqlite"),
        }
    schemas = []
    try:
        urls = [_pg_url() for _ in range(3)]
        schemas = [s for _, s in urls]
        results["postgresql"] = {
            "raw": n / raw_postgres(urls[0][0], tables),
            "wa-archive": n / run_writer(urls[1][0], batches),
            "per-message": len(sample) / seed_approach(urls[2][0], sample, "postgresql"),
        }
    finally:
        for s in schemas:
            _drop(s)
    for dialect, r in results.items():
        print(f"\n{dialect}:")
        for name, rate in r.items():
            print(f"  {name:12} {rate:10,.0f} msg/s")
        print(f"  wa-archive / raw         = {r['wa-archive'] / r['raw']:.2f}  (target >= 0.5)")
        print(f"  wa-archive / per-message = {r['wa-archive'] / r['per-message']:.1f}x")


if __name__ == "__main__":
    main()
