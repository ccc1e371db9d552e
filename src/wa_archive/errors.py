"""wa-archive's exceptions. Every error a user can cause is a ``WaArchiveError``.

::

    WaArchiveError                 base; the CLI prints its message as one line, exit code 1
    ├── UserInputError             a bad argument, file or option (missing file, not a store, …)
    │   ├── UnknownChatError       a chat jid the archive does not hold
    │   └── DamagedInputError      a file cut short or corrupt; carries what was recovered
    ├── DatabaseError              the database is unreachable or refused (URL password masked)
    ├── UnsupportedPlatformError   live capture needs neonize's Linux x86_64/aarch64 build
    └── CaptureStopped             a live account stopped for a reason the user must act on

Third-party errors (SQLAlchemy, psycopg, OSError) are mapped to these at the edge.
"""

from __future__ import annotations

from typing import Any


class WaArchiveError(Exception):
    """Base of every error wa-archive raises on purpose."""

    exit_code = 1


class UserInputError(WaArchiveError):
    """The user gave something wa-archive cannot use; the message says what and where."""

    exit_code = 2


class UnknownChatError(UserInputError):
    """A chat that the archive does not hold."""


class DamagedInputError(UserInputError):
    """An input file is damaged; ``report`` holds what was recovered before the damage."""

    def __init__(self, message: str, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class DatabaseError(WaArchiveError):
    """The database could not be reached or refused an operation."""

    exit_code = 3


class UnsupportedPlatformError(WaArchiveError):
    """Live capture is not available on this platform."""


class CaptureStopped(WaArchiveError):
    """A live account stopped for a reason the user must act on (logged out, banned, …)."""
