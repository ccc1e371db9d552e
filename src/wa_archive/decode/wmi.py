"""A ``WebMessageInfo`` (Baileys JSON or history protobuf, through a view) → records."""

from __future__ import annotations

from wa_archive.decode import stubs
from wa_archive.decode.effects import resolve_votes
from wa_archive.decode.enums import STATUS_NUMBERS, STUB_TYPE_NAMES, STUB_TYPE_NUMBERS
from wa_archive.decode.identities import contact_from_push_name, key_identities
from wa_archive.decode.message import Envelope, decode_content
from wa_archive.decode.poll import option_names
from wa_archive.decode.sink import flush
from wa_archive.decode.values import clamp_ms, now_ms, seconds_to_ms
from wa_archive.decode.view import View
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


def chat_of(remote: str, participant: str, from_me: bool) -> str:
    """Baileys' getChatId: a non-status broadcast seen by a recipient belongs to its sender."""
    if (
        not from_me
        and participant
        and remote.endswith("@" + BROADCAST_SERVER)
        and remote != STATUS_JID
    ):
        return participant
    return remote


def author(key: View, chat: str) -> str:
    """Who a (reaction/vote) key says sent it: OWN, the group participant, else the 1:1 peer."""
    if key.get_bool("fromMe"):
        return OWN
    return (
        canonical_jid(key.get_str("participant")) or canonical_jid(key.get_str("remoteJid")) or chat
    )


def envelope(
    w: View, raw: bytes, raw_format: str, source: str, out: list[Record]
) -> tuple[Envelope, View]:
    """Identity, time, status and stub of a ``WebMessageInfo``."""
    key = w.child("key")
    msg_id = key.get_str("id") if key is not None else None
    remote = canonical_jid(key.get_str("remoteJid")) if key is not None else ""
    if key is None or not msg_id or not remote:
        raise BadMessage("message without key.id/key.remoteJid")
    from_me = key.get_bool("fromMe")
    participant = canonical_jid(key.get_str("participant") or w.get_str("participant"))
    chat = chat_of(remote, participant, from_me)
    ts, suspect = clamp_ms(seconds_to_ms(w.get_int("messageTimestamp")), now_ms())
    env = Envelope(
        chat=chat,
        sender=OWN if from_me else (participant or chat),
        id=msg_id,
        from_me=from_me,
        timestamp=ts,
        suspect=suspect,
        raw=raw,
        raw_format=raw_format,
        source=source,
        push_name=w.get_str("pushName"),
    )
    present = set(w.keys())  # one pass over the set fields gates the optional ones
    if "status" in present:
        status = w.get_enum("status", STATUS_NUMBERS)
        env.status = status if isinstance(status, int) and 0 <= status <= 5 else None
    if "messageStubType" in present:
        stub = w.get_enum("messageStubType", STUB_TYPE_NUMBERS)
        stub = STUB_TYPE_NAMES.get(stub, str(stub)) if isinstance(stub, int) else stub
        env.stub = stub if stub and stub != "UNKNOWN" else None
    if "messageStubParameters" in present:
        params = w.get_strs("messageStubParameters")
        env.stub_params = tuple(stubs.parse_param(p, out) for p in params)
    if "messageSecret" in present:
        env.secret = w.get_bytes("messageSecret")
    return env, key


def decode_wmi(w: View, batch: Batch, raw: bytes, raw_format: str, source: str) -> MessageRecord:
    """All records of one ``WebMessageInfo``, appended to ``batch`` only if decoding succeeds."""
    out: list[Record] = []
    env, key = envelope(w, raw, raw_format, source, out)
    record = decode_content(env, w.child("message"), out)
    if w.has("userReceipt"):
        _receipts(w, env, out)
    if w.has("reactions"):
        _reactions(w, env, out)
    polls = w.has("pollUpdates")
    if polls:
        _poll_updates(w, env, record, out)
    key_identities(key, env.from_me, out)
    contact_from_push_name(env.sender, env.push_name, out)
    if polls or record.content_type == "pollUpdateMessage":
        resolve_votes(out, batch.messages)
    flush(out, batch)
    return record


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
        ts, _ = clamp_ms(item.get_int("senderTimestampMs"), now_ms())
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
        ts, _ = clamp_ms(item.get_int("senderTimestampMs"), now_ms())
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
