"""History sync (neonize ``HistorySync`` protobufs) → chats, messages, members, names, identities."""

from __future__ import annotations

from typing import Any

import msgspec

from wa_archive.decode.chats import chat_records
from wa_archive.decode.enums import SYNC_TYPE_NAMES
from wa_archive.decode.identities import pair
from wa_archive.decode.protobuf import PbView
from wa_archive.decode.sink import quarantine
from wa_archive.decode.values import seconds_to_ms
from wa_archive.decode.wmi import decode_wmi
from wa_archive.jids import canonical_jid
from wa_archive.records import Batch, ContactRecord, ParticipantRecord, Record


class HistorySyncInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What one history-sync chunk covered: its type and order, and per chat the time range seen."""

    sync_type: str
    chunk_order: int
    progress: int
    message_count: int
    per_chat: dict[str, tuple[int | None, int | None, bool]]


def decode_history_message(
    wmi: Any, out: Batch, *, source: str = "history", raw: bytes | None = None
) -> None:
    """One history ``WebMessageInfo`` protobuf → records (``raw`` saves re-serialising it)."""
    payload = raw if raw is not None else b""
    try:
        if raw is None:
            payload = wmi.SerializePartialToString()
        out.add(decode_wmi(PbView(wmi), out, payload, "pb-wmi", source))
    except Exception as error:
        quarantine(out, error, "message", payload)


def decode_history_sync(hs: Any, out: Batch) -> HistorySyncInfo:
    """A whole ``HistorySync`` chunk → records; returns what it covered."""
    per_chat: dict[str, tuple[int | None, int | None, bool]] = {}
    before = len(out.messages)
    for conv in hs.conversations:
        _conversation(conv, out, per_chat)
    for status in hs.statusV3Messages:
        decode_history_message(status, out)
    side: list[Record] = []
    for item in hs.pushnames:
        jid = canonical_jid(item.ID)
        if jid and item.pushname:
            side.append(ContactRecord(jid=jid, push_name=item.pushname))
    for mapping in hs.phoneNumberToLidMappings:
        pair(mapping.pnJID, mapping.lidJID, side)
    for group in hs.pastParticipants:
        _past_participants(group, side)
    out.add(side)
    return HistorySyncInfo(
        sync_type=SYNC_TYPE_NAMES.get(hs.syncType, str(hs.syncType)),
        chunk_order=hs.chunkOrder,
        progress=hs.progress,
        message_count=len(out.messages) - before,
        per_chat=per_chat,
    )


def _conversation(
    conv: Any, out: Batch, per_chat: dict[str, tuple[int | None, int | None, bool]]
) -> None:
    """One conversation: its chat state, members and messages, plus its time coverage."""
    records: list[Record] = []
    try:
        jid = chat_records(PbView(conv), records)
    except Exception as error:
        quarantine(out, error, "chat", conv.SerializePartialToString())
        return
    out.add(records)
    first = len(out.messages)
    for item in conv.messages:
        if item.HasField("message"):
            decode_history_message(item.message, out)
    stamps = [m.timestamp for m in out.messages[first:] if m.timestamp is not None]
    per_chat[jid] = (
        min(stamps) if stamps else None,
        max(stamps) if stamps else None,
        bool(conv.endOfHistoryTransfer),
    )


def _past_participants(group: Any, out: list[Record]) -> None:
    """Members who left a group (``pastParticipants``)."""
    jid = canonical_jid(group.groupJID)
    if not jid:
        return
    for past in group.pastParticipants:
        member = canonical_jid(past.userJID)
        if member:
            out.append(
                ParticipantRecord(
                    group=jid, member=member, left=True, timestamp=seconds_to_ms(past.leaveTS)
                )
            )
