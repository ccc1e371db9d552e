"""Plain read models returned by the query functions (JSON-serialisable with msgspec)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class View(msgspec.Struct, kw_only=True):
    """Base of the read models."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes as ISO 8601 strings, bytes as base64)."""
        result: dict[str, Any] = msgspec.to_builtins(self)
        return result


class ChatView(View, kw_only=True):
    """A chat as listed by ``Archive.chats``."""

    jid: str
    kind: str
    name: str | None
    archived: bool
    pinned: bool
    muted_until: datetime | None
    unread_count: int
    ephemeral_expiration: int | None
    last_message_at: datetime | None
    pn_jid: str | None
    lid_jid: str | None


class MessageView(View, kw_only=True):
    """One message with its current state (text after edits, tombstone after a revoke)."""

    chat: str
    id: str
    sender: str
    from_me: bool
    timestamp: datetime | None
    content_type: str | None
    text: str | None
    original_text: str | None
    is_system: bool
    stub_type: str | None
    quoted_id: str | None
    quoted_sender: str | None
    quoted_text: str | None
    mentions: list[str]
    forwarded: bool
    status: int | None
    push_name: str | None
    edited_at: datetime | None
    deleted_at: datetime | None
    deleted_by: str | None
    source: str
    attrs: dict[str, Any] | None


class ContactView(View, kw_only=True):
    """A person, whichever JID form was asked for."""

    jid: str
    lid: str | None
    phone_number: str | None
    saved_name: str | None
    push_name: str | None
    verified_name: str | None
    business_name: str | None
    picture_url: str | None


class ParticipantView(View, kw_only=True):
    """A member of a group."""

    member: str
    role: str
    left: bool


class ReactionView(View, kw_only=True):
    """A reactor's current reaction."""

    reactor: str
    emoji: str
    timestamp: datetime | None


class ReceiptView(View, kw_only=True):
    """When a recipient received, read or played a message."""

    recipient: str
    type: str
    timestamp: datetime | None


class EditView(View, kw_only=True):
    """One version of an edited message."""

    edit_id: str
    editor: str
    edited_at: datetime | None
    text: str | None


class LabelView(View, kw_only=True):
    """A label (WhatsApp Business)."""

    id: str
    name: str | None
    color: int | None
    deleted: bool


class ChatStats(View, kw_only=True):
    """Message count and first/last message time of one chat."""

    chat: str
    name: str | None
    messages: int
    first_at: datetime | None
    last_at: datetime | None
