"""The real Baileys v6 store files decode to the interpretation table of baileys.md §4.7."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from wa_archive.decode import (
    decode_baileys_chat,
    decode_baileys_contact,
    decode_baileys_label,
    decode_baileys_label_association,
    decode_baileys_message,
)
from wa_archive.records import OWN, Batch

FIXTURES = Path(__file__).parent.parent / "fixtures" / "baileys"
FILES = [
    "baileys_store_v6_example.json",
    "baileys_store_v6_example.pretty.json",
    "baileys_store_v6_example.reloaded.json",
]
ONE2ONE = "15551234567@s.whatsapp.net"
GROUP = "120363041234567890@g.us"
BOB = "15557654321@s.whatsapp.net"

# id prefix -> (content type, text)
EXPECTED = {
    "3A5F0C9E": ("conversation", "Dinner tonight?"),
    "3EB0A1B2": ("conversation", "See you at 6"),
    "3A7B9C1D": ("extendedTextMessage", "Yes, 6:30 works"),
    "3EB0C0FF": ("conversation", "Great, booking a table"),
    "3A001122": ("extendedTextMessage", "This will vanish in 7 days"),
    "3A99EDIT": ("protocolMessage", None),
    "4F1E2D3C": (None, "+15557654321 added +15550000001"),
    "AC3F61B0": ("conversation", "Hi all"),
    "B94F0E2C": ("imageMessage", "Beach day"),
    "C1D2E3F4": ("reactionMessage", None),
    "D0D1D2D3": ("pollCreationMessageV3", "Lunch?\nPizza\nSushi"),
    "3EB0F00D": ("extendedTextMessage", "Nice photo!"),
}


def load(name: str) -> tuple[dict[str, Any], Batch]:
    """Decode every entity of one store file into one batch."""
    data = orjson.loads((FIXTURES / name).read_bytes())
    batch = Batch()
    for messages in data["messages"].values():
        for msg in messages:
            decode_baileys_message(msg, batch)
    for chat in data["chats"]:
        decode_baileys_chat(chat, batch)
    for contact in data["contacts"].values():
        decode_baileys_contact(contact, batch)
    for label in data["labels"]:
        decode_baileys_label(label, batch)
    for link in data["labelAssociations"]:
        decode_baileys_label_association(link, batch)
    return data, batch


@pytest.fixture(scope="module", params=FILES)
def store(request: pytest.FixtureRequest) -> Batch:
    return load(request.param)[1]


def by_prefix(batch: Batch, prefix: str) -> list[Any]:
    return [m for m in batch.messages if m.id.startswith(prefix)]


def test_nothing_quarantined(store: Batch) -> None:
    assert store.quarantined == []


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_content_type_and_text(store: Batch, prefix: str) -> None:
    (record,) = by_prefix(store, prefix)
    assert (record.content_type, record.text) == EXPECTED[prefix]


def test_timestamps_are_utc_ms(store: Batch) -> None:
    assert {m.id[:8]: m.timestamp for m in store.messages}["3A5F0C9E"] == 1_717_000_200_000
    assert not any(m.timestamp_suspect for m in store.messages)


def test_outgoing_read_with_receipts(store: Batch) -> None:
    (msg,) = by_prefix(store, "3EB0A1B2")
    assert (msg.sender, msg.from_me, msg.status) == (OWN, True, 4)
    got = {(r.message_id[:8], r.recipient, r.type, r.timestamp) for r in store.receipts}
    assert ("3EB0A1B2", ONE2ONE, "read", 1_717_000_400_000) in got
    assert ("3EB0A1B2", ONE2ONE, "delivered", 1_717_000_301_000) in got
    assert ("3EB0F00D", BOB, "read", 1_717_000_800_000) in got


def test_numeric_status_from_phone(store: Batch) -> None:
    (msg,) = by_prefix(store, "3EB0C0FF")
    assert msg.status == 4


def test_edit_in_store_and_edit_event(store: Batch) -> None:
    (edited,) = by_prefix(store, "3A7B9C1D")
    assert edited.attrs == {"edited_in_store": True}
    (edit,) = store.edits
    assert (edit.target_id, edit.edit_id, edit.editor) == (
        "3A7B9C1D2E3F40516273",
        "3A99EDIT000000000001",
        ONE2ONE,
    )
    assert (edit.text, edit.content_type, edit.edited_at) == (
        "Yes, 6:30 works",
        "extendedTextMessage",
        1717000950321,
    )


def test_ephemeral_wrapper_flag(store: Batch) -> None:
    (msg,) = by_prefix(store, "3A001122")
    assert msg.attrs == {"ephemeral": True}


def test_revoke_pair(store: Batch) -> None:
    targets = {r.target_id for r in store.revokes}
    assert "3A1234567890ABCDEF01" in targets
    stubs = [m for m in by_prefix(store, "3A88REVOKE") if m.stub_type == "REVOKE"]
    for stub in stubs:  # present in the original file only; the reload drops the null-message stub
        assert stub.is_system and stub.richness < 20_000_000


def test_group_add_stub(store: Batch) -> None:
    (stub,) = by_prefix(store, "4F1E2D3C")
    assert (stub.is_system, stub.stub_type, stub.sender) == (True, "GROUP_PARTICIPANT_ADD", BOB)
    assert stub.stub_params == ("15550000001@s.whatsapp.net",)
    assert [(p.group, p.member, p.left) for p in store.participants] == [
        (GROUP, "15550000001@s.whatsapp.net", False)
    ]


def test_image_media_and_reactions(store: Batch) -> None:
    (media,) = store.media
    assert (media.kind, media.mimetype, media.size, media.width, media.height) == (
        "image",
        "image/jpeg",
        123456,
        960,
        1280,
    )
    assert media.media_key == bytes([2] * 32) and media.sha256 == bytes([1] * 32)
    assert media.enc_sha256 == bytes([3] * 32) and media.thumbnail == bytes([4] * 16)
    assert media.media_key_timestamp == 1_717_000_650_000
    assert {(r.target_id[:8], r.reactor, r.emoji, r.timestamp) for r in store.reactions} == {
        ("B94F0E2C", BOB, "❤️", 1_717_000_710_123)
    }


def test_poll_secret_and_options(store: Batch) -> None:
    (poll,) = by_prefix(store, "D0D1D2D3")
    assert poll.message_secret == bytes([5] * 32)
    assert poll.attrs == {"poll": {"options": ["Pizza", "Sushi"], "selectable": 1}}


def test_reply_quotes_image(store: Batch) -> None:
    (reply,) = by_prefix(store, "3EB0F00D")
    assert (reply.quoted_id, reply.quoted_sender, reply.quoted_text) == (
        "B94F0E2C7A1D3E5F6A7B",
        BOB,
        "Beach day",
    )
    assert (reply.sender, reply.chat, reply.status) == (OWN, GROUP, 3)


def test_chats_contacts_labels(store: Batch) -> None:
    chats = {c.jid: c for c in store.chats if c.unread_count is not None}
    assert (
        chats[ONE2ONE].name == "Alice Smith" and chats[ONE2ONE].last_message_at == 1_717_000_980_000
    )
    saved = {c.jid: c.saved_name for c in store.contacts if c.saved_name}
    assert saved == {ONE2ONE: "Alice Smith", BOB: "Bob Jones"}
    assert [(label.id, label.name) for label in store.labels] == [("1", "New customer")]
    assert [(link.label_id, link.chat, link.message_id) for link in store.label_links] == [
        ("1", ONE2ONE, "")
    ]


def test_one_line_and_pretty_files_agree() -> None:
    a, b = load(FILES[0])[1], load(FILES[1])[1]
    assert a.messages == b.messages or [m.id for m in a.messages] == [m.id for m in b.messages]
    assert [(m.id, m.content_type, m.text) for m in a.messages] == [
        (m.id, m.content_type, m.text) for m in b.messages
    ]
