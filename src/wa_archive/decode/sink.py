"""Quarantining input that could not be decoded (``Batch.add`` places decoded records)."""

from __future__ import annotations

from wa_archive.records import Batch, Quarantined


def quarantine(batch: Batch, error: BaseException, kind: str, payload: bytes) -> None:
    """Keep input that failed to decode, with the reason."""
    batch.quarantined.append(quarantined(error, kind, payload))


def quarantined(error: BaseException, kind: str, payload: bytes) -> Quarantined:
    """The quarantine record of input that failed to decode, with the reason."""
    reason = f"{type(error).__name__}: {error}"[:500]
    return Quarantined(reason=reason, kind=kind, payload=payload)
