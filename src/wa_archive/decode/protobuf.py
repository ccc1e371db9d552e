"""The view over neonize protobuf messages: Baileys field names mapped case-insensitively.

whatsmeow spells ``remoteJID``/``stanzaID``/``fileSHA256`` where Baileys writes
``remoteJid``/``stanzaId``/``fileSha256``; the field numbers are the same and
the names differ only in letter case, so each descriptor gets a cached
case-insensitive map. Integers, enums and sub-messages are read with proto2
presence (``HasField``), so an unset ``protocolMessage.type`` is absent, never a
falsy 0; ``keys()`` lists the set fields in field-number order (``ListFields``).

``read(spec)`` compiles, per (spec, descriptor), a reader of plain attribute
loads: strings and bytes need no presence check ('' is absent), a non-zero
number is present, and only a zero number or a sub-message asks ``HasField``.
Sub-message views get their descriptor's maps bound at compile time (a ``VIEW`` one is
built without ``HasField``: an unset sub-message reads as an empty message). A ``SUB`` field
is read inline from the sub-message attribute (an unset one reads as an empty message,
so every field comes out absent without a ``HasField``); ``ANY`` tests only the names
the schema has (``False`` when it has none of them).
"""

from __future__ import annotations

from collections.abc import Mapping
from keyword import iskeyword
from typing import Any

from wa_archive.decode.view import (
    ABSENT,
    ANY,
    BOOL,
    BYTES,
    BYTES_LIST,
    CHILD,
    CHILDREN,
    ENUM,
    FLAG,
    HAS,
    INT,
    NUM,
    NUM_ENUM,
    STR,
    STRS,
    SUB,
    VIEW,
    Reader,
    Spec,
    View,
    absent,
    compile_reader,
    tuple_source,
)

_SCALAR, _REPEATED, _MESSAGE = 0, 1, 2
_T_BOOL, _T_STRING, _T_BYTES = 8, 9, 12  # FieldDescriptor.TYPE_*
_T_INTS = frozenset({3, 4, 5, 6, 7, 13, 14, 15, 16, 17, 18})  # int32/64, uint, fixed, enum, sint


class _Names(dict[str, "tuple[str, int] | None"]):
    """Per-descriptor cache: Baileys name -> (whatsmeow name, kind) or None; compiled readers."""

    def __init__(self, descriptor: Any) -> None:
        super().__init__()
        self._lower = {f.name.lower(): (f.name, _kind(f)) for f in descriptor.fields}
        self.fields = {f.name.lower(): f for f in descriptor.fields}
        self.by_field = {f: f.name for f in descriptor.fields}  # ListFields descriptor -> name
        self.readers: dict[Spec, Reader] = {}
        self.known: dict[frozenset[str], tuple[str, ...]] = {}  # has_any: names in the schema
        self.sub: dict[str, _Names] = {}  # whatsmeow field name -> its message type's maps
        self._descriptor = descriptor
        # A string field number 1 (``Message.conversation``): if it accounts for the whole
        # serialised size, it is the only field set and ``keys()`` can skip ``ListFields``.
        first = descriptor.fields_by_number.get(1)
        self.first_string = (
            first.name
            if first is not None and first.type == _T_STRING and not first.is_repeated
            else None
        )

    def child_names(self, field: str) -> _Names:
        """The maps of sub-message field ``field`` (whatsmeow spelling)."""
        names = self.sub.get(field)
        if names is None:
            names = self.sub[field] = _names(self._descriptor.fields_by_name[field].message_type)
        return names

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


def _pb_read(field: Any, kind: int, var: str, m: str, env: dict[str, Any]) -> list[str]:
    """Statements setting ``var`` to one field of message ``m`` read as ``kind`` (see ``Spec``)."""
    name, typ = field.name, field.type
    got = f"getattr({m}, {name!r})" if iskeyword(name) else f"{m}.{name}"
    if field.is_repeated:
        # ``list()`` of an empty container costs more than testing it first.
        if kind == CHILDREN and field.message_type is not None:
            env[f"i_{var}"] = _names(field.message_type)
            return [
                f"{var} = {got}",
                f"{var} = [PbView(x, i_{var}) for x in {var}] if {var} else []",
            ]
        if (kind == STRS and typ == _T_STRING) or (kind == BYTES_LIST and typ == _T_BYTES):
            return [f"{var} = {got}", f"{var} = list({var}) if {var} else []"]
        if kind == HAS:
            return [f"{var} = len({got}) > 0"]
    elif field.message_type is not None:
        if kind == CHILD:
            env[f"i_{var}"] = _names(field.message_type)
            return [f"{var} = PbView({got}, i_{var}) if {m}.HasField({name!r}) else None"]
        if kind == VIEW:  # an unset sub-message reads as an empty one: no HasField
            env[f"i_{var}"] = _names(field.message_type)
            return [f"{var} = PbView({got}, i_{var})"]
        if kind == HAS:
            return [f"{var} = {m}.HasField({name!r})"]
    elif kind in (STR, BYTES) and typ == (_T_STRING if kind == STR else _T_BYTES):
        return [f"{var} = {got} or None"]  # unset reads as '' / b''
    elif kind in (NUM, NUM_ENUM) and typ in _T_INTS:
        return [f"{var} = {got} or None"]
    elif kind in (INT, ENUM) and typ in _T_INTS:
        present = f"(0 if {m}.HasField({name!r}) else None)"
        return [f"{var} = {got}", f"if not {var}: {var} = {present}"]
    elif kind in (BOOL, FLAG) and typ == _T_BOOL:
        if kind == BOOL:
            return [f"{var} = {got} is True"]
        present = f"(False if {m}.HasField({name!r}) else None)"
        return [f"{var} = {got}", f"if not {var}: {var} = {present}"]
    elif kind == HAS:
        return [f"{var} = {m}.HasField({name!r})"]
    return [f"{var} = {ABSENT[kind]}"]


def _pb_lines(
    spec: Spec, names: _Names, m: str, env: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Statements reading ``spec`` from message ``m``, and the output variables."""
    lines: list[str] = []
    outputs = []
    for i, (name, kind, *extra) in enumerate(spec.fields):
        var = f"{m}_{i}"
        field = names.fields.get(name.lower())
        if kind == ANY:
            lines.append(f"{var} = {_has_any(names, extra[0], m)}")
        elif kind == SUB:
            if field is not None and field.message_type is not None and not field.is_repeated:
                # An unset sub-message reads as an empty one: every field absent, no HasField.
                got = (
                    f"getattr({m}, {field.name!r})"
                    if iskeyword(field.name)
                    else f"{m}.{field.name}"
                )
                sub_lines, sub_out = _pb_lines(extra[0], _names(field.message_type), var, env)
                lines += [f"{var} = {got}", *sub_lines, f"{var} = {tuple_source(sub_out)}"]
            else:
                lines.append(f"{var} = {absent(extra[0])}")
        elif field is not None:
            lines += _pb_read(field, kind, var, m, env)
        else:
            lines.append(f"{var} = {ABSENT[kind]}")
        outputs.append(var)
    return lines, outputs


def _has_any(names: _Names, wanted: Any, m: str) -> str:
    """An expression: whether any of ``wanted`` is set on ``m`` (``False`` if none is in the schema)."""
    tests = []
    for name in sorted(wanted):
        field = names.fields.get(name.lower())
        if field is not None:
            got = f"getattr({m}, {field.name!r})" if iskeyword(field.name) else f"{m}.{field.name}"
            tests.append(
                f"len({got}) > 0" if field.is_repeated else f"{m}.HasField({field.name!r})"
            )
    return " or ".join(tests) if tests else "False"


def _compile_pb(spec: Spec, names: _Names) -> Reader:
    """A reader for ``spec`` over messages of one descriptor."""
    env: dict[str, Any] = {"PbView": PbView}
    lines, outputs = _pb_lines(spec, names, "m", env)
    return compile_reader(lines, outputs, env, "protobuf")


class PbView:
    """A view over a neonize (whatsmeow-spelled) protobuf message."""

    __slots__ = ("_f", "_m", "_n")

    def __init__(self, message: Any, names: _Names | None = None) -> None:
        self._m = message
        self._n = names if names is not None else _names(message.DESCRIPTOR)
        self._f: dict[str, Any] | None = None  # set fields, filled by keys()

    def read(self, spec: Spec) -> tuple[Any, ...]:
        """Several fields at once (see ``Spec``), through a reader compiled per descriptor."""
        reader = self._n.readers.get(spec)
        if reader is None:
            reader = self._n.readers[spec] = _compile_pb(spec, self._n)
        return reader(self._m)

    def has_any(self, names: frozenset[str]) -> bool:
        """Whether any of ``names`` is set (names the schema lacks are never set)."""
        known = self._n.known.get(names)
        if known is None:
            known = self._n.known[names] = tuple(n for n in names if self._n[n] is not None)
        return any(self.has(name) for name in known) if known else False

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
        if self._f is not None:  # a string ``keys()`` fetched (e.g. ``conversation``)
            value = self._f.get(name)
            if value.__class__ is str:
                return value or None
        found = self._n[name]
        if found is None or found[1] != _SCALAR:
            return None
        value = getattr(self._m, found[0])
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
        found = self._n[name]
        if found is None or found[1] != _MESSAGE:
            return None
        field = found[0]
        if self._f is not None:
            value = self._f.get(field)
            if value is None:
                return None
        elif self._m.HasField(field):
            value = getattr(self._m, field)
        else:
            return None
        return PbView(value, self._n.child_names(field))

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
        f = self._f
        if f is None:
            m = self._m
            first = self._n.first_string
            if first is not None:  # the common ``Message{conversation}``: no ListFields
                text = getattr(m, first)
                if text:
                    # Serialised size of field 1 alone: tag, length varint, UTF-8 bytes.
                    n = len(text) if text.isascii() else len(text.encode())
                    if m.ByteSize() == (n + 2 if n < 0x80 else n + 1 + (n.bit_length() + 6) // 7):
                        self._f = {first: text}
                        return [first]
            f = self._f = {}
            by_field = self._n.by_field  # a dict lookup is cheaper than ``field.name``
            for field, value in m.ListFields():
                f[by_field.get(field) or field.name] = value
        return list(f)
