"""The SQLite writer's log reaches the database file without the writer checkpointing."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from wa_archive import Archive
from wa_archive.records import Batch, MessageRecord
from wa_archive.store.checkpoint import Checkpointer

CHAT = "15551234567@s.whatsapp.net"


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_poke_copies_committed_pages_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")  # only the checkpointer copies
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 200,)] * 5000)
    before = path.stat().st_size
    checkpointer = Checkpointer(str(path))
    try:
        checkpointer.poke()
        assert _wait_for(lambda: path.stat().st_size > before + 500_000)
    finally:
        checkpointer.close()
        conn.close()


def test_an_archive_moves_its_log_into_the_file_while_writing(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    before = set(threading.enumerate())
    with Archive.open(path) as archive:
        account = archive.ensure_account("a")
        for n in range(20):
            batch = Batch(
                messages=[
                    MessageRecord(
                        chat=CHAT, sender=CHAT, id=f"{n}-{i}", from_me=False,
                        timestamp=1_717_000_000_000 + i, text="word " * 40, raw=b"{}" * 200,
                    )
                    for i in range(500)
                ]
            )  # fmt: skip
            archive.write(account, batch)
        # ~12 MB of pages, well under the writer's own threshold (64 MB): only the
        # background checkpoints move them from the log into the database file.
        assert _wait_for(lambda: path.stat().st_size > 5_000_000)
    started = [t for t in threading.enumerate() if t not in before]
    assert not [t for t in started if t.name == "wa-archive-checkpoint"]


def test_the_thread_of_an_archive_never_closed_ends_with_it(tmp_path: Path) -> None:
    def checkpoint_threads() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name == "wa-archive-checkpoint"}

    before = checkpoint_threads()
    archive = Archive.open(tmp_path / "archive.db")
    archive.write(archive.ensure_account("a"), Batch(messages=[_message("m1")]))
    assert checkpoint_threads() - before
    del archive
    gc.collect()
    assert _wait_for(lambda: not checkpoint_threads() - before, seconds=5)


def _message(mid: str) -> MessageRecord:
    return MessageRecord(chat=CHAT, sender=CHAT, id=mid, from_me=False, timestamp=None)


def test_archive_connections_cap_the_log_file_at_the_checkpoint_size(tmp_path: Path) -> None:
    # SQLite truncates a log that grew past journal_size_limit when the log restarts.
    with Archive.open(tmp_path / "archive.db") as archive, archive.engine.connect() as conn:
        limit = conn.exec_driver_sql("PRAGMA journal_size_limit").scalar()
        pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert limit == pages * 4096 == 64 << 20
