"""Names to JIDs: chat names from export file names, and sender names to (pseudo-)JIDs.

An export names people as the exporting phone shows them: a saved contact name or a
phone number. Pseudo-JIDs (stable, recognisable, never a real WhatsApp JID):

* a person known only by name: ``<slug>.<hash8>@export`` (e.g. ``anna-muller.1a2b3c4d@export``)
* a group chat: ``export.<slug>.<hash8>@g.us``

``slug`` is the name in lower-case ASCII (``-`` between words, at most 40 characters,
possibly empty), ``hash8`` the first 8 hex digits of the SHA-256 of the NFC name, so
two names never share a JID. A phone number becomes its real JID ``<digits>@s.whatsapp.net``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from wa_archive.jids import PN_SERVER

from .grammar import strip_marks

NAME_SERVER = "export"
GROUP_PREFIX = "export."

_PHONE = re.compile(r"\+?[\d\s().\-\u00a0\u2011]{6,24}")
"""A phone number as WhatsApp shows it; U+2011 is the non-breaking hyphen it groups digits with."""
_UNSAVED = re.compile(r"~\s*(?P<name>\S.*)", re.DOTALL)
_COPY_SUFFIX = re.compile(r"\s*\(\d+\)$")
_CHAT_PREFIX = re.compile(
    r"^(?:WhatsApp[\s-]*(?:Chat|chat|Sohbeti|Чат|チャット)?\s*"
    r"(?:with|mit|met|avec|con|com|z|med|ile|с|amb|cu|dengan|-|–|עם)\s+"
    r"|Chat\s+(?:de\s+|do\s+)?WhatsApp\s+(?:con|com|with|avec|mit)\s+"
    r"|Conversa\s+do\s+WhatsApp\s+com\s+"
    r"|Discussion\s+WhatsApp\s+avec\s+"
    r"|צ'אט\s+WhatsApp\s+עם\s+)",
    re.IGNORECASE,
)
_CHAT_SUFFIX = re.compile(r"^WhatsApp\s+\S+\s+(?P<name>.+?)\s+(?:के साथ|ile|と)$", re.IGNORECASE)


def chat_name_from_stem(stem: str) -> str | None:
    """The chat's name from an export file name like ``WhatsApp Chat with NAME``, else the
    file name itself, unless it is only WhatsApp's (``_chat``, ``WhatsApp Chat``): None."""
    named = exported_chat_name(stem)
    if named is not None:
        return named
    stem = _COPY_SUFFIX.sub("", stem.strip())
    if "whatsapp" in stem.lower() or stem.lower() in ("_chat", "chat", ""):
        return None
    return stem


def exported_chat_name(stem: str) -> str | None:
    """The NAME of a file WhatsApp named ``WhatsApp Chat with NAME`` (any language), else None.

    WhatsApp names an export after the chat as the exporting phone shows it: the other
    person's name (or number) for a 1:1 chat, the subject for a group.
    """
    stem = _COPY_SUFFIX.sub("", stem.strip())
    found = _CHAT_PREFIX.match(stem)
    if found and stem[found.end() :].strip():
        return stem[found.end() :].strip()
    suffixed = _CHAT_SUFFIX.match(stem)
    return suffixed["name"] if suffixed else None


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name the same chat or person: case, marks and punctuation aside
    (a file name cannot hold every character a name can, ``+1 (555)`` and ``+1 555`` agree)."""

    def key(name: str) -> str:
        folded = strip_marks(name).casefold()
        return "".join(ch for ch in folded if ch.isalnum()) or folded.strip()

    return key(a) == key(b)


def phone_digits(name: str) -> str | None:
    """The digits of a sender written as a phone number (``+49 151 23456789``), else None."""
    clean = strip_marks(name)
    if not _PHONE.fullmatch(clean):
        return None
    digits = "".join(ch for ch in clean if ch.isdigit())
    return digits if 7 <= len(digits) <= 15 else None


def unsaved_name(name: str) -> str | None:
    """The profile name of a sender shown as ``~ Name`` (not in the phone's contacts), else None.

    Newer exports write people missing from the exporting phone's address book as ``~``,
    U+202F and the name they chose themselves, which is a push name, not a saved one.
    """
    found = _UNSAVED.fullmatch(strip_marks(name))
    return found["name"] if found else None


def slug(name: str) -> str:
    """A lower-case ASCII slug of ``name`` (may be empty for non-Latin names)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")


def _tag(name: str) -> str:
    """``<slug>.<hash8>`` for a name (``<hash8>`` alone when the slug is empty)."""
    norm = unicodedata.normalize("NFC", name)
    digest = hashlib.sha256(norm.encode()).hexdigest()[:8]
    base = slug(norm)
    return f"{base}.{digest}" if base else digest


def person_jid(name: str) -> str:
    """The JID of a sender: its phone-number JID, else its name pseudo-JID."""
    digits = phone_digits(name)
    if digits is not None:
        return f"{digits}@{PN_SERVER}"
    return f"{_tag(name)}@{NAME_SERVER}"


def group_jid(name: str) -> str:
    """The pseudo-JID of a group chat known by name."""
    return f"{GROUP_PREFIX}{_tag(name)}@g.us"
