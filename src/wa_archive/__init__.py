"""wa-archive: a durable, searchable WhatsApp archive (the store Baileys users lost).

The public surface is ``Archive`` (open, write, query), ``Settings``, the records in
``wa_archive.records`` and the errors in ``wa_archive.errors``.
"""

from .archive import Archive
from .errors import (
    DamagedInputError,
    DatabaseError,
    UnknownChatError,
    UserInputError,
    WaArchiveError,
)
from .records import OWN, Batch
from .settings import Settings
from .store.writer import WriteReport

__version__ = "0.1.0"

__all__ = [
    "OWN",
    "Archive",
    "Batch",
    "DamagedInputError",
    "DatabaseError",
    "Settings",
    "UnknownChatError",
    "UserInputError",
    "WaArchiveError",
    "WriteReport",
    "__version__",
]
