"""JID canonicalisation: the syntactic half of wa-archive's identity rules.

A JID is ``user[:device]@server``. The archive stores every JID without its
device or agent suffix, with ``c.us`` spelled ``s.whatsapp.net`` and the hosted
servers folded into their plain forms. The semantic half (a LID and a phone
number that belong to one person) lives in the identity map of the store.
"""

from __future__ import annotations

from typing import Literal

PN_SERVER = "s.whatsapp.net"
LID_SERVER = "lid"
GROUP_SERVER = "g.us"
BROADCAST_SERVER = "broadcast"
NEWSLETTER_SERVER = "newsletter"
STATUS_JID = "status@broadcast"

_SERVER_ALIASES = {
    "c.us": PN_SERVER,
    "hosted": PN_SERVER,
    "hosted.lid": LID_SERVER,
}

ChatKind = Literal["user", "group", "broadcast", "newsletter", "status", "unknown"]

_cache: dict[str, str] = {}


def canonical_jid(jid: str | None) -> str:
    """Return ``jid`` without device/agent suffix and with the canonical server ('' for none)."""
    if not jid:
        return ""
    cached = _cache.get(jid)
    if cached is not None:
        return cached
    raw = jid.strip()
    user, at, server = raw.rpartition("@")
    if not at:
        # A bare number is a phone-number user; anything else is kept as given.
        result = f"{raw}@{PN_SERVER}" if raw.isdigit() else raw
    else:
        server = _SERVER_ALIASES.get(server.lower(), server.lower())
        user = user.split(":", 1)[0]
        if server in (PN_SERVER, LID_SERVER):
            user = user.split("_", 1)[0]
        result = f"{user}@{server}"
    if len(_cache) < 200_000:
        _cache[jid] = result
    return result


def server_of(jid: str) -> str:
    """The server part of a (canonical) jid."""
    return jid.rpartition("@")[2]


def is_lid(jid: str) -> bool:
    """True for a LID user jid (``...@lid``)."""
    return jid.endswith("@lid")


def is_pn(jid: str) -> bool:
    """True for a phone-number user jid (``...@s.whatsapp.net``)."""
    return jid.endswith("@" + PN_SERVER)


def is_group(jid: str) -> bool:
    """True for a group jid (``...@g.us``)."""
    return jid.endswith("@g.us")


def chat_kind(jid: str) -> ChatKind:
    """Classify a canonical chat jid."""
    if jid == STATUS_JID:
        return "status"
    server = server_of(jid)
    if server in (PN_SERVER, LID_SERVER):
        return "user"
    if server == GROUP_SERVER:
        return "group"
    if server == BROADCAST_SERVER:
        return "broadcast"
    if server == NEWSLETTER_SERVER:
        return "newsletter"
    return "unknown"


def phone_number_of(jid: str) -> str | None:
    """The phone number (digits, no '+') of a PN jid, else None."""
    if is_pn(jid):
        user = jid.partition("@")[0]
        return user if user.isdigit() else None
    return None


def identity_pair(a: str | None, b: str | None) -> tuple[str, str] | None:
    """Order two jids of one person as (lid, pn); None unless one is a LID and the other a PN."""
    ca, cb = canonical_jid(a), canonical_jid(b)
    if is_lid(ca) and is_pn(cb):
        return ca, cb
    if is_lid(cb) and is_pn(ca):
        return cb, ca
    return None
