"""Messages that act on other messages or on the chat: edits, revokes, reactions, votes, pins."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wa_archive.decode import stubs
from wa_archive.decode.content import unwrap
from wa_archive.decode.enums import (
    EPHEMERAL_SETTING,
    KEEP_TYPE_NUMBERS,
    MESSAGE_EDIT,
    PIN_TYPE_NUMBERS,
    PROTOCOL_TYPE_NAMES,
    PROTOCOL_TYPE_NUMBERS,
    REVOKE,
)
from wa_archive.decode.text import text_of
from wa_archive.decode.values import clamp_now, seconds_to_ms
from wa_archive.decode.view import ENUM, NUM, STR, SUB, Spec, View
from wa_archive.records import (
    Batch,
    ChatRecord,
    EditRecord,
    MessageRecord,
    PollVoteRecord,
    ReactionRecord,
    Record,
    RevokeRecord,
)

if TYPE_CHECKING:
    from wa_archive.decode.message import Envelope

Handler = Callable[["Envelope", View, dict[str, Any], list[Record]], "str | None"]


def _target(body: View) -> str | None:
    """The id of the message an effect points at (its ``key.id``)."""
    return body.read(_TARGET)[0][0]


def _ms(value: int | None, fallback: int | None) -> int | None:
    """A sender-supplied millisecond time if plausible, else the message time."""
    ms, _ = clamp_now(value)
    return ms if ms is not None else fallback


_KEY_ID = Spec(("id", STR))
_TARGET = Spec(("key", SUB, _KEY_ID))
_PROTOCOL = Spec(("type", ENUM, PROTOCOL_TYPE_NUMBERS), ("key", SUB, _KEY_ID))
# senderTimestampMs: 0 and absent both fall back to the message time, so NUM (0 is absent).
_REACTION = Spec(("key", SUB, _KEY_ID), ("text", STR), ("senderTimestampMs", NUM))


def protocol(env: Envelope, body: View, attrs: dict[str, Any], out: list[Record]) -> str | None:
    """Revoke, edit and disappearing-timer protocol messages (an absent type is REVOKE)."""
    kind, (target,) = body.read(_PROTOCOL)
    kind = REVOKE if kind is None else kind
    attrs["protocol_type"] = (
        PROTOCOL_TYPE_NAMES.get(kind, str(kind)) if isinstance(kind, int) else kind
    )
    if kind == REVOKE and target:
        attrs.update(effect="revoke", target_id=target)
        out.append(
            RevokeRecord(
                chat=env.chat,
                target_id=target,
                revoke_id=env.id,
                revoked_by=env.sender,
                revoked_at=env.timestamp,
            )
        )
    elif kind == MESSAGE_EDIT and target:
        attrs.update(effect="edit", target_id=target)
        new, new_type, _, _ = unwrap(body.child("editedMessage"))
        out.append(
            EditRecord(
                chat=env.chat,
                target_id=target,
                editor=env.sender,
                edit_id=env.id,
                edited_at=_ms(body.get_int("timestampMs"), env.timestamp),
                text=text_of(new, new_type),
                content_type=new_type,
                raw=env.raw,
            )
        )
    elif kind == EPHEMERAL_SETTING:
        seconds = body.get_int("ephemeralExpiration") or 0
        attrs.update(effect="ephemeral_setting", expiration=seconds)
        set_at = seconds_to_ms(body.get_int("ephemeralSettingTimestamp")) or env.timestamp
        out.append(
            ChatRecord(jid=env.chat, ephemeral_expiration=seconds, ephemeral_setting_at=set_at)
        )
        return f"changed disappearing messages to {stubs.duration_text(seconds)}"
    else:
        attrs["effect"] = "protocol"
    return None


def reaction(env: Envelope, body: View, attrs: dict[str, Any], out: list[Record]) -> str | None:
    """A reaction (or its removal, an empty emoji) by the message's sender."""
    (target,), emoji, sent_ms = body.read(_REACTION)
    if target:
        attrs.update(effect="reaction", target_id=target)
        ts = _ms(sent_ms, env.timestamp)
        out.append(
            ReactionRecord(
                chat=env.chat, target_id=target, reactor=env.sender, emoji=emoji or "", timestamp=ts
            )
        )
    return None


def enc_reaction(env: Envelope, body: View, attrs: dict[str, Any], out: list[Record]) -> str | None:
    """An encrypted reaction: only its target is known without the message secret."""
    key = body.child("targetMessageKey")
    target = key.get_str("id") if key is not None else None
    attrs.update(effect="reaction", target_id=target, encrypted=True)
    return None


def poll_vote(env: Envelope, body: View, attrs: dict[str, Any], out: list[Record]) -> str | None:
    """An encrypted poll vote, decrypted at once if its poll is earlier in the same batch."""
    key = body.child("pollCreationMessageKey")
    poll_id = key.get_str("id") if key is not None else None
    if not poll_id:
        return None
    vote = body.child("vote")
    attrs.update(effect="poll_vote", target_id=poll_id)
    out.append(
        PollVoteRecord(
            chat=env.chat,
            poll_id=poll_id,
            voter=env.sender,
            timestamp=_ms(body.get_int("senderTimestampMs"), env.timestamp),
            enc_payload=vote.get_bytes("encPayload") if vote is not None else None,
            enc_iv=vote.get_bytes("encIv") if vote is not None else None,
        )
    )
    return None


def pin(env: Envelope, body: View, attrs: dict[str, Any], out: list[Record]) -> str | None:
    """Pin or unpin of a message for everyone."""
    pinned = body.get_enum("type", PIN_TYPE_NUMBERS) == 1
    attrs.update(effect="pin", target_id=_target(body), pinned=pinned)
    return "pinned a message" if pinned else "unpinned a message"


def keep(env: Envelope, body: View, attrs: dict[str, Any], out: list[Record]) -> str | None:
    """Keep (or un-keep) a disappearing message in the chat."""
    kept = body.get_enum("keepType", KEEP_TYPE_NUMBERS) == 1
    attrs.update(effect="keep", target_id=_target(body), kept=kept)
    return "kept a message" if kept else "unkept a message"


def poll_attrs(body: View, attrs: dict[str, Any]) -> None:
    """Poll options and how many may be selected."""
    options = [o.get_str("optionName") or "" for o in body.children("options")]
    attrs["poll"] = {"options": options, "selectable": body.get_int("selectableOptionsCount") or 0}


def stub_effects(env: Envelope, out: list[Record]) -> None:
    """Records implied by a system stub: revoke tombstones and membership changes."""
    if env.stub == "REVOKE":
        out.append(
            RevokeRecord(
                chat=env.chat,
                target_id=env.id,
                revoke_id=env.id,
                revoked_by=env.sender,
                revoked_at=env.timestamp,
            )
        )
    elif env.stub:
        stubs.membership(env.stub, env.chat, list(env.stub_params), env.timestamp, out)


def resolve_votes(records: list[Record], batch: Batch) -> None:
    """Decrypt/name votes in ``records`` whose poll is among these or the batch's messages."""
    from wa_archive.decode.poll import resolve_vote

    own = {r.id: r for r in records if type(r) is MessageRecord and r.attrs and "poll" in r.attrs}
    earlier: dict[str, MessageRecord] | None = None
    for i, rec in enumerate(records):
        if type(rec) is not PollVoteRecord:
            continue
        poll = own.get(rec.poll_id)
        if poll is None:
            if earlier is None:
                earlier = _poll_index(batch)
            poll = earlier.get(rec.poll_id)
        if poll is not None and poll.chat == rec.chat:
            records[i] = resolve_vote(rec, poll)


class _PollIndex(threading.local):
    """The poll messages of the batch being decoded by id, kept up to date as it grows.

    Indexing the batch's messages anew for every vote made a batch of votes quadratic
    (5,000 votes: 135 µs per message, against 43 µs in batches of 1,000). The index
    follows one batch per thread (held weakly) and scans only the messages appended since
    the last vote; a batch whose message list shrank or changed (a reader moved a repeat's
    records elsewhere) is scanned anew.
    """

    def __init__(self) -> None:
        self.batch: weakref.ref[Batch] | None = None
        self.seen = 0
        self.last: MessageRecord | None = None
        self.polls: dict[str, MessageRecord] = {}

    def of(self, batch: Batch) -> dict[str, MessageRecord]:
        messages, seen = batch.messages, self.seen
        same = self.batch is not None and self.batch() is batch
        if not same or len(messages) < seen or (seen and messages[seen - 1] is not self.last):
            self.batch, self.polls, seen = weakref.ref(batch), {}, 0
        for r in messages[seen:]:  # a copy of the new tail only (islice would walk the head)
            if r.attrs and "poll" in r.attrs:
                self.polls[r.id] = r
        self.seen = len(messages)
        self.last = messages[-1] if messages else None
        return self.polls


_poll_index = _PollIndex().of


HANDLERS: dict[str, Handler] = {
    "protocolMessage": protocol,
    "reactionMessage": reaction,
    "encReactionMessage": enc_reaction,
    "pollUpdateMessage": poll_vote,
    "pinInChatMessage": pin,
    "keepInChatMessage": keep,
}
