"""Import one store file into an archive: stream, decode, write batch by batch, report."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from wa_archive.errors import DamagedInputError
from wa_archive.records import Batch
from wa_archive.sources.baileys_store.decoders import Decoders
from wa_archive.sources.baileys_store.pipeline import PipedReader
from wa_archive.sources.baileys_store.reader import DEFAULT_BATCH, StoreReader
from wa_archive.sources.baileys_store.report import ReadOutcome, StoreImportReport
from wa_archive.sources.baileys_store.stream import checked_size

if TYPE_CHECKING:  # the reader child imports this package, and must not load the store
    from wa_archive.store.writer import WriteReport

Progress = Callable[[int, int, int], None]
"""Called after each batch with (bytes_read, total_bytes, messages_read)."""

PIPELINE_MIN_BYTES = 16 << 20
"""Files at least this large are read and decoded in a child process by default."""


class BatchWriter(Protocol):
    """The part of ``wa_archive.Archive`` an import needs."""

    @property
    def batch_messages(self) -> int: ...

    def write_all(
        self, account_id: int, batches: Iterable[Batch]
    ) -> Iterator[tuple[Batch, WriteReport]]: ...


class BatchSource(Protocol):
    """A store reader in this process (``StoreReader``) or in a child (``PipedReader``)."""

    @property
    def bytes_read(self) -> int: ...

    @property
    def messages_read(self) -> int: ...

    def __iter__(self) -> Iterator[Batch]: ...

    def outcome(self) -> ReadOutcome: ...

    def close(self) -> None: ...


def open_source(
    path: str | os.PathLike[str],
    *,
    decoders: Decoders | None = None,
    batch_size: int = DEFAULT_BATCH,
    workers: int | None = None,
) -> BatchSource:
    """The batch source for a file: a child process (``workers=1``) or this one (``0``).

    ``None`` picks the child for files of ``PIPELINE_MIN_BYTES`` or more when the real
    decoders are used, this process otherwise (tiny files, injected fake decoders).
    """
    if workers is None:
        big = checked_size(Path(path)) >= PIPELINE_MIN_BYTES
        workers = 1 if big and decoders is None else 0
    if workers > 0:
        return PipedReader(path, decoders=decoders, batch_size=batch_size)
    return StoreReader(path, decoders=decoders, batch_size=batch_size)


def import_baileys_store(
    archive: BatchWriter,
    account_id: int,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    decoders: Decoders | None = None,
    batch_size: int | None = None,
    workers: int | None = None,
) -> StoreImportReport:
    """Import every message, chat, contact and label of a store file; one transaction per batch.

    Re-running on the same (or a longer) file is safe and adds nothing twice. A damaged
    file raises ``DamagedInputError`` after everything before the damage is written;
    its ``report`` says what was recovered. ``batch_size`` (messages) defaults to what
    suits the archive's database (``archive.batch_messages``); ``workers`` as in
    ``open_source``.
    """
    started = time.monotonic()
    size = checked_size(Path(path))
    batch_size = batch_size or archive.batch_messages
    source = open_source(path, decoders=decoders, batch_size=batch_size, workers=workers)
    report = StoreImportReport(path=str(Path(path)), bytes_total=size)
    try:
        with _no_cycle_collection():
            for batch, written in archive.write_all(account_id, source):
                report.add_write(written, repeats=batch.repeats)
                del batch  # not held while the next one is written (~10 MB)
                if progress is not None:
                    progress(source.bytes_read, size, source.messages_read)
    except DamagedInputError as err:
        report.finish(source.outcome(), time.monotonic() - started)
        raise DamagedInputError(f"{err}; {_recovered(report)}", report) from None
    finally:
        source.close()
    report.finish(source.outcome(), time.monotonic() - started)
    if progress is not None:
        progress(report.bytes_read, report.bytes_total, report.messages_read)
    return report


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while batches are written, then collect once.

    Every row the writer builds is a new tuple, alive until its batch is written: the
    collector traversed each batch's ~50k of them once per batch for nothing (2.1 s of a
    1M-message import, ~6% of the writer). Writing a batch makes no reference cycles of
    its own; what a cycle elsewhere leaves behind is collected when the import ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()


def _recovered(report: StoreImportReport) -> str:
    """What a damaged import still brought in, as one clause."""
    if not report.messages_read and not report.chats and not report.contacts:
        return "nothing before the damage could be imported"
    return (
        f"imported everything before it: {report.messages_read} messages "
        f"({report.messages_new} new), {report.chats} chats, {report.contacts} contacts"
    )
