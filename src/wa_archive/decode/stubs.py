"""System messages from ``messageStubType`` + parameters: English text, membership and identities."""

from __future__ import annotations

from typing import Any

import orjson

from wa_archive.jids import canonical_jid, identity_pair, is_group, is_lid, phone_number_of
from wa_archive.records import IdentityRecord, ParticipantRecord, Record

_MEMBERSHIP: dict[str, tuple[str, bool]] = {
    "GROUP_PARTICIPANT_ADD": ("member", False),
    "GROUP_PARTICIPANT_INVITE": ("member", False),
    "GROUP_PARTICIPANT_ACCEPT": ("member", False),
    "GROUP_PARTICIPANT_LINKED_GROUP_JOIN": ("member", False),
    "GROUP_PARTICIPANT_REMOVE": ("member", True),
    "GROUP_PARTICIPANT_LEAVE": ("member", True),
    "GROUP_PARTICIPANT_PROMOTE": ("admin", False),
    "GROUP_PARTICIPANT_DEMOTE": ("member", False),
}
_FIXED = {
    "REVOKE": "This message was deleted",
    "CIPHERTEXT": "Waiting for this message",
    "E2E_ENCRYPTED": "Messages are end-to-end encrypted",
    "E2E_ENCRYPTED_NOW": "Messages are now end-to-end encrypted",
    "CALL_MISSED_VOICE": "Missed voice call",
    "CALL_MISSED_VIDEO": "Missed video call",
    "CALL_MISSED_GROUP_VOICE": "Missed group voice call",
    "CALL_MISSED_GROUP_VIDEO": "Missed group video call",
    "GROUP_DELETE": "The group was deleted",
}
_ACTOR = {
    "GROUP_CHANGE_ICON": "changed the group icon",
    "GROUP_CHANGE_INVITE_LINK": "reset the group invite link",
    "GROUP_CHANGE_DESCRIPTION": "changed the group description",
    "E2E_IDENTITY_CHANGED": "has a new security code",
    "E2E_DEVICE_CHANGED": "logged in on a new device",
    "INDIVIDUAL_CHANGE_NUMBER": "changed their phone number",
    "BLOCK_CONTACT": "was blocked",
}
_SWITCH = {
    "GROUP_CHANGE_ANNOUNCE": (
        "only admins can send messages",
        "all participants can send messages",
    ),
    "GROUP_CHANGE_RESTRICT": (
        "only admins can edit group info",
        "all participants can edit group info",
    ),
}
_LIST = {
    "GROUP_PARTICIPANT_ADD": "{actor} added {who}",
    "GROUP_PARTICIPANT_REMOVE": "{actor} removed {who}",
    "GROUP_PARTICIPANT_PROMOTE": "{actor} made {who} an admin",
    "GROUP_PARTICIPANT_DEMOTE": "{actor} dismissed {who} as admin",
    "GROUP_PARTICIPANT_LEAVE": "{who} left",
    "GROUP_PARTICIPANT_INVITE": "{who} joined using an invite link",
    "GROUP_PARTICIPANT_ADD_REQUEST_JOIN": "{who} requested to join",
    "GROUP_PARTICIPANT_CHANGE_NUMBER": "{who} changed their phone number",
}


def parse_param(param: str, out: list[Record]) -> str:
    """A stub parameter as a canonical jid; JSON ``{id, phoneNumber, lid}`` ones also yield identities."""
    if not param.startswith("{"):
        return canonical_jid(param) if "@" in param else param
    try:
        data: Any = orjson.loads(param)
    except orjson.JSONDecodeError:
        return param
    if not isinstance(data, dict):
        return param
    jid = data.get("id") or data.get("lid") or data.get("pn") or ""
    jid = jid if isinstance(jid, str) else ""
    for other in (data.get("phoneNumber"), data.get("lid"), data.get("pn")):
        pair = identity_pair(jid, other) if isinstance(other, str) else None
        if pair:
            out.append(IdentityRecord(lid=pair[0], pn=pair[1]))
    return canonical_jid(jid) if jid else param


def display(jid: str) -> str:
    """A short human label for a jid: +number for phone numbers, the user part otherwise."""
    number = phone_number_of(jid)
    if number:
        return "+" + number
    return jid.partition("@")[0] if "@" in jid and not is_lid(jid) else jid


def render(stub: str, params: list[str], actor: str | None) -> str:
    """An English rendering of a system message, e.g. 'Bob added +1555…' or 'X changed the subject'."""
    who = ", ".join(display(p) for p in params if "@" in p) or "someone"
    name = actor or "Someone"
    if stub in _FIXED:
        return _FIXED[stub]
    if stub == "GROUP_PARTICIPANT_ADD" and (actor is None or params == [actor]):
        return f"{who} joined"
    if stub == "GROUP_PARTICIPANT_REMOVE" and actor is not None and params == [actor]:
        return f"{who} left"
    if stub in _LIST:
        return _LIST[stub].format(actor=name, who=who)
    if stub == "GROUP_CREATE":
        return f"{name} created group “{params[0]}”" if params else f"{name} created the group"
    if stub == "GROUP_CHANGE_SUBJECT":
        return (
            f"{name} changed the subject to “{params[0]}”"
            if params
            else f"{name} changed the subject"
        )
    if stub in _SWITCH:
        on = bool(params) and params[0].lower() in ("on", "true", "1")
        return f"{name} changed the group settings: {_SWITCH[stub][0 if on else 1]}"
    if stub == "CHANGE_EPHEMERAL_SETTING":
        return (
            f"{name} changed disappearing messages to {duration_text(params[0] if params else '0')}"
        )
    if stub in _ACTOR:
        return f"{name} {_ACTOR[stub]}"
    return stub.replace("_", " ").capitalize()


def duration_text(seconds: str | int | None) -> str:
    """'off' or a readable disappearing-message duration ('7 days', '24 hours')."""
    try:
        value = int(seconds or 0)
    except ValueError:
        return str(seconds)
    if value <= 0:
        return "off"
    if value % 86400 == 0:
        days = value // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    hours = value / 3600
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def membership(stub: str, chat: str, params: list[str], ts: int | None, out: list[Record]) -> None:
    """Participant changes implied by a group stub (add/remove/leave/promote/demote)."""
    change = _MEMBERSHIP.get(stub)
    if change is None or not is_group(chat):
        return
    role, left = change
    for member in params:
        if "@" in member:
            out.append(
                ParticipantRecord(group=chat, member=member, role=role, left=left, timestamp=ts)
            )
