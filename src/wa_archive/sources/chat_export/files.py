"""Opening an export: a bare ``.txt`` or a ``.zip`` holding the chat text and its attachments."""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from wa_archive.errors import UserInputError

_SNIFF = 8192
READ_ERRORS = (OSError, EOFError, RuntimeError, zipfile.BadZipFile, zlib.error)
_CHAT_NAMES = ("_chat.txt",)


class ExportFile:
    """A chat export on disk: its text lines, its name and (for a zip) its attached files."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        _check_path(self.path)
        self._zip_member: str | None = None
        self.members: dict[str, zipfile.ZipInfo] = {}
        if zipfile.is_zipfile(self.path):
            self._open_zip()
        elif self.path.suffix.lower() == ".zip":
            raise UserInputError(f"{self.path}: not a valid zip file")
        self.encoding = self._sniff_encoding()

    @property
    def stem(self) -> str:
        """The file name without extension that names the chat (the zip's for a zip)."""
        if self._zip_member is not None:
            inner = PurePosixPath(self._zip_member).stem
            if inner.lower() not in ("_chat", "chat"):
                return inner
        return self.path.stem

    @property
    def is_zip(self) -> bool:
        """True when the export is a zip with attachments."""
        return self._zip_member is not None

    def _open_zip(self) -> None:
        """Find the chat text among the zip's members and index the attachments by name."""
        try:
            with zipfile.ZipFile(self.path) as archive:
                infos = [i for i in archive.infolist() if not i.is_dir() and not _is_fork(i)]
        except (zipfile.BadZipFile, OSError) as exc:
            raise UserInputError(f"{self.path}: not a valid zip file ({exc})") from exc
        texts = [i for i in infos if i.filename.lower().endswith(".txt")]
        if not texts:
            raise UserInputError(f"{self.path}: the zip holds no chat text (.txt) file")
        chosen = _choose_text(texts)
        self._zip_member = chosen.filename
        for info in infos:
            if info is not chosen:
                self.members.setdefault(PurePosixPath(info.filename).name, info)

    def _open_binary(self) -> BinaryIO:
        """A binary stream of the chat text."""
        if self._zip_member is None:
            return self.path.open("rb")
        archive = zipfile.ZipFile(self.path)
        return io.BufferedReader(_ZipStream(archive, archive.open(self._zip_member)))

    def _sniff_encoding(self) -> str:
        """The text encoding of the chat text; rejects binary data."""
        try:
            with self._open_binary() as stream:
                head = stream.read(_SNIFF)
        except READ_ERRORS as exc:
            raise UserInputError(f"{self.path}: cannot read the chat text ({exc})") from exc
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        decoded = head.decode("utf-8", errors="replace")
        if "\x00" in decoded or decoded.count("\ufffd") * 20 > max(len(decoded), 1):
            raise UserInputError(f"{self.path}: a binary file, not a WhatsApp chat export")
        return "utf-8-sig"

    def lines(self) -> Iterator[str]:
        """The chat text's lines without line endings (CRLF, CR and LF all end a line).

        NUL characters are dropped, and lines made only of them: WhatsApp never writes them,
        but a damaged copy can be zero-padded past the sniffed head, and PostgreSQL cannot
        store them in text.
        """
        try:
            with self._open_binary() as raw:
                text = io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline=None)
                for line in text:
                    line = line[:-1] if line.endswith("\n") else line
                    if "\x00" in line:
                        line = line.replace("\x00", "")
                        if not line:
                            continue
                    yield line
        except READ_ERRORS as exc:
            raise UserInputError(f"{self.path}: cannot read the chat text ({exc})") from exc

    def open_member(self, name: str) -> BinaryIO | None:
        """A binary stream of the attached file ``name``, or None when the zip lacks it."""
        member = self.members.get(name)
        if member is None:
            return None
        archive = zipfile.ZipFile(self.path)
        return io.BufferedReader(_ZipStream(archive, archive.open(member)))


class _ZipStream(io.RawIOBase):
    """A zip member stream that closes its zip file too."""

    def __init__(self, archive: zipfile.ZipFile, member: IO[bytes]) -> None:
        super().__init__()
        self._archive = archive
        self._member = member

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` from the member."""
        data = self._member.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        """Close the member and the zip."""
        if not self.closed:
            self._member.close()
            self._archive.close()
        super().close()


def _check_path(path: Path) -> None:
    """Reject a missing path or a directory with one clear message."""
    if path.is_dir():
        raise UserInputError(f"{path}: a directory; expected a .txt or .zip chat export")
    if not path.exists():
        raise UserInputError(f"{path}: no such file")


def _is_fork(info: zipfile.ZipInfo) -> bool:
    """A macOS resource fork (``__MACOSX/._NAME``) that a zip re-made on a Mac carries beside
    each file: not the file itself, whatever its name says."""
    path = PurePosixPath(info.filename)
    return path.parts[0] == "__MACOSX" or path.name.startswith("._")


def _choose_text(texts: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """The chat text of a zip: ``_chat.txt``, else one named like a chat, else the largest."""
    for info in texts:
        if PurePosixPath(info.filename).name.lower() in _CHAT_NAMES:
            return info
    for info in texts:
        if "whatsapp" in info.filename.lower():
            return info
    return max(texts, key=lambda i: i.file_size)
