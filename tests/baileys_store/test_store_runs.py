"""Message arrays parsed a window at a time read exactly what element-by-element reading reads."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from wa_archive.errors import DamagedInputError
from wa_archive.sources.baileys_store import cursor as cursor_module
from wa_archive.sources.baileys_store.layout import StoreItem
from wa_archive.sources.baileys_store.stream import StoreFile

from .helpers import dump, load


def _messages(chat: str, count: int, template: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    for n in range(count):
        msg = copy.deepcopy(template[n % len(template)])
        msg["key"] = {"remoteJid": chat, "fromMe": n % 3 == 0, "id": f"RUN{n:06d}"}
        out.append(msg)
    # What makes a window refuse to parse whole: a nested '},{"key":' (two reactions),
    # the boundary text inside a string, a number beyond 64 bits, an element that is
    # not an object, text outside the BMP and right-to-left.
    out[5]["reactions"] = [
        {"key": {"remoteJid": chat, "fromMe": False, "id": f"R{i}"}, "text": "👍"} for i in range(3)
    ]
    out[9]["message"] = {"conversation": 'quote: },{"key": and \\ and "quotes"'}
    out[13]["messageTimestamp"] = 2**70
    out[17] = 42
    out[21]["message"] = {"conversation": "שלום 👋🏽 नमस्ते"}
    return out


def _store(chats: int = 4, per_chat: int = 120) -> dict[str, Any]:
    data = load()
    template = [m for msgs in data["messages"].values() for m in msgs if m.get("message")]
    jids = [f"1555000{i:04d}@s.whatsapp.net" for i in range(chats)]
    data["messages"] = {jid: _messages(jid, per_chat, template) for jid in jids}
    return data


def _items(path: Path, chunk_size: int) -> tuple[list[tuple[str, Any]], dict[str, int], int]:
    store = StoreFile(path, chunk_size=chunk_size)
    items = _flat(store.items())
    return items, dict(store.layout.skipped), store.bytes_read


def _flat(items: Iterable[StoreItem]) -> list[tuple[str, Any]]:
    """One (kind, value) per object: a run of messages counts as its messages."""
    out: list[tuple[str, Any]] = []
    for item in items:
        if item.kind == "messages":
            out.extend(("message", value) for value in item.value)
        else:
            out.append((item.kind, item.value))
    return out


def _element_by_element(path: Path, chunk_size: int) -> Any:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cursor_module, "_RUN_MIN_BYTES", 1 << 60)
        return _items(path, chunk_size)


@pytest.mark.parametrize("chunk_size", [1 << 12, 1 << 15, 1 << 20])
def test_runs_read_the_same_items(tmp_path: Path, chunk_size: int) -> None:
    path = dump(_store(), tmp_path / "store.json")
    runs: list[int] = []
    real = cursor_module.JsonCursor.object_run

    def counting(self: cursor_module.JsonCursor) -> Any:
        found = real(self)
        runs.append(len(found or ()))
        return found

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cursor_module.JsonCursor, "object_run", counting)
        fast = _items(path, chunk_size)
    assert sum(runs) > 300  # most messages came by whole windows
    assert fast == _element_by_element(path, chunk_size)
    assert fast[1] == {"message that is not an object": 4}
    texts = [(v.get("message") or {}).get("conversation") for k, v in fast[0] if k == "message"]
    assert texts.count('quote: },{"key": and \\ and "quotes"') == 4
    assert [v["messageTimestamp"] for k, v in fast[0] if k == "message"].count(2**70) == 4


def test_damage_inside_a_window_is_found_at_the_same_byte(tmp_path: Path) -> None:
    path = dump(_store(chats=2, per_chat=200), tmp_path / "store.json")
    data = path.read_bytes()
    at = data.index(b'"id":"RUN000150"') + 3
    path.write_bytes(data[:at] + b"\x00garbage" + data[at:])

    def damage(runs: bool) -> tuple[int, int | None]:
        with pytest.MonkeyPatch.context() as mp:
            if not runs:
                mp.setattr(cursor_module, "_RUN_MIN_BYTES", 1 << 60)
            store = StoreFile(path, chunk_size=1 << 20)
            count = 0
            with pytest.raises(DamagedInputError):
                for item in store.items():
                    count += len(item.value) if item.kind == "messages" else 1
            return count, store.damaged_at

    fast, slow = damage(runs=True), damage(runs=False)
    assert fast == slow
    count, offset = fast
    assert count > 150  # the sections before and the messages before the damaged one
    message_start = data.rindex(b'{"key":', 0, at)
    assert offset is not None and message_start <= offset <= at


def test_any_cut_reads_the_same_with_and_without_windows(tmp_path: Path) -> None:
    full = dump(_store(chats=2, per_chat=150), tmp_path / "full.json").read_bytes()
    path = tmp_path / "cut.json"

    def read(runs: bool) -> tuple[list[Any], int | None]:
        with pytest.MonkeyPatch.context() as mp:
            if not runs:
                mp.setattr(cursor_module, "_RUN_MIN_BYTES", 1 << 60)
            store = StoreFile(path, chunk_size=1 << 14)
            items: list[Any] = []
            with contextlib.suppress(DamagedInputError):
                items.extend(_flat(store.items()))
            return items, store.damaged_at

    start = full.index(b'"messages":')
    for cut in range(start, len(full), (len(full) - start) // 23):
        path.write_bytes(full[:cut])
        assert read(runs=True) == read(runs=False), cut
