"""Test helpers: decode one Baileys-JSON message in both wire shapes (JSON and history protobuf)."""

from __future__ import annotations

import copy
from typing import Any

import msgspec
import orjson
from google.protobuf import json_format
from neonize.proto.waWeb import WAWebProtobufsWeb_pb2 as W

from wa_archive.decode import decode_baileys_message, decode_history_message
from wa_archive.records import Batch, MessageRecord

CHAT = "15551234567@s.whatsapp.net"
GROUP = "120363041234567890@g.us"
ALICE = "15551234567@s.whatsapp.net"
BOB = "15557654321@s.whatsapp.net"
TS = 1717000200


def whatsmeow_names(obj: Any, descriptor: Any) -> Any:
    """Rename Baileys keys to the whatsmeow spellings so ``ParseDict`` accepts them."""
    if isinstance(obj, list):
        return [whatsmeow_names(item, descriptor) for item in obj]
    if not isinstance(obj, dict):
        return obj
    by_lower = {f.name.lower(): f for f in descriptor.fields}
    out = {}
    for key, value in obj.items():
        field = by_lower.get(key.lower())
        if field is None or value is None:
            continue
        out[field.name] = (
            whatsmeow_names(value, field.message_type) if field.message_type else value
        )
    return out


def to_wmi(msg: dict[str, Any]) -> W.WebMessageInfo:
    """A Baileys JSON message (regime A encodings) as a history ``WebMessageInfo`` protobuf."""
    return json_format.ParseDict(
        whatsmeow_names(msg, W.WebMessageInfo.DESCRIPTOR), W.WebMessageInfo()
    )


def decode_json(msg: dict[str, Any]) -> Batch:
    """Decode through the Baileys JSON path."""
    batch = Batch()
    decode_baileys_message(copy.deepcopy(msg), batch)
    return batch


def decode_pb(msg: dict[str, Any]) -> Batch:
    """Decode the same message through the history protobuf path."""
    batch = Batch()
    decode_history_message(W.WebMessageInfo.FromString(to_wmi(msg).SerializeToString()), batch)
    return batch


SHAPES = {"json": decode_json, "pb": decode_pb}


def message(text_or_content: str | dict[str, Any] | None = None, **wmi: Any) -> dict[str, Any]:
    """A Baileys JSON ``WebMessageInfo`` in a 1:1 chat from Alice (override with keyword fields)."""
    content = (
        {"conversation": text_or_content} if isinstance(text_or_content, str) else text_or_content
    )
    msg: dict[str, Any] = {
        "key": {"remoteJid": CHAT, "fromMe": False, "id": "3A0000000000000000A1"},
        "messageTimestamp": str(TS),
    }
    if content is not None:
        msg["message"] = content
    msg.update(wmi)
    return msg


def group_message(content: dict[str, Any] | str, sender: str = BOB, **wmi: Any) -> dict[str, Any]:
    """A Baileys JSON group message sent by ``sender``."""
    msg = message(content, **wmi)
    msg["key"] = {
        "remoteJid": GROUP,
        "fromMe": False,
        "id": msg["key"]["id"],
        "participant": sender,
    }
    return msg


def only_message(batch: Batch) -> MessageRecord:
    """The single message record of a batch (failing loudly on quarantine)."""
    assert not batch.quarantined, batch.quarantined
    assert len(batch.messages) == 1, batch.messages
    return batch.messages[0]


def without_raw(record: msgspec.Struct) -> dict[str, Any]:
    """A record as a dict without the shape-specific fields (raw payload, its format, source, size)."""
    data = msgspec.structs.asdict(record)
    for name in ("raw", "raw_format", "source"):
        data.pop(name, None)
    if "richness" in data:
        data["richness"] //= 10_000_000  # the level; the size part depends on the raw bytes
    return data


def dumps(obj: Any) -> bytes:
    """orjson bytes (for building raw payloads in tests)."""
    return orjson.dumps(obj)
