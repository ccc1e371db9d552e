"""Old Baileys ``makeInMemoryStore`` files: stream any layout, recover from damage, import.

``read_store`` is the pure reader (file → batches of records); ``import_baileys_store``
writes those batches to an archive and returns a ``StoreImportReport``.
"""

from wa_archive.sources.baileys_store.decoders import Decoders
from wa_archive.sources.baileys_store.importer import (
    PIPELINE_MIN_BYTES,
    Progress,
    import_baileys_store,
    open_source,
)
from wa_archive.sources.baileys_store.layout import STORE_KEYS, Layout, StoreItem
from wa_archive.sources.baileys_store.pipeline import PipedReader, ReaderCrashed
from wa_archive.sources.baileys_store.reader import StoreReader, read_store
from wa_archive.sources.baileys_store.report import ReadOutcome, ReadStats, StoreImportReport
from wa_archive.sources.baileys_store.stream import StoreFile

__all__ = [
    "PIPELINE_MIN_BYTES",
    "STORE_KEYS",
    "Decoders",
    "Layout",
    "PipedReader",
    "Progress",
    "ReadOutcome",
    "ReadStats",
    "ReaderCrashed",
    "StoreFile",
    "StoreImportReport",
    "StoreItem",
    "StoreReader",
    "import_baileys_store",
    "open_source",
    "read_store",
]
