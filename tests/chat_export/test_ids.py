"""Stable message ids: the same export gives the same ids; distinct messages never share one."""

from __future__ import annotations

from pathlib import Path

from wa_archive.sources.chat_export import parse_chat_export

from .conftest import fixture, parse_all


def test_same_export_same_ids() -> None:
    path = fixture("WhatsApp Chat mit Familie.txt")
    _, first = parse_all(path, me="Ich")
    _, second = parse_all(path, me="Ich")
    assert [m.id for m in first.messages] == [m.id for m in second.messages]
    assert len({m.id for m in first.messages}) == len(first.messages)


def test_time_zone_changes_timestamps_not_ids() -> None:
    path = fixture("chat_iso.txt")
    _, utc = parse_all(path)
    _, berlin = parse_all(path, tz="Europe/Berlin")
    assert [m.id for m in utc.messages] == [m.id for m in berlin.messages]
    shifts = [
        (u.timestamp or 0) - (b.timestamp or 0)
        for u, b in zip(utc.messages, berlin.messages, strict=True)
    ]
    assert shifts == [3_600_000] * 4


def test_ids_survive_a_longer_later_export(tmp_path: Path) -> None:
    short = fixture("chat_iso.txt").read_text(encoding="utf-8")
    longer = tmp_path / "chat_iso.txt"
    longer.write_text(short + "2021-01-15, 08:00 - Ben: five\n", encoding="utf-8")
    _, old = parse_all(fixture("chat_iso.txt"))
    _, new = parse_all(longer)
    assert [m.id for m in new.messages[:4]] == [m.id for m in old.messages]


def test_batches_are_chunked(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("".join(f"31.12.20, 23:59 - A: {i}\n" for i in range(25)), encoding="utf-8")
    batches = list(parse_chat_export(path, batch_size=10).batches)
    assert [len(b.messages) for b in batches] == [10, 10, 5]
    assert len(batches[0].chats) == 1 and not batches[1].chats
