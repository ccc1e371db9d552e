"""What one store-file import read, wrote, skipped and quarantined."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from wa_archive.records import Batch

_MAX_REASONS = 50


@dataclass
class ReadStats:
    """Counts of what the reader found in the file, before anything reaches the database."""

    messages_read: int = 0
    embedded_messages: int = 0
    distinct_messages: int = 0
    duplicates: int = 0
    revoke_pairs: int = 0
    chats: int = 0
    chat_message_lists: int = 0
    contacts: int = 0
    labels: int = 0
    label_links: int = 0
    group_metadata: int = 0
    presences: int = 0
    identities: int = 0
    quarantined: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)

    def count_batch(self, batch: Batch) -> None:
        """Tally the identities and quarantined items of a batch about to be handed over."""
        self.identities += len(batch.identities)
        for item in batch.quarantined:
            reason = item.reason if len(self.quarantined) < _MAX_REASONS else "other reasons"
            self.quarantined[f"{item.kind}: {reason}"[:160]] += 1

    def to_wire(self) -> dict[str, Any]:
        """Plain values for another process (Counters become dicts)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_wire(cls, values: dict[str, Any]) -> ReadStats:
        """The stats ``to_wire`` produced, read back."""
        counters = {"quarantined", "skipped"}
        fixed: dict[str, Any] = {k: Counter(v) if k in counters else v for k, v in values.items()}
        return cls(**fixed)


@dataclass
class ReadOutcome:
    """Where the reader stopped: its counts, the layout and the damage it met, if any."""

    stats: ReadStats
    layout: dict[str, str]
    bytes_read: int
    damaged_at: int | None = None
    damage: str | None = None


@dataclass
class StoreImportReport:
    """The outcome of importing one store file: what was read, what was written, what was lost."""

    path: str
    bytes_total: int = 0
    bytes_read: int = 0
    layout: dict[str, str] = field(default_factory=dict)
    messages_read: int = 0
    messages_new: int = 0
    messages_updated: int = 0
    duplicates: int = 0
    duplicates_merged: int = 0
    embedded_messages: int = 0
    revoke_pairs: int = 0
    chats: int = 0
    chat_message_lists: int = 0
    contacts: int = 0
    identities: int = 0
    labels: int = 0
    label_links: int = 0
    group_metadata: int = 0
    presences: int = 0
    quarantined: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    damaged_at: int | None = None
    damage: str | None = None
    seconds: float = 0.0

    def add_write(self, write_report: Any, *, repeats: bool = False) -> None:
        """Add the counts of one ``archive.write`` report (``repeats``: of a repeats batch).

        A repeats batch holds later copies of messages the file carried before. A row one
        of them changes was, on a first import, stored by this very import: the copy
        completed or enriched it (a placeholder filled in). Those count as
        ``duplicates_merged``, so ``messages_updated`` counts only rows that the archive
        held before and that the file's first copy changed.
        """
        self.batches += 1
        counts = _int_fields(write_report)
        for name, value in counts.items():
            self.written[name] = self.written.get(name, 0) + value
        self.messages_new += counts.get("messages_new", 0)
        updated = counts.get("messages_updated", 0)
        if repeats:
            self.duplicates_merged += updated
        else:
            self.messages_updated += updated

    def finish(self, outcome: ReadOutcome, seconds: float) -> None:
        """Fill in what the reader saw once the file is done (or damaged)."""
        self.absorb(outcome.stats)
        self.layout = outcome.layout
        self.bytes_read = outcome.bytes_read
        self.damaged_at = outcome.damaged_at
        self.damage = outcome.damage
        self.seconds = round(seconds, 3)

    def absorb(self, stats: ReadStats) -> None:
        """Copy the reader's counts in."""
        own = {f.name for f in fields(self)}
        for f in fields(stats):
            value = getattr(stats, f.name)
            if f.name in own and not isinstance(value, Counter):
                setattr(self, f.name, value)
        self.quarantined = dict(stats.quarantined)
        self.skipped = dict(stats.skipped)

    @property
    def quarantined_total(self) -> int:
        """How many items were quarantined."""
        return sum(self.quarantined.values())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for ``--json``)."""
        return asdict(self)

    def summary(self) -> str:
        """One line for humans."""
        return (
            f"{self.messages_read} messages read ({self.messages_new} new, "
            f"{self.messages_updated} updated, {self.duplicates} duplicates"
            f"{f', {self.duplicates_merged} of them richer' if self.duplicates_merged else ''}) in "
            f"{self.chat_message_lists} chat lists, {self.chats} chats, {self.contacts} contacts, "
            f"{self.quarantined_total} quarantined"
        )


def _int_fields(report: Any) -> dict[str, int]:
    """The integer counters of a write report (a dataclass, msgspec struct or plain object)."""
    names = getattr(report, "__struct_fields__", None)
    if names is None:
        raw = getattr(report, "__dict__", None) or {}
        if hasattr(report, "__dataclass_fields__"):
            raw = {f.name: getattr(report, f.name) for f in fields(report)}
        names = tuple(raw)
    counts: dict[str, int] = {}
    for name in names:
        value = getattr(report, name, None)
        if isinstance(value, int) and not isinstance(value, bool):
            counts[name] = value
    return counts
