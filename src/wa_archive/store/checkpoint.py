"""Copying a SQLite archive's write-ahead log into the database file off the writer's thread.

In WAL mode every committed page is written twice: into the log at commit, and from the
log into the database file by a checkpoint. SQLite runs that checkpoint inside the
``COMMIT`` that takes the log past ``wal_autocheckpoint`` pages, so a bulk import spent
half of each commit (~3 µs per message) copying pages. ``Checkpointer`` does the copy in
a thread of its own, on its own connection, after each commit: a PASSIVE checkpoint never
blocks the writer, and SQLite releases the GIL while it copies, so the copy runs on
another core while the writer builds its next batch.

The writer's connections keep an automatic checkpoint as a safety net, at a threshold
(``AUTOCHECKPOINT_PAGES``) a batch does not reach while the thread keeps up. The log
file keeps the size of the largest stretch written between two restarts of the log (74
MB through a 1M-message import, 198 MB after its last batch of repeats, which rewrites
rows all over the file); ``journal_size_limit`` truncates it back to the same 64 MB when
the log next restarts.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref

log = logging.getLogger("wa_archive.store.checkpoint")

AUTOCHECKPOINT_PAGES = 16384
"""The writer's own checkpoint threshold (64 MB of 4 KB pages): reached only if the
checkpointing thread falls behind (or is not running: another process writing)."""


class Checkpointer:
    """A daemon thread running ``PRAGMA wal_checkpoint(PASSIVE)`` after each ``poke``.

    The thread holds only a weak reference to its checkpointer: one whose archive was
    never closed ends with it (within ``IDLE_CHECK`` seconds of being collected).
    """

    IDLE_CHECK = 1.0

    def __init__(self, path: str) -> None:
        self._path = path
        self._wake = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def poke(self) -> None:
        """A transaction was committed: checkpoint soon (commits coalesce)."""
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._stopped:
                    self._thread = threading.Thread(
                        target=_run,
                        args=(self._path, self._wake, weakref.ref(self)),
                        name="wa-archive-checkpoint",
                        daemon=True,
                    )
                    self._thread.start()
        self._wake.set()

    @property
    def stopped(self) -> bool:
        """Whether ``close`` was called."""
        return self._stopped

    def close(self) -> None:
        """Stop the thread after its current checkpoint; safe to call twice."""
        with self._lock:
            self._stopped = True
            thread, self._thread = self._thread, None
        self._wake.set()
        if thread is not None:
            thread.join(timeout=30)


def _run(path: str, wake: threading.Event, owner: weakref.ref[Checkpointer]) -> None:
    """The thread: checkpoint on each wake-up until the checkpointer is closed or gone."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        while True:
            woken = wake.wait(Checkpointer.IDLE_CHECK)
            checkpointer = owner()
            if checkpointer is None or checkpointer.stopped:
                return
            del checkpointer  # no strong reference while waiting
            if not woken:
                continue
            wake.clear()
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error as err:  # busy or closing: the next commit tries again
                log.debug("checkpoint skipped: %s", err)
    finally:
        conn.close()
