"""Open a store file, check that it is one, and stream its items, mapping damage to user errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from wa_archive.errors import DamagedInputError, UserInputError
from wa_archive.sources.baileys_store.cursor import JsonCursor, StreamDamage
from wa_archive.sources.baileys_store.layout import Layout, StoreItem, walk_store

_BOM = b"\xef\xbb\xbf"
_PACKED = (
    (b"\x1f\x8b", "gzip-compressed: decompress it first, e.g. gunzip -k FILE"),
    (b"PK\x03\x04", "a zip archive: extract the store file from it first"),
    (b"\xfd7zXZ", "xz-compressed: decompress it first, e.g. unxz -k FILE"),
    (b"(\xb5/\xfd", "zstd-compressed: decompress it first, e.g. unzstd FILE"),
    (b"BZh", "bzip2-compressed: decompress it first, e.g. bunzip2 -k FILE"),
)
"""Archive and compression formats a store file is often kept in, by their first bytes."""


class StoreFile:
    """One Baileys store file on disk, walked once from start to end in bounded memory."""

    def __init__(self, path: str | os.PathLike[str], *, chunk_size: int = 1 << 20) -> None:
        self.path = Path(path)
        self.size = checked_size(self.path)
        self.layout = Layout()
        self.damaged_at: int | None = None
        self.damage: str | None = None
        self._chunk = chunk_size
        self._cursor: JsonCursor | None = None

    @property
    def bytes_read(self) -> int:
        """Bytes read from the file so far."""
        return self._cursor.bytes_read if self._cursor else 0

    def items(self) -> Iterator[StoreItem]:
        """Yield every item in file order; raise DamagedInputError after the last complete one."""
        try:
            fh = self.path.open("rb")
        except OSError as err:
            raise UserInputError(f"{self.path}: cannot be read ({err.strerror})") from None
        with fh:
            self._cursor = cursor = JsonCursor(fh, chunk_size=self._chunk)
            self._check_start(cursor)
            try:
                yield from walk_store(cursor, self.layout)
            except StreamDamage as damage:
                raise self._damage_error(damage) from None
            if cursor.peek():
                self.layout.skipped["trailing data after the store object"] += 1
        if not self.layout.sections:
            raise UserInputError(
                f"{self.path}: not a Baileys store file (a JSON object without chats, "
                "contacts or messages)"
            )

    def _check_start(self, cursor: JsonCursor) -> None:
        """Reject what cannot be a store before anything is imported (a UTF-8 BOM, which
        an editor may have added, is skipped)."""
        start = cursor.head(4)
        if start.startswith(_BOM):
            cursor.consume(len(_BOM))
        for magic, what in _PACKED:
            if start.startswith(magic):
                raise UserInputError(f"{self.path}: not a Baileys store file ({what})")
        first = cursor.peek()
        if first == "":
            raise self._nothing(0, "is empty: the old store crashed while writing it")
        if first == "\x00":
            raise self._nothing(cursor.offset(), "holds NUL bytes where the store should start")
        if first == "[":
            raise UserInputError(f"{self.path}: not a Baileys store file (a JSON array)")
        if first != "{":
            raise UserInputError(f"{self.path}: not a Baileys store file (not JSON)")

    def _nothing(self, offset: int, what: str) -> DamagedInputError:
        self.damaged_at, self.damage = offset, what
        return DamagedInputError(f"{self.path} {what}; nothing to import")

    def _damage_error(self, damage: StreamDamage) -> UserInputError:
        """DamagedInputError for a store cut short or corrupt; UserInputError for non-JSON."""
        if not self.layout.sections and not damage.at_end:
            return UserInputError(
                f"{self.path}: not a Baileys store file ({damage.reason} at byte {damage.offset})"
            )
        self.damaged_at, self.damage = damage.offset, damage.reason
        return DamagedInputError(
            f"{self.path} is damaged at byte {damage.offset} of {self.size}: {damage.reason}"
        )


def checked_size(path: Path) -> int:
    """The file's size, or one clear UserInputError when it is not a readable file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise UserInputError(f"{path}: no such file") from None
    except OSError as err:
        raise UserInputError(f"{path}: cannot be read ({err.strerror})") from None
    if path.is_dir():
        raise UserInputError(f"{path} is a directory; give the store file itself")
    return stat.st_size
