"""Chat state from a ``Conversation`` (history protobuf or Baileys store chat) through a view."""

from __future__ import annotations

from wa_archive.decode.enums import RANK_NUMBERS, RANK_ROLES
from wa_archive.decode.identities import pair
from wa_archive.decode.values import loose_ms, mute_end_ms
from wa_archive.decode.view import View
from wa_archive.jids import canonical_jid
from wa_archive.records import ChatRecord, ParticipantRecord, Record


def chat_records(conv: View, out: list[Record]) -> str:
    """Append the chat record, its members and identity pairs; returns the chat jid."""
    jid = canonical_jid(conv.get_str("id"))
    if not jid:
        raise ValueError("conversation without id")
    pn, lid = canonical_jid(conv.get_str("pnJid")), canonical_jid(conv.get_str("lidJid"))
    pinned = conv.get_int("pinned")
    times = [loose_ms(conv.get_int(n)) for n in _LAST_TIMES]
    known = [t for t in times if t]
    out.append(
        ChatRecord(
            jid=jid,
            name=conv.get_str("name") or conv.get_str("displayName"),
            archived=conv.get_flag("archived"),
            pinned=None if pinned is None else pinned != 0,
            muted_until=mute_end_ms(conv.get_int("muteEndTime")),
            unread_count=conv.get_int("unreadCount"),
            ephemeral_expiration=conv.get_int("ephemeralExpiration"),
            ephemeral_setting_at=loose_ms(conv.get_int("ephemeralSettingTimestamp")),
            last_message_at=max(known) if known else None,
            pn_jid=pn or None,
            lid_jid=lid or None,
            read_only=conv.get_flag("readOnly"),
            end_of_history=conv.get_flag("endOfHistoryTransfer"),
        )
    )
    pair(jid, pn, out)
    pair(jid, lid, out)
    pair(pn, lid, out)
    for member in conv.children("participant"):
        user = canonical_jid(member.get_str("userJid"))
        if user:
            rank = member.get_enum("rank", RANK_NUMBERS)
            role = RANK_ROLES.get(rank, "member") if isinstance(rank, int) else "member"
            out.append(ParticipantRecord(group=jid, member=user, role=role))
    return jid


_LAST_TIMES = ("conversationTimestamp", "lastMsgTimestamp", "lastMessageRecvTimestamp")
