"""Fixtures for live-capture tests: an archive per dialect and a real (never connected) client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_helpers import OPEN_JOURNALS
from sqlalchemy import create_engine, text

import wa_archive.sources.live.client  # noqa: F401
from wa_archive import Archive
from wa_archive.settings import Settings

PG = os.environ.get("WA_ARCHIVE_TEST_PG", "postgresql://root@127.0.0.1:5432/test")


def pg_url(schema: str) -> str:
    """The test PostgreSQL URL with the archive's tables in ``schema``."""
    sep = "&" if "?" in PG else "?"
    return f"{PG}{sep}search_path={schema}"


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards."""
    schema = f"t_live_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def live_archive(request: Any, tmp_path: Path) -> Iterator[Archive]:
    """An empty archive on SQLite and on PostgreSQL (own schema), home in ``tmp_path``."""
    if request.param == "sqlite":
        target = str(tmp_path / "archive.db")
    else:
        target = pg_url(request.getfixturevalue("pg_schema"))
    archive = Archive.open(target, settings=Settings.load(home=str(tmp_path), db=target))
    yield archive
    while OPEN_JOURNALS:  # a journal keeps its connection checked out between appends
        OPEN_JOURNALS.pop().close()
    archive.close()
