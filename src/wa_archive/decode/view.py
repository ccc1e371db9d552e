"""The view interface message semantics are written against, and its Baileys JSON implementation.

A view wraps one protobuf-shaped object (a ``WebMessageInfo``, a ``Message``, a
``ContextInfo``, ...) and answers typed questions by **Baileys field name**
(``remoteJid``, ``stanzaId``, ``fileSha256``). ``JsonView`` reads a dict loaded
from Baileys JSON and applies the tolerant decoding of ``values``;
``protobuf.PbView`` reads a neonize protobuf whose fields use whatsmeow spellings.
Absent, ``null`` and undecodable values all read as "not there" (None, False, []).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from wa_archive.decode.values import to_bool, to_bytes, to_enum, to_int, to_str


class View(Protocol):
    """Typed, read-only access to one message-shaped object by Baileys field name."""

    def has(self, name: str) -> bool:
        """Whether field ``name`` is present (a repeated field: non-empty)."""
        ...

    def get_str(self, name: str) -> str | None:
        """A non-empty string field, else None."""
        ...

    def get_int(self, name: str) -> int | None:
        """An integer field (int32/int64/uint64) if present, else None."""
        ...

    def get_bool(self, name: str) -> bool:
        """A boolean field; absent is False."""
        ...

    def get_flag(self, name: str) -> bool | None:
        """A boolean field if present (False included), else None."""
        ...

    def get_bytes(self, name: str) -> bytes | None:
        """A non-empty bytes field, else None."""
        ...

    def get_enum(self, name: str, numbers: Mapping[str, int]) -> int | str | None:
        """An enum field as its number if known (an unknown JSON name stays a string)."""
        ...

    def child(self, name: str) -> View | None:
        """A present sub-message, else None."""
        ...

    def children(self, name: str) -> list[View]:
        """The items of a repeated sub-message field."""
        ...

    def get_strs(self, name: str) -> list[str]:
        """The items of a repeated string field."""
        ...

    def get_bytes_list(self, name: str) -> list[bytes]:
        """The items of a repeated bytes field."""
        ...

    def keys(self) -> list[str]:
        """Names of the present fields in serialisation (field-number) order."""
        ...


class JsonView:
    """A view over a dict decoded from Baileys JSON (any of its value encodings)."""

    __slots__ = ("_d",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._d = data

    def has(self, name: str) -> bool:
        """Whether key ``name`` is present and not null (a list: non-empty)."""
        value = self._d.get(name)
        return value is not None and value != []

    def get_str(self, name: str) -> str | None:
        """A non-empty string field, else None."""
        value = self._d.get(name)
        if value is None:
            return None
        if value.__class__ is str:
            return value or None
        return to_str(value) or None

    def get_int(self, name: str) -> int | None:
        """An integer field (number, decimal string or long.js object) if present, else None."""
        value = self._d.get(name)
        if value is None:
            return None
        if value.__class__ is int:
            return value
        return to_int(value)

    def get_bool(self, name: str) -> bool:
        """A boolean field; absent is False."""
        value = self._d.get(name)
        return value if value.__class__ is bool else to_bool(value)

    def get_flag(self, name: str) -> bool | None:
        """A boolean field if present (False included), else None."""
        value = self._d.get(name)
        return None if value is None else to_bool(value)

    def get_bytes(self, name: str) -> bytes | None:
        """A non-empty bytes field in any Baileys encoding, else None."""
        value = self._d.get(name)
        return None if value is None else to_bytes(value) or None

    def get_enum(self, name: str, numbers: Mapping[str, int]) -> int | str | None:
        """An enum given as a number or a name."""
        return to_enum(self._d.get(name), numbers)

    def child(self, name: str) -> JsonView | None:
        """A present sub-object, else None."""
        value = self._d.get(name)
        return JsonView(value) if isinstance(value, dict) else None

    def children(self, name: str) -> list[View]:
        """The dict items of a list field."""
        value = self._d.get(name)
        if not isinstance(value, list):
            return []
        return [JsonView(item) for item in value if isinstance(item, dict)]

    def get_strs(self, name: str) -> list[str]:
        """The string items of a list field."""
        value = self._d.get(name)
        if not isinstance(value, list):
            return []
        return [item for item in value if isinstance(item, str)]

    def get_bytes_list(self, name: str) -> list[bytes]:
        """The decodable bytes items of a list field."""
        value = self._d.get(name)
        if not isinstance(value, list):
            return []
        return [b for b in (to_bytes(item) for item in value) if b is not None]

    def keys(self) -> list[str]:
        """Keys in JSON order, skipping nulls."""
        return [k for k, v in self._d.items() if v is not None]
