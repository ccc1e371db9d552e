"""Baileys JSON value encodings: numbers/strings/Long objects, every bytes form, enums, nulls."""

from __future__ import annotations

import pytest

from tests.decode.shapes import decode_json, message, only_message
from wa_archive.decode import decode_baileys_message
from wa_archive.decode.values import clamp_ms, to_bytes, to_enum, to_int
from wa_archive.records import Batch


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1717000700, 1717000700),
        ("1717000300", 1717000300),
        ({"low": -986208277, "high": 399, "unsigned": False}, 1717000710123),
        ({"low": 1716900000, "high": 0, "unsigned": True}, 1716900000),
        ({"low": -1, "high": -1, "unsigned": False}, -1),
        ({"low": -1, "high": -1, "unsigned": True}, 2**64 - 1),
        (None, None),
        ("abc", None),
        (True, None),
        ([1], None),
    ],
)
def test_int64_forms(value: object, expected: int | None) -> None:
    assert to_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("BwcH", b"\x07\x07\x07"),
        ({"type": "Buffer", "data": [7, 7, 7]}, b"\x07\x07\x07"),
        ({"type": "Buffer", "data": "BwcH"}, b"\x07\x07\x07"),
        ({"2": 9, "0": 7, "1": 8, "10": 1}, b"\x07\x08\x09\x01"),
        ({"2": 9, "0": 7, "1": 8}, b"\x07\x08\x09"),
        ([1, 2, 3], b"\x01\x02\x03"),
        ("not base64!", None),
        ([300], None),
        (None, None),
    ],
)
def test_bytes_forms(value: object, expected: bytes | None) -> None:
    assert to_bytes(value) == expected


def test_enum_forms() -> None:
    table = {"READ": 4}
    assert [to_enum(v, table) for v in ("READ", 4, "4", "FUTURE_NAME", None)] == [
        4,
        4,
        4,
        "FUTURE_NAME",
        None,
    ]


def test_message_with_long_buffer_and_numeric_enums() -> None:
    msg = message(
        {
            "imageMessage": {
                "mediaKey": {"type": "Buffer", "data": [1] * 32},
                "fileSha256": {str(i): 2 for i in reversed(range(32))},
                "fileLength": {"low": 5, "high": 0, "unsigned": True},
            }
        },
        messageTimestamp={"low": 1717000200, "high": 0, "unsigned": True},
        status=3,
    )
    batch = decode_json(msg)
    record = only_message(batch)
    assert (record.timestamp, record.status) == (1717000200000, 3)
    (media,) = batch.media
    assert (media.media_key, media.sha256, media.size) == (b"\x01" * 32, b"\x02" * 32, 5)


def test_unknown_enum_values_are_kept_not_fatal() -> None:
    record = only_message(
        decode_json(message(None, messageStubType="SOME_NEW_STUB", status="WEIRD"))
    )
    assert (record.stub_type, record.status, record.is_system) == ("SOME_NEW_STUB", None, True)
    record = only_message(decode_json(message(None, messageStubType=9999)))
    assert record.stub_type == "9999"
    record = only_message(
        decode_json(message({"protocolMessage": {"type": "NEW_KIND", "key": {"id": "x"}}}))
    )
    assert record.attrs == {"protocol_type": "NEW_KIND", "effect": "protocol"}


def test_null_message_and_nulls_everywhere() -> None:
    record = only_message(decode_json(message(None, message=None, pushName=None, status=None)))
    assert (record.content_type, record.text, record.status) == (None, None, None)


def test_wrong_types_do_not_raise() -> None:
    msg = message(
        {"extendedTextMessage": {"text": 5, "contextInfo": "nope"}},
        pushName=["x"],
        userReceipt="bad",
        reactions=[None, 1, {"key": 3}],
    )
    record = only_message(decode_json(msg))
    assert record.text == "5"


@pytest.mark.parametrize(
    "bad", [{}, {"key": {}}, {"key": {"id": "x"}}, {"key": "str"}, [], "x", None]
)
def test_malformed_messages_are_quarantined(bad: object) -> None:
    batch = Batch()
    decode_baileys_message(bad, batch)  # type: ignore[arg-type]
    assert batch.messages == [] and len(batch.quarantined) == 1
    assert batch.quarantined[0].kind == "message" and batch.quarantined[0].reason


def test_raw_payload_kept() -> None:
    batch = Batch()
    decode_baileys_message(message("x"), batch, raw=b"RAW")
    assert only_message(batch).raw == b"RAW"
    batch = Batch()
    decode_baileys_message(message("x"), batch, source="bridge")
    record = only_message(batch)
    assert record.raw.startswith(b'{"key"') and (record.raw_format, record.source) == (
        "json",
        "bridge",
    )


def test_clamp_rules() -> None:
    now = 1_800_000_000_000
    assert clamp_ms(now + 3_600_000, now) == (now + 3_600_000, False)
    assert clamp_ms(now + 2 * 86_400_000, now) == (None, True)
