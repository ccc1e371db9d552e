"""A ``WebMessageInfo`` (Baileys JSON or history protobuf, through a view) → records."""

from __future__ import annotations

from wa_archive.decode import stubs
from wa_archive.decode.effects import resolve_votes
from wa_archive.decode.enums import STATUS_NUMBERS, STUB_TYPE_NAMES, STUB_TYPE_NUMBERS
from wa_archive.decode.identities import ALT_FIELDS, contact_from_push_name, key_identities
from wa_archive.decode.message import Envelope, decode_content
from wa_archive.decode.poll import option_names
from wa_archive.decode.values import clamp_now, seconds_to_ms
from wa_archive.decode.view import (
    ANY,
    BOOL,
    BYTES,
    ENUM,
    HAS,
    NUM,
    NUM_ENUM,
    STR,
    STRS,
    SUB,
    VIEW,
    Spec,
    View,
)
from wa_archive.jids import BROADCAST_SERVER, STATUS_JID, canonical_jid
from wa_archive.records import (
    OWN,
    Batch,
    MessageRecord,
    PollVoteRecord,
    ReactionRecord,
    ReceiptRecord,
    Record,
)

_RECEIPT_FIELDS = (
    ("receiptTimestamp", "delivered"),
    ("readTimestamp", "read"),
    ("playedTimestamp", "played"),
)


class BadMessage(ValueError):
    """A payload that cannot be a message (no key, no id, no chat)."""


_BROADCAST_SUFFIX = "@" + BROADCAST_SERVER


def chat_of(remote: str, participant: str, from_me: bool) -> str:
    """Baileys' getChatId: a non-status broadcast seen by a recipient belongs to its sender."""
    if not from_me and participant and remote.endswith(_BROADCAST_SUFFIX) and remote != STATUS_JID:
        return participant
    return remote


def author(key: View, chat: str) -> str:
    """Who a (reaction/vote) key says sent it: OWN, the group participant, else the 1:1 peer."""
    if key.get_bool("fromMe"):
        return OWN
    return (
        canonical_jid(key.get_str("participant")) or canonical_jid(key.get_str("remoteJid")) or chat
    )


# Baileys-only key fields (absent from the protobuf schema, so PB readers skip them).
_KEY = Spec(
    ("id", STR),
    ("remoteJid", STR),
    ("fromMe", BOOL),
    ("participant", STR),
    ("alt", ANY, ALT_FIELDS),
)
_WMI = Spec(
    ("key", SUB, _KEY),
    ("message", VIEW),  # absent and empty decode alike
    ("messageTimestamp", NUM),
    ("participant", STR),
    ("pushName", STR),
    ("status", ENUM, STATUS_NUMBERS),
    ("messageStubType", NUM_ENUM, STUB_TYPE_NUMBERS),
    ("messageStubParameters", STRS),
    ("messageSecret", BYTES),
    ("userReceipt", HAS),
    ("reactions", HAS),
    ("pollUpdates", HAS),
)


def decode_wmi(w: View, batch: Batch, raw: bytes, raw_format: str, source: str) -> list[Record]:
    """All records of one ``WebMessageInfo``, the message record among them, for the caller to
    put into a batch (``batch`` holds the messages decoded before it: a vote's poll)."""
    out: list[Record] = []
    (
        key,
        message,
        seconds,
        top_participant,
        push_name,
        status,
        stub,
        params,
        secret,
        receipts,
        reactions,
        polls,
    ) = w.read(_WMI)
    # Envelope: identity, time, status and stub.
    msg_id, remote, from_me, participant, alt = key
    remote = canonical_jid(remote)
    if not msg_id or not remote:
        raise BadMessage("message without key.id/key.remoteJid")
    participant = canonical_jid(participant or top_participant)
    chat = chat_of(remote, participant, from_me)
    ts, suspect = clamp_now(seconds * 1000 if seconds else None)
    if stub is not None:
        stub = STUB_TYPE_NAMES.get(stub, str(stub)) if isinstance(stub, int) else stub
        stub = stub if stub and stub != "UNKNOWN" else None
    env = Envelope(
        chat,
        OWN if from_me else (participant or chat),
        msg_id,
        from_me,
        ts,
        suspect,
        raw,
        raw_format,
        source,
        status if status.__class__ is int and 0 <= status <= 5 else None,
        push_name,
        stub,
        tuple(stubs.parse_param(p, out) for p in params) if params else (),
        secret,
    )
    record = decode_content(env, message, out)
    if receipts:
        _receipts(w, env, out)
    if reactions:
        _reactions(w, env, out)
    if polls:
        _poll_updates(w, env, record, out)
    if alt:
        key_identities(w.child("key"), from_me, out)
    if push_name:
        contact_from_push_name(env.sender, push_name, out)
    if polls or record.content_type == "pollUpdateMessage":
        resolve_votes(out, batch)
    return out


def _receipts(w: View, env: Envelope, out: list[Record]) -> None:
    """``userReceipt[]``: delivered/read/played times per recipient."""
    for receipt in w.children("userReceipt"):
        recipient = canonical_jid(receipt.get_str("userJid"))
        if not recipient:
            continue
        for field, kind in _RECEIPT_FIELDS:
            ts = seconds_to_ms(receipt.get_int(field))
            if ts:
                out.append(
                    ReceiptRecord(
                        chat=env.chat,
                        message_id=env.id,
                        recipient=recipient,
                        type=kind,
                        timestamp=ts,
                    )
                )


def _reactions(w: View, env: Envelope, out: list[Record]) -> None:
    """Embedded ``reactions[]``: the current reaction of each reactor to this message."""
    for item in w.children("reactions"):
        key = item.child("key")
        if key is None:
            continue
        ts, _ = clamp_now(item.get_int("senderTimestampMs"))
        out.append(
            ReactionRecord(
                chat=env.chat,
                target_id=env.id,
                reactor=author(key, env.chat),
                emoji=item.get_str("text") or "",
                timestamp=ts,
            )
        )


def _poll_updates(w: View, env: Envelope, poll: MessageRecord, out: list[Record]) -> None:
    """Embedded ``pollUpdates[]`` (already decrypted votes) on a poll message."""
    updates = w.children("pollUpdates")
    if not updates:
        return
    options = (poll.attrs or {}).get("poll", {}).get("options", [])
    for item in updates:
        key = item.child("pollUpdateMessageKey")
        vote = item.child("vote")
        hashes = vote.get_bytes_list("selectedOptions") if vote is not None else []
        ts, _ = clamp_now(item.get_int("senderTimestampMs"))
        out.append(
            PollVoteRecord(
                chat=env.chat,
                poll_id=env.id,
                voter=author(key, env.chat) if key else env.chat,
                timestamp=ts,
                options=option_names(hashes, options),
                option_hashes=tuple(h.hex() for h in hashes),
            )
        )
