"""Tolerant value decoding (Baileys JSON encodings) and the archive's timestamp and richness rules."""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Mapping
from typing import Any

_TWO_64 = 1 << 64
_TWO_63 = 1 << 63
_MIN_TS_MS = 1_230_768_000_000  # 2009-01-01: WhatsApp did not exist before
_DAY_MS = 86_400_000

PLACEHOLDER = 0
SYSTEM = 1
CONTENT = 2


def to_int(value: Any) -> int | None:
    """An int64 from a number, a decimal string or a long.js ``{low, high, unsigned}`` object."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    if isinstance(value, float):
        return int(value) if value == value and abs(value) < 1e19 else None
    if isinstance(value, dict):
        return _long_object(value)
    return None


def _long_object(value: dict[str, Any]) -> int | None:
    """Decode a long.js object: ``(high << 32) | low``, signed unless ``unsigned``."""
    low, high = value.get("low"), value.get("high")
    if not isinstance(low, int) or not isinstance(high, int):
        return None
    result = ((high & 0xFFFFFFFF) << 32) | (low & 0xFFFFFFFF)
    if not value.get("unsigned") and result >= _TWO_63:
        result -= _TWO_64
    return result


def to_bytes(value: Any) -> bytes | None:
    """Bytes from base64, Buffer JSON (list or base64 data), a ``{"0": ..}`` object or a list of ints."""
    if value is None:
        return None
    if isinstance(value, str):
        return _b64(value)
    if isinstance(value, list):
        return _int_list(value)
    if isinstance(value, dict):
        if value.get("type") == "Buffer" and "data" in value:
            data = value["data"]
            return _b64(data) if isinstance(data, str) else _int_list(data)
        try:
            items = sorted(value.items(), key=lambda kv: int(kv[0]))
        except (TypeError, ValueError):
            return None
        return _int_list([v for _, v in items])
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return None


def _b64(text: str) -> bytes | None:
    """Standard or URL-safe base64, padding optional; None if it is not base64."""
    try:
        padded = text + "=" * (-len(text) % 4)
        if "-" in text or "_" in text:
            return base64.urlsafe_b64decode(padded)
        # = b64decode(validate=True), with the alphabet check done in C rather than by a regex.
        return binascii.a2b_base64(padded, strict_mode=True)
    except (binascii.Error, ValueError):
        return None


def _int_list(values: Any) -> bytes | None:
    """Bytes from a list of ints 0..255, else None."""
    if not isinstance(values, list):
        return None
    try:
        return bytes(values)
    except (TypeError, ValueError):
        return None


def to_str(value: Any) -> str | None:
    """A string as given; numbers become their decimal text, anything else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def to_bool(value: Any) -> bool:
    """Truthiness of JSON booleans, numbers and ``"true"``; anything else False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return False


def to_enum(value: Any, numbers: Mapping[str, int]) -> int | str | None:
    """An enum as its number: a number, a known name; an unknown name is kept as that string."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        known = numbers.get(value)
        if known is not None:
            return known
        stripped = value.strip()
        if stripped.lstrip("-").isdigit():
            return int(stripped)
        return value or None
    return to_int(value)


def now_ms() -> int:
    """The current UTC time in milliseconds."""
    return time.time_ns() // 1_000_000


def clamp_ms(ms: int | None, now: int) -> tuple[int | None, bool]:
    """Validate a UTC-ms timestamp: (value, suspect); 0/None is unknown, impossible values are None."""
    if not ms:
        return None, False
    if ms < _MIN_TS_MS or ms > now + _DAY_MS:
        return None, True
    return ms, False


_horizon = [0]  # a past ``now_ms() + one day``: times up to it are never "in the future"


def clamp_now(ms: int | None) -> tuple[int | None, bool]:
    """``clamp_ms(ms, now_ms())``, reading the clock only for a time past the last horizon."""
    if not ms:
        return None, False
    if ms < _MIN_TS_MS:
        return None, True
    if ms > _horizon[0]:
        _horizon[0] = now_ms() + _DAY_MS
        if ms > _horizon[0]:
            return None, True
    return ms, False


def seconds_to_ms(seconds: int | None) -> int | None:
    """Whole seconds to milliseconds; None and 0 stay unknown."""
    return seconds * 1000 if seconds else None


MUTED_FOREVER = 253_402_300_799_000
"""The end of a mute without end, in ms: 9999-12-31 23:59:59 UTC, the last whole second an
aware ``datetime`` holds (whatsmeow's ``MutedForever`` is within it). A whole second, so
that PostgreSQL's ``to_timestamp(ms / 1000.0)`` stores it exactly."""


_YEAR_10000 = 253_402_300_800_000


def _as_ms(value: int) -> int:
    """A positive time in seconds or milliseconds, told apart by size, as milliseconds."""
    return value if value > 100_000_000_000 else value * 1000


def loose_ms(value: int | None) -> int | None:
    """A time given in seconds or milliseconds (told apart by size) as milliseconds.

    0 is unknown, and so is a time before 1970 or after the year 9999, which no column
    can hold.
    """
    if not value or value < 0:
        return None
    ms = _as_ms(value)
    return ms if ms < _YEAR_10000 else None


def mute_end_ms(value: int | None) -> int | None:
    """The end of a chat's mute in ms; 0 or absent is unknown.

    ``-1`` means muted forever (WhatsApp's "always"), and so does an end after the year
    9999: -1 written as an unsigned 64-bit number, or whatsmeow's last instant of 9999
    rounded up. Other negative values are unknown.
    """
    if value == -1:
        return MUTED_FOREVER
    if not value or value < 0:
        return None
    return min(_as_ms(value), MUTED_FOREVER)


def richness(level: int, raw: bytes) -> int:
    """Order competing copies: the level first (placeholder < system < content), then payload size."""
    return level * 10_000_000 + min(len(raw), 9_999_999)
