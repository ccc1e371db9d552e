"""Where an account's neonize session (its keys) lives: next to the archive, never in a log.

PostgreSQL archives keep each account's whatsmeow tables in their own schema of the same
database (``search_path`` in the session URL); SQLite archives keep a sibling file with mode
0600. The session is always opened with an explicit uuid, because neonize would otherwise use
the whole URL, password included, as the session's name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, text

from wa_archive.errors import UserInputError

_ACCOUNT_RE = re.compile(r"^[a-z0-9_]{1,40}$")
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Session:
    """The neonize session store of one account: ``name`` goes to neonize, ``shown`` to people."""

    account: str
    name: str
    uuid: str
    shown: str
    schema: str | None = None

    def __repr__(self) -> str:
        return f"Session({self.account!r}, {self.shown!r})"


def check_account_name(account: str) -> str:
    """Return ``account`` if it is a valid account name (a-z, 0-9, _; at most 40), else raise."""
    if not _ACCOUNT_RE.match(account):
        raise UserInputError(
            f"invalid account name {account!r}: use 1-40 lowercase letters, digits or '_'"
        )
    return account


def session_for(engine: Engine, account: str) -> Session:
    """The session store of ``account`` in the archive behind ``engine``."""
    check_account_name(account)
    uuid = f"wa-archive-{account}"
    url = engine.url
    if url.get_backend_name() == "sqlite":
        db = url.database or ""
        if not db or db == ":memory:":
            raise UserInputError("live capture needs a file or PostgreSQL archive, not :memory:")
        path = Path(db).resolve()
        session = path.with_name(f"{path.stem}.session-{account}.db")
        return Session(account, str(session), uuid, str(session))
    schema = f"wa_session_{account}"
    return Session(account, _pq_url(engine, schema), uuid, _pq_url(engine, schema, True), schema)


def _pq_url(engine: Engine, schema: str, masked: bool = False) -> str:
    """A lib/pq URL for the archive's database with ``search_path`` set to ``schema``."""
    url = engine.url
    auth = quote(url.username or "", safe="")
    if url.password is not None:
        auth += ":" + ("***" if masked else quote(str(url.password), safe=""))
    host = url.host or "localhost"
    if ":" in host:
        host = f"[{host}]"
    port = f":{url.port}" if url.port else ""
    query = dict(url.query)
    sslmode = str(query.get("sslmode") or ("disable" if url.host in _LOCAL_HOSTS else "require"))
    at = "@" if auth else ""
    return (
        f"postgres://{auth}{at}{host}{port}/{url.database}?sslmode={sslmode}&search_path={schema}"
    )


def prepare_session(engine: Engine, session: Session) -> None:
    """Create the session's schema, or its file with mode 0600, before neonize opens it."""
    if session.schema is not None:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{session.schema}"'))
        return
    fd = os.open(session.name, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(session.name, 0o600)


def secure_session_files(session: Session) -> None:
    """Keep the session file and its SQLite side files private (mode 0600)."""
    if session.schema is not None:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(session.name + suffix)
        if path.exists():
            os.chmod(path, 0o600)
