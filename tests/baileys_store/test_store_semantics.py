"""What a store file's own rewrites and markers mean once merged into an archive.

Edits and revokes the store rewrote in place, group roles it changed, picture markers and
cleared pins and mutes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as E

from wa_archive import Archive
from wa_archive.decode import decode_live_message
from wa_archive.records import OWN, Batch
from wa_archive.sources import fake_events as F
from wa_archive.sources.baileys_store import import_baileys_store

from ..snapshot import snapshot
from .helpers import ALICE, ORIGINAL, dump

EDITED = "3A7B9C1D2E3F40516273"


def _write_live(
    archive: Archive, account: int, text: str, *, id: str, chat: str, sender: str, ms: int
) -> None:
    """Write a text message as live capture receives it (a genuine neonize event)."""
    event = F.message_event(
        E.Message(conversation=text), id=id, chat=chat, sender=sender, timestamp_ms=ms
    )
    batch = Batch()
    decode_live_message(type(event).FromString(event.SerializeToString()), batch)
    archive.write(account, batch)


def _live_original(archive: Archive, account: int) -> None:
    """The live capture of the message the store later holds only in its edited form."""
    _write_live(archive, account, "Yes, 6", id=EDITED, chat=ALICE, sender=ALICE, ms=1717000800_123)


@pytest.mark.parametrize("live_first", [True, False], ids=["live-first", "store-first"])
def test_store_edit_keeps_the_live_original_text_and_time(
    archive: Archive, account: int, live_first: bool
) -> None:
    if live_first:
        _live_original(archive, account)
    import_baileys_store(archive, account, ORIGINAL)
    if not live_first:
        _live_original(archive, account)
    message = archive.message(account, ALICE, EDITED)
    assert message is not None
    assert message.timestamp == datetime.fromtimestamp(1717000800, UTC)
    assert (message.original_text, message.text) == ("Yes, 6", "Yes, 6:30 works")
    assert message.edited_at == datetime.fromtimestamp(1717000950.321, UTC)
    other = archive.ensure_account("other")
    import_baileys_store(archive, other, ORIGINAL)
    _live_original(archive, other)
    assert snapshot(archive, other) == snapshot(archive, account)


def test_revoke_pair_tombstone_is_deleted_when_and_by_whom_the_revoke_says(
    archive: Archive, account: int
) -> None:
    import_baileys_store(archive, account, ORIGINAL)
    tombstone = archive.message(account, ALICE, "3A1234567890ABCDEF01")
    assert tombstone is not None
    assert tombstone.timestamp == datetime.fromtimestamp(1717000980, UTC)  # sent then
    assert tombstone.deleted_at == datetime.fromtimestamp(1717001000, UTC)  # the REVOKE's time
    assert tombstone.deleted_by == ALICE


BOB = "15557654321@s.whatsapp.net"
ADMIN = "15559990000@s.whatsapp.net"
GROUP = "120363041234567890@g.us"


def _admin_revoke_store(tmp_path: Path, *, admin_is_me: bool) -> Path:
    """A group admin deleted Bob's message for everyone: the store's re-keyed pair."""
    revoker = {"remoteJid": GROUP, "fromMe": admin_is_me, "id": "3EB0REVOKE0000000001"}
    if not admin_is_me:
        revoker["participant"] = ADMIN
    target = {"remoteJid": GROUP, "fromMe": False, "id": "3A00BOB0000000000001", "participant": BOB}
    stub = {"key": revoker, "messageTimestamp": 1717000500, "message": None, "messageStubType": 1}
    protocol = {
        "key": revoker,
        "messageTimestamp": 1717000600,
        "message": {"protocolMessage": {"key": target, "type": "REVOKE"}},
    }
    return dump(
        {"chats": [], "contacts": {}, "messages": {GROUP: [stub, protocol]}}, tmp_path / "s.json"
    )


@pytest.mark.parametrize("admin_is_me", [False, True], ids=["other-admin", "me-admin"])
def test_admin_revoke_tombstone_is_the_revoked_senders_message(
    archive: Archive, account: int, tmp_path: Path, admin_is_me: bool
) -> None:
    _write_live(
        archive, account, "oops", id="3A00BOB0000000000001", chat=GROUP, sender=BOB,
        ms=1717000500_000,
    )  # fmt: skip
    import_baileys_store(archive, account, _admin_revoke_store(tmp_path, admin_is_me=admin_is_me))
    rows = archive.messages(account, GROUP, limit=10, oldest_first=True, include_effects=True)
    assert [(m.id, m.sender) for m in rows] == [
        ("3A00BOB0000000000001", BOB),
        ("3EB0REVOKE0000000001", OWN if admin_is_me else ADMIN),
    ]
    revoked = rows[0]
    assert (revoked.text, revoked.from_me) == ("oops", False)
    assert revoked.deleted_at == datetime.fromtimestamp(1717000600, UTC)
    assert revoked.deleted_by == (OWN if admin_is_me else ADMIN)


CAROL = "15553333333@s.whatsapp.net"


def test_group_roles_follow_the_stores_promote_and_demote(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    # The store's group-participants.update sets isAdmin and leaves groupMetadata()'s admin.
    members = [
        {"id": BOB, "admin": "superadmin"},
        {"id": CAROL, "admin": None, "isAdmin": True, "isSuperAdmin": False},  # promoted
        {"id": ADMIN, "admin": "admin", "isAdmin": False},  # demoted
        {"id": ALICE, "isAdmin": False, "isSuperAdmin": False},  # added
    ]
    metadata = {GROUP: {"id": GROUP, "subject": "Family", "participants": members}}
    path = dump(
        {"chats": [], "contacts": {}, "messages": {}, "groupMetadata": metadata},
        tmp_path / "s.json",
    )
    import_baileys_store(archive, account, path)
    roles = {p.member: p.role for p in archive.participants(account, GROUP)}
    assert roles == {BOB: "superadmin", CAROL: "admin", ADMIN: "member", ALICE: "member"}


def test_a_picture_change_marker_is_not_a_picture_url(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    # Before 6.6.1 the store merged contacts.update {imgUrl: 'changed' | 'removed'} as is.
    contacts = {
        ALICE: {"id": ALICE, "name": "Alice", "imgUrl": "removed"},
        BOB: {"id": BOB, "imgUrl": "changed"},
        CAROL: {"id": CAROL, "imgUrl": "https://pps.whatsapp.net/v/t61/carol.jpg"},
    }
    path = dump({"chats": [], "contacts": contacts, "messages": {}}, tmp_path / "s.json")
    import_baileys_store(archive, account, path)
    pictures = {jid: getattr(archive.contact(account, jid), "picture_url", "?") for jid in contacts}
    assert pictures == {ALICE: None, BOB: None, CAROL: contacts[CAROL]["imgUrl"]}


def test_a_newer_file_unpins_and_unmutes_a_chat(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    # App-state chats.update writes pinned/muteEndTime as null when a chat is unpinned/unmuted.
    older = {"id": ALICE, "name": "Alice", "pinned": 1717000000, "muteEndTime": 1893456000}
    newer = {"id": ALICE, "pinned": None, "muteEndTime": None, "archived": False}
    mute_end = datetime.fromtimestamp(1893456000, UTC)
    for chat, pinned, muted_until in (
        (older, True, mute_end),
        (newer, False, datetime.fromtimestamp(0, UTC)),
    ):
        path = dump({"chats": [chat], "contacts": {}, "messages": {}}, tmp_path / "s.json")
        import_baileys_store(archive, account, path)
        found = archive.chat(account, ALICE)
        assert found is not None
        assert (found.name, found.pinned, found.muted_until) == ("Alice", pinned, muted_until)


FOREVER = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_a_chat_muted_forever_is_muted_until_the_last_instant(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    # -1 is WhatsApp's "always"; as an unsigned 64-bit number it is 18446744073709551615.
    # A time after the year 9999 fits no column: the chat list must still be readable.
    chats = [
        {"id": ALICE, "muteEndTime": -1},
        {"id": BOB, "muteEndTime": "18446744073709551615"},
        {"id": CAROL, "muteEndTime": -5, "conversationTimestamp": "99999999999999999"},
    ]
    path = dump({"chats": chats, "contacts": {}, "messages": {}}, tmp_path / "s.json")
    import_baileys_store(archive, account, path)
    found = {c.jid: c for c in archive.chats(account)}
    assert found[ALICE].muted_until == found[BOB].muted_until == FOREVER
    assert (found[CAROL].muted_until, found[CAROL].last_message_at) == (None, None)


def test_a_chat_without_pin_or_mute_fields_keeps_what_is_stored(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    first = {"id": ALICE, "pinned": 1717000000, "muteEndTime": 1893456000}
    for chat in (first, {"id": ALICE, "name": "Alice"}):
        path = dump({"chats": [chat], "contacts": {}, "messages": {}}, tmp_path / "s.json")
        import_baileys_store(archive, account, path)
    found = archive.chat(account, ALICE)
    assert found is not None and found.pinned and found.muted_until is not None
