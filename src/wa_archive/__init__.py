"""wa-archive: a durable, searchable WhatsApp archive (the store Baileys users lost).

The public surface is ``Archive`` (open, write, query), ``Settings``, the records in
``wa_archive.records`` and the errors in ``wa_archive.errors``.

``Archive``, ``Settings`` and ``WriteReport`` are imported on first use: they pull in
SQLAlchemy and Alembic (0.45 s), which a process that only reads and decodes (the
store-file reader child) never needs.
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    DamagedInputError,
    DatabaseError,
    UnknownChatError,
    UserInputError,
    WaArchiveError,
)
from .records import OWN, Batch

if TYPE_CHECKING:
    from .archive import Archive
    from .settings import Settings
    from .store.writer import WriteReport

__version__ = "0.1.0"

_LAZY = {
    "Archive": ".archive",
    "Settings": ".settings",
    "WriteReport": ".store.writer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wa_archive' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


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
