"""Every store-file layout of baileys.md §4.5 reads to the same messages, chats and contacts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wa_archive.records import OWN
from wa_archive.sources.baileys_store import read_store

from .helpers import (
    ALICE,
    GROUP,
    ORIGINAL,
    PRETTY,
    RELOADED,
    FakeDecoders,
    dump,
    identities,
    load,
)

REVOKED = (ALICE, ALICE, "3A1234567890ABCDEF01")
REVOKER = (ALICE, ALICE, "3A88REVOKE0000000001")
FULL = {
    (ALICE, ALICE, "3A5F0C9E2B7D4A1C8E60"),
    (ALICE, OWN, "3EB0A1B2C3D4E5F60718"),
    (ALICE, ALICE, "3A7B9C1D2E3F40516273"),
    (ALICE, OWN, "3EB0C0FFEE0000000001"),
    (ALICE, ALICE, "3A0011223344556677AA"),
    (ALICE, ALICE, "3A99EDIT000000000001"),
    REVOKER,
    REVOKED,
    (GROUP, GROUP, "4F1E2D3C4B5A69788796"),
    (GROUP, "15557654321@s.whatsapp.net", "AC3F61B09E7D2C4518B0"),
    (GROUP, "15557654321@s.whatsapp.net", "B94F0E2C7A1D3E5F6A7B"),
    (GROUP, "15557654321@s.whatsapp.net", "C1D2E3F4A5B6C7D8E9F0"),
    (GROUP, "15557654321@s.whatsapp.net", "D0D1D2D3D4D5D6D7D8D9"),
    (GROUP, OWN, "3EB0F00DBEEF12345678"),
}

Variant = Callable[[dict[str, Any]], dict[str, Any]]


def _chats_keyed(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "chats": {c["id"]: c for c in d["chats"]}}


def _chats_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "chats": {}}


def _chats_absent(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != "chats"}


def _ordered_dict(d: dict[str, Any]) -> dict[str, Any]:
    lists = {jid: {"array": msgs, "keyId": "key.id"} for jid, msgs in d["messages"].items()}
    return {**d, "messages": lists}


def _keyed_by_id(d: dict[str, Any]) -> dict[str, Any]:
    lists = {jid: {m["key"]["id"]: m for m in msgs} for jid, msgs in d["messages"].items()}
    return {**d, "messages": lists}


def _mixed_forms(d: dict[str, Any]) -> dict[str, Any]:
    alice, group = d["messages"][ALICE], d["messages"][GROUP]
    return {**d, "messages": {ALICE: alice, GROUP: {"keyId": "key.id", "array": group}}}


def _contacts_array(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "contacts": list(d["contacts"].values())}


def _labels_keyed(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "labels": {label["id"]: label for label in d["labels"]}}


def _reversed_keys(d: dict[str, Any]) -> dict[str, Any]:
    return dict(reversed(list(d.items())))


def _pre_labels(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in ("chats", "contacts", "messages")}


def _with_extras(d: dict[str, Any]) -> dict[str, Any]:
    presences = {GROUP: {ALICE: {"lastKnownPresence": "available"}, "1@s.whatsapp.net": {}}}
    metadata = {GROUP: {"id": GROUP, "subject": "Family", "participants": []}}
    return {"presences": presences, **d, "groupMetadata": metadata, "state": {"connection": "open"}}


VARIANTS: dict[str, Variant] = {
    "chats keyed by jid": _chats_keyed,
    "chats empty object": _chats_empty,
    "chats absent": _chats_absent,
    "messages as {array, keyId}": _ordered_dict,
    "messages mixed forms": _mixed_forms,
    "contacts array": _contacts_array,
    "labels keyed by id": _labels_keyed,
    "keys in reverse order": _reversed_keys,
    "before labels existed": _pre_labels,
    "presences and group metadata": _with_extras,
}


def _read(path: Path, **kwargs: Any) -> tuple[Any, FakeDecoders, list[Any]]:
    fake = FakeDecoders()
    reader = read_store(path, decoders=fake.decoders(), **kwargs)
    batches = list(reader)
    return reader, fake, batches


@pytest.mark.parametrize("path", [ORIGINAL, PRETTY], ids=["one-line", "pretty"])
def test_genuine_files_read_every_message(path: Path) -> None:
    reader, fake, batches = _read(path)
    assert set(identities(batches)) == FULL
    assert reader.stats.messages_read == 16
    assert reader.stats.embedded_messages == 2
    assert reader.stats.distinct_messages == 14
    assert reader.stats.duplicates == 2  # both embedded copies
    assert reader.stats.revoke_pairs == 1
    assert (reader.stats.chats, reader.stats.contacts) == (2, 3)
    assert (reader.stats.labels, reader.stats.label_links) == (1, 1)
    assert fake.calls == {
        "message": 16,
        "contact": 3,
        "chat": 2,
        "label": 1,
        "label_association": 1,
    }


def test_reloaded_file_pairs_the_embedded_revoke_stub() -> None:
    reader, _, batches = _read(RELOADED)
    assert set(identities(batches)) == FULL
    assert reader.stats.messages_read == 15
    assert reader.stats.revoke_pairs == 1


def test_raw_is_the_compact_message_whatever_the_layout() -> None:
    one_line, pretty = FakeDecoders(), FakeDecoders()
    list(read_store(ORIGINAL, decoders=one_line.decoders()))
    list(read_store(PRETTY, decoders=pretty.decoders(), chunk_size=5))
    assert one_line.raws == pretty.raws
    data = ORIGINAL.read_bytes()  # written by JSON.stringify: compact already
    assert all(raw and raw in data and raw.startswith(b'{"key"') for raw in one_line.raws)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_layout_variant(name: str, tmp_path: Path) -> None:
    path = dump(VARIANTS[name](load()), tmp_path / "store.json")
    _, fake, batches = _read(path)
    assert set(identities(batches)) == FULL
    assert fake.calls["contact"] == 3


@pytest.mark.parametrize("indent", [None, 1, 4])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_layout_variant_in_every_text_form(name: str, indent: int | None, tmp_path: Path) -> None:
    path = dump(VARIANTS[name](load()), tmp_path / "store.json", indent=indent)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    _, _, batches = _read(path, chunk_size=5)
    assert set(identities(batches)) == FULL


def test_layout_is_described(tmp_path: Path) -> None:
    path = dump(_with_extras(_mixed_forms(_chats_keyed(load()))), tmp_path / "store.json")
    reader, fake, _ = _read(path)
    layout = reader.file.layout.describe()
    assert layout["chats"] == "object keyed by jid"
    assert layout["messages[jid]"] == "array+ordered dictionary {array, keyId}"
    assert reader.stats.presences == 2
    assert fake.calls["group_metadata"] == 1
    assert reader.stats.skipped == {"unknown top-level key 'state'": 1}


def test_keyed_by_id_without_chats_keeps_only_the_revoke(tmp_path: Path) -> None:
    path = dump(_chats_absent(_keyed_by_id(load())), tmp_path / "store.json")
    reader, _, batches = _read(path)
    assert set(identities(batches)) == FULL - {REVOKED}
    assert reader.file.layout.describe()["messages[jid]"] == "object keyed by message id"


def test_keyed_by_id_with_chats_recovers_the_tombstone(tmp_path: Path) -> None:
    path = dump(_keyed_by_id(load()), tmp_path / "store.json")
    _, _, batches = _read(path)
    assert set(identities(batches)) == FULL


def test_small_batches_give_the_same_records(tmp_path: Path) -> None:
    _, _, whole = _read(ORIGINAL)
    reader, _, small = _read(ORIGINAL, batch_size=3)
    assert len(small) > 4
    assert sorted(identities(small)) == sorted(identities(whole))
    assert reader.stats.duplicates == 2


def test_empty_store_reads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    path.write_text('{"chats":[],"contacts":{},"messages":{},"labels":[],"labelAssociations":[]}')
    reader, fake, batches = _read(path)
    assert batches == [] and not fake.calls
    assert reader.stats.messages_read == 0


def test_odd_entries_are_skipped_and_counted(tmp_path: Path) -> None:
    data = load()
    data["messages"][ALICE].insert(0, "not a message")
    data["contacts"]["x"] = 7
    data["chats"].append([1, 2])
    reader, _, batches = _read(dump(data, tmp_path / "store.json"))
    assert set(identities(batches)) == FULL
    assert reader.stats.skipped == {
        "message that is not an object": 1,
        "contacts entry that is not an object": 1,
        "chats entry that is not an object": 2,
    }
