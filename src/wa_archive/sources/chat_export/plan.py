"""Who is who in an export: the chat's JID and name, the owner, and every sender's JID.

* ``--chat JID`` wins; otherwise more than two distinct senders make a group
  (``names.group_jid`` of the chat name), and so does a file WhatsApp named after none of
  the people writing in it (a group where only two people wrote); else a 1:1 chat whose
  JID is the other person's (their phone-number JID when the export shows a number).
* The chat name comes from the file name (``WhatsApp Chat with NAME`` in many languages).
* ``--me NAME`` marks the owner. Without it, a 1:1 chat whose file names one of exactly two
  senders makes the other sender the owner (reported in the notes).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from wa_archive.jids import canonical_jid
from wa_archive.records import OWN

from .grammar import strip_marks
from .names import (
    chat_name_from_stem,
    exported_chat_name,
    group_jid,
    person_jid,
    same_name,
    unsaved_name,
)


class ChatPlan(NamedTuple):
    """The identities of one export."""

    jid: str
    name: str | None
    is_group: bool
    me: str | None
    senders: dict[str, str]
    notice_names: frozenset[str]
    notes: list[str]


def plan_chat(
    all_senders: list[str],
    stem: str,
    chat: str | None,
    me: str | None,
    notice_senders: Collection[str] = (),
) -> ChatPlan:
    """Decide the chat JID, its name, the owner's sender name and each sender's JID.

    ``notice_senders`` are names that only ever post iOS notices: the chat speaking as itself.
    """
    notes: list[str] = []
    notices = set(notice_senders)
    senders = [name for name in all_senders if name not in notices]
    file_name = chat_name_from_stem(stem) or (min(notices) if len(notices) == 1 else None)
    is_group = (
        len(senders) > 2
        or (bool(notices) and len(senders) > 1)
        or _named_after_nobody(senders, exported_chat_name(stem), me)
    )
    me_name = _find_me(senders, me, notes) if me else _infer_me(senders, file_name, is_group)
    if me_name is not None and not me:
        notes.append(f"sender {me_name!r} taken as the account owner (use --me to choose)")
    jids = {name: (OWN if name == me_name else person_jid(name)) for name in senders}
    others = [name for name in senders if name != me_name]
    name: str | None = file_name
    if is_group:
        jid = group_jid(file_name or stem)
    else:
        peer = others[0] if len(others) == 1 else (file_name or stem)
        name = file_name or (peer if len(others) == 1 else None)
        jid = jids.get(peer) or person_jid(peer)
    if chat:
        jid = canonical_jid(chat)
    notice_names = frozenset(notices | ({name} if name else set()))
    return ChatPlan(jid, name, is_group, me_name, jids, notice_names, notes)


def _named_after_nobody(senders: list[str], exported: str | None, me: str | None) -> bool:
    """Whether WhatsApp named the file after someone other than the people writing in it.

    A 1:1 export is named after the other person, who is then one of its senders when they
    wrote at all; a group's is named after its subject. Without ``--me``, it takes two
    senders to tell: a lone sender may be the owner writing to someone who never answered.
    A sender shown as ``~ Name`` (not in the phone's contacts) tells nothing: the file
    would be named after their number.
    """
    if exported is None:
        return False
    if me:
        others = [name for name in senders if not same_name(name, me)]
    else:
        others = senders if len(senders) == 2 else []
    if not others or any(unsaved_name(name) is not None for name in others):
        return False
    return not any(same_name(name, exported) for name in others)


def _find_me(senders: list[str], me: str, notes: list[str]) -> str:
    """The sender name matching ``--me`` (case-insensitively), else ``me`` itself."""
    wanted = strip_marks(me).casefold()
    for name in senders:
        if name.casefold() == wanted:
            return name
    notes.append(f"--me {me!r} matches no sender of this export")
    return strip_marks(me)


def _infer_me(senders: list[str], file_name: str | None, is_group: bool) -> str | None:
    """In a 1:1 chat named after one of its two senders, the other sender is the owner."""
    if is_group or file_name is None or len(senders) != 2:
        return None
    matching = [name for name in senders if same_name(name, file_name)]
    if len(matching) != 1:
        return None
    return next(name for name in senders if name != matching[0])
