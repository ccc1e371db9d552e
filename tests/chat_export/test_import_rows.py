"""Chat exports written into a real archive (SQLite and PostgreSQL): rows, media, idempotency."""

from __future__ import annotations

import zipfile
from pathlib import Path

from wa_archive import Archive
from wa_archive.media_store import MediaStore
from wa_archive.records import OWN
from wa_archive.sources.chat_export import parse_chat_export

from .conftest import fixture


def import_export(archive: Archive, account: int, path: Path, **options: object) -> int:
    """Write every batch of an export; return how many messages were new."""
    result = parse_chat_export(path, **options)  # type: ignore[arg-type]
    return sum(archive.write(account, batch).messages_new for batch in result.batches)


def test_rows_and_reimport_idempotent(archive: Archive, account: int) -> None:
    path = fixture("WhatsApp Chat mit Familie.txt")
    assert import_export(archive, account, path, me="Ich") == 9
    chat = parse_chat_export(path).chat
    rows = archive.messages(account, chat, oldest_first=True, limit=100)
    assert len(rows) == 9
    texts = [m.text for m in rows if not m.is_system]
    assert "Mehrzeilig:\nzweite Zeile\ndritte Zeile" in texts
    assert {m.source for m in rows} == {"chat-export"}
    assert sum(m.is_system for m in rows) == 2
    assert [m.sender for m in rows if m.from_me] == [OWN]
    assert import_export(archive, account, path, me="Ich") == 0
    assert len(archive.messages(account, chat, limit=100)) == 9
    found = archive.chat(account, chat)
    assert found is not None and found.name == "Familie"


def test_zip_media_rows(archive: Archive, account: int, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat - Vrienden.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("_chat.txt", fixture("dutch_ios_chat.txt").read_bytes())
        zipped.writestr("00000007-PHOTO-2021-01-01-00-00-10.jpg", b"jpeg")
    store = MediaStore(tmp_path / "media")
    assert import_export(archive, account, path, media_store=store) == 8
    assert import_export(archive, account, path, media_store=store) == 0
    chat = parse_chat_export(path).chat
    rows = archive.messages(account, chat, oldest_first=True, limit=100)
    assert [m.content_type for m in rows][3:7] == [
        "imageMessage",
        "audioMessage",
        "documentMessage",
        "imageMessage",
    ]


def test_nul_bytes_after_the_sniffed_head_are_dropped(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    path = tmp_path / "WhatsApp Chat with Anna.txt"
    head = "".join(f"31.12.20, 23:{i % 60:02d} - Anna: line {i}\n" for i in range(400))
    tail = "01.01.21, 00:01 - Bob: a\x00b\n" + "\x00" * 4096
    path.write_bytes((head + tail).encode("utf-8"))
    assert import_export(archive, account, path, me="Bob") == 401
    chat = parse_chat_export(path).chat
    (last,) = archive.messages(account, chat, limit=1)
    assert last.text == "ab"


def test_group_where_two_people_wrote_stays_apart_from_their_chat(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    """A group named after neither of its two writers is a group, not Ann's 1:1 chat."""
    group = tmp_path / "WhatsApp Chat with Book Club.txt"
    group.write_text("03/01/2021, 10:00 - Ann: chapter 3?\n03/01/2021, 10:01 - Me: yes\n")
    direct = tmp_path / "WhatsApp Chat with Ann.txt"
    direct.write_text("03/01/2021, 10:00 - Ann: lunch?\n03/01/2021, 10:01 - Me: sure\n")
    for path in (group, direct):
        import_export(archive, account, path, me="Me")
    book_club = parse_chat_export(group, me="Me")
    assert book_club.is_group and book_club.chat.startswith("export.")
    ann = parse_chat_export(direct, me="Me")
    assert not ann.is_group and ann.chat != book_club.chat
    for result, texts in ((book_club, ["chapter 3?", "yes"]), (ann, ["lunch?", "sure"])):
        rows = archive.messages(account, result.chat, oldest_first=True, limit=10)
        assert [m.text for m in rows] == texts
