"""``get_message`` for Baileys bots: the stored original message content, or None."""

from __future__ import annotations

import re
from typing import Any

import orjson
from google.protobuf.json_format import MessageToDict
from sqlalchemy import Connection

from .. import jids
from ..records import OWN
from .messages import find_message_row

_CAPS = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|[0-9]|$)|[A-Z]{2,}")


def _baileys_name(name: str) -> str:
    """whatsmeow field spelling → Baileys spelling (``fileSHA256`` → ``fileSha256``)."""

    def fold(m: re.Match[str]) -> str:
        run = m.group(0)
        return run.lower() if m.start() == 0 else run[0] + run[1:].lower()

    folded = _CAPS.sub(fold, name)
    return folded[0].lower() + folded[1:] if folded else folded


def _rename(value: Any) -> Any:
    if isinstance(value, dict):
        return {_baileys_name(k): _rename(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v) for v in value]
    return value


def _protobuf_content(raw: bytes, raw_format: str) -> dict[str, Any] | None:
    from neonize.proto.Neonize_pb2 import Message as LiveMessage
    from neonize.proto.waWeb.WAWebProtobufsWeb_pb2 import WebMessageInfo

    if raw_format == "pb-wmi":
        wmi = WebMessageInfo.FromString(raw)
        content = wmi.message if wmi.HasField("message") else None
    else:
        live = LiveMessage.FromString(raw)
        content = live.Message if live.HasField("Message") else None
    if content is None:
        return None
    return _rename(MessageToDict(content, preserving_proto_field_name=True))


def stored_content(raw: bytes, raw_format: str) -> dict[str, Any] | None:
    """The inner ``message`` of a stored raw payload, in Baileys JSON spelling."""
    if not raw:
        return None
    if raw_format == "json":
        content = orjson.loads(raw).get("message")
        return content if isinstance(content, dict) and content else None
    if raw_format in ("pb-wmi", "pb-live"):
        return _protobuf_content(raw, raw_format)
    return None


def get_message_content(
    conn: Connection, account_id: int, key: dict[str, Any]
) -> dict[str, Any] | None:
    """Resolve a Baileys ``WAMessageKey`` and return the message content, or None.

    The key's ``remoteJid`` may carry a device suffix or be a LID; ``fromMe`` keys match the
    account's own messages; otherwise the sender is not needed (ids are unique per chat in
    practice) but narrows the lookup when ``participant`` is given.
    """
    chat = key.get("remoteJid") or key.get("remoteJID")
    message_id = key.get("id") or key.get("ID")
    if not chat or not message_id:
        return None
    sender: str | None = None
    if key.get("fromMe"):
        sender = OWN
    elif key.get("participant"):
        sender = jids.canonical_jid(str(key["participant"]))
    row = find_message_row(conn, account_id, str(chat), str(message_id), sender)
    if row is None and sender is not None:
        row = find_message_row(conn, account_id, str(chat), str(message_id))
    if row is None:
        return None
    return stored_content(row.raw, row.raw_format)
