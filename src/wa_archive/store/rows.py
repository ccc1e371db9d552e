"""Records → row tuples for one account: canonical JIDs, deduplicated on natural keys.

Dedupe applies each table's merge rule inside the batch, so a batch holds at most one row
per key (PostgreSQL refuses to upsert one row twice in a statement) and the result equals
writing the records one by one.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Iterable
from itertools import groupby
from operator import attrgetter
from typing import Any, TypeVar

import orjson

from .. import jids
from ..records import Batch, ChatRecord, MessageRecord
from .sequence import monotonic_id

Row = tuple[Any, ...]
T = TypeVar("T")
Resolve = Callable[[str], str]
Span = tuple[int | None, int | None, int | None]

EFFECT_TYPES = frozenset(
    {
        "protocolMessage",
        "reactionMessage",
        "encReactionMessage",
        "pollUpdateMessage",
        "keepInChatMessage",
        "pinInChatMessage",
        "senderKeyDistributionMessage",
    }
)
"""Content types that act on other messages instead of being read as messages themselves."""


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _dedupe(rows: Iterable[Row], nkeys: int, better: Callable[[Row, Row], bool]) -> list[Row]:
    """Keep one row per key (the first ``nkeys`` columns); ``better(new, old)`` replaces."""
    out: dict[Row, Row] = {}
    for row in rows:
        key = row[:nkeys]
        old = out.setdefault(key, row)
        if old is not row and better(row, old):
            out[key] = row
    return _in_key_order(out)


def _in_key_order(rows: dict[Row, Row]) -> list[Row]:
    """The rows of a key → row dict sorted by key.

    A row starts with its key, and the keys are distinct, so comparing two rows never
    reaches past their key columns.
    """
    return sorted(rows.values())


def _first(_new: Row, _old: Row) -> bool:
    return False


def _last_copies(records: list[T]) -> list[T]:
    """The records in order without the earlier copies of equal ones.

    For a later-non-empty-field-wins merge this changes nothing: an earlier copy never
    has the last word on a field its later twin also sets. A batch of messages repeats
    each sender's contact record (push name) once per message.
    """
    if len(records) < 2:
        return records
    kept = list(dict.fromkeys(reversed(records)))
    kept.reverse()
    return kept


class RowBuilder:
    """Turns one ``Batch`` into per-table row lists for ``account_id``."""

    def __init__(
        self,
        account_id: int,
        resolve: Resolve,
        flag: Callable[[bool], Any] = operator.truth,
        null: Any = None,
    ) -> None:
        self.account = account_id
        self.r = resolve
        # How a message's boolean and mostly empty columns are bound (see Writer._rows).
        self.flag = flag
        self.null = null
        self._spans_of: list[MessageRecord] | None = None
        self._span_cache: dict[str, Span] = {}

    def build(self, batch: Batch) -> dict[str, list[Row]]:
        """Every table's rows for the batch, keyed by table name."""
        return {
            "messages": self.messages(batch.messages),
            "media": self.media(batch),
            "message_edits": self.edits(batch),
            "message_revokes": self.revokes(batch),
            "reactions": self.reactions(batch),
            "receipts": self.receipts(batch),
            "poll_votes": self.poll_votes(batch),
            "chats": self.chats(batch),
            "contacts": self.contacts(batch),
            "group_participants": self.participants(batch),
            "labels": self.labels(batch),
            "label_links": self.label_links(batch),
            "chat_coverage": self.coverage(batch.messages),
            "journal": self.quarantine(batch),
        }

    def messages(self, records: list[MessageRecord]) -> list[Row]:
        """Message rows; the richest copy of each identity wins, status merges upwards."""
        a, r, dumps, f, n = self.account, self.r, orjson.dumps, self.flag, self.null
        # The columns most messages leave empty are bound as ``n`` (see Writer._rows).
        rows = [
            (
                a, r(m.chat), m.id, r(m.sender), f(m.from_me), m.timestamp, m.content_type,
                m.text, m.text, f(m.is_system), n if (stub := m.stub_type) is None else stub,
                dumps(m.stub_params).decode() if m.stub_params else n,
                n if (qid := m.quoted_id) is None else qid,
                r(m.quoted_sender) if m.quoted_sender else n,
                n if (qtext := m.quoted_text) is None else qtext,
                dumps([r(x) for x in m.mentions]).decode() if m.mentions else n,
                f(m.forwarded), m.forwarding_score, n if (st := m.status) is None else st,
                m.push_name, n if (secret := m.message_secret) is None else secret,
                dumps(m.attrs).decode() if m.attrs is not None else n, m.raw, m.raw_format,
                m.source, m.richness, f(m.timestamp_suspect),
            )
            for m in records
        ]  # fmt: skip
        if len(rows) < 2:
            return rows
        merged = {row[:4]: row for row in rows}
        if len(merged) < len(rows):  # copies of one message: merge them
            merged = {}
            for row in rows:
                key = row[:4]
                old = merged.get(key)
                if old is None:
                    merged[key] = row
                    continue
                win = row if row[25] > old[25] else old
                statuses = (s for s in (row[18], old[18]) if s is not None and s is not n)
                merged[key] = (*win[:18], max(statuses, default=n), *win[19:])
        return _in_key_order(merged)

    def media(self, batch: Batch) -> list[Row]:
        """Media rows; the richest copy wins."""
        a, r = self.account, self.r
        rows = (
            (
                a, r(m.chat), m.message_id, r(m.sender), m.kind, m.mimetype, m.size, m.sha256,
                m.enc_sha256, m.media_key, m.media_key_timestamp, m.direct_path, m.url, m.width,
                m.height, m.duration, m.page_count, m.file_name, m.thumbnail, m.local_path,
                m.richness,
            )
            for m in batch.media
        )  # fmt: skip
        return _dedupe(rows, 4, lambda new, old: new[20] > old[20])

    def edits(self, batch: Batch) -> list[Row]:
        """Edit history rows, pending until applied to their target."""
        a, r = self.account, self.r
        rows = (
            (a, r(e.chat), e.target_id, e.edit_id, r(e.editor), e.edited_at, e.text,
             e.content_type, e.raw, False)
            for e in batch.edits
        )  # fmt: skip
        return _dedupe(rows, 4, _first)

    def revokes(self, batch: Batch) -> list[Row]:
        """Revoke rows, pending until applied to their target."""
        a, r = self.account, self.r
        rows = (
            (a, r(x.chat), x.target_id, x.revoke_id, r(x.revoked_by), x.revoked_at, False)
            for x in batch.revokes
        )
        return _dedupe(rows, 4, _first)

    def reactions(self, batch: Batch) -> list[Row]:
        """One reaction per reactor and message; the latest wins."""
        a, r = self.account, self.r
        rows = (
            (a, r(x.chat), x.target_id, r(x.reactor), x.emoji, x.timestamp) for x in batch.reactions
        )
        return _dedupe(rows, 4, lambda new, old: (new[5] or -1, new[4]) > (old[5] or -1, old[4]))

    def receipts(self, batch: Batch) -> list[Row]:
        """One receipt per message, recipient and type; the earliest time wins."""
        a, r = self.account, self.r
        rows = (
            (a, r(x.chat), x.message_id, r(x.recipient), x.type, x.timestamp)
            for x in batch.receipts
        )
        return _dedupe(rows, 5, lambda new, old: old[5] is None or (new[5] or old[5]) < old[5])

    def poll_votes(self, batch: Batch) -> list[Row]:
        """One vote per voter and poll; the latest wins."""
        a, r = self.account, self.r
        rows = (
            (a, r(v.chat), v.poll_id, r(v.voter), v.timestamp,
             _json(list(v.options)) if v.options is not None else None,
             _json(list(v.option_hashes)), v.enc_payload, v.enc_iv)
            for v in batch.poll_votes
        )  # fmt: skip
        return _dedupe(rows, 4, lambda new, old: (new[4] or -1) > (old[4] or -1))

    def chats(self, batch: Batch) -> list[Row]:
        """Chat rows from chat records plus one per chat that received messages."""
        merged: dict[str, list[Any]] = {}
        for c in batch.chats:
            self._merge_chat(merged, c)
        for chat, span in self._spans(batch.messages).items():
            row = merged.get(chat)
            if row is None:
                self._merge_chat(merged, ChatRecord(jid=chat, last_message_at=span[2]))
            elif span[2] is not None:
                row[10] = max(row[10] or 0, span[2])
        return [tuple(merged[k]) for k in sorted(merged)]

    def _spans(self, records: list[MessageRecord]) -> dict[str, Span]:
        """Per canonical chat: (oldest, newest, newest real message) times (cached per batch)."""
        if self._spans_of is records:
            return self._span_cache
        by_chat: dict[str, list[MessageRecord]] = {}
        for chat, run in groupby(records, attrgetter("chat")):  # mostly long runs
            by_chat.setdefault(self.r(chat), []).extend(run)
        spans: dict[str, Span] = {}
        for chat, messages in by_chat.items():
            times = [m.timestamp for m in messages if m.timestamp is not None]
            real = [
                m.timestamp
                for m in messages
                if m.timestamp is not None
                and not m.is_system
                and m.content_type not in EFFECT_TYPES
            ]
            spans[chat] = (
                min(times, default=None),
                max(times, default=None),
                max(real, default=None),
            )
        self._spans_of, self._span_cache = records, spans
        return spans

    def _merge_chat(self, merged: dict[str, list[Any]], c: ChatRecord) -> None:
        jid = self.r(c.jid)
        if not jid:
            return
        values: list[Any] = [
            self.account, jid, jids.chat_kind(jid), c.name, c.archived, c.pinned, c.muted_until,
            c.unread_count, c.ephemeral_expiration, c.ephemeral_setting_at, c.last_message_at,
            c.pn_jid, c.lid_jid, c.read_only, c.end_of_history,
        ]  # fmt: skip
        old = merged.get(jid)
        if old is None:
            merged[jid] = values
            return
        for i in range(3, len(values)):
            if values[i] is not None:
                old[i] = max(old[i] or 0, values[i]) if i == 10 else values[i]

    def contacts(self, batch: Batch) -> list[Row]:
        """Contact rows; later non-empty fields win inside the batch."""
        merged: dict[str, list[Any]] = {}
        for c in _last_copies(batch.contacts):
            jid = self.r(c.jid)
            if not jid:
                continue
            values = [
                self.account, jid, c.saved_name, c.push_name, c.verified_name, c.business_name,
                c.phone_number or jids.phone_number_of(jid), c.lid, c.picture_url,
            ]  # fmt: skip
            old = merged.setdefault(jid, values)
            if old is not values:
                for i in range(2, len(values)):
                    if values[i] is not None:
                        old[i] = values[i]
        for ident in batch.identities:
            pn = self.r(ident.pn)
            row = merged.setdefault(pn, [self.account, pn, *([None] * 7)])
            row[6] = row[6] or jids.phone_number_of(pn)
            row[7] = ident.lid
        return [tuple(merged[k]) for k in sorted(merged)]

    def participants(self, batch: Batch) -> list[Row]:
        """Group membership rows; the newest state wins."""
        a, r = self.account, self.r
        rows = ((a, p.group, r(p.member), p.role, p.left, p.timestamp) for p in batch.participants)
        return _dedupe(rows, 3, lambda new, old: (new[5] or -1) >= (old[5] or -1))

    def labels(self, batch: Batch) -> list[Row]:
        """Label rows; the last record of a label in the batch wins."""
        rows = (
            (self.account, x.id, x.name, x.color, x.deleted, x.predefined_id) for x in batch.labels
        )
        return _dedupe(rows, 2, lambda _new, _old: True)

    def label_links(self, batch: Batch) -> list[Row]:
        """Label associations of chats and messages."""
        rows = ((self.account, x.label_id, self.r(x.chat), x.message_id) for x in batch.label_links)
        return _dedupe(rows, 4, _first)

    def coverage(self, records: list[MessageRecord]) -> list[Row]:
        """Per-chat oldest/newest message time in this batch."""
        return [
            (self.account, chat, span[0], span[1], None)
            for chat, span in sorted(self._spans(records).items())
            if span[0] is not None
        ]

    def quarantine(self, batch: Batch) -> list[Row]:
        """Quarantined input as processed journal rows carrying their reason."""
        now = int(time.time() * 1000)
        return [
            (self.account, monotonic_id(), "quarantine", q.kind, now, q.payload, now, q.reason)
            for q in batch.quarantined
        ]
