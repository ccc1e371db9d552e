"""neonize events (live messages, receipts, groups, history sync), built with neonize's own classes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as E
from neonize.proto.waWeb import WAWebProtobufsWeb_pb2 as W

from tests.decode.shapes import ALICE, BOB, GROUP, to_wmi, without_raw
from wa_archive.decode import (
    decode_contacts,
    decode_group_info,
    decode_group_infos,
    decode_history_message,
    decode_history_sync,
    decode_joined_group,
    decode_live_message,
    decode_receipt,
    decode_undecryptable,
)
from wa_archive.records import OWN, Batch
from wa_archive.sources import fake_events as F

TS_MS = 1717000200789
LID = "99887766@lid"


def live(content: E.Message, **kw: Any) -> Batch:
    event = F.message_event(
        content, **{"id": "L1", "chat": ALICE, "sender": ALICE, "timestamp_ms": TS_MS, **kw}
    )
    batch = Batch()
    decode_live_message(type(event).FromString(event.SerializeToString()), batch)
    return batch


def history(content: E.Message | None, **kw: Any) -> Batch:
    wmi = F.web_message_info(
        content, **{"id": "L1", "chat": ALICE, "timestamp_s": TS_MS // 1000, **kw}
    )
    batch = Batch()
    decode_history_message(W.WebMessageInfo.FromString(wmi.SerializeToString()), batch)
    return batch


def message(**fields: Any) -> E.Message:
    return E.Message(**fields)


REPLY = message(
    extendedTextMessage=E.ExtendedTextMessage(
        text="yes",
        contextInfo=E.ContextInfo(
            stanzaID="Q1",
            participant=BOB,
            quotedMessage=E.Message(conversation="question"),
            mentionedJID=[BOB],
            isForwarded=True,
            forwardingScore=2,
        ),
    )
)
IMAGE = message(
    imageMessage=E.ImageMessage(
        mimetype="image/jpeg",
        caption="pic",
        fileSHA256=b"s" * 32,
        mediaKey=b"k" * 32,
        directPath="/d",
        fileLength=10,
    )
)
REACTION = message(
    reactionMessage=E.ReactionMessage(
        key=F.message_key(ALICE, "T1", from_me=True), text="🎉", senderTimestampMS=TS_MS
    )
)
REVOKE = message(protocolMessage=E.ProtocolMessage(key=F.message_key(ALICE, "T1")))
EDIT = message(
    protocolMessage=E.ProtocolMessage(
        key=F.message_key(ALICE, "T1"),
        type=E.ProtocolMessage.MESSAGE_EDIT,
        editedMessage=E.Message(conversation="new"),
        timestampMS=TS_MS + 5,
    )
)


@pytest.mark.parametrize(
    "content",
    [message(conversation="hi"), REPLY, IMAGE, REACTION, REVOKE, EDIT],
    ids=["text", "reply", "image", "reaction", "revoke", "edit"],
)
def test_live_and_history_shapes_agree(content: E.Message) -> None:
    a = live(content, push_name="Alice")
    b = history(content, push_name="Alice")
    assert not a.quarantined and not b.quarantined
    for name, mine, theirs in zip(
        a.__struct_fields__, a.record_lists(), b.record_lists(), strict=False
    ):
        got = [without_raw(r) for r in mine]
        want = [without_raw(r) for r in theirs]
        if name == "edits":
            got = [{**r, "raw": None} for r in got]
            want = [{**r, "raw": None} for r in want]
        assert got == want, name
    assert (a.messages[0].raw_format, b.messages[0].raw_format) == ("pb-live", "pb-wmi")
    assert a.messages[0].timestamp == TS_MS // 1000 * 1000


def test_live_flags_match_history_wrappers() -> None:
    inner = message(extendedTextMessage=E.ExtendedTextMessage(text="secret"))
    wrapped = message(
        ephemeralMessage=E.FutureProofMessage(
            message=message(viewOnceMessageV2=E.FutureProofMessage(message=inner))
        )
    )
    a = live(inner, ephemeral=True, view_once=True).messages[0]
    b = history(wrapped).messages[0]
    assert without_raw(a) == without_raw(b)
    assert a.attrs == {"ephemeral": True, "view_once": True}


def test_live_edit_flag_with_protocol_content() -> None:
    (edit,) = live(EDIT, edit=True).edits
    assert (edit.target_id, edit.text, edit.edited_at) == ("T1", "new", TS_MS + 5)


def test_live_group_sender_and_identities() -> None:
    batch = live(message(conversation="x"), chat=GROUP, sender=LID + "", sender_alt=BOB)
    record = batch.messages[0]
    assert (record.chat, record.sender) == (GROUP, LID)
    assert [(i.lid, i.pn) for i in batch.identities] == [(LID, BOB)]
    own = live(message(conversation="x"), from_me=True, recipient_alt=LID).messages[0]
    assert own.sender == OWN and own.from_me


def test_receipts() -> None:
    batch = Batch()
    decode_receipt(F.receipt_event(GROUP, BOB, ["A", "B"], type="read", timestamp_ms=TS_MS), batch)
    decode_receipt(
        F.receipt_event(ALICE, ALICE, ["C"], type="delivered", timestamp_ms=TS_MS), batch
    )
    decode_receipt(
        F.receipt_event(ALICE, ALICE, ["D"], type="read-self", timestamp_ms=TS_MS, from_me=True),
        batch,
    )
    decode_receipt(F.receipt_event(ALICE, ALICE, ["E"], type="retry", timestamp_ms=TS_MS), batch)
    assert [(r.chat, r.message_id, r.recipient, r.type, r.timestamp) for r in batch.receipts] == [
        (GROUP, "A", BOB, "read", TS_MS),
        (GROUP, "B", BOB, "read", TS_MS),
        (ALICE, "C", ALICE, "delivered", TS_MS),
        (ALICE, "D", OWN, "read-self", TS_MS),
    ]


def test_undecryptable_is_a_placeholder() -> None:
    batch = Batch()
    decode_undecryptable(
        F.undecryptable_event(id="U1", chat=ALICE, sender=ALICE, timestamp_ms=TS_MS), batch
    )
    (record,) = batch.messages
    assert (record.id, record.stub_type, record.richness // 10_000_000) == ("U1", "CIPHERTEXT", 0)
    assert record.richness < live(message(conversation="real")).messages[0].richness


def test_group_info_event() -> None:
    batch = Batch()
    ev = F.group_info_event(
        GROUP, timestamp_ms=TS_MS, sender=BOB, name="Club", join=[ALICE], promote=[ALICE]
    )
    decode_group_info(ev, batch)
    assert [(c.jid, c.name) for c in batch.chats] == [(GROUP, "Club")]
    assert [(p.member, p.role, p.left) for p in batch.participants] == [
        (ALICE, "member", False),
        (ALICE, "admin", False),
    ]
    (system,) = batch.messages
    assert system.is_system and "changed the subject to “Club”" in (system.text or "")
    again = Batch()
    decode_group_info(ev, again)
    assert again.messages[0].id == system.id  # replay gives the same system message


def test_group_snapshots_and_joined_group() -> None:
    info = F.group_info(
        GROUP,
        name="Club",
        disappearing_seconds=86400,
        participants=[(LID, LID, BOB, "superadmin"), (ALICE, None, None, "member")],
    )
    batch = Batch()
    decode_group_infos([info], batch)
    decode_joined_group(F.joined_group_event(info), batch)
    assert batch.chats[0].ephemeral_expiration == 86400
    assert [(p.member, p.role) for p in batch.participants[:2]] == [
        (LID, "superadmin"),
        (ALICE, "member"),
    ]
    assert (LID, BOB) in {(i.lid, i.pn) for i in batch.identities}


def test_contacts_snapshot() -> None:
    batch = Batch()
    decode_contacts([F.contact(ALICE, full_name="Alice Smith", push_name="Ali")], batch)
    assert [(c.jid, c.saved_name, c.push_name) for c in batch.contacts] == [
        (ALICE, "Alice Smith", "Ali")
    ]


def test_history_sync() -> None:
    text = F.web_message_info(
        E.Message(conversation="old"), id="H1", chat=GROUP, participant=LID, timestamp_s=1717000000
    )
    newer = F.web_message_info(
        E.Message(conversation="new"), id="H2", chat=GROUP, participant=LID, timestamp_s=1717000100
    )
    revoked = F.web_message_info(
        None, id="H3", chat=ALICE, timestamp_s=1717000050, stub_type=W.WebMessageInfo.REVOKE
    )
    group = F.conversation(
        GROUP,
        [text, newer],
        name="Club",
        archived=True,
        pinned=1717000000,
        muteEndTime=1717999999,
        unreadCount=2,
        ephemeralExpiration=604800,
        endOfHistoryTransfer=True,
    )
    group.participant.add(userJID=LID, rank=2)
    one = F.conversation(ALICE, [revoked], pnJID=ALICE, lidJID="555@lid")
    hs = F.history_sync(
        [group, one],
        pushnames={BOB: "Bob"},
        lid_mappings=[(BOB, LID)],
        chunk_order=3,
        progress=40,
        status_messages=[
            to_wmi(
                {
                    "key": {
                        "remoteJid": "status@broadcast",
                        "fromMe": False,
                        "id": "S1",
                        "participant": BOB,
                    },
                    "messageTimestamp": "1717000000",
                    "message": {"conversation": "status"},
                }
            )
        ],
    )
    hs.pastParticipants.add(groupJID=GROUP).pastParticipants.add(userJID=BOB, leaveTS=1716000000)
    event = F.history_sync_event(hs)
    batch = Batch()
    info = decode_history_sync(type(event).FromString(event.SerializeToString()).Data, batch)
    assert (info.sync_type, info.chunk_order, info.progress, info.message_count) == (
        "INITIAL_BOOTSTRAP",
        3,
        40,
        4,
    )
    assert info.per_chat[GROUP] == (1717000000000, 1717000100000, True)
    chat = {c.jid: c for c in batch.chats}[GROUP]
    assert (chat.name, chat.archived, chat.pinned, chat.muted_until, chat.unread_count) == (
        "Club",
        True,
        True,
        1717999999000,
        2,
    )
    assert (chat.ephemeral_expiration, chat.end_of_history) == (604800, True)
    assert {(i.lid, i.pn) for i in batch.identities} == {(LID, BOB), ("555@lid", ALICE)}
    assert {(p.member, p.role, p.left) for p in batch.participants} == {
        (LID, "superadmin", False),
        (BOB, "member", True),
    }
    assert [(c.jid, c.push_name) for c in batch.contacts] == [(BOB, "Bob")]
    assert [r.target_id for r in batch.revokes] == ["H3"]
    assert {m.chat for m in batch.messages} == {GROUP, ALICE, "status@broadcast"}


def test_dispatch_through_neonize(tmp_path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        from neonize.client import NewClient
        from neonize.events import MessageEv

    client = NewClient(str(tmp_path / "session.db"))
    seen = Batch()
    client.event(MessageEv)(lambda _client, ev: decode_live_message(ev, seen))
    F.dispatch(
        client,
        F.text_message_event(
            "via dispatcher", id="D1", chat=ALICE, sender=ALICE, timestamp_ms=TS_MS
        ),
    )
    assert [(m.id, m.text, m.raw_format) for m in seen.messages] == [
        ("D1", "via dispatcher", "pb-live")
    ]


def test_a_chat_muted_forever_in_a_history_sync() -> None:
    """-1 for "always" arrives in the uint64 ``muteEndTime`` as 2**64 - 1."""
    from wa_archive.decode.values import MUTED_FOREVER

    chats = [F.conversation(ALICE, [], muteEndTime=2**64 - 1), F.conversation(BOB, [])]
    batch = Batch()
    decode_history_sync(F.history_sync(chats), batch)
    assert {c.jid: c.muted_until for c in batch.chats} == {ALICE: MUTED_FOREVER, BOB: None}
