"""Monotonic 63-bit ids for rows that need an order without a database sequence (the journal)."""

from __future__ import annotations

import threading
import time

_lock = threading.Lock()
_last = 0


def monotonic_id() -> int:
    """A process-wide strictly increasing id based on the wall clock in nanoseconds."""
    global _last
    with _lock:
        _last = max(time.time_ns(), _last + 1)
        return _last
