"""Import one store file into an archive: stream, decode, write batch by batch, report."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, Protocol

from wa_archive.errors import DamagedInputError
from wa_archive.records import Batch
from wa_archive.sources.baileys_store.decoders import Decoders
from wa_archive.sources.baileys_store.reader import DEFAULT_BATCH, StoreReader
from wa_archive.sources.baileys_store.report import StoreImportReport

Progress = Callable[[int, int, int], None]
"""Called after each batch with (bytes_read, total_bytes, messages_read)."""


class BatchWriter(Protocol):
    """The part of ``wa_archive.Archive`` an import needs."""

    def write(self, account_id: int, batch: Batch) -> Any: ...


def import_baileys_store(
    archive: BatchWriter,
    account_id: int,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    decoders: Decoders | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> StoreImportReport:
    """Import every message, chat, contact and label of a store file; one transaction per batch.

    Re-running on the same (or a longer) file is safe and adds nothing twice. A damaged
    file raises ``DamagedInputError`` after everything before the damage is written;
    its ``report`` says what was recovered.
    """
    started = time.monotonic()
    reader = StoreReader(path, decoders=decoders, batch_size=batch_size)
    report = StoreImportReport(path=str(reader.file.path), bytes_total=reader.file.size)
    try:
        for batch in reader:
            report.add_write(archive.write(account_id, batch))
            if progress is not None:
                progress(reader.file.bytes_read, report.bytes_total, reader.stats.messages_read)
    except DamagedInputError as err:
        _close(report, reader, started)
        raise DamagedInputError(f"{err}; {_recovered(report)}", report) from None
    _close(report, reader, started)
    if progress is not None:
        progress(report.bytes_read, report.bytes_total, report.messages_read)
    return report


def _close(report: StoreImportReport, reader: StoreReader, started: float) -> None:
    """Fill the report from the reader once the file is done (or damaged)."""
    report.absorb(reader.stats)
    report.layout = reader.file.layout.describe()
    report.bytes_read = reader.file.bytes_read
    report.damaged_at = reader.file.damaged_at
    report.damage = reader.file.damage
    report.seconds = round(time.monotonic() - started, 3)


def _recovered(report: StoreImportReport) -> str:
    """What a damaged import still brought in, as one clause."""
    if not report.messages_read and not report.chats and not report.contacts:
        return "nothing before the damage could be imported"
    return (
        f"imported everything before it: {report.messages_read} messages "
        f"({report.messages_new} new), {report.chats} chats, {report.contacts} contacts"
    )
