"""Turn the items of a store file into batches of records, counting duplicates as it goes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import msgspec

from wa_archive.errors import DamagedInputError
from wa_archive.records import Batch, MessageRecord, Quarantined, Record, RevokeRecord
from wa_archive.sources.baileys_store.decoders import Decoders
from wa_archive.sources.baileys_store.dedupe import RevokePairs, SeenSet
from wa_archive.sources.baileys_store.layout import StoreItem
from wa_archive.sources.baileys_store.report import ReadOutcome, ReadStats
from wa_archive.sources.baileys_store.stream import StoreFile

SOURCE = "baileys_store"
DEFAULT_BATCH = 5000

_KIND_COUNTERS = {
    "chat": "chats",
    "contact": "contacts",
    "label": "labels",
    "label_association": "label_links",
    "group_metadata": "group_metadata",
}


class StoreReader:
    """Iterating yields batches of about ``batch_size`` messages decoded from one store file.

    After the last complete item of a damaged file the reader yields what it holds,
    then raises ``DamagedInputError``; ``stats`` and ``file`` say what was seen.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        decoders: Decoders | None = None,
        batch_size: int = DEFAULT_BATCH,
        chunk_size: int = 1 << 20,
    ) -> None:
        self.file = StoreFile(path, chunk_size=chunk_size)
        self.decoders = decoders or Decoders.default()
        self.stats = ReadStats()
        self._batch_size = batch_size
        self._seen = SeenSet()
        self._revokes = RevokePairs()
        self._batch = Batch()
        self._pending = 0
        self._repeats = Batch(repeats=True)

    @property
    def bytes_read(self) -> int:
        """Bytes of the file read so far."""
        return self.file.bytes_read

    @property
    def messages_read(self) -> int:
        """Messages read so far."""
        return self.stats.messages_read

    def outcome(self) -> ReadOutcome:
        """The counts, layout and damage so far (final once iteration has ended)."""
        file = self.file
        return ReadOutcome(
            self.stats, file.layout.describe(), file.bytes_read, file.damaged_at, file.damage
        )

    def close(self) -> None:
        """Nothing to release; here so both batch sources look alike."""

    def __iter__(self) -> Iterator[Batch]:
        size, repeats = self._batch_size, self._repeats.messages
        try:
            for item in self.file.items():
                if item.kind != "messages":
                    self._object(item)
                    if self._pending >= size:
                        yield self._take()
                    continue
                for msg in item.value:
                    self._message(msg, item.embedded)
                    if self._pending >= size:
                        yield self._take()
                    if len(repeats) >= size:
                        yield self._take_repeats()
                        repeats = self._repeats.messages
        except DamagedInputError:
            yield from self._finish(damaged=True)
            raise
        yield from self._finish(damaged=False)

    def _finish(self, *, damaged: bool) -> Iterator[Batch]:
        """Decode the held revoke stubs and hand over the last batch.

        In a damaged file a stub whose partner was not reached is left out: its
        partner may lie beyond the damage, and a re-run on the repaired file must
        end with the same archive as one clean import.
        """
        for msg, raw, paired in self._revokes.release():
            if paired:
                self._decode_tombstone(msg, raw)
            elif not damaged:
                self._decode_message(msg, raw)
            else:
                self.stats.skipped["revoke stub whose partner lies beyond the damage"] += 1
        self.stats.revoke_pairs = self._revokes.paired
        self._sync_layout()
        if len(self._batch):
            yield self._take()
        if len(self._repeats):
            yield self._take_repeats()

    def _decode_tombstone(self, msg: dict[str, Any], raw: bytes) -> None:
        """Decode a paired revoke stub, without the revoke it would imply on its own.

        Its partner, the REVOKE protocolMessage, is decoded already and records the
        revoke with its revoker and time. The stub still carries the revoked message's
        send time, so its own revoke record would be the earliest and date the deletion
        to the moment the message was sent.
        """
        self._place(
            [
                r
                for r in self._records(msg, raw)
                if r.__class__ is not RevokeRecord or r.revoke_id != r.target_id
            ]
        )

    def _sync_layout(self) -> None:
        layout = self.file.layout
        self.stats.skipped = layout.skipped.copy()
        self.stats.presences = layout.presences
        self.stats.chat_message_lists = layout.chat_lists
        self.stats.distinct_messages = len(self._seen)

    def _take(self) -> Batch:
        """Hand over the current batch and start a new one."""
        batch, self._batch, self._pending = self._batch, Batch(), 0
        self.stats.count_batch(batch)
        self._sync_layout()
        return batch

    def _take_repeats(self) -> Batch:
        """Hand over the held copies of messages an earlier batch already carried."""
        batch, self._repeats = self._repeats, Batch(repeats=True)
        self.stats.count_batch(batch)
        return batch

    def _message(self, msg: dict[str, Any], embedded: bool) -> None:
        self.stats.messages_read += 1
        self.stats.embedded_messages += embedded
        try:
            raw = _encode_json(msg)
        except UnicodeEncodeError:
            self._pending += 1
            payload = _compact(msg).encode("utf-8", "surrogateescape")
            self._batch.quarantined.append(_quarantine("message text is not valid UTF-8", payload))
            return
        if self._revokes.see(msg, raw):
            return
        self._decode_message(msg, raw)

    def _decode_message(self, msg: dict[str, Any], raw: bytes) -> None:
        """Decode one message into the batch, or, a copy of an identity seen before, apart.

        A copy of a message an earlier batch carried (a placeholder filled in later, a
        chat's embedded last message) is written with the other repeats: the main batches
        then hold only new identities, which PostgreSQL takes by a straight COPY. The merge
        rules are order-independent, so the archive is the same either way.
        """
        self._place(self._records(msg, raw))

    def _records(self, msg: dict[str, Any], raw: bytes) -> list[Record]:
        """One message's records (its quarantine record if the decoder failed)."""
        self._pending += 1
        try:
            return self.decoders.message(msg, self._batch, source=SOURCE, raw=raw)
        except Exception as err:  # the decoder promises not to raise; one bad item must not stop us
            return [_quarantine(f"decoder failed: {err!r}", raw)]

    def _place(self, records: list[Record]) -> None:
        """Put one message's records into the batch, or into the repeats if it was seen."""
        seen, repeat = self._seen, False
        for record in records:
            if record.__class__ is MessageRecord and not seen.add(
                (record.chat, record.sender, record.id)
            ):
                self.stats.duplicates += 1
                repeat = True
        (self._repeats if repeat else self._batch).add(records)

    def _object(self, item: StoreItem) -> None:
        """Route a chat, contact, label, association or group metadata to its decoder."""
        counter = _KIND_COUNTERS[item.kind]
        setattr(self.stats, counter, getattr(self.stats, counter) + 1)
        self._pending += 1
        try:
            self.decoders.for_kind(item.kind)(item.value, self._batch)
        except Exception as err:  # see _decode_message
            self._batch.quarantined.append(
                Quarantined(reason=f"decoder failed: {err!r}", kind=f"baileys-{item.kind}")
            )


_encode_json = msgspec.json.Encoder().encode
"""The message as compact JSON, the raw payload kept with it.

The same bytes whether the store was written on one line or indented, and whichever
path parsed it, so the richness of a copy never depends on the file's layout. A lone
surrogate (invalid UTF-8 in the file) raises ``UnicodeEncodeError``. (msgspec sizes
its output exactly: orjson's over-allocated bytes added 40 MB to the reader's RSS.)
"""


def _compact(msg: dict[str, Any]) -> str:
    return json.dumps(msg, ensure_ascii=False, separators=(",", ":"))


def _quarantine(reason: str, payload: bytes) -> Quarantined:
    return Quarantined(reason=reason, kind="baileys-message", payload=payload)


def read_store(
    path: str | os.PathLike[str],
    *,
    decoders: Decoders | None = None,
    batch_size: int = DEFAULT_BATCH,
    chunk_size: int = 1 << 20,
) -> StoreReader:
    """A reader of one store file; iterate it for batches, then read its ``stats``."""
    return StoreReader(path, decoders=decoders, batch_size=batch_size, chunk_size=chunk_size)
