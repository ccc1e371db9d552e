"""Gentle snapshots of state neonize has no events for: contacts, joined groups, chat settings.

Taken only after ``Connected`` (some calls abort the process before it), first once the offline
backlog is in (or a grace period has passed), then every few hours — never in a tight loop.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from wa_archive.decode.values import MUTED_FOREVER
from wa_archive.records import Batch, ChatRecord

log = logging.getLogger("wa_archive.sources.live")

Fetch = Callable[[Any], list[Any]]


class Snapshotter:
    """Decides when to snapshot and writes what the client reports through the capture."""

    def __init__(
        self,
        write: Callable[[Batch], None],
        fetchers: dict[str, Callable[..., Any]],
        chat_jids: Callable[[], list[str]],
        interval: float = 6 * 3600,
        grace: float = 120.0,
    ) -> None:
        self.write, self.fetchers, self.chat_jids = write, fetchers, chat_jids
        self.interval, self.grace = interval, grace
        self._connected_at: float | None = None
        self._due: float | None = None
        self.taken = 0

    def connected(self) -> None:
        """The client is connected: snapshot after the grace period unless the backlog ends first."""
        self._connected_at = time.monotonic()
        self._due = self._connected_at + self.grace

    def disconnected(self) -> None:
        """No calls while disconnected."""
        self._connected_at = None

    def offline_sync_completed(self) -> None:
        """The backlog is caught up: the right moment for the first snapshot."""
        if self._connected_at is not None:
            self._due = time.monotonic()

    def tick(self, client: Any) -> None:
        """Take a snapshot when one is due and the client is connected."""
        if self._connected_at is None or self._due is None or time.monotonic() < self._due:
            return
        self._due = time.monotonic() + self.interval
        try:
            self.take(client)
        except Exception:
            log.exception("snapshot failed; will try again in %.0f s", self.interval)

    def take(self, client: Any) -> None:
        """Fetch contacts, groups and chat settings and write them (one batch each)."""
        from wa_archive import decode

        contacts = Batch()
        decode.decode_contacts(self.fetchers["contacts"](client), contacts)
        self.write(contacts)
        groups = Batch()
        decode.decode_group_infos(self.fetchers["groups"](client), groups)
        self.write(groups)
        self.write(self.chat_settings(client))
        self.taken += 1

    def chat_settings(self, client: Any) -> Batch:
        """Archived/pinned/muted of every known chat, from whatsmeow's local store."""
        batch = Batch()
        for jid in self.chat_jids():
            found, muted, pinned, archived = self.fetchers["chat_settings"](client, jid)
            if found:
                # whatsmeow's "forever" (the last instant of 9999) may round up to 10000.
                until = min(int(muted * 1000), MUTED_FOREVER) if muted > 0 else 0
                batch.chats.append(
                    ChatRecord(jid=jid, archived=archived, pinned=pinned, muted_until=until)
                )
        return batch
