"""Content-addressed media store: files named by their SHA-256, written atomically, never twice.

A file's place is derived from its hash alone (``ab/cd/<sha256>``), never from a
name found in a message, so an imported file cannot escape the store or overwrite
another one, and the same bytes arriving from two sources are stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1 << 20


class MediaStore:
    """A directory of media files addressed by the SHA-256 of their content."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @staticmethod
    def relative_path(sha256_hex: str) -> str:
        """The store-relative POSIX path of the file with this hash."""
        return f"{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"

    def path_of(self, sha256_hex: str) -> Path:
        """The absolute path of the file with this hash (which may not exist)."""
        return self.root / self.relative_path(sha256_hex)

    def has(self, sha256_hex: str) -> bool:
        """True when the file with this hash is already stored."""
        return self.path_of(sha256_hex).is_file()

    def put(self, data: bytes | BinaryIO) -> tuple[str, str]:
        """Store ``data`` (bytes or a binary stream) and return (sha256 hex, relative path)."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="put-")
        try:
            with os.fdopen(fd, "wb") as out:
                digest = _copy_hashing(data, out)
                out.flush()
                os.fsync(out.fileno())
            final = self.path_of(digest)
            if final.is_file():
                os.unlink(tmp_name)
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, final)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return digest, self.relative_path(digest)


def _copy_hashing(data: bytes | BinaryIO, out: BinaryIO) -> str:
    """Write ``data`` to ``out`` and return its SHA-256 hex digest."""
    hasher = hashlib.sha256()
    if isinstance(data, bytes | bytearray | memoryview):
        hasher.update(data)
        out.write(data)
        return hasher.hexdigest()
    while chunk := data.read(_CHUNK):
        hasher.update(chunk)
        out.write(chunk)
    return hasher.hexdigest()
