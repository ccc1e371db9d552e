"""Genuine neonize events built without a phone: for tests, demos, benchmarks and replay checks.

Every builder returns a neonize protobuf with all of its ``required`` fields set,
so ``SerializeToString()`` accepts it exactly as it accepts what the Go core sends.
JIDs are passed as strings (``"15551234567@s.whatsapp.net"``); ``None`` or ``""``
gives the empty JID neonize uses for "no value". Live timestamps are milliseconds,
history ``messageTimestamp`` seconds — the builders take both explicitly.

``dispatch(client, event)`` pushes an event through ``client.event.execute`` the
way the Go core does, so handlers registered with ``client.event(EventClass)``
run on exactly the bytes live traffic would give them.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Sequence
from typing import Any

from neonize.events import EVENT_TO_INT
from neonize.proto import Neonize_pb2 as N
from neonize.proto.waCommon import WACommon_pb2 as C
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as E
from neonize.proto.waHistorySync import WAWebProtobufsHistorySync_pb2 as H
from neonize.proto.waWeb import WAWebProtobufsWeb_pb2 as W

__all__ = [
    "contact",
    "conversation",
    "dispatch",
    "group_info",
    "group_info_event",
    "history_sync",
    "history_sync_event",
    "jid",
    "joined_group_event",
    "message_event",
    "message_key",
    "message_source",
    "receipt_event",
    "text_message_event",
    "undecryptable_event",
    "web_message_info",
]


def jid(value: str | None) -> N.JID:
    """A neonize ``JID`` from ``user[:device]@server``; the empty JID for None/''."""
    if not value:
        return N.JID(User="", RawAgent=0, Device=0, Integrator=0, Server="", IsEmpty=True)
    user, _, server = value.rpartition("@")
    user, _, device = user.partition(":")
    return N.JID(
        User=user, RawAgent=0, Device=int(device or 0), Integrator=0, Server=server, IsEmpty=False
    )


def message_source(
    chat: str,
    sender: str,
    *,
    from_me: bool = False,
    is_group: bool | None = None,
    sender_alt: str | None = None,
    recipient_alt: str | None = None,
) -> N.MessageSource:
    """Where a live message/receipt came from (``is_group`` defaults to chat ending in @g.us)."""
    return N.MessageSource(
        Chat=jid(chat),
        Sender=jid(sender),
        IsFromMe=from_me,
        IsGroup=chat.endswith("@g.us") if is_group is None else is_group,
        SenderAlt=jid(sender_alt),
        RecipientAlt=jid(recipient_alt),
        BroadcastListOwner=jid(None),
    )


def message_event(
    content: E.Message | None,
    *,
    id: str,
    chat: str,
    sender: str,
    timestamp_ms: int,
    from_me: bool = False,
    push_name: str = "",
    sender_alt: str | None = None,
    recipient_alt: str | None = None,
    ephemeral: bool = False,
    view_once: bool = False,
    edit: bool = False,
    media_type: str = "",
) -> N.Message:
    """A ``MessageEv`` payload; ``content`` is given already unwrapped, as whatsmeow delivers it."""
    info = N.MessageInfo(
        MessageSource=message_source(
            chat, sender, from_me=from_me, sender_alt=sender_alt, recipient_alt=recipient_alt
        ),
        ID=id,
        ServerID=0,
        Type="media" if media_type else "text",
        Pushname=push_name,
        Timestamp=timestamp_ms,
        Category="",
        Multicast=False,
        MediaType=media_type,
        Edit="1" if edit else "",
    )
    event = N.Message(
        Info=info,
        IsEphemeral=ephemeral,
        IsViewOnce=view_once,
        IsViewOnceV2=False,
        IsViewOnceV2Extension=False,
        IsDocumentWithCaption=False,
        IsLottieSticker=False,
        IsEdit=edit,
        UnavailableRequestID="",
        RetryCount=0,
    )
    if content is not None:
        event.Message.CopyFrom(content)
    return event


def text_message_event(text: str, **kwargs: Any) -> N.Message:
    """A live plain-text message (see ``message_event`` for the keyword arguments)."""
    return message_event(E.Message(conversation=text), **kwargs)


def message_key(
    chat: str, id: str, *, from_me: bool = False, participant: str | None = None
) -> C.MessageKey:
    """A ``MessageKey`` (``participant`` is the sender in groups)."""
    key = C.MessageKey(remoteJID=chat, fromMe=from_me, ID=id)
    if participant:
        key.participant = participant
    return key


def web_message_info(
    content: E.Message | None,
    *,
    id: str,
    chat: str,
    timestamp_s: int,
    participant: str | None = None,
    from_me: bool = False,
    push_name: str | None = None,
    status: int | None = None,
    stub_type: int | None = None,
    stub_params: Sequence[str] = (),
) -> W.WebMessageInfo:
    """A history ``WebMessageInfo`` (content raw: wrappers stay as they are)."""
    wmi = W.WebMessageInfo(
        key=message_key(chat, id, from_me=from_me, participant=participant),
        messageTimestamp=timestamp_s,
    )
    if content is not None:
        wmi.message.CopyFrom(content)
    if push_name:
        wmi.pushName = push_name
    if status is not None:
        wmi.status = status
    if stub_type is not None:
        wmi.messageStubType = stub_type
    wmi.messageStubParameters.extend(stub_params)
    return wmi


def conversation(
    jid_: str, messages: Iterable[W.WebMessageInfo] = (), **fields: Any
) -> H.Conversation:
    """A history ``Conversation`` with its messages (``fields``: name, archived, pinned, ...)."""
    conv = H.Conversation(ID=jid_, **fields)
    for order, wmi in enumerate(messages, 1):
        conv.messages.add(message=wmi, msgOrderID=order)
    return conv


def history_sync(
    conversations: Iterable[H.Conversation] = (),
    *,
    sync_type: int = H.HistorySync.INITIAL_BOOTSTRAP,
    chunk_order: int = 0,
    progress: int = 100,
    pushnames: dict[str, str] | None = None,
    lid_mappings: Iterable[tuple[str, str]] = (),
    status_messages: Iterable[W.WebMessageInfo] = (),
) -> H.HistorySync:
    """A decoded ``HistorySync`` chunk; ``lid_mappings`` are (pn, lid) pairs."""
    hs = H.HistorySync(syncType=sync_type, chunkOrder=chunk_order, progress=progress)
    hs.conversations.extend(conversations)
    hs.statusV3Messages.extend(status_messages)
    for id_, name in (pushnames or {}).items():
        hs.pushnames.add(ID=id_, pushname=name)
    for pn, lid in lid_mappings:
        hs.phoneNumberToLidMappings.add(pnJID=pn, lidJID=lid)
    return hs


def history_sync_event(hs: H.HistorySync) -> N.HistorySync:
    """The ``HistorySyncEv`` envelope neonize hands to handlers."""
    return N.HistorySync(Data=hs)


_RECEIPT = {
    "delivered": 1,
    "sender": 2,
    "retry": 3,
    "read": 4,
    "read-self": 5,
    "played": 6,
    "played-self": 7,
}


def receipt_event(
    chat: str,
    sender: str,
    ids: Sequence[str],
    *,
    type: str = "read",
    timestamp_ms: int,
    from_me: bool = False,
) -> N.Receipt:
    """A ``ReceiptEv`` payload: ``sender`` read/received the messages ``ids`` in ``chat``."""
    return N.Receipt(
        MessageSource=message_source(chat, sender, from_me=from_me),
        MessageIDs=list(ids),
        Timestamp=timestamp_ms,
        Type=_RECEIPT[type],
    )


def group_info_event(
    group: str,
    *,
    timestamp_ms: int,
    sender: str | None = None,
    name: str | None = None,
    join: Sequence[str] = (),
    leave: Sequence[str] = (),
    promote: Sequence[str] = (),
    demote: Sequence[str] = (),
) -> N.GroupInfoEvent:
    """A ``GroupInfoEv`` payload for a subject change and/or membership changes."""
    ev = N.GroupInfoEvent(
        JID=jid(group),
        Notify="",
        Timestamp=timestamp_ms,
        PrevParticipantsVersionID="",
        ParticipantVersionID="",
        JoinReason="",
    )
    if sender:
        ev.Sender.CopyFrom(jid(sender))
    if name is not None:
        ev.Name.CopyFrom(N.GroupName(Name=name, NameSetAt=timestamp_ms, NameSetBy=jid(sender)))
    for field, members in (
        ("Join", join),
        ("Leave", leave),
        ("Promote", promote),
        ("Demote", demote),
    ):
        getattr(ev, field).extend(jid(m) for m in members)
    return ev


def group_info(
    group: str,
    *,
    name: str = "",
    owner: str | None = None,
    participants: Sequence[tuple[str, str | None, str | None, str]] = (),
    disappearing_seconds: int = 0,
) -> N.GroupInfo:
    """A ``GroupInfo`` snapshot; participants are (jid, lid, phone number jid, role)."""
    info = N.GroupInfo(
        JID=jid(group),
        OwnerJID=jid(owner),
        OwnerPN=jid(None),
        GroupName=N.GroupName(Name=name, NameSetAt=0, NameSetBy=jid(None)),
        GroupTopic=N.GroupTopic(
            Topic="", TopicID="", TopicSetAt=0, TopicSetBy=jid(None), TopicDeleted=False
        ),
        GroupLocked=N.GroupLocked(isLocked=False),
        GroupAnnounce=N.GroupAnnounce(IsAnnounce=False, AnnounceVersionID=""),
        GroupEphemeral=N.GroupEphemeral(
            IsEphemeral=disappearing_seconds > 0, DisappearingTimer=disappearing_seconds
        ),
        GroupIncognito=N.GroupIncognito(IsIncognito=False),
        GroupParent=N.GroupParent(IsParent=False, DefaultMembershipApprovalMode=""),
        GroupLinkedParent=N.GroupLinkedParent(LinkedParentJID=jid(None)),
        GroupIsDefaultSub=N.GroupIsDefaultSub(IsDefaultSubGroup=False),
        GroupCreated=0,
        ParticipantVersionID="",
    )
    for member, lid, pn, role in participants:
        info.Participants.add(
            JID=jid(member),
            LID=jid(lid),
            PhoneNumber=jid(pn),
            IsAdmin=role in ("admin", "superadmin"),
            IsSuperAdmin=role == "superadmin",
            DisplayName="",
            Error=0,
        )
    return info


def joined_group_event(info: N.GroupInfo, *, reason: str = "") -> N.JoinedGroup:
    """A ``JoinedGroupEv`` payload carrying the group's info."""
    return N.JoinedGroup(Reason=reason, Type="", CreateKey="", GroupInfo=info)


def undecryptable_event(
    *, id: str, chat: str, sender: str, timestamp_ms: int
) -> N.UndecryptableMessage:
    """An ``UndecryptableMessageEv`` payload (the message arrives later, decrypted)."""
    info = message_event(None, id=id, chat=chat, sender=sender, timestamp_ms=timestamp_ms).Info
    return N.UndecryptableMessage(
        Info=info, IsUnavailable=False, DecryptFailMode=N.UndecryptableMessage.DECRYPT_FAIL_SHOW
    )


def contact(
    jid_: str, *, full_name: str = "", push_name: str = "", business_name: str = ""
) -> N.Contact:
    """One ``get_all_contacts()`` entry."""
    return N.Contact(
        JID=jid(jid_),
        Info=N.ContactInfo(
            Found=True,
            FirstName=full_name.split(" ")[0],
            FullName=full_name,
            PushName=push_name,
            BusinessName=business_name,
            RedactedPhone="",
        ),
    )


def dispatch(client: Any, event: Any) -> None:
    """Deliver ``event`` to ``client``'s handlers through ``client.event.execute``, as Go does."""
    data = event.SerializeToString()
    buffer = ctypes.create_string_buffer(data, len(data))
    client.event.execute(0, ctypes.addressof(buffer), len(data), EVENT_TO_INT[type(event)])
