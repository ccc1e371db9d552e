"""Live neonize events (``Message``, ``Receipt``, ``UndecryptableMessage``) → records."""

from __future__ import annotations

from typing import Any

from wa_archive.decode.content import EDITED, EPHEMERAL, VIEW_ONCE
from wa_archive.decode.effects import resolve_votes
from wa_archive.decode.enums import RECEIPT_TYPES
from wa_archive.decode.identities import contact_from_push_name, pair
from wa_archive.decode.message import Envelope, decode_content
from wa_archive.decode.protobuf import PbView
from wa_archive.decode.sink import quarantine
from wa_archive.decode.values import clamp_ms, loose_ms, now_ms
from wa_archive.decode.wmi import chat_of
from wa_archive.jids import canonical_jid
from wa_archive.records import OWN, Batch, PollVoteRecord, ReceiptRecord, Record


def jid_of(jid: Any) -> str:
    """A neonize ``JID`` as a canonical jid string ('' for an empty JID)."""
    if jid is None or jid.IsEmpty or not jid.Server:
        return ""
    return canonical_jid(f"{jid.User}@{jid.Server}" if jid.User else jid.Server)


def _envelope(info: Any, raw: bytes, flags: int) -> Envelope:
    """Identity and time of a live message (``Info.Timestamp`` is milliseconds)."""
    src = info.MessageSource
    if not info.ID:
        raise ValueError("live message without Info.ID")
    from_me = bool(src.IsFromMe)
    sender = jid_of(src.Sender)
    chat = chat_of(jid_of(src.Chat), sender, from_me)
    if not chat:
        raise ValueError("live message without chat")
    # Whole seconds, like history/Baileys messages, so every shape of one message agrees.
    ts, suspect = clamp_ms((info.Timestamp // 1000) * 1000, now_ms())
    return Envelope(
        chat=chat,
        sender=OWN if from_me else (sender or chat),
        id=info.ID,
        from_me=from_me,
        timestamp=ts,
        suspect=suspect,
        raw=raw,
        raw_format="pb-live",
        source="live",
        push_name=info.Pushname or None,
        wrapper_flags=flags,
    )


def _flags(ev: Any) -> int:
    """The wrapper flags whatsmeow reports after unwrapping."""
    flags = EPHEMERAL if ev.IsEphemeral else 0
    if ev.IsViewOnce or ev.IsViewOnceV2 or ev.IsViewOnceV2Extension:
        flags |= VIEW_ONCE
    return flags | (EDITED if ev.IsEdit else 0)


def decode_live_message(ev: Any, out: Batch) -> None:
    """A neonize ``Message`` event → records (content arrives unwrapped, with flags)."""
    raw = b""
    try:
        raw = ev.SerializePartialToString()
        records: list[Record] = []
        env = _envelope(ev.Info, raw, _flags(ev))
        decode_content(env, PbView(ev.Message) if ev.HasField("Message") else None, records)
        _source_identities(ev.Info.MessageSource, records)
        contact_from_push_name(env.sender, env.push_name, records)
        if any(type(r) is PollVoteRecord for r in records):
            resolve_votes(records, out)
        out.add(records)
    except Exception as error:
        quarantine(out, error, "message", raw)


def _source_identities(src: Any, out: list[Record]) -> None:
    """Pairs from ``SenderAlt`` (sender) and ``RecipientAlt`` (the 1:1 peer)."""
    pair(jid_of(src.Sender), jid_of(src.SenderAlt), out)
    if not src.IsGroup:
        pair(jid_of(src.Chat), jid_of(src.RecipientAlt), out)


def decode_receipt(ev: Any, out: Batch) -> None:
    """A neonize ``Receipt`` → one ``ReceiptRecord`` per message id (non-person receipts skipped)."""
    try:
        kind = RECEIPT_TYPES.get(ev.Type)
        src = ev.MessageSource
        records: list[Record] = []
        _source_identities(src, records)
        if kind is not None:
            chat = jid_of(src.Chat)
            recipient = OWN if src.IsFromMe else jid_of(src.Sender) or chat
            ts, _ = clamp_ms(loose_ms(ev.Timestamp), now_ms())
            records.extend(
                ReceiptRecord(
                    chat=chat, message_id=mid, recipient=recipient, type=kind, timestamp=ts
                )
                for mid in ev.MessageIDs
                if mid and chat
            )
        out.add(records)
    except Exception as error:
        quarantine(out, error, "receipt", ev.SerializePartialToString())


def decode_undecryptable(ev: Any, out: Batch) -> None:
    """An ``UndecryptableMessage`` → a placeholder message the real one will replace."""
    raw = b""
    try:
        raw = ev.SerializePartialToString()
        records: list[Record] = []
        env = _envelope(ev.Info, raw, 0)
        env.stub = "CIPHERTEXT"
        decode_content(env, None, records)
        _source_identities(ev.Info.MessageSource, records)
        out.add(records)
    except Exception as error:
        quarantine(out, error, "message", raw)
