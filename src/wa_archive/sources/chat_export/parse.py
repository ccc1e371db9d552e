"""Two passes over an export's lines: a scan for whole-file facts, then the messages themselves.

The scan collects what no single line can tell (the date order, who the senders are);
the second pass groups each header line with its continuation lines into one message.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from wa_archive.errors import UserInputError

from .attachments import find_attachment
from .dates import DateOrder, RawDate, epoch_day
from .grammar import clock_ms, match_header, meridiem, split_sender
from .markers import edited_label, is_deleted_notice, is_waiting_notice

PROBE_LINES = 100
"""A file with no message header in its first lines is not an export."""


@dataclass
class Scan:
    """Whole-file facts from the first pass."""

    dates: list[RawDate] = field(default_factory=list)
    senders: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)
    headers: int = 0
    lines: int = 0
    unknown_markers: set[str] = field(default_factory=set)
    edited: Counter[str] = field(default_factory=Counter)
    """Labels of edited notices ending a line (``markers.edited_label``), with their counts."""


class ParsedMessage(NamedTuple):
    """One message of the export: where it starts, its local day and time, sender and text."""

    line_no: int
    day: int
    clock: int
    sender: str | None
    text: str
    raw: str


def scan_lines(lines: Iterable[str], label: str, members: Container[str] = ()) -> Scan:
    """First pass: dates in file order, senders by first appearance; rejects a non-export."""
    scan = Scan()
    last: RawDate | None = None
    for scan.lines, line in enumerate(lines, 1):
        edited = edited_label(line)
        if edited is not None:
            scan.edited[edited] += 1
        found = match_header(line)
        if found is None:
            if scan.headers == 0 and scan.lines >= PROBE_LINES:
                break
            continue
        scan.headers += 1
        a = found["a"]
        date = RawDate(int(a), int(found["b"]), int(found["c"]), len(a))
        if date != last:
            scan.dates.append(date)
            last = date
        sender, text = split_sender(found["rest"])
        if sender is not None:
            scan.senders[sender] = scan.senders.get(sender, 0) + 1
            if is_notice_text(text, members):
                scan.notices[sender] = scan.notices.get(sender, 0) + 1
        if found["post"] and meridiem(found["post"]) == "":
            scan.unknown_markers.add(found["post"])
    if scan.headers == 0:
        raise UserInputError(
            f"{label}: not a WhatsApp chat export (no message line in the first "
            f"{PROBE_LINES} lines)"
        )
    return scan


_SHARED_LOCATION = re.compile(
    r"\u200e?\S+(?: \S+){0,2}: ?\u200e?https?://(?:maps\.google\.|www\.google\.[a-z.]+/maps"
    r"|maps\.apple\.com|maps\.app\.goo\.gl|goo\.gl/maps)"
)
"""iOS ``‎Location: https://maps.google.com/?q=…`` in any language: a person's message
(Android writes it without the mark), not a notice."""

_POLL = re.compile(r"\u200e?[^\s:]+:\s*\n(?:.*\n)*?\u200e?[^\s:]+: .+ \(\d+ [^()\n]+\)\s*$", re.M)
"""An iOS poll in any language: ``‎POLL:``, the question, then ``‎OPTION: Pizza (2 votes)``
lines."""


def is_notice_text(text: str, members: Container[str]) -> bool:
    """True for an iOS notice text: led by a U+200E mark, not a deleted or waiting message's
    notice, an attachment, a location or a poll."""
    return (
        text.startswith("\u200e")
        and not is_deleted_notice(text)
        and not is_waiting_notice(text)
        and find_attachment(text, members) is None
        and _SHARED_LOCATION.match(text) is None
        and _POLL.match(text) is None
    )


def notice_senders(scan: Scan) -> set[str]:
    """Names all of whose lines are notices: an iOS chat speaking as itself."""
    return {name for name, count in scan.notices.items() if count == scan.senders[name]}


def parse_lines(
    lines: Iterable[str], order: DateOrder, skipped: Counter[str]
) -> Iterator[ParsedMessage]:
    """Second pass: yield messages in file order, continuation lines joined to their header."""
    days: dict[tuple[str, str, str], int | None] = {}
    start: tuple[int, int, int, str | None] | None = None
    body: list[str] = []
    raw: list[str] = []
    for line_no, line in enumerate(lines, 1):
        found = match_header(line)
        head = _header(found, order, days) if found is not None else None
        if head is None:
            if found is not None:
                skipped["impossible date or time, kept as text"] += 1
            if start is None:
                if line.strip():
                    skipped["text before the first message"] += 1
                continue
            body.append(line)
            raw.append(line)
            continue
        if start is not None:
            yield ParsedMessage(*start, "\n".join(body), "\n".join(raw))
        sender, text = split_sender(head[2])
        start = (line_no, head[0], head[1], sender)
        body = [text]
        raw = [line]
    if start is not None:
        yield ParsedMessage(*start, "\n".join(body), "\n".join(raw))


def _header(
    found: re.Match[str], order: DateOrder, days: dict[tuple[str, str, str], int | None]
) -> tuple[int, int, str] | None:
    """(day, clock ms, rest) of a header match, or None when its date or time is impossible."""
    key = (found["a"], found["b"], found["c"])
    if key in days:
        day = days[key]
    else:
        day = days[key] = epoch_day(order, int(key[0]), int(key[1]), int(key[2]))
    if day is None:
        return None
    clock = clock_ms(found)
    if clock is None:
        return None
    return day, clock, found["rest"]
