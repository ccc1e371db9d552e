"""Line recognition for WhatsApp "Export chat" text: message headers, senders and clocks.

Both export grammars are recognised by one pattern:

* Android: ``31/12/20, 23:59 - Sender: text`` (system lines have no ``Sender: ``)
* iOS:     ``[31/12/20, 23:59:59] Sender: text`` (the comma is sometimes missing)
* iOS before 2015: ``3/24/14, 1:59:59 PM: Sender: text`` (no brackets; the time has
  seconds, which an Android header never has)

The date is kept as three raw numbers; their order is decided later from the whole
file (``dates.py``). A word between date and time (French ``à``, Finnish ``klo``,
Bulgarian ``г.,``, Korean ``오후``) is skipped unless it is an am/pm marker. Anything after
the time that is not the closing part is an am/pm marker in some language (``PM``,
``p. m.``, ``nachm.``, ``अपराह्न``, …).
"""

from __future__ import annotations

import functools
import re
import unicodedata

MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
"""Invisible direction marks and the BOM that WhatsApp sprinkles around names and lines."""

_SP = "[ \u00a0\u202f]"
_WORD = r"[^\d\s\[\]\-–:,<>]"

_DM = f"[{MARKS}]*"
"""Direction marks between the numbers of a date (Arabic exports put U+200F before each ``/``)."""

HEADER = re.compile(
    rf"[{MARKS}]*(?P<open>\[)?[{MARKS}]*"
    rf"(?P<a>\d{{1,4}}){_DM}(?P<sep>[./-]){_SP}?{_DM}(?P<b>\d{{1,2}}){_DM}(?P=sep){_SP}?{_DM}"
    rf"(?P<c>\d{{1,4}})\.?"
    rf",?{_SP}*(?:(?P<pre>{_WORD}{{1,8}}),?{_SP}?)?"
    rf"(?P<h>\d{{1,2}})[:.](?P<m>\d{{2}})(?:[:.](?P<s>\d{{2}}))?"
    rf"(?:{_SP}?(?P<post>{_WORD}+(?:{_SP}{_WORD}+)?))?"
    rf"(?(open)\]|(?:{_SP}[-–]|(?(s):(?={_SP})|(?!)))){_SP}?(?P<rest>.*)",
    re.DOTALL,
)
"""A message header; ``rest`` is ``Sender: text`` or the text of a system line."""

HEADER_STARTS = frozenset("0123456789[" + MARKS)
"""First characters a header line can have (a cheap filter before the regex), besides the
other decimal digits (Arabic-Indic ``٠-٩`` and the like) that ``\\d`` and ``int`` read too."""

_AM = {
    "am",
    "vorm",
    "vm",
    "fm",
    "ص",
    "午前",
    "上午",
    "오전",
    "पूर्वाह्न",
    "πμ",
    "ap",
    "de",
    "öö",
    "sa",
    "לפנה״צ",  # Hebrew (also typed with an ASCII quote)
    'לפנה"צ',
    "ก่อนเที่ยง",  # Thai
    "قظ",  # Persian ق.ظ.
    "قبلدوپہر",  # Urdu
    "পূর্বাহ্ণ",  # Bengali
    "मपू",  # Marathi म.पू.
    "முற்பகல்",  # Tamil
    "pg",  # Malay
    "проб",  # Bulgarian пр.об.
    "дп",  # Ukrainian
    "dop",  # Czech
    "pd",  # Albanian p.d.
    "prijepodne",  # Bosnian
    "to",  # Uzbek
}
_PM = {
    "pm",
    "nachm",
    "nm",
    "em",
    "م",
    "午後",
    "下午",
    "오후",
    "अपराह्न",
    "μμ",
    "ip",
    "du",
    "ös",
    "ch",
    "אחה״צ",
    'אחה"צ',
    "หลังเที่ยง",
    "بظ",
    "بعددوپہر",
    "অপরাহ্ণ",
    "मउ",
    "பிற்பகல்",
    "ptg",
    "слоб",
    "пп",
    "odp",
    "md",
    "popodne",
    "tk",
}
_QUOTES = frozenset('"“”„«»')
_MARK_TABLE = {ord(c): None for c in MARKS}
_MAX_SENDER = 80


def strip_marks(text: str) -> str:
    """``text`` without invisible direction marks and surrounding whitespace."""
    return text.translate(_MARK_TABLE).strip()


@functools.lru_cache(maxsize=256)
def meridiem(word: str | None) -> str | None:
    """Classify an am/pm marker as 'am', 'pm', '' (not one we know) or None (no marker)."""
    if not word:
        return None
    key = strip_marks(word).lower().replace(".", "").replace(" ", "")
    key = key.replace("\u00a0", "").replace("\u202f", "")
    key = unicodedata.normalize("NFC", key)
    if key in _AM:
        return "am"
    if key in _PM:
        return "pm"
    return ""


def clock_ms(match: re.Match[str]) -> int | None:
    """Milliseconds since midnight of a header's time, or None when the time is impossible."""
    return _clock(match["h"], match["m"], match["s"], match["pre"], match["post"])


@functools.lru_cache(maxsize=8192)
def _clock(h: str, m: str, s: str | None, pre: str | None, post: str | None) -> int | None:
    """Milliseconds since midnight of a written time and its am/pm marker.

    A 12-hour clock counts 1–12 in most languages but 0–11 in Japanese (``午前0:05``,
    ``午後0:30``), so hour 0 with a marker is the first hour of that half-day.
    """
    hour, minute = int(h), int(m)
    second = int(s) if s else 0
    half = meridiem(post) or meridiem(pre)
    if half:
        if not 0 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return ((hour * 60 + minute) * 60 + second) * 1000


def split_sender(rest: str) -> tuple[str | None, str]:
    """Split ``Sender: text`` into (sender, text); (None, text) for a system line."""
    cut = rest.find(": ")
    if cut <= 0 or cut > _MAX_SENDER + 8:
        if rest.endswith(":") and 0 < len(rest) - 1 <= _MAX_SENDER:
            name = _sender_name(rest[:-1])
            if name:
                return name, ""
        return None, rest.lstrip(MARKS)
    name = _sender_name(rest[:cut])
    if not name:
        return None, rest.lstrip(MARKS)
    return name, rest[cut + 2 :]


@functools.lru_cache(maxsize=4096)
def _sender_name(raw: str) -> str | None:
    """The sender name written as ``raw`` before ``: ``, or None if it cannot be a name."""
    name = strip_marks(raw)
    if not name or len(name) > _MAX_SENDER or _QUOTES.intersection(name):
        return None
    return name


def match_header(line: str) -> re.Match[str] | None:
    """The header match of ``line``, or None for a continuation line."""
    if not line or (line[0] not in HEADER_STARTS and not line[0].isdecimal()):
        return None
    return HEADER.match(line)
