"""Decode + normalise throughput for both wire shapes, against a generic-conversion pipeline.

Run: ``.venv/bin/python bench/decode_bench.py [--messages 50000]``. A realistic mix
(mostly text, some media, replies, reactions, group messages, a few system stubs)
is built once as Baileys JSON (parsed by orjson, as an importer sees it) and as
history ``WebMessageInfo`` bytes. Timed per shape:

* wa-archive: ``decode_baileys_message(dict)`` / ``FromString`` + ``decode_history_message``;
* generic: the same records through protobuf's generic converters
  (Baileys dict → renamed keys → ``ParseDict`` → decode; bytes → ``FromString`` →
  ``MessageToDict`` → case-folded dict → decode).
"""

from __future__ import annotations

import argparse
import base64
import random
import time
from collections.abc import Callable
from typing import Any

import orjson
from google.protobuf import json_format
from neonize.proto.waWeb import WAWebProtobufsWeb_pb2 as W

from wa_archive.decode import decode_baileys_message, decode_history_message
from wa_archive.decode.protobuf import PbView
from wa_archive.decode.view import JsonView
from wa_archive.decode.wmi import decode_wmi
from wa_archive.records import Batch

GROUP = "120363041234567890@g.us"
PEOPLE = [f"1555{n:07d}@s.whatsapp.net" for n in range(40)]
WORDS = [
    "see",
    "you",
    "at",
    "six",
    "dinner",
    "tonight",
    "photo",
    "nice",
    "great",
    "booking",
    "table",
    "beach",
    "lunch",
    "pizza",
]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 14)))


def _content(rng: random.Random, i: int, chat: str) -> dict[str, Any]:
    """One Baileys ``message`` of a random kind."""
    roll = rng.random()
    if roll < 0.55:
        return {"conversation": _text(rng)}
    if roll < 0.70:
        return {
            "extendedTextMessage": {
                "text": _text(rng),
                "contextInfo": {
                    "stanzaId": f"Q{i - 1:019d}",
                    "participant": rng.choice(PEOPLE),
                    "quotedMessage": {"conversation": _text(rng)},
                    "mentionedJid": [rng.choice(PEOPLE)],
                },
            }
        }
    if roll < 0.82:
        return {
            "imageMessage": {
                "url": "https://mmg.whatsapp.net/v/t62/1.enc",
                "mimetype": "image/jpeg",
                "caption": _text(rng),
                "fileSha256": _b64(rng.randbytes(32)),
                "fileLength": "123456",
                "height": 1280,
                "width": 960,
                "mediaKey": _b64(rng.randbytes(32)),
                "fileEncSha256": _b64(rng.randbytes(32)),
                "directPath": "/v/t62/1.enc",
                "mediaKeyTimestamp": "1717000650",
                "jpegThumbnail": _b64(rng.randbytes(600)),
            }
        }
    if roll < 0.90:
        return {
            "messageContextInfo": {"deviceListMetadataVersion": 2},
            "reactionMessage": {
                "key": {"remoteJid": chat, "fromMe": False, "id": f"M{i - 3:019d}"},
                "text": "❤️",
                "senderTimestampMs": "1717000710123",
            },
        }
    if roll < 0.96:
        return {"ephemeralMessage": {"message": {"extendedTextMessage": {"text": _text(rng)}}}}
    return {
        "audioMessage": {
            "url": "https://mmg.whatsapp.net/a.enc",
            "mimetype": "audio/ogg",
            "seconds": 12,
            "ptt": True,
            "fileLength": "9000",
            "mediaKey": _b64(rng.randbytes(32)),
            "directPath": "/a.enc",
        }
    }


def make_messages(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` Baileys JSON messages (regime A encodings: strings for int64, base64 bytes)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        group = rng.random() < 0.4
        chat = GROUP if group else rng.choice(PEOPLE)
        from_me = rng.random() < 0.3
        msg: dict[str, Any] = {"key": {"remoteJid": chat, "fromMe": from_me, "id": f"M{i:019d}"}}
        if rng.random() < 0.02:
            msg.update(
                messageStubType="GROUP_PARTICIPANT_ADD", messageStubParameters=[rng.choice(PEOPLE)]
            )
        else:
            msg["message"] = _content(rng, i, chat)
        if group and not from_me:
            msg["participant"] = rng.choice(PEOPLE)
        msg.update(
            messageTimestamp=str(1717000000 + i), status="READ" if from_me else "DELIVERY_ACK"
        )
        if not from_me:
            msg["pushName"] = "Person"
        out.append(msg)
    return out


_NAME_MAPS: dict[Any, dict[str, str]] = {}


def _rename(obj: dict[str, Any], descriptor: Any) -> dict[str, Any]:
    """Baileys names → whatsmeow names, recursively, so ``ParseDict`` accepts the dict."""
    names = _NAME_MAPS.get(descriptor)
    if names is None:
        names = _NAME_MAPS[descriptor] = {f.name.lower(): f.name for f in descriptor.fields}
    result: dict[str, Any] = {}
    for key, value in obj.items():
        name = names.get(key.lower())
        if name is None:
            continue
        field = descriptor.fields_by_name[name]
        if field.message_type is not None:
            if isinstance(value, list):
                value = [_rename(v, field.message_type) for v in value]
            elif isinstance(value, dict):
                value = _rename(value, field.message_type)
        result[name] = value
    return result


class _FoldedDict(dict[str, Any]):
    """A dict whose ``get`` is case-insensitive (MessageToDict spells names the whatsmeow way)."""

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return dict.get(self, key.lower(), default)


def _fold(value: Any) -> Any:
    """Case-fold every key of a MessageToDict result."""
    if isinstance(value, dict):
        return _FoldedDict((k.lower(), _fold(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_fold(v) for v in value]
    return value


def _timed(label: str, count: int, run: Callable[[], None], repeat: int) -> float:
    """Best-of-``repeat`` rate in CPU time (``process_time``: the machine may be shared)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    rate = count / best
    print(f"  {label:<46} {rate:>12,.0f} msgs/s  ({best / count * 1e6:.2f} µs/msg CPU)")
    return rate


def main() -> None:
    """Build the mix, time every pipeline, print rates and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs (CPU time)")
    parser.add_argument("--generic-repeat", type=int, default=1)
    args = parser.parse_args()
    dicts = [orjson.loads(orjson.dumps(m)) for m in make_messages(args.messages)]
    raws = [orjson.dumps(m) for m in dicts]
    blobs = [
        json_format.ParseDict(
            _rename(m, W.WebMessageInfo.DESCRIPTOR), W.WebMessageInfo()
        ).SerializeToString()
        for m in dicts
    ]
    n = len(dicts)

    def json_fast() -> None:
        batch = Batch()
        for obj, raw in zip(dicts, raws, strict=True):
            decode_baileys_message(obj, batch, raw=raw)
        assert len(batch.messages) == n, batch.quarantined[:1]

    def json_generic() -> None:
        batch = Batch()
        for obj, raw in zip(dicts, raws, strict=True):
            pb = json_format.ParseDict(
                _rename(obj, W.WebMessageInfo.DESCRIPTOR), W.WebMessageInfo()
            )
            decode_wmi(PbView(pb), batch, raw, "json", "baileys")

    def pb_fast() -> None:
        batch = Batch()
        parse = W.WebMessageInfo.FromString
        for blob in blobs:
            decode_history_message(parse(blob), batch, raw=blob)
        assert len(batch.messages) == n, batch.quarantined[:1]

    def pb_generic() -> None:
        batch = Batch()
        for blob in blobs:
            as_dict = json_format.MessageToDict(W.WebMessageInfo.FromString(blob))
            decode_wmi(JsonView(_fold(as_dict)), batch, blob, "pb-wmi", "history")

    print(
        f"decode + normalise, {n:,} messages (mixed), one core, "
        f"CPU time (process_time), best of {args.repeat}"
    )
    for shape, fast, generic in (
        ("Baileys JSON", json_fast, json_generic),
        ("history protobuf", pb_fast, pb_generic),
    ):
        fast()  # warm caches
        a = _timed(f"{shape}: wa-archive views", n, fast, args.repeat)
        b = _timed(f"{shape}: generic ParseDict/MessageToDict", n, generic, args.generic_repeat)
        print(f"  {shape}: {a / b:.1f}x the generic approach\n")


if __name__ == "__main__":
    main()
