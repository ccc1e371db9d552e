"""Zipped exports: the chat text is found, attachments go into the media store and are linked."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from wa_archive.errors import UserInputError
from wa_archive.media_store import MediaStore
from wa_archive.sources.chat_export import parse_chat_export

from .conftest import fixture, parse_all

PHOTO = b"\xff\xd8\xff fake jpeg bytes"
VOICE = b"OggS fake opus bytes"


def ios_zip(tmp_path: Path) -> Path:
    """An iOS-style zip: ``_chat.txt`` plus two of the three attachments it names."""
    path = tmp_path / "WhatsApp Chat - Vrienden.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_chat.txt", fixture("dutch_ios_chat.txt").read_bytes())
        archive.writestr("00000007-PHOTO-2021-01-01-00-00-10.jpg", PHOTO)
        archive.writestr("00000008-AUDIO-2021-01-01-00-00-20.opus", VOICE)
    return path


def test_ios_zip_stores_and_links_media(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    result, batch = parse_all(ios_zip(tmp_path), media_store=store, me="Jan")
    assert result.chat_name == "Vrienden" and result.chat.startswith("export.vrienden.")
    photo, voice, missing = batch.media
    assert photo.sha256 == hashlib.sha256(PHOTO).digest() and photo.size == len(PHOTO)
    assert photo.local_path is not None
    assert (store.root / photo.local_path).read_bytes() == PHOTO
    assert (voice.kind, voice.mimetype, voice.sender) == ("audio", "audio/ogg", "me")
    assert (missing.file_name, missing.sha256, missing.local_path) == (
        "00000009-missing.pdf",
        None,
        None,
    )
    by_id = {m.id: m for m in batch.messages}
    assert by_id[photo.message_id].content_type == "imageMessage"
    counts = result.counts
    assert (counts.media, counts.media_stored, counts.media_missing) == (3, 2, 1)


def test_android_zip_matches_paren_attachments_by_member_name(tmp_path: Path) -> None:
    text = "31.12.20, 23:59 - Jan: holiday.pdf (bestand bijgevoegd)\n31.12.20, 23:59 - Piet: x.png (y)\n"
    path = tmp_path / "WhatsApp-chat met Jan.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("WhatsApp-chat met Jan.txt", text)
        archive.writestr("holiday.pdf", b"%PDF-1.4")
        archive.writestr("x.png", b"\x89PNG")
    store = MediaStore(tmp_path / "media")
    result, batch = parse_all(path, media_store=store)
    assert result.chat_name == "Jan"
    assert [(m.kind, m.file_name) for m in batch.media] == [
        ("document", "holiday.pdf"),
        ("image", "x.png"),
    ]
    assert result.counts.media_stored == 2


def test_zip_remade_on_a_mac_ignores_its_resource_forks(tmp_path: Path) -> None:
    """``__MACOSX/._NAME`` entries listed first are neither the chat text nor attachments."""
    text = "31.12.20, 23:59 - Jan: holiday.pdf (bestand bijgevoegd)\n"
    fork = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "
    path = tmp_path / "WhatsApp-chat met Jan.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("__MACOSX/._WhatsApp-chat met Jan.txt", fork)
        archive.writestr("__MACOSX/._holiday.pdf", fork)
        archive.writestr("._holiday.pdf", fork)
        archive.writestr("WhatsApp-chat met Jan.txt", text)
        archive.writestr("holiday.pdf", b"%PDF-1.4")
    store = MediaStore(tmp_path / "media")
    result, batch = parse_all(path, media_store=store)
    assert result.chat_name == "Jan"
    assert [m.text for m in batch.messages] == [None]
    assert [(m.kind, m.file_name, m.size) for m in batch.media] == [("document", "holiday.pdf", 8)]


def test_reimporting_a_zip_is_idempotent(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    path = ios_zip(tmp_path)
    _, first = parse_all(path, media_store=store)
    _, second = parse_all(path, media_store=store)
    assert first.messages == second.messages and first.media == second.media
    stored = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert len(stored) == 2


def test_zip_without_chat_text(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.jpg", PHOTO)
    with pytest.raises(UserInputError, match=r"photos.zip: the zip holds no chat text"):
        parse_chat_export(path)


def test_broken_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UserInputError, match=r"broken.zip"):
        parse_chat_export(path)


def test_corrupt_attachment_is_counted_not_raised(tmp_path: Path) -> None:
    path = ios_zip(tmp_path)
    data = bytearray(path.read_bytes())
    at = data.index(PHOTO)
    data[at : at + 4] = b"XXXX"  # the stored member no longer matches its CRC
    path.write_bytes(bytes(data))
    result, batch = parse_all(path, media_store=MediaStore(tmp_path / "media"))
    assert result.counts.skipped == {"attached file unreadable in the zip": 1}
    assert batch.media[0].sha256 is None and batch.media[1].sha256 is not None
