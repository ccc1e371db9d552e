"""Live group events and periodic group/contact snapshots from neonize → chats, members, contacts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from wa_archive.decode.identities import pair
from wa_archive.decode.live import jid_of
from wa_archive.decode.sink import quarantine
from wa_archive.decode.stubs import display
from wa_archive.decode.values import CONTENT, clamp_ms, loose_ms, now_ms, richness
from wa_archive.records import (
    Batch,
    ChatRecord,
    ContactRecord,
    MessageRecord,
    ParticipantRecord,
    Record,
)

_CHANGES = (
    ("Join", "member", False, "joined"),
    ("Leave", "member", True, "left"),
    ("Promote", "admin", False, "became an admin"),
    ("Demote", "member", False, "is no longer an admin"),
)


def decode_group_info(ev: Any, out: Batch) -> None:
    """A ``GroupInfoEvent`` (name/topic/membership changes) → chat, members and a system message."""
    try:
        records: list[Record] = []
        group = jid_of(ev.JID)
        ts, _ = clamp_ms(loose_ms(ev.Timestamp), now_ms())
        lines: list[str] = []
        name = ev.Name.Name if ev.HasField("Name") else None
        ephemeral = ev.Ephemeral.DisappearingTimer if ev.HasField("Ephemeral") else None
        if ev.HasField("Ephemeral") and not ev.Ephemeral.IsEphemeral:
            ephemeral = 0
        if name or ephemeral is not None:
            records.append(ChatRecord(jid=group, name=name or None, ephemeral_expiration=ephemeral))
        if name:
            lines.append(f"changed the subject to “{name}”")
        if ev.HasField("Topic"):
            lines.append("changed the group description")
        for field, role, left, verb in _CHANGES:
            for member in (jid_of(j) for j in getattr(ev, field)):
                if member:
                    records.append(
                        ParticipantRecord(
                            group=group, member=member, role=role, left=left, timestamp=ts
                        )
                    )
                    lines.append(f"{display(member)} {verb}")
        if lines:
            records.append(_system_message(ev, group, ts, lines))
        out.add(records)
    except Exception as error:
        quarantine(out, error, "group", ev.SerializePartialToString())


def _system_message(ev: Any, group: str, ts: int | None, lines: list[str]) -> MessageRecord:
    """A system message for a live group change; its id is derived from the event bytes."""
    raw = ev.SerializePartialToString()
    sender = jid_of(ev.Sender) if ev.HasField("Sender") else ""
    actor = display(sender) if sender else "Someone"
    return MessageRecord(
        chat=group,
        sender=sender or group,
        id="GI-" + hashlib.sha256(raw).hexdigest()[:24].upper(),
        from_me=False,
        timestamp=ts,
        text="; ".join(f"{actor} {line}" if not line[0].isupper() else line for line in lines),
        is_system=True,
        stub_type="GROUP_INFO",
        raw=raw,
        raw_format="pb-live",
        source="live",
        richness=richness(CONTENT - 1, raw),
    )


def decode_joined_group(ev: Any, out: Batch) -> None:
    """A ``JoinedGroup`` event → the group's chat and member records."""
    decode_group_infos([ev.GroupInfo], out)


def decode_group_infos(infos: Iterable[Any], out: Batch) -> None:
    """``GroupInfo`` snapshots (``get_joined_groups``) → chats, members, identities."""
    for info in infos:
        try:
            records: list[Record] = []
            group = jid_of(info.JID)
            ephemeral = info.GroupEphemeral
            records.append(
                ChatRecord(
                    jid=group,
                    name=info.GroupName.Name or None,
                    ephemeral_expiration=ephemeral.DisappearingTimer
                    if ephemeral.IsEphemeral
                    else 0,
                )
            )
            pair(jid_of(info.OwnerJID), jid_of(info.OwnerPN), records)
            for member in info.Participants:
                _member(group, member, records)
            out.add(records)
        except Exception as error:
            quarantine(out, error, "group", info.SerializePartialToString())


def _member(group: str, member: Any, out: list[Record]) -> None:
    """One group participant with its role, name and PN↔LID pair."""
    jid = jid_of(member.JID) or jid_of(member.PhoneNumber) or jid_of(member.LID)
    if not jid:
        return
    role = "superadmin" if member.IsSuperAdmin else "admin" if member.IsAdmin else "member"
    out.append(ParticipantRecord(group=group, member=jid, role=role))
    pair(jid_of(member.LID), jid_of(member.PhoneNumber), out)
    pair(jid, jid_of(member.LID), out)
    pair(jid, jid_of(member.PhoneNumber), out)
    if member.DisplayName:
        out.append(ContactRecord(jid=jid, push_name=member.DisplayName))


def decode_contacts(contacts: Iterable[Any], out: Batch) -> None:
    """neonize ``Contact`` snapshots (``get_all_contacts``) → contact records."""
    records: list[Record] = []
    for contact in contacts:
        jid = jid_of(contact.JID)
        info = contact.Info
        if not jid or not info.Found:
            continue
        records.append(
            ContactRecord(
                jid=jid,
                saved_name=info.FullName or info.FirstName or None,
                push_name=info.PushName or None,
                business_name=info.BusinessName or None,
            )
        )
    out.add(records)
