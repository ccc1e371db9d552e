"""The duplicate bookkeeping: the fingerprint table and the revoke-pair quirk."""

from __future__ import annotations

from wa_archive.sources.baileys_store.dedupe import RevokePairs, SeenSet, TargetIds

STUB = {
    "key": {"remoteJid": "1@s.whatsapp.net", "fromMe": False, "id": "SHARED"},
    "messageTimestamp": 5,
    "message": None,
    "messageStubType": "REVOKE",
}
PROTOCOL = {
    "key": {"remoteJid": "1@c.us", "fromMe": False, "id": "SHARED"},
    "message": {"protocolMessage": {"key": {"id": "REAL"}, "type": "REVOKE"}},
}


def test_seen_set_counts_distinct_identities_in_bounded_memory() -> None:
    seen = SeenSet(capacity=8)
    ids = [("chat", "sender", str(i)) for i in range(200_000)]
    assert all(seen.add(i) for i in ids)
    assert not any(seen.add(i) for i in ids[::1000])
    assert len(seen) == 200_000
    assert seen.nbytes <= 200_000 * 24


def test_target_ids_are_packed_and_first_wins() -> None:
    targets = TargetIds()
    for i in range(50_000):
        targets.setdefault(("chat@s.whatsapp.net", f"SHARED{i}"), f"3A{i:018X}")
    targets.setdefault(("chat@s.whatsapp.net", "SHARED7"), "LATER")
    targets.setdefault(("c", "ü"), "ünïcode\udcff")
    assert targets.get(("chat@s.whatsapp.net", "SHARED7")) == f"3A{7:018X}"
    assert targets.get(("chat@s.whatsapp.net", "SHARED49999")) == f"3A{49999:018X}"
    assert targets.get(("c", "ü")) == "ünïcode\udcff"
    assert targets.get(("chat@s.whatsapp.net", "nope")) is None
    assert len(targets) == 50_001 and targets.nbytes <= 50_001 * 70


def test_revoke_stub_gets_its_real_id_whatever_the_order() -> None:
    for order in ((STUB, PROTOCOL), (PROTOCOL, STUB)):
        pairs = RevokePairs()
        for msg in order:
            pairs.see(msg, "raw")
        [(msg, raw, paired)] = pairs.release()
        assert (msg["key"]["id"], raw, paired, pairs.paired) == ("REAL", "raw", True, 1)
        assert STUB["key"]["id"] == "SHARED"  # the input is not mutated


def test_unpaired_stub_keeps_its_id() -> None:
    pairs = RevokePairs()
    assert pairs.hold(STUB, None)
    assert not pairs.hold(PROTOCOL, None)
    [(msg, _, paired)] = pairs.release()
    assert (msg["key"]["id"], paired) == ("SHARED", False)


def test_edit_protocol_messages_are_not_revokes() -> None:
    pairs = RevokePairs()
    edit = {
        **PROTOCOL,
        "message": {"protocolMessage": {"key": {"id": "X"}, "type": "MESSAGE_EDIT"}},
    }
    pairs.note_protocol(edit)
    pairs.hold(STUB, None)
    [(msg, _, paired)] = pairs.release()
    assert not paired and msg["key"]["id"] == "SHARED"


def test_copies_of_earlier_messages_travel_in_repeats_batches(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from wa_archive.sources.baileys_store import read_store

    from .helpers import FakeDecoders, dump, identities, load

    data = load()
    for jid, msgs in data["messages"].items():
        data["messages"][jid] = msgs + msgs[:2]
    path = dump(data, tmp_path / "store.json")
    reader = read_store(path, decoders=FakeDecoders().decoders(), batch_size=4)
    batches = list(reader)
    first = identities([b for b in batches if not b.repeats])
    again = identities([b for b in batches if b.repeats])
    assert len(first) == len(set(first))  # each identity once outside the repeats
    assert set(again) <= set(first)
    assert len(again) == reader.stats.duplicates >= 2 * len(data["messages"])


def test_an_admin_revoke_gives_the_stub_the_revoked_senders_key() -> None:
    pairs = RevokePairs()
    admin = {"remoteJid": "g@g.us", "fromMe": True, "id": "SHARED"}
    target = {"remoteJid": "g@g.us", "fromMe": False, "id": "REAL", "participant": "bob@lid"}
    pairs.see({**STUB, "key": admin}, b"raw")
    pairs.see({"key": admin, "message": {"protocolMessage": {"key": target}}}, b"raw")
    [(msg, _, paired)] = pairs.release()
    assert paired and msg["key"] == {
        **admin,
        "id": "REAL",
        "fromMe": False,
        "participant": "bob@lid",
    }
