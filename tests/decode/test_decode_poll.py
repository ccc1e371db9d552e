"""Poll vote decryption (HKDF-shaped HMAC key, AES-GCM) and vote records, in both shapes."""

from __future__ import annotations

import base64
import hashlib
from copy import deepcopy

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tests.decode.shapes import BOB, GROUP, SHAPES, decode_json, group_message, to_wmi
from wa_archive.decode import decode_history_message, decrypt_poll_vote, option_hash
from wa_archive.decode.poll import encrypt_poll_vote, parse_vote, serialize_vote, vote_key
from wa_archive.records import Batch

SECRET = bytes(range(32))
ALICE = "15551234567@s.whatsapp.net"
IV = b"\x01" * 12


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_key_matches_hkdf_sha256() -> None:
    # Two HMAC steps (zero-key extract, one-block expand) are exactly HKDF-SHA256.
    info = b"POLL1" + ALICE.encode() + BOB.encode() + b"Poll Vote"
    expected = HKDF(algorithm=hashes.SHA256(), length=32, salt=bytes(32), info=info).derive(SECRET)
    assert vote_key(SECRET, "POLL1", ALICE, BOB) == expected


def test_round_trip_and_wrong_key() -> None:
    chosen = [option_hash("Pizza")]
    cipher = encrypt_poll_vote(SECRET, "POLL1", ALICE, BOB, chosen, IV)
    assert decrypt_poll_vote(SECRET, "POLL1", ALICE, BOB, cipher, IV) == tuple(chosen)
    assert decrypt_poll_vote(b"\x00" * 32, "POLL1", ALICE, BOB, cipher, IV) is None
    assert decrypt_poll_vote(SECRET, "POLL1", BOB, ALICE, cipher, IV) is None
    assert decrypt_poll_vote(SECRET, "POLL1", ALICE, BOB, b"short", b"") is None


def test_vote_message_wire_format() -> None:
    hashes_ = (option_hash("A"), option_hash("B"))
    assert parse_vote(serialize_vote(hashes_)) == hashes_
    assert parse_vote(b"\x0a\xff") is None
    assert option_hash("Pizza") == hashlib.sha256(b"Pizza").digest()


def poll(creator: str = ALICE) -> dict:
    return group_message(
        {
            "messageContextInfo": {"messageSecret": b64(SECRET)},
            "pollCreationMessageV3": {
                "name": "Lunch?",
                "options": [{"optionName": "Pizza"}, {"optionName": "Sushi"}],
                "selectableOptionsCount": 1,
            },
        },
        sender=creator,
        key={"remoteJid": GROUP, "fromMe": False, "id": "POLL1", "participant": creator},
    )


def vote(selected: list[str]) -> dict:
    cipher = encrypt_poll_vote(SECRET, "POLL1", ALICE, BOB, [option_hash(s) for s in selected], IV)
    return group_message(
        {
            "pollUpdateMessage": {
                "pollCreationMessageKey": {
                    "remoteJid": GROUP,
                    "fromMe": False,
                    "id": "POLL1",
                    "participant": ALICE,
                },
                "vote": {"encPayload": b64(cipher), "encIv": b64(IV)},
                "senderTimestampMs": "1717000300123",
            }
        },
        sender=BOB,
        key={"remoteJid": GROUP, "fromMe": False, "id": "VOTE1", "participant": BOB},
    )


def test_vote_decrypted_when_poll_in_same_batch_pb() -> None:
    batch = Batch()
    decode_history_message(to_wmi(poll()), batch)
    decode_history_message(to_wmi(vote(["Sushi"])), batch)
    (record,) = batch.poll_votes
    assert (record.poll_id, record.voter, record.timestamp) == ("POLL1", BOB, 1717000300123)
    assert record.options == ("Sushi",)
    assert record.option_hashes == (option_hash("Sushi").hex(),)
    assert record.enc_payload and record.enc_iv == IV


def test_vote_without_poll_keeps_cipher() -> None:
    (record,) = decode_json(vote(["Pizza"])).poll_votes
    assert (record.options, record.option_hashes) == (None, ())
    assert record.enc_payload and record.enc_iv == IV


def test_same_batch_through_the_entry_point() -> None:
    from wa_archive.decode import decode_baileys_message

    batch = Batch()
    decode_baileys_message(poll(), batch)
    decode_baileys_message(vote(["Pizza"]), batch)
    assert [v.options for v in batch.poll_votes] == [("Pizza",)]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_history_poll_updates_are_named(shape: str) -> None:
    msg = poll()
    msg["pollUpdates"] = [
        {
            "pollUpdateMessageKey": {"remoteJid": GROUP, "fromMe": True, "id": "V2"},
            "vote": {"selectedOptions": [b64(option_hash("Pizza"))]},
            "senderTimestampMs": "1717000400000",
        }
    ]
    (record,) = SHAPES[shape](msg).poll_votes
    assert (record.voter, record.options, record.timestamp) == ("me", ("Pizza",), 1717000400000)


def _renamed(message: dict, poll_id: str, vote_id: str | None = None) -> dict:
    """A copy of ``poll()`` or ``vote()`` about poll ``poll_id`` (a vote: with its own id)."""
    copy = deepcopy(message)
    if vote_id is None:
        copy["key"]["id"] = poll_id
        return copy
    copy["key"]["id"] = vote_id
    update = copy["message"]["pollUpdateMessage"]
    update["pollCreationMessageKey"]["id"] = poll_id
    cipher = encrypt_poll_vote(SECRET, poll_id, ALICE, BOB, [option_hash("Sushi")], IV)
    update["vote"]["encPayload"] = b64(cipher)
    return copy


def test_votes_find_polls_appended_since_the_last_vote() -> None:
    from wa_archive.decode import decode_baileys_message

    batch = Batch()
    decode_baileys_message(poll(), batch)
    decode_baileys_message(vote(["Pizza"]), batch)
    for i in range(50):
        decode_baileys_message(group_message({"conversation": f"hi {i}"}, sender=BOB), batch)
    decode_baileys_message(_renamed(poll(), "POLL2"), batch)
    decode_baileys_message(_renamed(vote(["Sushi"]), "POLL2", "VOTE2"), batch)
    assert [(v.poll_id, v.options) for v in batch.poll_votes] == [
        ("POLL1", ("Pizza",)),
        ("POLL2", ("Sushi",)),
    ]


def test_a_vote_sees_only_its_own_batch_as_it_is_now() -> None:
    from wa_archive.decode import decode_baileys_message

    first = Batch()
    decode_baileys_message(poll(), first)
    decode_baileys_message(vote(["Pizza"]), first)
    second = Batch()  # the poll is in the first batch only: this vote keeps its cipher
    decode_baileys_message(_renamed(vote(["Pizza"]), "POLL1", "VOTE2"), second)
    del first.messages[:]  # a batch whose messages moved elsewhere is indexed anew
    decode_baileys_message(_renamed(vote(["Pizza"]), "POLL1", "VOTE3"), first)
    assert [v.options for v in first.poll_votes] == [("Pizza",), None]
    assert [v.options for v in second.poll_votes] == [None]
