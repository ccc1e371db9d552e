"""Upgrading an empty database to head yields exactly the declared schema, on both dialects."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from wa_archive import Archive
from wa_archive.store import migrate
from wa_archive.store.engine import create_archive_engine
from wa_archive.store.schema import metadata

from ..conftest import PG_DSN


def _diff(engine) -> list:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, metadata)
    # The full-text artefacts are dialect-specific and deliberately not in the model.
    return [d for d in diffs if "fts" not in repr(d) and "text_tsv" not in repr(d)]


def test_sqlite_upgrade_matches_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_archive_engine(tmp_path / "a.db")
    assert migrate.upgrade(engine) == migrate.head_revision()
    assert _diff(engine) == []
    names = set(inspect(engine).get_table_names())
    assert {"messages", "messages_fts", "identities", "journal"} <= names


def test_postgresql_upgrade_matches_model(pg_url: str) -> None:
    schema = f"wa_mig_{uuid.uuid4().hex[:8]}"
    engine = create_archive_engine(f"{PG_DSN}?search_path={schema}")
    try:
        assert migrate.upgrade(engine) == migrate.head_revision()
        assert _diff(engine) == []
        columns = {c["name"] for c in inspect(engine).get_columns("messages", schema=schema)}
        assert "text_tsv" in columns
    finally:
        engine.dispose()
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_open_upgrades_automatically_and_is_repeatable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.db"
    Archive.open(path).close()
    with Archive.open(path) as archive:
        assert migrate.current_revision(archive.engine) == migrate.head_revision()


@pytest.mark.parametrize("bad", ["mysql://x/y", "postgresql://u:s3cret@127.0.0.1:1/nope"])
def test_bad_database_is_one_clear_error_without_password(bad: str) -> None:
    from wa_archive.errors import WaArchiveError

    with pytest.raises(WaArchiveError) as info:
        Archive.open(bad)
    assert "s3cret" not in str(info.value)
