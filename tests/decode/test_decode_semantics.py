"""Message semantics, each rule checked in both wire shapes (Baileys JSON and history protobuf)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from tests.decode.shapes import (
    ALICE,
    BOB,
    CHAT,
    GROUP,
    SHAPES,
    TS,
    group_message,
    message,
    only_message,
)
from wa_archive.records import OWN, Batch

Decode = Callable[[dict[str, Any]], Batch]


@pytest.fixture(params=sorted(SHAPES))
def decode(request: pytest.FixtureRequest) -> Decode:
    return SHAPES[request.param]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


TEXT = {"extendedTextMessage": {"text": "inner"}}


@pytest.mark.parametrize(
    "wrapper",
    [
        "ephemeralMessage",
        "viewOnceMessage",
        "viewOnceMessageV2",
        "viewOnceMessageV2Extension",
        "documentWithCaptionMessage",
        "editedMessage",
        "botInvokeMessage",
        "lottieStickerMessage",
        "groupMentionedMessage",
        "associatedChildMessage",
        "groupStatusMessage",
        "groupStatusMessageV2",
    ],
)
def test_every_wrapper_is_unwrapped(decode: Decode, wrapper: str) -> None:
    record = only_message(decode(message({wrapper: {"message": TEXT}})))
    assert (record.content_type, record.text) == ("extendedTextMessage", "inner")


def test_device_sent_and_nested_wrappers(decode: Decode) -> None:
    content = {
        "deviceSentMessage": {
            "destinationJid": CHAT,
            "message": {
                "ephemeralMessage": {
                    "message": {
                        "viewOnceMessageV2": {
                            "message": {
                                "imageMessage": {"caption": "deep", "mimetype": "image/jpeg"}
                            }
                        }
                    }
                }
            },
        }
    }
    record = only_message(decode(message(content)))
    assert (record.content_type, record.text) == ("imageMessage", "deep")
    assert record.attrs == {"ephemeral": True, "view_once": True}


def test_wrapper_depth_is_capped(decode: Decode) -> None:
    content: dict[str, Any] = TEXT
    for _ in range(20):
        content = {"ephemeralMessage": {"message": content}}
    record = only_message(decode(message(content)))
    assert record.content_type == "ephemeralMessage"  # stopped before the content, nothing raised


def test_key_distribution_is_skipped(decode: Decode) -> None:
    for noise in ("senderKeyDistributionMessage", "fastRatchetKeySenderKeyDistributionMessage"):
        content = {noise: {"groupId": GROUP}, "stickerMessage": {"mimetype": "image/webp"}}
        assert only_message(decode(message(content))).content_type == "stickerMessage"


def test_first_key_wins_and_context_info_never_does(decode: Decode) -> None:
    content = {"messageContextInfo": {"deviceListMetadataVersion": 2}, "conversation": "x"}
    assert only_message(decode(message(content))).content_type == "conversation"


TEXTS = [
    ({"conversation": "plain"}, "plain"),
    ({"extendedTextMessage": {"text": "ext"}}, "ext"),
    ({"imageMessage": {"caption": "img"}}, "img"),
    ({"videoMessage": {"caption": "vid"}}, "vid"),
    ({"documentMessage": {"caption": "doc", "fileName": "a.pdf"}}, "doc"),
    ({"buttonsMessage": {"contentText": "pick one"}}, "pick one"),
    ({"buttonsResponseMessage": {"selectedDisplayText": "yes"}}, "yes"),
    ({"listMessage": {"title": "Menu", "description": "choose"}}, "Menu\nchoose"),
    ({"listResponseMessage": {"title": "Row 1"}}, "Row 1"),
    ({"templateMessage": {"hydratedTemplate": {"hydratedContentText": "tpl"}}}, "tpl"),
    ({"templateButtonReplyMessage": {"selectedDisplayText": "ok"}}, "ok"),
    ({"interactiveMessage": {"body": {"text": "body"}}}, "body"),
    ({"interactiveResponseMessage": {"body": {"text": "resp"}}}, "resp"),
    ({"pollCreationMessage": {"name": "Q?", "options": [{"optionName": "A"}]}}, "Q?\nA"),
    ({"locationMessage": {"name": "Cafe", "address": "Main St 1"}}, "Cafe\nMain St 1"),
    ({"liveLocationMessage": {"caption": "on my way"}}, "on my way"),
    ({"contactMessage": {"displayName": "Carol"}}, "Carol"),
    (
        {
            "contactsArrayMessage": {
                "displayName": "2 contacts",
                "contacts": [{"displayName": "Dan"}],
            }
        },
        "2 contacts\nDan",
    ),
    ({"eventMessage": {"name": "Party", "description": "bring snacks"}}, "Party\nbring snacks"),
    ({"newsletterAdminInviteMessage": {"newsletterName": "News", "caption": "join"}}, "News\njoin"),
    ({"groupInviteMessage": {"groupName": "Club", "caption": "come"}}, "Club\ncome"),
]


@pytest.mark.parametrize(("content", "text"), TEXTS, ids=[next(iter(c)) for c, _ in TEXTS])
def test_text_of_every_text_type(decode: Decode, content: dict[str, Any], text: str) -> None:
    record = only_message(decode(message(content)))
    assert (record.content_type, record.text) == (next(iter(content)), text)


def test_reply_mentions_forward(decode: Decode) -> None:
    content = {
        "extendedTextMessage": {
            "text": "@Bob look",
            "contextInfo": {
                "stanzaId": "QUOTED1",
                "participant": "15557654321:4@s.whatsapp.net",
                "quotedMessage": {
                    "ephemeralMessage": {"message": {"conversation": "original " * 80}}
                },
                "mentionedJid": ["15557654321@c.us"],
                "isForwarded": True,
                "forwardingScore": 5,
            },
        }
    }
    record = only_message(decode(message(content)))
    assert (record.quoted_id, record.quoted_sender) == ("QUOTED1", BOB)
    assert (
        record.quoted_text
        and record.quoted_text.startswith("original")
        and len(record.quoted_text) == 300
    )
    assert record.mentions == (BOB,)
    assert (record.forwarded, record.forwarding_score) == (True, 5)


EDIT_BODY = {
    "key": {"remoteJid": CHAT, "fromMe": True, "id": "TARGET1"},
    "type": "MESSAGE_EDIT",
    "editedMessage": {"conversation": "fixed"},
    "timestampMs": "1717000950321",
}


@pytest.mark.parametrize("wrapped", [True, False])
def test_edit(decode: Decode, wrapped: bool) -> None:
    content: dict[str, Any] = {"protocolMessage": EDIT_BODY}
    if wrapped:
        content = {"editedMessage": {"message": content}}
    batch = decode(message(content))
    (edit,) = batch.edits
    assert (edit.chat, edit.target_id, edit.editor, edit.edit_id) == (
        CHAT,
        "TARGET1",
        ALICE,
        "3A0000000000000000A1",
    )
    assert (edit.text, edit.content_type, edit.edited_at) == (
        "fixed",
        "conversation",
        1717000950321,
    )
    record = only_message(batch)
    assert (
        record.attrs and record.attrs["effect"] == "edit" and "edited_in_store" not in record.attrs
    )


def test_edit_without_time_uses_message_time(decode: Decode) -> None:
    body = {k: v for k, v in EDIT_BODY.items() if k != "timestampMs"}
    (edit,) = decode(message({"protocolMessage": body})).edits
    assert edit.edited_at == TS * 1000


@pytest.mark.parametrize("kind", ["REVOKE", 0, None])
def test_revoke(decode: Decode, kind: str | int | None) -> None:
    body: dict[str, Any] = {"key": {"remoteJid": CHAT, "fromMe": False, "id": "GONE1"}}
    if kind is not None:
        body["type"] = kind
    batch = decode(message({"protocolMessage": body}))
    (revoke,) = batch.revokes
    assert (revoke.target_id, revoke.revoke_id, revoke.revoked_by, revoke.revoked_at) == (
        "GONE1",
        "3A0000000000000000A1",
        ALICE,
        TS * 1000,
    )


def test_revoked_history_stub(decode: Decode) -> None:
    batch = decode(message(None, messageStubType="REVOKE"))
    record = only_message(batch)
    assert (record.is_system, record.stub_type, record.text) == (
        True,
        "REVOKE",
        "This message was deleted",
    )
    assert record.richness // 10_000_000 == 1
    (revoke,) = batch.revokes
    assert revoke.target_id == revoke.revoke_id == record.id


def test_reaction_and_removal(decode: Decode) -> None:
    key = {"remoteJid": GROUP, "fromMe": True, "id": "MINE1"}
    batch = decode(
        group_message(
            {"reactionMessage": {"key": key, "text": "👍", "senderTimestampMs": "1717000201999"}}
        )
    )
    assert [(r.chat, r.target_id, r.reactor, r.emoji, r.timestamp) for r in batch.reactions] == [
        (GROUP, "MINE1", BOB, "👍", 1717000201999)
    ]
    removed = decode(group_message({"reactionMessage": {"key": key, "text": ""}}))
    assert [(r.emoji, r.timestamp) for r in removed.reactions] == [("", TS * 1000)]


def test_embedded_reactions_and_receipts(decode: Decode) -> None:
    msg = message(
        "hi",
        key={"remoteJid": CHAT, "fromMe": True, "id": "OUT1"},
        status="PLAYED",
        reactions=[
            {
                "key": {"remoteJid": CHAT, "fromMe": False, "id": "R1"},
                "text": "😂",
                "senderTimestampMs": "1717000300000",
            }
        ],
        userReceipt=[
            {
                "userJid": ALICE,
                "receiptTimestamp": "1717000201",
                "readTimestamp": "1717000202",
                "playedTimestamp": "1717000203",
            }
        ],
    )
    batch = decode(msg)
    record = only_message(batch)
    assert (record.sender, record.status) == (OWN, 5)
    assert [(r.reactor, r.emoji, r.target_id) for r in batch.reactions] == [(ALICE, "😂", "OUT1")]
    assert [(r.type, r.timestamp) for r in batch.receipts] == [
        ("delivered", 1717000201000),
        ("read", 1717000202000),
        ("played", 1717000203000),
    ]


@pytest.mark.parametrize(
    "version",
    [
        "pollCreationMessage",
        "pollCreationMessageV2",
        "pollCreationMessageV3",
        "pollCreationMessageV5",
    ],
)
def test_poll_creation(decode: Decode, version: str) -> None:
    secret = bytes(range(32))
    content = {
        "messageContextInfo": {"messageSecret": b64(secret)},
        version: {
            "name": "Lunch?",
            "options": [{"optionName": "Pizza"}, {"optionName": "Sushi"}],
            "selectableOptionsCount": 1,
        },
    }
    record = only_message(decode(message(content)))
    assert record.message_secret == secret
    assert record.attrs == {"poll": {"options": ["Pizza", "Sushi"], "selectable": 1}}


def test_poll_secret_from_web_message_info(decode: Decode) -> None:
    content = {"pollCreationMessage": {"name": "Q", "options": [{"optionName": "A"}]}}
    record = only_message(decode(message(content, messageSecret=b64(b"\x07" * 32))))
    assert record.message_secret == b"\x07" * 32


def test_pin_keep_and_ephemeral_setting(decode: Decode) -> None:
    pin = only_message(
        decode(message({"pinInChatMessage": {"key": {"id": "P1"}, "type": "PIN_FOR_ALL"}}))
    )
    assert pin.is_system and pin.attrs == {"effect": "pin", "target_id": "P1", "pinned": True}
    keep = only_message(
        decode(message({"keepInChatMessage": {"key": {"id": "K1"}, "keepType": 1}}))
    )
    assert keep.attrs == {"effect": "keep", "target_id": "K1", "kept": True}
    batch = decode(
        message({"protocolMessage": {"type": "EPHEMERAL_SETTING", "ephemeralExpiration": 604800}})
    )
    assert only_message(batch).text == "changed disappearing messages to 7 days"
    assert [(c.jid, c.ephemeral_expiration, c.ephemeral_setting_at) for c in batch.chats] == [
        (CHAT, 604800, TS * 1000)
    ]


MEDIA = {
    "url": "https://mmg.whatsapp.net/x",
    "directPath": "/x",
    "mimetype": "m/x",
    "fileLength": "42",
    "mediaKey": b64(b"k" * 32),
    "fileSha256": b64(b"s" * 32),
    "fileEncSha256": b64(b"e" * 32),
    "mediaKeyTimestamp": "1717000000",
}
THUMB = {"jpegThumbnail": b64(b"jpg")}


@pytest.mark.parametrize(
    ("content", "kind", "extra"),
    [
        (
            {"imageMessage": {**MEDIA, **THUMB, "width": 3, "height": 4}},
            "image",
            {"width": 3, "height": 4, "thumbnail": b"jpg"},
        ),
        (
            {"videoMessage": {**MEDIA, **THUMB, "seconds": 9}},
            "video",
            {"duration": 9, "thumbnail": b"jpg"},
        ),
        ({"ptvMessage": {**MEDIA, "seconds": 5}}, "ptv", {"duration": 5}),
        ({"audioMessage": {**MEDIA, "seconds": 7}}, "audio", {"duration": 7}),
        ({"audioMessage": {**MEDIA, "seconds": 7, "ptt": True}}, "voice", {"duration": 7}),
        (
            {"documentMessage": {**MEDIA, **THUMB, "pageCount": 3, "fileName": "a.pdf"}},
            "document",
            {"page_count": 3, "file_name": "a.pdf", "thumbnail": b"jpg"},
        ),
        ({"stickerMessage": {**MEDIA}}, "sticker", {}),
    ],
)
def test_media(decode: Decode, content: dict[str, Any], kind: str, extra: dict[str, Any]) -> None:
    batch = decode(message(content))
    (media,) = batch.media
    assert (media.kind, media.mimetype, media.size, media.direct_path, media.url) == (
        kind,
        "m/x",
        42,
        "/x",
        "https://mmg.whatsapp.net/x",
    )
    assert (media.media_key, media.sha256, media.enc_sha256) == (b"k" * 32, b"s" * 32, b"e" * 32)
    assert media.media_key_timestamp == 1717000000000
    assert {k: getattr(media, k) for k in extra} == extra
    assert media.richness == only_message(batch).richness


STUBS = [
    ("GROUP_CREATE", ["Club"], "+15557654321 created group “Club”"),
    ("GROUP_CHANGE_SUBJECT", ["New name"], "+15557654321 changed the subject to “New name”"),
    ("GROUP_CHANGE_DESCRIPTION", ["d"], "+15557654321 changed the group description"),
    ("GROUP_PARTICIPANT_ADD", [ALICE], "+15557654321 added +15551234567"),
    ("GROUP_PARTICIPANT_REMOVE", [ALICE], "+15557654321 removed +15551234567"),
    ("GROUP_PARTICIPANT_LEAVE", [ALICE], "+15551234567 left"),
    ("GROUP_PARTICIPANT_PROMOTE", [ALICE], "+15557654321 made +15551234567 an admin"),
    ("GROUP_PARTICIPANT_DEMOTE", [ALICE], "+15557654321 dismissed +15551234567 as admin"),
    ("GROUP_PARTICIPANT_INVITE", [ALICE], "+15551234567 joined using an invite link"),
    ("GROUP_PARTICIPANT_CHANGE_NUMBER", [ALICE], "+15551234567 changed their phone number"),
    (
        "GROUP_CHANGE_ANNOUNCE",
        ["on"],
        "+15557654321 changed the group settings: only admins can send messages",
    ),
    (
        "GROUP_CHANGE_RESTRICT",
        ["off"],
        "+15557654321 changed the group settings: all participants can edit group info",
    ),
    ("CHANGE_EPHEMERAL_SETTING", ["86400"], "+15557654321 changed disappearing messages to 1 day"),
    ("E2E_ENCRYPTED", [], "Messages are end-to-end encrypted"),
    ("E2E_IDENTITY_CHANGED", [], "+15557654321 has a new security code"),
    ("CALL_MISSED_VOICE", [], "Missed voice call"),
    ("CALL_MISSED_GROUP_VIDEO", [], "Missed group video call"),
]


@pytest.mark.parametrize(("stub", "params", "text"), STUBS, ids=[s for s, _, _ in STUBS])
def test_stub_rendering(decode: Decode, stub: str, params: list[str], text: str) -> None:
    msg = group_message("x", messageStubType=stub, messageStubParameters=params)
    del msg["message"]
    record = only_message(decode(msg))
    assert (record.is_system, record.stub_type, record.text, record.content_type) == (
        True,
        stub,
        text,
        None,
    )


@pytest.mark.parametrize(
    ("stub", "role", "left"),
    [
        ("GROUP_PARTICIPANT_ADD", "member", False),
        ("GROUP_PARTICIPANT_REMOVE", "member", True),
        ("GROUP_PARTICIPANT_LEAVE", "member", True),
        ("GROUP_PARTICIPANT_PROMOTE", "admin", False),
        ("GROUP_PARTICIPANT_DEMOTE", "member", False),
    ],
)
def test_stub_membership_with_json_params(decode: Decode, stub: str, role: str, left: bool) -> None:
    param = '{"id":"111@lid","phoneNumber":"15551234567@s.whatsapp.net","admin":null}'
    msg = group_message("x", messageStubType=stub, messageStubParameters=[param])
    del msg["message"]
    batch = decode(msg)
    assert only_message(batch).stub_params == ("111@lid",)
    assert [(p.group, p.member, p.role, p.left, p.timestamp) for p in batch.participants] == [
        (GROUP, "111@lid", role, left, TS * 1000)
    ]
    assert [(i.lid, i.pn) for i in batch.identities] == [("111@lid", ALICE)]


def test_ciphertext_placeholder_is_poorest(decode: Decode) -> None:
    record = only_message(decode(message(None, messageStubType=2)))
    assert (record.stub_type, record.richness // 10_000_000) == ("CIPHERTEXT", 0)


@pytest.mark.parametrize(
    ("seconds", "expected", "suspect"),
    [
        (TS, TS * 1000, False),
        (0, None, False),
        (-5, None, True),
        (1_000_000_000, None, True),
        (99_999_999_999, None, True),
    ],
)
def test_timestamp_clamping(
    decode: Decode, seconds: int, expected: int | None, suspect: bool
) -> None:
    if seconds < 0 and decode is SHAPES["pb"]:
        pytest.skip("uint64 in the protobuf: a negative time exists only in JSON")
    record = only_message(decode(message("x", messageTimestamp=str(seconds))))
    assert (record.timestamp, record.timestamp_suspect) == (expected, suspect)


def test_identity_of_group_and_own_messages(decode: Decode) -> None:
    record = only_message(decode(group_message("x", sender="15557654321:12@s.whatsapp.net")))
    assert (record.chat, record.sender, record.from_me) == (GROUP, BOB, False)
    mine = message(
        "x",
        key={"remoteJid": GROUP, "fromMe": True, "id": "M1"},
        participant="15550000001:3@s.whatsapp.net",
    )
    assert (only_message(decode(mine)).sender) == OWN
    top = message("x", key={"remoteJid": GROUP, "fromMe": False, "id": "M2"}, participant=BOB)
    assert only_message(decode(top)).sender == BOB


def test_non_status_broadcast_belongs_to_sender(decode: Decode) -> None:
    msg = message(
        "x", key={"remoteJid": "12345@broadcast", "fromMe": False, "id": "B1", "participant": BOB}
    )
    assert only_message(decode(msg)).chat == BOB
    status = message(
        "x", key={"remoteJid": "status@broadcast", "fromMe": False, "id": "S1", "participant": BOB}
    )
    assert only_message(decode(status)).chat == "status@broadcast"


def test_unknown_content_type_is_kept(decode: Decode) -> None:
    record = only_message(
        decode(message({"messageContextInfo": {}, "callLogMesssage": {}, "call": {}}))
    )
    assert record.content_type is None and record.richness // 10_000_000 == 0
    record = only_message(decode(message({"stickerPackMessage": {"name": "pack"}})))
    assert record.content_type == "stickerPackMessage"


def test_push_name_becomes_contact(decode: Decode) -> None:
    batch = decode(message("x", pushName="Alice"))
    assert [(c.jid, c.push_name) for c in batch.contacts] == [(ALICE, "Alice")]
