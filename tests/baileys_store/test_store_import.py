"""Store files into a real archive (SQLite and PostgreSQL): exact rows, idempotence, resume."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from wa_archive import Archive
from wa_archive.errors import DamagedInputError
from wa_archive.records import OWN
from wa_archive.sources.baileys_store import StoreImportReport, import_baileys_store

from ..snapshot import snapshot
from .helpers import ALICE, GROUP, ORIGINAL, PRETTY, RELOADED, dump, keys, load

BOB = "15557654321@s.whatsapp.net"


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _rows(archive: Archive, account: int, chat: str) -> list[tuple[Any, ...]]:
    views = archive.messages(account, chat, limit=100, oldest_first=True, include_effects=True)
    return [(m.id, m.sender, m.timestamp, m.content_type, m.text) for m in views]


def test_genuine_store_imports_exactly(archive: Archive, account: int) -> None:
    report = import_baileys_store(archive, account, ORIGINAL)
    assert (report.messages_read, report.messages_new, report.duplicates) == (16, 14, 2)
    assert (report.chats, report.contacts, report.labels, report.label_links) == (2, 3, 1, 1)
    assert report.quarantined == {} and report.damaged_at is None
    assert report.bytes_read == report.bytes_total == ORIGINAL.stat().st_size
    assert _rows(archive, account, ALICE) == [
        ("3A5F0C9E2B7D4A1C8E60", ALICE, _at(1717000200), "conversation", "Dinner tonight?"),
        ("3EB0A1B2C3D4E5F60718", OWN, _at(1717000300), "conversation", "See you at 6"),
        ("3EB0C0FFEE0000000001", OWN, _at(1717000650), "conversation", "Great, booking a table"),
        (
            "3A0011223344556677AA",
            ALICE,
            _at(1717000900),
            "extendedTextMessage",
            "This will vanish in 7 days",
        ),
        ("3A7B9C1D2E3F40516273", ALICE, _at(1717000950), "extendedTextMessage", "Yes, 6:30 works"),
        ("3A99EDIT000000000001", ALICE, _at(1717000950), "protocolMessage", None),
        ("3A1234567890ABCDEF01", ALICE, _at(1717000980), None, "This message was deleted"),
        ("3A88REVOKE0000000001", ALICE, _at(1717001000), "protocolMessage", None),
    ]
    assert [(r[0], r[1], r[4]) for r in _rows(archive, account, GROUP)] == [
        ("4F1E2D3C4B5A69788796", BOB, "+15557654321 added +15550000001"),
        ("AC3F61B09E7D2C4518B0", BOB, "Hi all"),
        ("B94F0E2C7A1D3E5F6A7B", BOB, "Beach day"),
        ("C1D2E3F4A5B6C7D8E9F0", BOB, None),
        ("D0D1D2D3D4D5D6D7D8D9", BOB, "Lunch?\nPizza\nSushi"),
        ("3EB0F00DBEEF12345678", OWN, "Nice photo!"),
    ]
    revoked = archive.message(account, ALICE, "3A1234567890ABCDEF01")
    assert revoked is not None and revoked.deleted_at is not None and revoked.is_system
    assert [r.emoji for r in archive.reactions(account, GROUP, "B94F0E2C7A1D3E5F6A7B")] == ["❤️"]
    assert {c.jid: c.name for c in archive.chats(account)} == {
        ALICE: "Alice Smith",
        GROUP: "Family",
    }


@pytest.mark.parametrize("other", [ORIGINAL, PRETTY], ids=["same", "pretty"])
def test_reimport_adds_nothing(archive: Archive, account: int, other: Path) -> None:
    import_baileys_store(archive, account, ORIGINAL)
    before = snapshot(archive, account)
    again = import_baileys_store(archive, account, other)
    assert (again.messages_new, again.messages_updated, again.duplicates) == (0, 0, 2)
    assert snapshot(archive, account) == before


def test_reloaded_copy_of_the_store_adds_no_message(archive: Archive, account: int) -> None:
    import_baileys_store(archive, account, ORIGINAL)
    before = keys(archive, account)
    again = import_baileys_store(archive, account, RELOADED)
    assert again.messages_new == 0
    assert keys(archive, account) == before


def test_overlapping_newer_file_adds_only_the_new_messages(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    older = load()
    older["messages"][GROUP] = older["messages"][GROUP][:3]
    older_path = dump(older, tmp_path / "older.json")
    first = import_baileys_store(archive, account, older_path)
    second = import_baileys_store(archive, account, ORIGINAL)
    assert second.messages_new == 2  # the third was already in as the chat's embedded copy
    assert first.messages_new + second.messages_new == 14
    clean = archive.ensure_account("clean")
    import_baileys_store(archive, clean, ORIGINAL)
    assert snapshot(archive, account) == snapshot(archive, clean)


def test_damaged_import_keeps_what_came_before(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    data = ORIGINAL.read_bytes()
    cut = data.index(b'{"key":{"remoteJid":"120363041234567890@g.us","fromMe":false,"id":"B94F')
    path = tmp_path / "baileys_store.json"
    path.write_bytes(data[: cut + 50])
    with pytest.raises(DamagedInputError) as caught:
        import_baileys_store(archive, account, path)
    report = caught.value.report
    assert isinstance(report, StoreImportReport)
    assert report.damaged_at == cut
    assert f"damaged at byte {cut} of {cut + 50}" in str(caught.value)
    assert "imported everything before it: 12 messages (11 new)" in str(caught.value)
    assert report.messages_new == len(keys(archive, account)) == 11


@pytest.mark.parametrize("fraction", [0.2, 0.55, 0.8, 0.97])
def test_truncated_then_full_equals_one_clean_import(
    archive: Archive, account: int, tmp_path: Path, fraction: float
) -> None:
    data = ORIGINAL.read_bytes()
    path = tmp_path / "baileys_store.json"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(DamagedInputError):
        import_baileys_store(archive, account, path)
    path.write_bytes(data)
    import_baileys_store(archive, account, path)
    clean = archive.ensure_account("clean")
    import_baileys_store(archive, clean, ORIGINAL)
    assert snapshot(archive, account) == snapshot(archive, clean)


def test_duplicate_laden_file(archive: Archive, account: int, tmp_path: Path) -> None:
    data = load()
    for jid, msgs in data["messages"].items():
        stubs = [
            {"key": m["key"], "messageTimestamp": m["messageTimestamp"], "messageStubType": 2}
            for m in msgs
            if m.get("message")
        ]
        data["messages"][jid] = stubs + msgs + msgs[:2]
    report = import_baileys_store(
        archive, account, dump(data, tmp_path / "dups.json"), batch_size=4
    )
    assert report.messages_read == 16 + 12 + 4
    assert report.duplicates == 2 + 12 + 4
    # The real copies fill in stubs this import stored: richer duplicates, not updates.
    # (12 stubs, but one message's real copy comes first, embedded in chats[].)
    assert (report.messages_new, report.messages_updated, report.duplicates_merged) == (14, 0, 11)
    assert "18 duplicates, 11 of them richer" in report.summary()
    clean = archive.ensure_account("clean")
    import_baileys_store(archive, clean, ORIGINAL)
    assert snapshot(archive, account) == snapshot(archive, clean)
    again = import_baileys_store(archive, account, dump(data, tmp_path / "dups.json"))
    assert (again.messages_new, again.messages_updated, again.duplicates_merged) == (0, 0, 0)


def test_a_file_completing_an_older_one_reports_updates(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    data = load()
    stubs = {
        jid: [
            {"key": m["key"], "messageTimestamp": m["messageTimestamp"], "messageStubType": 2}
            for m in msgs
            if m.get("message")
        ]
        for jid, msgs in data["messages"].items()
    }
    older = import_baileys_store(
        archive, account, dump({**data, "messages": stubs}, tmp_path / "a")
    )
    assert (older.messages_new, older.messages_updated) == (12, 0)
    newer = import_baileys_store(archive, account, ORIGINAL)  # one was real in chats[] already
    assert (newer.messages_new, newer.messages_updated, newer.duplicates_merged) == (2, 11, 0)


def test_progress_reaches_the_total(archive: Archive, account: int) -> None:
    seen: list[tuple[int, int, int]] = []
    import_baileys_store(archive, account, PRETTY, progress=lambda *a: seen.append(a), batch_size=3)
    size = PRETTY.stat().st_size
    assert len(seen) > 3
    assert seen[-1] == (size, size, 16)
    assert [s[2] for s in seen] == sorted(s[2] for s in seen)


def test_invalid_utf8_in_a_message_is_quarantined_not_lost(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    data = load()
    msgs = data["messages"][ALICE]
    msgs[0] = {**msgs[0], "message": {"conversation": "BROKEN-TEXT"}}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    path = tmp_path / "store.json"
    path.write_bytes(raw.replace(b"BROKEN-TEXT", b"caf\xe9 \xff"))
    report = import_baileys_store(archive, account, path)
    assert report.quarantined == {"baileys-message: message text is not valid UTF-8": 1}
    clean = archive.ensure_account("clean")
    import_baileys_store(archive, clean, ORIGINAL)
    assert keys(archive, clean) - keys(archive, account) == {(ALICE, ALICE, msgs[0]["key"]["id"])}
    with archive.connect() as conn:
        payload = conn.execute(
            text("SELECT payload FROM journal WHERE account_id = :a AND source = 'quarantine'"),
            {"a": account},
        ).scalar_one()
    assert b"caf\xe9 \xff" in bytes(payload)
