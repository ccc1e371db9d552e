"""Baileys JSON (store files, bridge events) → records: messages, chats, contacts, labels, groups."""

from __future__ import annotations

from typing import Any

import msgspec
import orjson

from wa_archive.decode.chats import chat_records
from wa_archive.decode.identities import contact_identities, pair
from wa_archive.decode.sink import quarantine, quarantined
from wa_archive.decode.view import JsonView, View
from wa_archive.decode.wmi import decode_wmi
from wa_archive.jids import canonical_jid, is_group, is_pn, phone_number_of
from wa_archive.records import (
    Batch,
    ChatRecord,
    ContactRecord,
    LabelLinkRecord,
    LabelRecord,
    ParticipantRecord,
    Record,
)

_OWNER_PAIRS = (
    ("owner", "ownerPn"),
    ("subjectOwner", "subjectOwnerPn"),
    ("descOwner", "descOwnerPn"),
    ("author", "authorPn"),
)

_PICTURE_MARKERS = (None, "changed", "removed")
"""``imgUrl`` values that are not a URL: the ``contacts.update`` markers the store merged
as they came before 6.6.1 (a picture was set or deleted)."""


def _dump(obj: Any) -> bytes:
    """Best-effort JSON bytes of an input for the raw column or quarantine."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return repr(obj).encode(errors="replace")


def decode_baileys_message(
    obj: dict[str, Any], out: Batch, *, source: str = "baileys", raw: bytes | None = None
) -> None:
    """One Baileys ``WebMessageInfo`` dict → records in ``out``; malformed input is quarantined."""
    out.add(baileys_message_records(obj, out, source=source, raw=raw))


def baileys_message_records(
    obj: dict[str, Any], batch: Batch, *, source: str = "baileys", raw: bytes | None = None
) -> list[Record]:
    """The records of one Baileys ``WebMessageInfo`` dict, or its quarantine record; not yet
    in any batch (``batch`` holds the messages decoded before it)."""
    payload = raw if raw is not None else b""
    try:
        if raw is None:
            payload = orjson.dumps(obj)
        if not isinstance(obj, dict):
            raise TypeError(f"message is a {type(obj).__name__}, not an object")
        return decode_wmi(JsonView(obj), batch, payload, "json", source)
    except Exception as error:
        return [quarantined(error, "message", payload or _dump(obj))]


def _entity(kind: str, obj: Any, out: Batch, build: Any) -> None:
    """Run one entity decoder, quarantining what it cannot read."""
    records: list[Record] = []
    try:
        if not isinstance(obj, dict):
            raise TypeError(f"{kind} is a {type(obj).__name__}, not an object")
        build(JsonView(obj), records)
    except Exception as error:
        quarantine(out, error, kind, _dump(obj))
        return
    out.add(records)


def decode_baileys_chat(obj: dict[str, Any], out: Batch) -> None:
    """A store chat (``Conversation`` + ``lastMessageRecvTimestamp``); its ``messages[]`` are skipped."""
    first = len(out.chats)
    _entity("chat", obj, out, chat_records)
    cleared = _cleared(obj) if len(out.chats) > first else None
    if cleared:
        out.chats[first] = msgspec.structs.replace(out.chats[first], **cleared)


def _cleared(chat: dict[str, Any]) -> dict[str, Any]:
    """The chat fields an explicit null clears: ``pinned`` (unpinned), ``muteEndTime`` (unmuted).

    The store merges app-state ``chats.update`` events into the chat, and an unpin or
    unmute writes the field as null. Read as "not known", it would leave the pin or mute
    of an older file standing; a mute that ended at 0 (1970) is no mute.
    """
    cleared: dict[str, Any] = {}
    if "pinned" in chat and chat["pinned"] is None:
        cleared["pinned"] = False
    if "muteEndTime" in chat and chat["muteEndTime"] is None:
        cleared["muted_until"] = 0
    return cleared


def decode_baileys_contact(obj: dict[str, Any], out: Batch) -> None:
    """A Baileys contact ``{id, name, notify, verifiedName, imgUrl, lid, jid, phoneNumber}``."""
    _entity("contact", obj, out, _contact)


def _contact(c: JsonView, out: list[Record]) -> None:
    """Contact fields plus every PN↔LID pair the contact reveals."""
    jid = canonical_jid(c.get_str("id"))
    if not jid:
        raise ValueError("contact without id")
    phone, lid, pn_jid = c.get_str("phoneNumber"), c.get_str("lid"), c.get_str("jid")
    number = phone_number_of(canonical_jid(phone or pn_jid or (jid if is_pn(jid) else "")))
    img = c.get_str("imgUrl")
    if is_group(jid):
        out.append(ChatRecord(jid=jid, name=c.get_str("name") or c.get_str("subject")))
        return
    out.append(
        ContactRecord(
            jid=jid,
            saved_name=c.get_str("name"),
            push_name=c.get_str("notify"),
            verified_name=c.get_str("verifiedName"),
            phone_number=number,
            lid=canonical_jid(lid) or None,
            picture_url=img if img not in _PICTURE_MARKERS else None,
        )
    )
    contact_identities(jid, [phone, lid, pn_jid], out)


def decode_baileys_label(obj: dict[str, Any], out: Batch) -> None:
    """A Business label ``{id, name, color, deleted, predefinedId}``."""
    _entity("label", obj, out, _label)


def _label(v: JsonView, out: list[Record]) -> None:
    """One label record."""
    label_id = v.get_str("id")
    if not label_id:
        raise ValueError("label without id")
    out.append(
        LabelRecord(
            id=label_id,
            name=v.get_str("name"),
            color=v.get_int("color"),
            deleted=v.get_bool("deleted"),
            predefined_id=v.get_str("predefinedId"),
        )
    )


def decode_baileys_label_association(obj: dict[str, Any], out: Batch) -> None:
    """A label on a chat (``label_jid``) or on one message (``label_message``)."""
    _entity("label_association", obj, out, _label_link)


def _label_link(v: JsonView, out: list[Record]) -> None:
    """One label link record."""
    label_id, chat = v.get_str("labelId"), canonical_jid(v.get_str("chatId"))
    if not label_id or not chat:
        raise ValueError("label association without labelId/chatId")
    out.append(
        LabelLinkRecord(label_id=label_id, chat=chat, message_id=v.get_str("messageId") or "")
    )


def decode_baileys_group_metadata(obj: dict[str, Any], out: Batch) -> None:
    """Baileys ``GroupMetadata`` → the group chat, its members (with roles) and identity pairs."""
    _entity("group", obj, out, _group)


def _group(g: JsonView, out: list[Record]) -> None:
    """Group chat, members and the owner/author PN pairs."""
    group = canonical_jid(g.get_str("id"))
    if not group:
        raise ValueError("group metadata without id")
    out.append(
        ChatRecord(
            jid=group,
            name=g.get_str("subject"),
            ephemeral_expiration=g.get_int("ephemeralDuration"),
        )
    )
    for first, second in _OWNER_PAIRS:
        pair(g.get_str(first), g.get_str(second), out)
    for member in g.children("participants"):
        jid = canonical_jid(member.get_str("id"))
        if not jid:
            continue
        out.append(ParticipantRecord(group=group, member=jid, role=_role(member)))
        contact_identities(
            jid, [member.get_str("phoneNumber"), member.get_str("lid"), member.get_str("jid")], out
        )


def _role(member: View) -> str:
    """A member's role: ``admin`` as ``groupMetadata()`` gave it, unless ``isAdmin`` says more.

    The store's ``group-participants.update`` handler marks a promote or demote in
    ``isAdmin`` only (and adds members with ``isAdmin: false``), so a present
    ``isAdmin`` is the newer word; old versions gave only ``isAdmin``/``isSuperAdmin``.
    """
    admin = member.get_str("admin")
    is_admin = member.get_flag("isAdmin")
    if is_admin is None:
        return admin if admin in ("admin", "superadmin") else "member"
    if not is_admin:
        return "member"
    return "superadmin" if admin == "superadmin" or member.get_bool("isSuperAdmin") else "admin"
