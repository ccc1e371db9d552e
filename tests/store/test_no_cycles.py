"""Writing makes no reference cycles: an import pauses the cycle collector while it writes.

Garbage that only the collector can free would pile up for the whole import: one batch
that left a few objects in a cycle grows a 2 GB import's memory by tens of MB.
"""

from __future__ import annotations

import gc
from collections import Counter

from wa_archive import Archive
from wa_archive.records import Batch

from .test_writer import T0, msg


def _bulk(start: int, n: int = 300, *, repeats: bool = False) -> Batch:
    return Batch(
        messages=[msg(f"M{i:05}", f"text {i}", ts=T0 + i) for i in range(start, start + n)],
        repeats=repeats,
    )


def test_bulk_writes_leave_nothing_for_the_cycle_collector(archive: Archive, account: int) -> None:
    archive.write(account, _bulk(0))  # first use: caches, prepared statements, temp tables
    archive.write(account, _bulk(0, repeats=True))
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for k in range(1, 6):
            archive.write(account, _bulk(k * 1000))  # new rows: COPY / plain INSERT
            archive.write(account, _bulk(k * 1000 - 150))  # half stored: the upsert path
            archive.write(account, _bulk(k * 1000, repeats=True))
        gc.collect()
        left = Counter(type(o).__name__ for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not left, left.most_common(5)
