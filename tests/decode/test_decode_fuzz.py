"""Random and mutated payloads of both shapes: nothing escapes, every input yields a record."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
from google.protobuf.message import DecodeError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neonize.proto import Neonize_pb2 as N
from neonize.proto.waWeb import WAWebProtobufsWeb_pb2 as W

from tests.decode.shapes import to_wmi
from wa_archive.decode import (
    decode_baileys_chat,
    decode_baileys_contact,
    decode_baileys_group_metadata,
    decode_baileys_message,
    decode_history_message,
    decode_live_message,
)
from wa_archive.records import Batch
from wa_archive.sources import fake_events as F

FIXTURE = (
    Path(__file__).parent.parent / "fixtures" / "baileys" / "baileys_store_v6_example.reloaded.json"
)
SAMPLES = [m for ms in orjson.loads(FIXTURE.read_bytes())["messages"].values() for m in ms]
KEYS = [
    "key",
    "id",
    "remoteJid",
    "fromMe",
    "participant",
    "message",
    "messageTimestamp",
    "status",
    "conversation",
    "extendedTextMessage",
    "text",
    "contextInfo",
    "protocolMessage",
    "type",
    "reactionMessage",
    "imageMessage",
    "mediaKey",
    "messageStubType",
    "messageStubParameters",
    "userReceipt",
    "reactions",
    "pollUpdates",
    "ephemeralMessage",
    "editedMessage",
    "low",
    "high",
    "pollCreationMessageV3",
    "options",
    "pollUpdateMessage",
    "vote",
    "0",
    "type",
    "data",
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def yields_record(batch: Batch) -> None:
    assert len(batch.messages) + len(batch.quarantined) >= 1


@FAST
@given(JSON)
def test_random_json_messages(obj: Any) -> None:
    batch = Batch()
    decode_baileys_message(obj, batch)
    yields_record(batch)
    for decoder in (decode_baileys_chat, decode_baileys_contact, decode_baileys_group_metadata):
        decoder(obj, Batch())


def _mutate(obj: Any, path: list[int], value: Any) -> Any:
    """Replace one node (chosen by ``path`` indices) of a JSON tree with ``value``."""
    if not path or not isinstance(obj, dict | list) or not obj:
        return value
    if isinstance(obj, dict):
        key = list(obj)[path[0] % len(obj)]
        obj[key] = _mutate(obj[key], path[1:], value)
    else:
        i = path[0] % len(obj)
        obj[i] = _mutate(obj[i], path[1:], value)
    return obj


@FAST
@given(st.sampled_from(SAMPLES), st.lists(st.integers(0, 50), max_size=6), JSON)
def test_mutated_fixture_messages(sample: dict[str, Any], path: list[int], value: Any) -> None:
    batch = Batch()
    decode_baileys_message(_mutate(copy.deepcopy(sample), path, value), batch)
    yields_record(batch)


BLOBS = [to_wmi(m).SerializeToString() for m in SAMPLES if m.get("message") is not None]


@FAST
@given(st.sampled_from(BLOBS), st.integers(0, 2000), st.binary(max_size=8))
def test_truncated_and_spliced_history_protobufs(blob: bytes, cut: int, junk: bytes) -> None:
    data = blob[: cut % (len(blob) + 1)] + junk
    try:
        wmi = W.WebMessageInfo.FromString(data)
    except DecodeError:
        return
    batch = Batch()
    decode_history_message(wmi, batch)
    yields_record(batch)


LIVE = F.text_message_event(
    "hello", id="X1", chat="1@s.whatsapp.net", sender="1@s.whatsapp.net", timestamp_ms=1717000000000
).SerializeToString()


@FAST
@given(st.integers(0, len(LIVE)), st.binary(max_size=16))
def test_truncated_live_events(cut: int, junk: bytes) -> None:
    try:
        event = N.Message.FromString(LIVE[:cut] + junk)
    except DecodeError:
        return
    batch = Batch()
    decode_live_message(event, batch)
    yields_record(batch)
