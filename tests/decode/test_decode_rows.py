"""Row-level checks: decoded batches written through ``Archive.write`` on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
from sqlalchemy import select

from tests.decode.shapes import message
from tests.decode.test_decode_poll import poll, vote
from wa_archive import Archive
from wa_archive.decode import decode_baileys_chat, decode_baileys_message, decode_live_message
from wa_archive.records import OWN, Batch
from wa_archive.sources import fake_events as F
from wa_archive.store.schema import media, poll_votes

FIXTURE = Path(__file__).parent.parent / "fixtures" / "baileys" / "baileys_store_v6_example.json"
ONE2ONE = "15551234567@s.whatsapp.net"
GROUP = "120363041234567890@g.us"
BOB = "15557654321@s.whatsapp.net"


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def write_fixture(archive: Archive, account: int) -> None:
    data = orjson.loads(FIXTURE.read_bytes())
    batch = Batch()
    for chat in data["chats"]:
        decode_baileys_chat(chat, batch)
    for messages in data["messages"].values():
        for msg in messages:
            decode_baileys_message(msg, batch)
    archive.write(account, batch)


def test_fixture_rows(archive: Archive, account: int) -> None:
    write_fixture(archive, account)
    reply = archive.message(account, GROUP, "3EB0F00DBEEF12345678")
    assert reply is not None and (reply.sender, reply.quoted_id, reply.status) == (
        OWN,
        "B94F0E2C7A1D3E5F6A7B",
        3,
    )
    reactions = archive.reactions(account, GROUP, "B94F0E2C7A1D3E5F6A7B")
    assert [(r.reactor, r.emoji) for r in reactions] == [(BOB, "❤️")]
    receipts = archive.receipts(account, ONE2ONE, "3EB0A1B2C3D4E5F60718")
    assert {(r.type, r.timestamp) for r in receipts} >= {("read", at(1717000400))}
    edits = archive.edits(account, ONE2ONE, "3A7B9C1D2E3F40516273")
    assert [(e.edit_id, e.text) for e in edits] == [("3A99EDIT000000000001", "Yes, 6:30 works")]
    stub = archive.message(account, GROUP, "4F1E2D3C4B5A69788796")
    assert stub is not None and stub.is_system and stub.stub_type == "GROUP_PARTICIPANT_ADD"
    members = archive.participants(account, GROUP)
    assert ("15550000001@s.whatsapp.net", "member", False) in {
        (p.member, p.role, p.left) for p in members
    }
    with archive.connect() as conn:
        row = conn.execute(
            select(media.c.kind, media.c.size, media.c.media_key).where(
                media.c.account_id == account
            )
        ).one()
    assert (row.kind, row.size, bytes(row.media_key)) == ("image", 123456, bytes([2] * 32))


def test_revoke_row(archive: Archive, account: int) -> None:
    batch = Batch()
    decode_baileys_message(
        message("to be deleted", key={"remoteJid": ONE2ONE, "fromMe": False, "id": "T1"}), batch
    )
    decode_baileys_message(
        message(
            {"protocolMessage": {"key": {"id": "T1"}, "type": "REVOKE"}},
            key={"remoteJid": ONE2ONE, "fromMe": False, "id": "R1"},
            messageTimestamp="1717000300",
        ),
        batch,
    )
    archive.write(account, batch)
    target = archive.message(account, ONE2ONE, "T1")
    assert (
        target is not None
        and target.deleted_at == at(1717000300)
        and target.text == "to be deleted"
    )


def test_poll_vote_row(archive: Archive, account: int) -> None:
    batch = Batch()
    decode_baileys_message(poll(), batch)
    decode_baileys_message(vote(["Pizza"]), batch)
    archive.write(account, batch)
    with archive.connect() as conn:
        row = conn.execute(
            select(poll_votes.c.voter, poll_votes.c.options).where(
                poll_votes.c.account_id == account
            )
        ).one()
    options = row.options if isinstance(row.options, list) else orjson.loads(row.options)
    assert (row.voter, options) == (BOB, ["Pizza"])


def test_identity_merge_rekeys_lid_messages(archive: Archive, account: int) -> None:
    lid, pn = "99887766@lid", ONE2ONE
    first = Batch()
    decode_live_message(
        F.text_message_event(
            "before mapping", id="M1", chat=lid, sender=lid, timestamp_ms=1717000000000
        ),
        first,
    )
    archive.write(account, first)
    second = Batch()
    decode_live_message(
        F.text_message_event(
            "with mapping", id="M2", chat=lid, sender=lid, sender_alt=pn, timestamp_ms=1717000100000
        ),
        second,
    )
    assert [(i.lid, i.pn) for i in second.identities] == [(lid, pn)]
    archive.write(account, second)
    ids = {m.id for m in archive.messages(account, pn)}
    assert ids == {"M1", "M2"}
