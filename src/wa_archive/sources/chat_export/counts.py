"""What an export import found: messages, system lines, media and skipped input with reasons."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ExportCounts:
    """Running totals of one export; final once all its batches have been consumed."""

    messages: int = 0
    system: int = 0
    media: int = 0
    media_stored: int = 0
    media_missing: int = 0
    media_omitted: int = 0
    edited: int = 0
    deleted: int = 0
    waiting: int = 0
    """Messages the phone had not decrypted ("Waiting for this message")."""
    skipped: Counter[str] = field(default_factory=Counter)

    def count_message(self, system: bool) -> None:
        """Count one message or system line."""
        if system:
            self.system += 1
        else:
            self.messages += 1
