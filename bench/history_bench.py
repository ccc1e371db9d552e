"""History-sync throughput: 100k-message chunks through the live path into SQLite.

Each chunk goes the production way (journal the raw bytes, decode, one writer transaction).
The same messages are then stored the naive way (one INSERT and commit per message) for
comparison, and RSS is printed after every chunk to show memory does not grow with chunks.
Run: ``.venv/bin/python bench/history_bench.py [--chunks 3] [--size 100000]``.
"""

from __future__ import annotations

import argparse
import gc
import random
import sqlite3
import sys
import tempfile
import time
import warnings
from pathlib import Path

import psutil

warnings.simplefilter("ignore")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "live"))

from live_helpers import wire  # noqa: E402
from stream import history_chunk  # noqa: E402

from wa_archive import Archive  # noqa: E402


def naive(path: Path, chunk: object) -> float:
    """Seconds to store a chunk's messages with one INSERT + commit each."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS m (chat TEXT, id TEXT, ts INT, text TEXT, raw BLOB,"
               " PRIMARY KEY (chat, id))")  # fmt: skip
    start = time.perf_counter()
    for conv in chunk.Data.conversations:  # type: ignore[attr-defined]
        for hm in conv.messages:
            wmi = hm.message
            db.execute("INSERT OR REPLACE INTO m VALUES (?,?,?,?,?)",
                       (conv.ID, wmi.key.ID, wmi.messageTimestamp, wmi.message.conversation,
                        wmi.SerializeToString()))  # fmt: skip
            db.commit()
    db.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=3)
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    proc = psutil.Process()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive.open(Path(tmp) / "archive.db")
        w = wire(archive, Path(tmp))
        rng = random.Random(1)
        for order in range(1, args.chunks + 1):
            chunk = history_chunk(order, args.size, rng)
            start = time.perf_counter()
            w.capture.ingest("history_sync", chunk)
            took = time.perf_counter() - start
            slow = naive(Path(tmp) / "naive.db", chunk) if order == 1 else None
            del chunk
            gc.collect()
            rss = proc.memory_info().rss / 2**20
            line = (
                f"chunk {order}: {args.size / took:,.0f} msgs/s ({took:.2f} s), RSS {rss:,.0f} MiB"
            )
            if slow is not None:
                line += f"; naive per-message INSERT {args.size / slow:,.0f} msgs/s"
                line += f" → {slow / took:.1f}× faster"
            print(line, flush=True)
        archive.close()


if __name__ == "__main__":
    main()
