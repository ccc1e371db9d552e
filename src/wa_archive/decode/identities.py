"""PN↔LID pairs revealed by message keys, live sources, contacts and group members."""

from __future__ import annotations

from wa_archive.decode.view import View
from wa_archive.jids import LID_SERVER, PN_SERVER, canonical_jid, identity_pair
from wa_archive.records import OWN, ContactRecord, IdentityRecord, Record

# Baileys-only key fields (not in the proto): (jid field, its alternate) pairs on one person.
_KEY_PAIRS = (
    ("remoteJid", "remoteJidAlt"),
    ("participant", "participantAlt"),
    ("senderLid", "senderPn"),
    ("participantLid", "participantPn"),
)


def pair(a: str | None, b: str | None, out: list[Record]) -> None:
    """Append an ``IdentityRecord`` if ``a`` and ``b`` are one LID and one PN."""
    if a and b:
        found = identity_pair(a, b)
        if found is not None:
            out.append(IdentityRecord(lid=found[0], pn=found[1]))


ALT_FIELDS = frozenset(
    ("remoteJidAlt", "participantAlt", "senderLid", "senderPn", "participantLid", "participantPn")
)


def key_identities(key: View | None, from_me: bool, out: list[Record]) -> None:
    """Pairs carried by a Baileys message key (``*Alt``, ``senderPn``/``senderLid``, ...)."""
    # These fields are Baileys additions, absent from the protobuf schema: only JSON has them.
    if key is None or not key.has_any(ALT_FIELDS):
        return
    for first, second in _KEY_PAIRS:
        pair(key.get_str(first), key.get_str(second), out)
    if not from_me:
        person = key.get_str("participant") or key.get_str("remoteJid")
        pair(person, key.get_str("senderPn"), out)
        pair(person, key.get_str("senderLid"), out)


_PERSON_SERVERS = ("@" + PN_SERVER, "@" + LID_SERVER)  # is_pn or is_lid, in one call


def contact_from_push_name(sender: str, push_name: str | None, out: list[Record]) -> None:
    """A contact's push name as seen on one of their messages."""
    if push_name and sender != OWN and sender.endswith(_PERSON_SERVERS):
        out.append(ContactRecord(jid=sender, push_name=push_name))


def contact_identities(jid: str, others: list[str | None], out: list[Record]) -> None:
    """Pairs between a contact's jid and the other jids (phone number, lid) it lists."""
    for other in others:
        if other and "@" not in other and other.lstrip("+").isdigit():
            other = canonical_jid(other.lstrip("+"))
        pair(jid, other, out)
