"""Journal-first ingestion of live events for one account.

For every journaled event the order is fixed: append the raw bytes to the journal (committed,
or fsync'd to the spool while the database is down), then decode and write, marking the journal
row processed in the same transaction as the rows it produced. A failure to decode or write is
logged and quarantined on the journal row; it never stops the capture.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from wa_archive.journal import Journal, JournalEntry, is_outage
from wa_archive.records import Batch
from wa_archive.sources.live.status import AccountStatus

log = logging.getLogger("wa_archive.sources.live")

Parse = Callable[[str, bytes], Any]
Decoder = Callable[[Any, Batch], Any]
AfterWrite = Callable[[str, Any, Batch], None]


def decoders() -> dict[str, Decoder]:
    """The decode function of each journal kind (imported late: decode loads neonize's protos)."""
    from wa_archive import decode

    return {
        "history_sync": lambda ev, out: decode.decode_history_sync(ev.Data, out),
        "message": decode.decode_live_message,
        "receipt": decode.decode_receipt,
        "undecryptable": decode.decode_undecryptable,
        "group_info": decode.decode_group_info,
        "joined_group": decode.decode_joined_group,
    }


class Capture:
    """Ingests one account's events: journal first, then decode and write, never raising."""

    def __init__(
        self,
        archive: Any,
        account_id: int,
        journal: Journal,
        parse: Parse,
        status: AccountStatus | None = None,
        retry_after: float = 5.0,
    ) -> None:
        self.archive, self.account_id, self.journal, self.parse = (
            archive,
            account_id,
            journal,
            parse,
        )
        self.status = status or AccountStatus(str(account_id))
        self.retry_after = retry_after
        self.after_write: list[AfterWrite] = []
        self.write_lock = threading.RLock()
        self._decoders: dict[str, Decoder] | None = None
        self._outage_until: float | None = None

    @property
    def in_outage(self) -> bool:
        """True while the database is considered unreachable."""
        return self._outage_until is not None

    def ingest(self, kind: str, event: Any) -> None:
        """Handle one live event: journal its bytes first, then decode and write it."""
        with self.write_lock:
            self.status.event()
            self._recover_if_due()
            payload = event.SerializeToString()
            if self.in_outage:
                entry = self.journal.spool(kind, payload)
            else:
                entry = self.journal.append(kind, payload)
            if entry.spooled:
                self.status.spooled += 1
                self._enter_outage()
                return
            self.process(entry, event)

    def process(self, entry: JournalEntry, event: Any = None) -> bool:
        """Decode and write one entry; True when stored, False when deferred or quarantined."""
        try:
            event = event if event is not None else self.parse(entry.kind, entry.payload)
            batch = Batch()
            info = self._decoder(entry.kind)(event, batch)
            with self.write_lock:
                self.archive.write(self.account_id, batch, journal_ids=[entry.id])
                if entry.kind == "history_sync" and info is not None:
                    self._record_history(info)
            for hook in self.after_write:
                hook(entry.kind, event, batch)
            return True
        except Exception as exc:
            if is_outage(exc):
                self._enter_outage()
                return False
            self._quarantine(entry, exc)
            return False

    def replay(self) -> int:
        """Move spooled entries into the journal, then process every unprocessed row."""
        with self.write_lock:
            self.journal.drain_spool()
            done = 0
            for entry in self.journal.pending():
                if self.process(entry):
                    done += 1
                elif self.in_outage:
                    break
            self.status.replayed += done
            return done

    def maintain(self) -> None:
        """Periodic upkeep from the runner: leave an outage once the database answers again."""
        with self.write_lock:
            self._recover_if_due()

    def write_snapshot(self, batch: Batch) -> None:
        """Write re-fetchable state (contacts, groups, chat settings) without journaling it."""
        with self.write_lock:
            self.archive.write(self.account_id, batch)

    def _recover_if_due(self) -> None:
        """After the retry window, move the spool into the database and replay what waits."""
        until = self._outage_until
        if until is None or time.monotonic() < until:
            return
        try:
            self.journal.drain_spool()
        except Exception as exc:
            if not is_outage(exc):
                log.exception("draining the spool failed")
            self._enter_outage()
            return
        self._outage_until = None
        log.info("database reachable again; replaying spooled and pending events")
        self.status.set("connected" if self.status.state == "spooling" else self.status.state)
        self.replay()

    def _enter_outage(self) -> None:
        if self._outage_until is None:
            log.warning("database unreachable; events go to the spool until it is back")
        self._outage_until = time.monotonic() + self.retry_after
        self.status.set("spooling", "database unreachable; events are kept in the spool")

    def _decoder(self, kind: str) -> Decoder:
        if self._decoders is None:
            self._decoders = decoders()
        return self._decoders[kind]

    def _quarantine(self, entry: JournalEntry, exc: Exception) -> None:
        self.status.quarantined += 1
        log.error("journal entry %d (%s) quarantined: %r", entry.id, entry.kind, exc, exc_info=exc)
        try:
            self.journal.mark_failed(entry.id, f"{type(exc).__name__}: {exc}")
        except Exception as mark_exc:
            if not is_outage(mark_exc):
                log.exception("could not record the quarantine of entry %d", entry.id)

    def _record_history(self, info: Any) -> None:
        """Record chunk progress and per-chat coverage (advisory counters, after the write)."""
        s = self.status
        s.history_chunks += 1
        s.history_messages += int(getattr(info, "message_count", 0) or 0)
        s.history_progress = getattr(info, "progress", None) or s.history_progress
        self.archive.record_history_chunk(self.account_id, info)
