"""Shared fixtures: an ``archive`` on a real SQLite file and on a real PostgreSQL schema."""

from __future__ import annotations

import io
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from wa_archive import Archive
from wa_archive.store.schema import metadata


def _import_neonize_without_leaking_a_pipe() -> None:
    """neonize runs ``os.popen("uname -a").read()`` at import and never closes the pipe.

    The leaked file would raise a ResourceWarning (an error here) inside whichever test next
    starts a subprocess; import it once with an ``os.popen`` that closes what it opens.
    """
    real_popen = os.popen

    def closing_popen(cmd: str, mode: str = "r", buffering: int = -1) -> io.StringIO:
        with real_popen(cmd, mode, buffering) as pipe:
            return io.StringIO(pipe.read())

    os.popen = closing_popen  # type: ignore[assignment]
    try:
        import neonize.events  # noqa: F401
    finally:
        os.popen = real_popen


_import_neonize_without_leaking_a_pipe()

PG_DSN = os.environ.get("WA_ARCHIVE_TEST_PG", "postgresql://root@127.0.0.1:5432/test")
ON_CI = os.environ.get("CI", "").lower() == "true"


def _pg_reachable() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_DSN, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a schema private to this test process."""
    problem = _pg_reachable()
    if problem:
        if ON_CI:
            pytest.fail(f"PostgreSQL is required under CI=true: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    schema = f"wa_test_{uuid.uuid4().hex[:10]}"
    sep = "&" if "?" in PG_DSN else "?"
    url = f"{PG_DSN}{sep}search_path={schema}"
    yield url
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, fully migrated SQLite archive to copy for each test."""
    path = tmp_path_factory.mktemp("template") / "archive.db"
    Archive.open(path).close()
    return path


@pytest.fixture(scope="session")
def pg_archive(pg_url: str) -> Iterator[Archive]:
    """One migrated PostgreSQL archive per test process; tests get it emptied."""
    archive = Archive.open(pg_url)
    yield archive
    archive.close()


def _empty(archive: Archive) -> None:
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with archive.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    """An empty archive on a real SQLite file, then on a real PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "archive.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        arch = Archive.open(path)
        yield arch
        arch.close()
        return
    shared = request.getfixturevalue("pg_archive")
    _empty(shared)
    # A fresh Archive on the shared engine: no cache survives the emptied tables.
    yield Archive(shared.engine, shared.settings)


@pytest.fixture
def account(archive: Archive) -> int:
    """A fresh account in the archive under test."""
    return archive.ensure_account("test")
