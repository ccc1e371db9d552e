"""Bad input gets one clear ``UserInputError`` naming the file, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from wa_archive.errors import UserInputError
from wa_archive.sources.chat_export import parse_chat_export

from .conftest import fixture


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match=r"nope.txt: no such file"):
        parse_chat_export(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="a directory"):
        parse_chat_export(tmp_path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UserInputError, match=r"image.txt: a binary file"):
        parse_chat_export(path)


def test_not_an_export() -> None:
    with pytest.raises(UserInputError, match=r"not_an_export.txt: not a WhatsApp chat export"):
        parse_chat_export(fixture("not_an_export.txt"))


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(UserInputError, match=r"empty.txt: not a WhatsApp chat export"):
        parse_chat_export(path)


def test_unknown_time_zone() -> None:
    with pytest.raises(UserInputError, match="unknown time zone"):
        parse_chat_export(fixture("chat_iso.txt"), tz="Mars/Olympus")


def test_unknown_date_order() -> None:
    with pytest.raises(UserInputError, match="unknown date order"):
        parse_chat_export(fixture("chat_iso.txt"), date_order="dym")


def test_text_before_first_message_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("preamble\n31.12.20, 23:59 - A: x\n", encoding="utf-8")
    result = parse_chat_export(path)
    assert len(result.collect().messages) == 1
    assert result.counts.skipped == {"text before the first message": 1}
