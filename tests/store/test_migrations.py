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


def _step(engine, command_name: str, revision: str) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    with engine.begin() as conn:
        getattr(command, command_name)(migrate.alembic_config(conn), revision)


def _foreign_keys(engine) -> int:  # type: ignore[no-untyped-def]
    inspector = inspect(engine)
    return sum(len(inspector.get_foreign_keys(t)) for t in inspector.get_table_names())


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_0002_drops_the_account_foreign_keys_and_keeps_the_rows(
    dialect: str, tmp_path, pg_url: str
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from wa_archive.records import Batch, MessageRecord

    schema = f"wa_mig_{uuid.uuid4().hex[:8]}"
    url = str(tmp_path / "a.db") if dialect == "sqlite" else f"{PG_DSN}?search_path={schema}"
    engine = create_archive_engine(url)
    try:
        _step(engine, "upgrade", "0001")
        assert _foreign_keys(engine) == 16
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO accounts (name, state, created_at) VALUES ('a', 'new', "
                              + ("0" if dialect == "sqlite" else "now()") + ")"))  # fmt: skip
        engine.dispose()
        with Archive.open(url) as archive:  # upgrades to head
            account = archive.ensure_account("a")
            records = [
                MessageRecord(chat="1@s.whatsapp.net", sender="1@s.whatsapp.net", id=f"M{i}",
                              from_me=False, timestamp=1_700_000_000_000 + i,
                              text=f"needle {i}", raw=b"{}", richness=1)
                for i in range(3)
            ]  # fmt: skip
            archive.write(account, Batch(messages=records))
            assert _foreign_keys(archive.engine) == 0
            with archive.engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM messages")).scalar() == 3
            if dialect == "sqlite":
                with archive.engine.connect() as conn:
                    assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                    fts = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'needle'"
                    assert conn.exec_driver_sql(fts).scalar() == 3
        _step(engine, "downgrade", "0001")
        assert _foreign_keys(engine) == 16
        _step(engine, "upgrade", "head")
        assert _diff(engine) == []
    finally:
        engine.dispose()
        if dialect == "postgresql":
            with psycopg.connect(PG_DSN, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_pending_effects_are_found_per_chat_not_per_account(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The writer's per-batch look-up (store/effects.py): with only (account_id, applied)
    # indexed, SQLite read every pending effect of the account for every batch.
    with Archive.open(tmp_path / "c.db") as archive, archive.engine.connect() as conn:
        for table in ("message_edits", "message_revokes"):
            plan = conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN SELECT chat, target_id FROM {table} "
                "WHERE account_id = 1 AND applied = 0 AND chat IN ('a', 'b')"
            ).fetchall()
            assert "applied=? AND chat=?" in plan[0][-1]
