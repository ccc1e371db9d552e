"""Normalised records: the one shape every source is decoded into and the writer stores.

A source (live capture, store-file import, chat-export import, the Baileys bridge)
knows its wire format and produces these records; the writer knows tables and
consumes them. Conventions shared by every record:

* JIDs are canonical (``wa_archive.jids.canonical_jid``); the account owner is
  written as ``OWN`` ("me") wherever a sender, reactor, voter or recipient is the
  account itself, so the same own message has the same identity in every source.
* Times are integer UTC milliseconds since the epoch; ``None`` means unknown and
  never overwrites a known value.
* ``None`` in any optional field means "this payload does not say", not "clear it".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

OWN = "me"
"""Sender/reactor/recipient marker for the account owner."""


class Record(msgspec.Struct, frozen=True, kw_only=True, gc=False, array_like=True):
    """Base of every record.

    Records encode as arrays (``array_like``): the store-file reader process sends them
    to the writer, and field names would make its frames 40% larger and their decoding
    2.5x slower.
    """


class MessageRecord(Record, frozen=True, kw_only=True):
    """One message as sent: identity (chat, sender, id), content summary and raw payload.

    ``richness`` orders competing copies of the same message: a higher value wins,
    a lower one never overwrites (a placeholder stub < a system stub < real content).
    """

    chat: str
    sender: str
    id: str
    from_me: bool
    timestamp: int | None
    content_type: str | None = None
    text: str | None = None
    is_system: bool = False
    stub_type: str | None = None
    stub_params: tuple[str, ...] = ()
    quoted_id: str | None = None
    quoted_sender: str | None = None
    quoted_text: str | None = None
    mentions: tuple[str, ...] = ()
    forwarded: bool = False
    forwarding_score: int = 0
    status: int | None = None
    push_name: str | None = None
    message_secret: bytes | None = None
    attrs: dict[str, Any] | None = None
    raw: bytes = b""
    raw_format: str = "json"
    source: str = ""
    richness: int = 0
    timestamp_suspect: bool = False


class MediaRecord(Record, frozen=True, kw_only=True):
    """Everything needed to download and display the media of one message."""

    chat: str
    sender: str
    message_id: str
    kind: str
    mimetype: str | None = None
    size: int | None = None
    sha256: bytes | None = None
    enc_sha256: bytes | None = None
    media_key: bytes | None = None
    media_key_timestamp: int | None = None
    direct_path: str | None = None
    url: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    page_count: int | None = None
    file_name: str | None = None
    thumbnail: bytes | None = None
    local_path: str | None = None
    richness: int = 0


class EditRecord(Record, frozen=True, kw_only=True):
    """One edit of a message: the new version and when it was made (append-only history)."""

    chat: str
    target_id: str
    editor: str
    edit_id: str
    edited_at: int | None
    text: str | None
    content_type: str | None = None
    raw: bytes = b""


class RevokeRecord(Record, frozen=True, kw_only=True):
    """A delete-for-everyone of a message; the target keeps its content and becomes a tombstone."""

    chat: str
    target_id: str
    revoke_id: str
    revoked_by: str
    revoked_at: int | None


class ReactionRecord(Record, frozen=True, kw_only=True):
    """A reactor's current reaction to a message ('' emoji means removed); latest wins."""

    chat: str
    target_id: str
    reactor: str
    emoji: str
    timestamp: int | None


class ReceiptRecord(Record, frozen=True, kw_only=True):
    """A delivery/read/played receipt of one message by one recipient; the earliest time is kept."""

    chat: str
    message_id: str
    recipient: str
    type: str
    timestamp: int | None


class PollVoteRecord(Record, frozen=True, kw_only=True):
    """A voter's latest vote on a poll: decrypted option names when possible, raw cipher always."""

    chat: str
    poll_id: str
    voter: str
    timestamp: int | None
    options: tuple[str, ...] | None = None
    option_hashes: tuple[str, ...] = ()
    enc_payload: bytes | None = None
    enc_iv: bytes | None = None


class ChatRecord(Record, frozen=True, kw_only=True):
    """What a payload says about a chat; unknown fields are None and never clear stored values."""

    jid: str
    name: str | None = None
    archived: bool | None = None
    pinned: bool | None = None
    muted_until: int | None = None
    unread_count: int | None = None
    ephemeral_expiration: int | None = None
    ephemeral_setting_at: int | None = None
    last_message_at: int | None = None
    pn_jid: str | None = None
    lid_jid: str | None = None
    read_only: bool | None = None
    end_of_history: bool | None = None


class ContactRecord(Record, frozen=True, kw_only=True):
    """What a payload says about a person (or a group seen as a contact)."""

    jid: str
    saved_name: str | None = None
    push_name: str | None = None
    verified_name: str | None = None
    business_name: str | None = None
    phone_number: str | None = None
    lid: str | None = None
    picture_url: str | None = None


class IdentityRecord(Record, frozen=True, kw_only=True):
    """A LID and a phone-number JID revealed to belong to the same person."""

    lid: str
    pn: str


class ParticipantRecord(Record, frozen=True, kw_only=True):
    """A member's role in a group as of ``timestamp``; ``left`` marks a departure."""

    group: str
    member: str
    role: str = "member"
    left: bool = False
    timestamp: int | None = None


class LabelRecord(Record, frozen=True, kw_only=True):
    """A WhatsApp Business label."""

    id: str
    name: str | None = None
    color: int | None = None
    deleted: bool = False
    predefined_id: str | None = None


class LabelLinkRecord(Record, frozen=True, kw_only=True):
    """A label attached to a chat (``message_id`` '') or to one message of it."""

    label_id: str
    chat: str
    message_id: str = ""


class Quarantined(Record, frozen=True, kw_only=True):
    """Input that could not be understood, kept with the reason so nothing is silently lost."""

    reason: str
    kind: str
    payload: bytes = b""


class Batch(msgspec.Struct, kw_only=True, weakref=True):
    """A set of records written together in one transaction (weakly referable: the
    decoder's poll index follows the batch being decoded without keeping it alive)."""

    messages: list[MessageRecord] = msgspec.field(default_factory=list)
    media: list[MediaRecord] = msgspec.field(default_factory=list)
    edits: list[EditRecord] = msgspec.field(default_factory=list)
    revokes: list[RevokeRecord] = msgspec.field(default_factory=list)
    reactions: list[ReactionRecord] = msgspec.field(default_factory=list)
    receipts: list[ReceiptRecord] = msgspec.field(default_factory=list)
    poll_votes: list[PollVoteRecord] = msgspec.field(default_factory=list)
    chats: list[ChatRecord] = msgspec.field(default_factory=list)
    contacts: list[ContactRecord] = msgspec.field(default_factory=list)
    identities: list[IdentityRecord] = msgspec.field(default_factory=list)
    participants: list[ParticipantRecord] = msgspec.field(default_factory=list)
    labels: list[LabelRecord] = msgspec.field(default_factory=list)
    label_links: list[LabelLinkRecord] = msgspec.field(default_factory=list)
    quarantined: list[Quarantined] = msgspec.field(default_factory=list)
    repeats: bool = False
    """A hint: the records repeat identities already written (the writer skips its bulk path)."""

    def add(self, records: Iterable[Record]) -> None:
        """Append records to the list of their type."""
        for rec in records:
            if rec.__class__ is MessageRecord:  # the common record: no look-ups
                self.messages.append(rec)
            else:
                getattr(self, _FIELD_OF[type(rec)]).append(rec)

    def extend(self, other: Batch) -> None:
        """Append every record of ``other`` to this batch."""
        for mine, theirs in zip(self.record_lists(), other.record_lists(), strict=True):
            mine.extend(theirs)

    def record_lists(self) -> tuple[list[Any], ...]:
        """The batch's record lists (every field but ``repeats``), in field order."""
        return msgspec.structs.astuple(self)[:-1]

    def __len__(self) -> int:
        return sum(map(len, self.record_lists()))


_FIELD_OF: dict[type, str] = {
    MessageRecord: "messages",
    MediaRecord: "media",
    EditRecord: "edits",
    RevokeRecord: "revokes",
    ReactionRecord: "reactions",
    ReceiptRecord: "receipts",
    PollVoteRecord: "poll_votes",
    ChatRecord: "chats",
    ContactRecord: "contacts",
    IdentityRecord: "identities",
    ParticipantRecord: "participants",
    LabelRecord: "labels",
    LabelLinkRecord: "label_links",
    Quarantined: "quarantined",
}
"""The ``Batch`` list each record type goes into."""
