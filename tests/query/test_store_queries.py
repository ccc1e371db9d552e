"""The old store's questions answered from the database: pages, lookups, get_message."""

from __future__ import annotations

import orjson
import pytest

from wa_archive import Archive, UnknownChatError, UserInputError
from wa_archive.records import (
    OWN,
    Batch,
    ChatRecord,
    ContactRecord,
    LabelLinkRecord,
    LabelRecord,
    MessageRecord,
    ParticipantRecord,
)

ALICE = "15551234567@s.whatsapp.net"
GROUP = "120363041234567890@g.us"
T0 = 1_717_000_000_000


def _msg(i: int, chat: str = ALICE, **kw) -> MessageRecord:  # type: ignore[no-untyped-def]
    content = {"conversation": f"message {i}"}
    raw = orjson.dumps({"key": {"remoteJid": chat, "id": f"M{i:03}"}, "message": content})
    return MessageRecord(
        chat=chat, sender=chat, id=f"M{i:03}", from_me=False, timestamp=T0 + i * 60_000,
        content_type="conversation", text=f"message {i}", raw=raw, richness=20_000_000 + len(raw),
        **kw,
    )  # fmt: skip


@pytest.fixture
def filled(archive: Archive, account: int) -> int:
    archive.write(account, Batch(messages=[_msg(i) for i in range(30)]))
    return account


def test_pages_before_and_after_are_keyset_and_newest_first(archive: Archive, filled: int) -> None:
    first = archive.messages(filled, ALICE, limit=10)
    assert [m.id for m in first] == [f"M{i:03}" for i in range(29, 19, -1)]
    older = archive.messages(filled, ALICE, limit=10, before=first[-1].id)
    assert [m.id for m in older] == [f"M{i:03}" for i in range(19, 9, -1)]
    newer = archive.messages(filled, ALICE, limit=5, after="M010")
    assert [m.id for m in newer] == [f"M{i:03}" for i in range(15, 10, -1)]
    oldest = archive.messages(filled, ALICE, limit=3, oldest_first=True)
    assert [m.id for m in oldest] == ["M000", "M001", "M002"]


def test_paging_mistakes_are_user_errors(archive: Archive, filled: int) -> None:
    with pytest.raises(UserInputError):
        archive.messages(filled, ALICE, before="NOPE")
    with pytest.raises(UnknownChatError):
        archive.messages(filled, "0000@s.whatsapp.net")


def test_lookups(archive: Archive, filled: int) -> None:
    assert archive.message(filled, ALICE, "M005").text == "message 5"  # type: ignore[union-attr]
    assert archive.message(filled, ALICE, "missing") is None
    assert archive.latest_message(filled, ALICE).id == "M029"  # type: ignore[union-attr]
    assert archive.chat(filled, "15551234567:12@s.whatsapp.net").jid == ALICE  # type: ignore[union-attr]
    assert archive.chat(filled, "15551234567@c.us").jid == ALICE  # type: ignore[union-attr]


def test_get_message_returns_stored_content_or_none(archive: Archive, filled: int) -> None:
    key = {"remoteJid": "15551234567:3@s.whatsapp.net", "id": "M007", "fromMe": False}
    assert archive.get_message(filled, key) == {"conversation": "message 7"}
    assert archive.get_message(filled, {"remoteJid": ALICE, "id": "unknown"}) is None


def test_chats_order_pinned_then_recent(archive: Archive, account: int) -> None:
    other = "15550000009@s.whatsapp.net"
    archive.write(
        account,
        Batch(
            messages=[_msg(1), _msg(2, chat=other)],
            chats=[ChatRecord(jid=ALICE, name="Alice", pinned=True, unread_count=3),
                   ChatRecord(jid=GROUP, name="Group", archived=True)],
        ),
    )  # fmt: skip
    assert [c.jid for c in archive.chats(account)] == [ALICE, other, GROUP]
    assert [c.jid for c in archive.chats(account, include_archived=False)] == [ALICE, other]
    alice = archive.chat(account, ALICE)
    assert alice is not None and (alice.name, alice.unread_count, alice.pinned) == (
        "Alice",
        3,
        True,
    )


def test_chat_metadata_is_never_wiped_by_a_poorer_record(archive: Archive, account: int) -> None:
    archive.write(account, Batch(chats=[ChatRecord(jid=ALICE, name="Alice", muted_until=T0)]))
    archive.write(account, Batch(chats=[ChatRecord(jid=ALICE, unread_count=0)]))
    chat = archive.chat(account, ALICE)
    assert chat is not None and chat.name == "Alice" and chat.muted_until is not None


def test_contacts_participants_labels(archive: Archive, account: int) -> None:
    bob = "15550000002@s.whatsapp.net"
    archive.write(
        account,
        Batch(
            contacts=[ContactRecord(jid=bob, push_name="Bob"),
                      ContactRecord(jid=bob, saved_name="Bob Builder")],
            participants=[ParticipantRecord(group=GROUP, member=bob, role="admin", timestamp=T0),
                          ParticipantRecord(group=GROUP, member=OWN, timestamp=T0),
                          ParticipantRecord(group=GROUP, member=ALICE, left=True, timestamp=T0)],
            labels=[LabelRecord(id="1", name="New customer", color=0)],
            label_links=[LabelLinkRecord(label_id="1", chat=GROUP)],
        ),
    )  # fmt: skip
    contact = archive.contact(account, bob)
    assert contact is not None
    assert (contact.saved_name, contact.push_name, contact.phone_number) == (
        "Bob Builder", "Bob", "15550000002",
    )  # fmt: skip
    assert [(p.member, p.role) for p in archive.participants(account, GROUP)] == [
        (bob, "admin"), (OWN, "member"),
    ]  # fmt: skip
    assert [lbl.name for lbl in archive.labels(account, GROUP)] == ["New customer"]
    assert archive.labels(account, ALICE) == []
