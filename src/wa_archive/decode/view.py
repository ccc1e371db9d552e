"""The view interface message semantics are written against, and its Baileys JSON implementation.

A view wraps one protobuf-shaped object (a ``WebMessageInfo``, a ``Message``, a
``ContextInfo``, ...) and answers typed questions by **Baileys field name**
(``remoteJid``, ``stanzaId``, ``fileSha256``). ``JsonView`` reads a dict loaded
from Baileys JSON and applies the tolerant decoding of ``values``;
``protobuf.PbView`` reads a neonize protobuf whose fields use whatsmeow spellings.
Absent, ``null`` and undecodable values all read as "not there" (None, False, []).

The hot paths read several fields at once with ``read(spec)``: a ``Spec`` lists
(name, kind) pairs and each view type compiles it once into a straight-line
reader (per protobuf descriptor for ``PbView``), so one call replaces a method
call, a name lookup and a presence check per field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import msgspec

from wa_archive.decode.values import to_bool, to_bytes, to_enum, to_int, to_str

# Field kinds of a ``Spec``; each reads like the single-field method of the same name.
(
    STR,
    INT,
    BOOL,
    FLAG,
    BYTES,
    ENUM,
    CHILD,
    CHILDREN,
    STRS,
    BYTES_LIST,
    HAS,
    NUM,
    NUM_ENUM,
    SUB,
    ANY,
    VIEW,
) = range(16)
Reader = Callable[[Any], tuple[Any, ...]]


class Spec:
    """Fields read together by ``View.read``: ``(name, kind)`` or ``(name, kind, extra)``.

    ``read`` returns one value per field, in order, decoded exactly like ``get_str``
    (STR), ``get_int`` (INT), ``get_bool`` (BOOL), ``get_flag`` (FLAG), ``get_bytes``
    (BYTES), ``get_enum`` (ENUM), ``child`` (CHILD), ``children`` (CHILDREN),
    ``get_strs`` (STRS), ``get_bytes_list`` (BYTES_LIST) and ``has`` (HAS). ``NUM`` and
    ``NUM_ENUM`` are ``INT`` and ``ENUM`` for fields where 0 means "not there" (a time,
    a count, an enum whose zero is UNKNOWN): they read 0 as None, which spares the
    protobuf reader a presence check. ``ENUM``/``NUM_ENUM`` take the name -> number map.

    ``(name, SUB, spec)`` reads ``spec`` from sub-message ``name`` in the same call and
    yields its tuple (every field absent when the sub-message is), without a view for
    it. ``(label, ANY, names)`` is ``has_any(names)`` of the object being read.

    ``VIEW`` is ``CHILD`` for a sub-message whose absence reads like an empty one (the
    ``message`` of a ``WebMessageInfo``): a reader may return a view of an empty message
    instead of None, which spares the protobuf reader its presence check.
    """

    __slots__ = ("fields", "json")

    def __init__(self, *fields: tuple[Any, ...]) -> None:
        self.fields: tuple[tuple[Any, ...], ...] = fields
        self.json: Reader | None = None  # the compiled JsonView reader


# What each kind reads as when the field is missing (source text; SUB: see ``absent``).
ABSENT = {STR: "None", INT: "None", BOOL: "False", FLAG: "None", BYTES: "None", ENUM: "None"}
ABSENT.update({CHILD: "None", CHILDREN: "[]", STRS: "[]", BYTES_LIST: "[]", HAS: "False"})
ABSENT.update({NUM: "None", NUM_ENUM: "None", ANY: "False", VIEW: "None"})


def absent(spec: Spec) -> str:
    """Source text of the tuple ``spec`` reads from a missing object (fresh lists each time)."""
    return tuple_source([absent(x[2]) if x[1] == SUB else ABSENT[x[1]] for x in spec.fields])


def tuple_source(items: list[str]) -> str:
    """Source text of a tuple of ``items`` (expressions)."""
    return f"({', '.join(items)},)" if items else "()"


def compile_reader(lines: list[str], outputs: list[str], env: dict[str, Any], name: str) -> Reader:
    """Turn generated statements into a reader function ``read(m) -> tuple``."""
    body = "\n".join(["def read(m):", *(f"    {line}" for line in lines)])
    body += f"\n    return {tuple_source(outputs)}\n"
    exec(compile(body, f"<reader {name}>", "exec"), env)
    reader: Reader = env["read"]
    return reader


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

    def read(self, spec: Spec) -> tuple[Any, ...]:
        """Several fields at once, one decoded value per ``spec`` field (see ``Spec``)."""
        ...

    def has_any(self, names: frozenset[str]) -> bool:
        """Whether any of ``names`` is present (cheaper than ``keys()`` for a quick gate)."""
        ...


class JsonView(msgspec.Struct, gc=False):
    """A view over a dict decoded from Baileys JSON (any of its value encodings).

    A Struct for its C-level constructor: a message makes several views, and a Python
    ``__init__`` cost 2.5x as much per view.
    """

    _d: dict[str, Any]

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
        d = self._d
        if None in d.values():
            return [k for k, v in d.items() if v is not None]
        return list(d)

    def read(self, spec: Spec) -> tuple[Any, ...]:
        """Several fields at once (see ``Spec``)."""
        reader = spec.json
        if reader is None:
            reader = spec.json = _compile_json(spec)
        return reader(self._d)

    def has_any(self, names: frozenset[str]) -> bool:
        """Whether any of ``names`` is a key (null values count: they read as absent anyway)."""
        return not names.isdisjoint(self._d)


def _json_children(value: Any) -> list[View]:
    """``children`` of a raw JSON value."""
    if not isinstance(value, list):
        return []
    return [JsonView(item) for item in value if isinstance(item, dict)]


def _json_strs(value: Any) -> list[str]:
    """``get_strs`` of a raw JSON value."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]


def _json_bytes_list(value: Any) -> list[bytes]:
    """``get_bytes_list`` of a raw JSON value."""
    if not isinstance(value, list):
        return []
    return [b for b in (to_bytes(item) for item in value) if b is not None]


# Per kind: the statement decoding ``{v}`` (the raw ``dict.get`` value) in place. An absent
# field (None) skips the conversion call: it decodes as the call would have decoded it.
_JSON_DECODE = {
    STR: "if {v} is not None: {v} = ({v} or None) if {v}.__class__ is str else (to_str({v}) or None)",
    INT: "if {v} is not None and {v}.__class__ is not int: {v} = to_int({v})",
    BOOL: "if {v}.__class__ is not bool: {v} = False if {v} is None else to_bool({v})",
    FLAG: "if {v} is not None and {v}.__class__ is not bool: {v} = to_bool({v})",
    BYTES: "if {v} is not None: {v} = to_bytes({v}) or None",
    ENUM: "if {v} is not None and {v}.__class__ is not int: {v} = to_enum({v}, {n})",
    CHILD: "{v} = JsonView({v}) if isinstance({v}, dict) else None",
    VIEW: "{v} = JsonView({v}) if isinstance({v}, dict) else None",
    CHILDREN: "{v} = [] if {v} is None else children({v})",
    STRS: "{v} = [] if {v} is None else strs({v})",
    BYTES_LIST: "{v} = [] if {v} is None else bytes_list({v})",
    HAS: "{v} = {v} is not None and {v} != []",
    NUM: "if {v}.__class__ is not int and {v} is not None: {v} = to_int({v})\nif not {v}: {v} = None",
    NUM_ENUM: (
        "if {v}.__class__ is not int and {v} is not None: {v} = to_enum({v}, {n})\n"
        "if not {v}: {v} = None"
    ),
}


def _compile_json(spec: Spec) -> Reader:
    """A reader doing one ``dict.get`` and one inline decode per field."""
    env: dict[str, Any] = {
        "to_str": to_str,
        "to_int": to_int,
        "to_bool": to_bool,
        "to_bytes": to_bytes,
        "to_enum": to_enum,
        "JsonView": JsonView,
        "children": _json_children,
        "strs": _json_strs,
        "bytes_list": _json_bytes_list,
    }
    lines, outputs = _json_lines(spec, "m", "v", env)
    return compile_reader(lines, outputs, env, "json")


def _json_lines(
    spec: Spec, obj: str, prefix: str, env: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Statements reading ``spec`` from the dict in variable ``obj``, and the output variables."""
    lines = [f"{prefix}g = {obj}.get"]
    outputs = []
    for i, (name, kind, *extra) in enumerate(spec.fields):
        var = f"{prefix}{i}"
        if kind == ANY:
            env[f"n_{var}"] = frozenset(extra[0])
            lines.append(f"{var} = not n_{var}.isdisjoint({obj})")
        elif kind == SUB:
            sub_lines, sub_out = _json_lines(extra[0], var, f"{var}_", env)
            lines += [f"{var} = {prefix}g({name!r})", f"if isinstance({var}, dict):"]
            lines += [f"    {line}" for line in sub_lines]
            lines += [f"    {var} = {tuple_source(sub_out)}", f"else: {var} = {absent(extra[0])}"]
        else:
            if kind in (ENUM, NUM_ENUM):
                env[f"n_{var}"] = extra[0]
            decode = _JSON_DECODE[kind].format(v=var, n=f"n_{var}")
            lines += [f"{var} = {prefix}g({name!r})", *decode.split("\n")]
        outputs.append(var)
    return lines, outputs
