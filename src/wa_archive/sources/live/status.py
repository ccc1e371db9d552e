"""What the live display shows per account; updated by the capture thread, read by the CLI."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class AccountStatus:
    """Connection state and capture counters of one account (plain values, no locking needed)."""

    account: str
    state: str = "starting"
    detail: str = ""
    jid: str = ""
    push_name: str = ""
    history_chunks: int = 0
    history_progress: int | None = None
    history_messages: int = 0
    events: int = 0
    replayed: int = 0
    spooled: int = 0
    quarantined: int = 0
    last_event_at: float | None = None
    _recent: deque[float] = field(default_factory=lambda: deque(maxlen=10_000), repr=False)

    def set(self, state: str, detail: str = "") -> None:
        """Change the connection state shown for this account."""
        self.state, self.detail = state, detail

    def event(self) -> None:
        """Count one captured event now."""
        now = time.time()
        self.events += 1
        self.last_event_at = now
        self._recent.append(now)

    def events_per_minute(self, now: float | None = None) -> int:
        """Events captured during the last 60 seconds."""
        cutoff = (now or time.time()) - 60
        while self._recent and self._recent[0] < cutoff:
            self._recent.popleft()
        return len(self._recent)
