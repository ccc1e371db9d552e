"""A forward-only JSON reader that parses one value at a time from a file of any size.

The text is kept as the file's bytes: a window of at most one read chunk plus the
largest single value, whatever the file size. The structure of a store file (the
top-level object, the per-chat containers) is walked here token by token; every leaf
value the importer cares about (one message, one chat field, one contact) is parsed by
the C scanner of the standard ``json`` module (``JSONDecoder.raw_decode``) from the
decoded text of the value's bytes.

The hot path, an array of messages written on one line, is parsed a window at a
time by orjson straight from the bytes (``object_run``): a message object always
begins ``{"key":``, and ``},{"key":`` cannot occur inside a JSON string (its quote
would be escaped), so the bytes up to the last such boundary in the window are a run
of whole elements unless the boundary belongs to a nested array; then orjson refuses
it and the element by element path takes over. Never decoding the window to ``str``
matters for real stores: one emoji makes Python hold a window as 4 bytes per character
and encode it back to UTF-8 for every parse.

Bytes that are not UTF-8 decode with ``surrogateescape``: the element path hands the
value over with lone surrogates (the reader quarantines it) and offsets stay exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

_WS = re.compile(rb"[ \t\n\r]*")
_BLANKS = b" \t\n\r"
_scan = json.JSONDecoder().raw_decode
_CHARS = tuple(chr(b) if b < 0x80 else "\ufffd" for b in range(256))
"""What ``peek`` shows of a byte: itself if ASCII (all JSON punctuation is)."""

# A parse error this close to the end of the text may just mean "value continues".
_TAIL_MARGIN = 64
_VALUE_BYTES = 1 << 12  # bytes decoded for a value at first; eight times more per retry

_RUN_BOUNDARY = b'},{"key":'
_RUN_MIN_BYTES = 1 << 12  # shorter runs are not worth a second look at the bytes
_RUN_MAX_BYTES = 1 << 15  # a refused run (an array ending inside it) costs at most this
_RUN_ATTEMPTS = 4  # boundaries tried per window, last first
_RUN_BACKOFF = 16  # elements read one by one after a refused window


class StreamDamage(Exception):
    """The JSON text is cut short or invalid at ``offset`` (bytes from the start of the file)."""

    def __init__(self, offset: int, reason: str, *, at_end: bool) -> None:
        super().__init__(f"{reason} at byte {offset}")
        self.offset = offset
        self.reason = reason
        self.at_end = at_end


class JsonCursor:
    """Reads a JSON text from a binary file: structural tokens one by one, leaf values whole."""

    def __init__(self, fh: BinaryIO, *, chunk_size: int = 1 << 20) -> None:
        self._fh = fh
        self._chunk = chunk_size
        self._buf = b""
        self._pos = 0
        self._base = 0  # bytes of the file before _buf[0]
        self.bytes_read = 0
        self.eof = False
        self._run_backoff = 0

    def _fill(self, want: int = 0) -> bool:
        """Drop consumed bytes and append the next chunk; False once the file is exhausted."""
        if self.eof:
            return False
        if self._pos:
            self._base += self._pos
            self._buf = self._buf[self._pos :]
            self._pos = 0
        data = self._fh.read(max(self._chunk, want))
        if not data:
            self.eof = True
            return False
        self.bytes_read += len(data)
        self._buf += data
        return True

    def offset(self) -> int:
        """Byte offset in the file of the next unread byte."""
        return self._base + self._pos

    def damage(self, reason: str, pos: int | None = None, *, at_end: bool = False) -> StreamDamage:
        """A StreamDamage at the current position (or window position ``pos``)."""
        if pos is not None:
            self._pos = min(pos, len(self._buf))
        return StreamDamage(self.offset(), reason, at_end=at_end)

    def peek(self) -> str:
        """The next non-blank character without consuming it ('' at end of file).

        A non-ASCII byte shows as U+FFFD: no JSON token starts with one.
        """
        while True:
            buf = self._buf
            pos = self._pos = _WS.match(buf, self._pos).end()  # type: ignore[union-attr]
            if pos < len(buf):
                return _CHARS[buf[pos]]
            if not self._fill():
                return ""

    def head(self, size: int) -> bytes:
        """Up to ``size`` bytes from the cursor, not consumed (fewer at end of file)."""
        while len(self._buf) - self._pos < size and self._fill():
            pass
        return self._buf[self._pos : self._pos + size]

    def consume(self, size: int) -> None:
        """Consume ``size`` bytes that ``head`` showed."""
        self._pos += size

    def expect(self, char: str) -> None:
        """Consume ``char`` (after blanks) or raise StreamDamage."""
        found = self.peek()
        if found != char:
            raise self._unexpected(found, repr(char))
        self._pos += 1

    def _unexpected(self, found: str, wanted: str) -> StreamDamage:
        if not found:
            return self.damage(f"file ends where {wanted} was expected", at_end=True)
        shown = self._buf[self._pos : self._pos + 4].decode("utf-8", "replace")[:1]
        return self.damage(f"found {shown!r} where {wanted} was expected")

    def value(self) -> Any:
        """Parse the next complete value."""
        if self._pos >= len(self._buf) or self._buf[self._pos] in _BLANKS:
            self.peek()
        size = _VALUE_BYTES
        while True:
            buf, start = self._buf, self._pos
            whole = start + size >= len(buf)  # the text reaches the end of the window
            text = buf[start : start + size].decode("utf-8", "surrogateescape")
            try:
                obj, end = _scan(text)
            except json.JSONDecodeError as err:
                if self._may_continue(err, text, whole):
                    if not whole:
                        size *= 8
                        continue
                    if self._fill(len(buf)):
                        continue
                raise self._parse_damage(err, text, whole) from None
            if end >= len(text):  # a number at the edge of the text may have more digits
                if not whole:
                    size *= 8
                    continue
                if self._fill(len(buf)):
                    continue
            self._pos = start + _byte_length(text, end)
            return obj

    def object_run(self) -> list[Any] | None:
        """Parse the array's elements from the cursor to the last message boundary in the window.

        Returns them with the cursor after the last one, or None (nothing consumed) when
        the window holds no long run or orjson refuses every boundary tried: a nested one,
        a number beyond 64 bits, bytes that are not UTF-8, damage. The caller then reads
        one element.
        """
        if self._run_backoff:
            self._run_backoff -= 1
            return None
        buf, start = self._buf, self._pos
        end = min(len(buf), start + _RUN_MAX_BYTES)
        refused = False
        for _attempt in range(_RUN_ATTEMPTS):
            cut = buf.rfind(_RUN_BOUNDARY, start, end)
            if cut - start < _RUN_MIN_BYTES:
                break
            try:
                items: list[Any] = orjson.loads(b"[" + buf[start : cut + 1] + b"]")
            except orjson.JSONDecodeError as err:
                # The array ended before the cut (the boundary is in another chat's array),
                # the cut was nested (reactions[]) or an element is refused: try the last
                # boundary before the place the parse stopped (a character position, so
                # never past it).
                refused, end = True, min(cut, start + err.pos - 1)
                continue
            self._pos = cut + 1
            return items
        if refused:
            self._run_backoff = _RUN_BACKOFF
        return None

    def _may_continue(self, err: json.JSONDecodeError, text: str, whole: bool) -> bool:
        """True when more bytes could turn this parse error into a value."""
        if whole and self.eof:
            return False
        return err.pos >= len(text) - _TAIL_MARGIN or err.msg.startswith("Unterminated")

    def _parse_damage(self, err: json.JSONDecodeError, text: str, whole: bool) -> StreamDamage:
        at_end = err.pos >= len(text) - 1 or err.msg.startswith("Unterminated")
        if whole and self.eof and at_end:
            return self.damage("file ends in the middle of a value", self._pos, at_end=True)
        bad = text[err.pos : err.pos + 1]
        what = "NUL bytes" if bad == "\x00" else f"invalid JSON ({err.msg})"
        return self.damage(what, self._pos + _byte_length(text, err.pos))

    def key(self) -> str:
        """Parse an object key and the colon after it."""
        found = self.peek()
        if found != '"':
            raise self._unexpected(found, "a key")
        name = self.value()
        self.expect(":")
        return str(name)

    def elements(self) -> Iterator[int]:
        """Walk the array at the cursor; yields each index with the cursor on that element."""
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            found = self.peek()
            self._pos += 1
            if found == ",":
                continue
            if found == "]":
                return
            self._pos -= 1
            raise self._unexpected(found, "',' or ']'")

    def members(self) -> Iterator[str]:
        """Walk the object at the cursor; yields each key with the cursor on its value."""
        self.expect("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            yield self.key()
            found = self.peek()
            self._pos += 1
            if found == ",":
                continue
            if found == "}":
                return
            self._pos -= 1
            raise self._unexpected(found, "',' or '}'")

    def skip(self) -> int:
        """Consume the next value without keeping it; returns how many leaf values it held."""
        found = self.peek()
        if found == "{":
            return sum(self.skip() for _ in self.members())
        if found == "[":
            return sum(self.skip() for _ in self.elements())
        self.value()
        return 1


def _byte_length(text: str, end: int) -> int:
    """UTF-8 length of ``text[:end]``, text decoded with ``surrogateescape``."""
    head = text[:end]
    return end if head.isascii() else len(head.encode("utf-8", "surrogateescape"))
