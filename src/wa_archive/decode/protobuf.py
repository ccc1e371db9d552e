"""The view over neonize protobuf messages: Baileys field names mapped case-insensitively.

whatsmeow spells ``remoteJID``/``stanzaID``/``fileSHA256`` where Baileys writes
``remoteJid``/``stanzaId``/``fileSha256``; the field numbers are the same and
the names differ only in letter case, so each descriptor gets a cached
case-insensitive map. Integers, enums and sub-messages are read with proto2
presence (``HasField``), so an unset ``protocolMessage.type`` is absent, never a
falsy 0; ``keys()`` lists the set fields in field-number order (``ListFields``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wa_archive.decode.view import View

_SCALAR, _REPEATED, _MESSAGE = 0, 1, 2


class _Names(dict[str, "tuple[str, int] | None"]):
    """Per-descriptor cache: Baileys name -> (whatsmeow name, kind) or None."""

    def __init__(self, descriptor: Any) -> None:
        super().__init__()
        self._lower = {f.name.lower(): (f.name, _kind(f)) for f in descriptor.fields}

    def __missing__(self, key: str) -> tuple[str, int] | None:
        found = self._lower.get(key.lower())
        self[key] = found
        return found


def _kind(field: Any) -> int:
    """Whether a field is repeated, a sub-message or a scalar."""
    if field.is_repeated:
        return _REPEATED
    return _MESSAGE if field.message_type is not None else _SCALAR


_NAMES: dict[Any, _Names] = {}


def _names(descriptor: Any) -> _Names:
    """The cached name map of one message descriptor."""
    names = _NAMES.get(descriptor)
    if names is None:
        names = _NAMES[descriptor] = _Names(descriptor)
    return names


class PbView:
    """A view over a neonize (whatsmeow-spelled) protobuf message."""

    __slots__ = ("_f", "_m", "_n")

    def __init__(self, message: Any) -> None:
        self._m = message
        self._n = _names(message.DESCRIPTOR)
        self._f: dict[str, Any] | None = None  # set fields, filled by keys()

    def _field(self, name: str, kind: int) -> str | None:
        """The whatsmeow name of field ``name`` if it exists with the expected kind."""
        found = self._n[name]
        return found[0] if found is not None and found[1] == kind else None

    def has(self, name: str) -> bool:
        """Whether field ``name`` is set (a repeated field: non-empty)."""
        found = self._n[name]
        if found is None:
            return False
        if self._f is not None:
            return found[0] in self._f
        if found[1] == _REPEATED:
            return len(getattr(self._m, found[0])) > 0
        return self._m.HasField(found[0])

    def get_str(self, name: str) -> str | None:
        """A non-empty string field, else None (unset strings read as '')."""
        field = self._field(name, _SCALAR)
        value = getattr(self._m, field) if field else None
        return value if value.__class__ is str and value else None

    def get_int(self, name: str) -> int | None:
        """An integer field if present (proto2 presence), else None."""
        field = self._field(name, _SCALAR)
        if field is None or not self._m.HasField(field):
            return None
        value = getattr(self._m, field)
        return value if value.__class__ is int else None

    def get_bool(self, name: str) -> bool:
        """A boolean field; absent is False."""
        field = self._field(name, _SCALAR)
        return field is not None and getattr(self._m, field) is True

    def get_flag(self, name: str) -> bool | None:
        """A boolean field if present (False included), else None."""
        field = self._field(name, _SCALAR)
        if field is None or not self._m.HasField(field):
            return None
        value = getattr(self._m, field)
        return value if value.__class__ is bool else None

    def get_bytes(self, name: str) -> bytes | None:
        """A non-empty bytes field, else None (unset bytes read as b'')."""
        field = self._field(name, _SCALAR)
        value = getattr(self._m, field) if field else None
        return value if value.__class__ is bytes and value else None

    def get_enum(self, name: str, numbers: Mapping[str, int]) -> int | str | None:
        """An enum field's number if present (an unset enum is None, never its zero)."""
        return self.get_int(name)

    def child(self, name: str) -> View | None:
        """A present sub-message, else None."""
        field = self._field(name, _MESSAGE)
        if field is None:
            return None
        if self._f is not None:
            value = self._f.get(field)
            return None if value is None else PbView(value)
        return PbView(getattr(self._m, field)) if self._m.HasField(field) else None

    def _items(self, name: str) -> Any:
        """A repeated field's container (reusing ``keys()``'s, since creating one is costly)."""
        field = self._field(name, _REPEATED)
        if field is None:
            return ()
        if self._f is not None:
            return self._f.get(field, ())
        return getattr(self._m, field)

    def children(self, name: str) -> list[View]:
        """The items of a repeated sub-message field."""
        return [PbView(item) for item in self._items(name) if hasattr(item, "DESCRIPTOR")]

    def get_strs(self, name: str) -> list[str]:
        """The items of a repeated string field."""
        return [item for item in self._items(name) if item.__class__ is str]

    def get_bytes_list(self, name: str) -> list[bytes]:
        """The items of a repeated bytes field."""
        return [item for item in self._items(name) if item.__class__ is bytes]

    def keys(self) -> list[str]:
        """Set fields in field-number order (the order Baileys' toJSON writes)."""
        if self._f is None:
            self._f = {field.name: value for field, value in self._m.ListFields()}
        return list(self._f)
