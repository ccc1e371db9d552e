"""Attachment markers in message text, recognised by shape in any language.

* ``<attached: NAME>`` and its translations: ``<LABEL: NAME>`` where NAME looks like a file name;
* ``NAME (file attached)`` and its translations: ``NAME (LABEL)`` where NAME is a file of the
  zip, is named like WhatsApp names media (``IMG-20201231-WA0001.jpg``) or LABEL is a known one;
* ``<Media omitted>`` and its translations: a whole line ``<LABEL>`` (no colon, no file);
* iOS ``image omitted``, ``Contact card omitted`` and their translations: a known media word
  next to a known "omitted" word;
  for a document led by its name and details: ``Report.pdf • 3 pages document omitted``.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Container
from typing import NamedTuple

from .grammar import strip_marks

_FILE = r"[^<>/\\:\n]{1,200}\.[A-Za-z0-9]{1,6}"
_ATTACHED = re.compile(rf"<[^<>:\n]{{1,40}}:\s*(?P<name>{_FILE})>\s*$")
_PAREN = re.compile(rf"(?P<name>{_FILE}) \((?P<label>[^()\n]{{1,40}})\)\s*$")
_OMITTED = re.compile(r"<[^<>:\n]{1,40}>")
_NAMED_OMITTED = re.compile(rf"{_FILE}(?:\s*•[^•]*?)?\s+(?P<media>\S+)\s+(?P<omitted>\S+)")
_WA_NAME = re.compile(
    r"(?:IMG|VID|AUD|PTT|STK|DOC|PHOTO|VIDEO|AUDIO|GIF|STICKER)-\d{8}-WA\d+\b"
    r"|\d{8}-(?:PHOTO|VIDEO|AUDIO|GIF|STICKER)-",
    re.IGNORECASE,
)
_FILE_LABELS = {
    "file attached",
    "datei angehängt",
    "archivo adjunto",
    "arquivo anexado",
    "ficheiro anexado",
    "bestand bijgevoegd",
    "fichier joint",
    "file allegato",
    "קובץ מצורף",
    "फ़ाइल संलग्न",
    "फ़ाइल अटैच की गई",
    "dosya ekli",
}
_MEDIA_WORDS = {
    "image": "image", "photo": "image", "bild": "image", "imagen": "image", "imagem": "image",
    "afbeelding": "image", "foto": "image", "immagine": "image", "תמונה": "image", "छवि": "image",
    "video": "video", "vídeo": "video", "סרטון": "video", "वीडियो": "video", "gif": "video",
    "audio": "audio", "áudio": "audio", "שמע": "audio", "ऑडियो": "audio",
    "sticker": "sticker", "figurinha": "sticker", "מדבקה": "sticker", "स्टिकर": "sticker",
    "document": "document", "dokument": "document", "documento": "document", "מסמך": "document",
    "contact": "contact", "kontaktkarte": "contact", "contacto": "contact", "contato": "contact",
    "contactkaart": "contact", "contatto": "contact",
}  # fmt: skip
_OMITTED_WORDS = {
    "omitted", "weggelassen", "omitida", "omitido", "ocultada", "ocultado", "oculta", "oculto",
    "weggelaten", "omis", "omise", "omessa", "omesso", "הושמט", "הושמטה", "हटाया", "हटाई",
}  # fmt: skip
_EXTRA_TYPES = {".opus": "audio/ogg", ".webp": "image/webp", ".vcf": "text/vcard"}


class Attachment(NamedTuple):
    """A media marker found in a message: its kind, its file name (if named) and the caption."""

    kind: str
    file_name: str | None
    caption: str | None


def find_attachment(text: str, members: Container[str]) -> Attachment | None:
    """The attachment a message's text announces, or None for a plain text message."""
    if "<" not in text and "(" not in text and "\u200e" not in text:
        return None
    first, _, more = text.partition("\n")
    caption = more.strip() or None
    line = strip_marks(first)
    found = _ATTACHED.search(line)
    if found:
        lead = line[: found.start()].strip()
        return _named(found["name"].strip(), _join(lead, caption))
    found = _PAREN.fullmatch(line)
    if found and _is_attachment(found["name"], found["label"], members):
        return _named(found["name"].strip(), caption)
    if _OMITTED.fullmatch(line):
        return Attachment("unknown", None, caption)
    kind = _omitted_kind(line) if first.lstrip(" ").startswith("\u200e") else None
    if kind is None and "\u200e" in first:
        kind = _named_omitted_kind(line)
    if kind is not None:
        return Attachment(kind, None, caption)
    return None


def _is_attachment(name: str, label: str, members: Container[str]) -> bool:
    """True when ``NAME (LABEL)`` is an attachment line rather than ordinary text."""
    name = name.strip()
    return (
        name in members
        or _WA_NAME.match(name) is not None
        or strip_marks(label).lower() in _FILE_LABELS
    )


def _named(name: str, caption: str | None) -> Attachment:
    """An attachment with a file name; its kind comes from the name."""
    return Attachment(kind_of(name), name, caption)


def _join(lead: str, caption: str | None) -> str | None:
    """Text before a marker and the caption after it, joined by a newline."""
    parts = [p for p in (lead, caption) if p]
    return "\n".join(parts) or None


def _omitted_kind(line: str) -> str | None:
    """The media kind of an iOS ``image omitted`` line in any known language, else None."""
    words = line.lower().split()
    if not 2 <= len(words) <= 4:  # "image omitted" … "tarjeta de contacto omitida"
        return None
    if not any(w in _OMITTED_WORDS for w in words):
        return None
    for word in words:
        if word in _MEDIA_WORDS:
            return _MEDIA_WORDS[word]
    return None


def _named_omitted_kind(line: str) -> str | None:
    """The media kind of an iOS ``Report.pdf • 3 pages document omitted`` line, else None.

    iOS names an omitted document and its page count before the "document omitted" words,
    so the line has more words than a bare ``image omitted``.
    """
    found = _NAMED_OMITTED.fullmatch(line)
    if found is None or found["omitted"].lower() not in _OMITTED_WORDS:
        return None
    return _MEDIA_WORDS.get(found["media"].lower())


def mimetype_of(name: str) -> str | None:
    """The mimetype guessed from a file name's extension."""
    dot = name.rfind(".")
    extra = _EXTRA_TYPES.get(name[dot:].lower()) if dot >= 0 else None
    return extra or mimetypes.guess_type(name, strict=False)[0]


def kind_of(name: str) -> str:
    """The media kind (image, video, audio, sticker, contact, document) of a file name."""
    upper = name.upper()
    if upper.endswith(".VCF"):
        return "contact"
    if upper.startswith("STK-") or "-STICKER-" in upper:
        return "sticker"
    if upper.startswith("PTT-"):
        return "audio"
    mime = mimetype_of(name) or ""
    major = mime.partition("/")[0]
    return major if major in ("image", "video", "audio") else "document"


def content_type_of(kind: str) -> str:
    """The message content type for a media kind (``imageMessage``, …; ``media`` if unknown)."""
    return "media" if kind == "unknown" else f"{kind}Message"
