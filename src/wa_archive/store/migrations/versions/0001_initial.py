"""initial schema: every table of the archive

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from wa_archive.store.types import UtcTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("jid", sa.String(length=100), nullable=True),
        sa.Column("push_name", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=30), server_default="new", nullable=False),
        sa.Column("created_at", UtcTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_accounts_name"),
    )
    op.create_table(
        "chat_coverage",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("oldest_at", UtcTime(), nullable=True),
        sa.Column("newest_at", UtcTime(), nullable=True),
        sa.Column("end_of_history", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "chat"),
    )
    op.create_table(
        "chats",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("jid", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=True),
        sa.Column("muted_until", UtcTime(), nullable=True),
        sa.Column("unread_count", sa.Integer(), nullable=True),
        sa.Column("ephemeral_expiration", sa.Integer(), nullable=True),
        sa.Column("ephemeral_setting_at", UtcTime(), nullable=True),
        sa.Column("last_message_at", UtcTime(), nullable=True),
        sa.Column("pn_jid", sa.String(length=100), nullable=True),
        sa.Column("lid_jid", sa.String(length=100), nullable=True),
        sa.Column("read_only", sa.Boolean(), nullable=True),
        sa.Column("end_of_history", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "jid"),
    )
    op.create_index(
        "ix_chats_last_message", "chats", ["account_id", "last_message_at"], unique=False
    )
    op.create_table(
        "contacts",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("jid", sa.String(length=100), nullable=False),
        sa.Column("saved_name", sa.Text(), nullable=True),
        sa.Column("push_name", sa.Text(), nullable=True),
        sa.Column("verified_name", sa.Text(), nullable=True),
        sa.Column("business_name", sa.Text(), nullable=True),
        sa.Column("phone_number", sa.String(length=40), nullable=True),
        sa.Column("lid", sa.String(length=100), nullable=True),
        sa.Column("picture_url", sa.Text(), nullable=True),
        sa.Column("last_seen_at", UtcTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "jid"),
    )
    op.create_table(
        "group_participants",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("group_jid", sa.String(length=100), nullable=False),
        sa.Column("member", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("has_left", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UtcTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "group_jid", "member"),
    )
    op.create_table(
        "identities",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("lid", sa.String(length=100), nullable=False),
        sa.Column("pn", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "lid"),
    )
    op.create_index("ix_identities_pn", "identities", ["account_id", "pn"], unique=False)
    op.create_table(
        "journal",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("received_at", UtcTime(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("processed_at", UtcTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "id"),
    )
    op.create_index(
        "ix_journal_unprocessed", "journal", ["account_id", "processed_at"], unique=False
    )
    op.create_table(
        "label_links",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.String(length=64), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "label_id", "chat", "message_id"),
    )
    op.create_table(
        "labels",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("color", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("predefined_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "id"),
    )
    op.create_table(
        "media",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("sender", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mimetype", sa.String(length=255), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.LargeBinary(), nullable=True),
        sa.Column("enc_sha256", sa.LargeBinary(), nullable=True),
        sa.Column("media_key", sa.LargeBinary(), nullable=True),
        sa.Column("media_key_timestamp", sa.BigInteger(), nullable=True),
        sa.Column("direct_path", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("local_path", sa.Text(), nullable=True),
        sa.Column("download_state", sa.String(length=20), nullable=True),
        sa.Column("download_error", sa.Text(), nullable=True),
        sa.Column("download_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("richness", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "chat", "message_id", "sender"),
    )
    op.create_table(
        "message_edits",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("target_id", sa.String(length=128), nullable=False),
        sa.Column("edit_id", sa.String(length=128), nullable=False),
        sa.Column("editor", sa.String(length=100), nullable=False),
        sa.Column("edited_at", UtcTime(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(length=64), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "chat", "target_id", "edit_id"),
    )
    op.create_index(
        "ix_message_edits_pending", "message_edits", ["account_id", "applied"], unique=False
    )
    op.create_table(
        "message_revokes",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("target_id", sa.String(length=128), nullable=False),
        sa.Column("revoke_id", sa.String(length=128), nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=False),
        sa.Column("revoked_at", UtcTime(), nullable=True),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "chat", "target_id", "revoke_id"),
    )
    op.create_index(
        "ix_message_revokes_pending", "message_revokes", ["account_id", "applied"], unique=False
    )
    op.create_table(
        "messages",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("sender", sa.String(length=100), nullable=False),
        sa.Column("from_me", sa.Boolean(), nullable=False),
        sa.Column("timestamp", UtcTime(), nullable=True),
        sa.Column("content_type", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("original_text", sa.Text(), nullable=True),
        sa.Column("is_system", sa.Boolean(), nullable=False),
        sa.Column("stub_type", sa.String(length=64), nullable=True),
        sa.Column(
            "stub_params",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("quoted_id", sa.String(length=128), nullable=True),
        sa.Column("quoted_sender", sa.String(length=100), nullable=True),
        sa.Column("quoted_text", sa.Text(), nullable=True),
        sa.Column(
            "mentions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("forwarded", sa.Boolean(), nullable=False),
        sa.Column("forwarding_score", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("push_name", sa.Text(), nullable=True),
        sa.Column("message_secret", sa.LargeBinary(), nullable=True),
        sa.Column(
            "attrs",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("raw_format", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("richness", sa.BigInteger(), nullable=False),
        sa.Column("timestamp_suspect", sa.Boolean(), nullable=False),
        sa.Column("edited_at", UtcTime(), nullable=True),
        sa.Column("deleted_at", UtcTime(), nullable=True),
        sa.Column("deleted_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "chat", "id", "sender"),
    )
    op.create_index(
        "ix_messages_chat_time", "messages", ["account_id", "chat", "timestamp"], unique=False
    )
    op.create_table(
        "poll_votes",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("poll_id", sa.String(length=128), nullable=False),
        sa.Column("voter", sa.String(length=100), nullable=False),
        sa.Column("timestamp", UtcTime(), nullable=True),
        sa.Column(
            "options",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "option_hashes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("enc_payload", sa.LargeBinary(), nullable=True),
        sa.Column("enc_iv", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "chat", "poll_id", "voter"),
    )
    op.create_table(
        "reactions",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("target_id", sa.String(length=128), nullable=False),
        sa.Column("reactor", sa.String(length=100), nullable=False),
        sa.Column("emoji", sa.Text(), nullable=False),
        sa.Column("timestamp", UtcTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "chat", "target_id", "reactor"),
    )
    op.create_table(
        "receipts",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chat", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("timestamp", UtcTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "chat", "message_id", "recipient", "type"),
    )
    op.create_table(
        "sync_state",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("first_paired_at", UtcTime(), nullable=True),
        sa.Column("full_sync_requested_at", UtcTime(), nullable=True),
        sa.Column("history_chunks", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("history_progress", sa.Integer(), nullable=True),
        sa.Column("history_messages", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_connected_at", UtcTime(), nullable=True),
        sa.Column("last_event_at", UtcTime(), nullable=True),
        sa.Column("state", sa.String(length=30), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("account_id"),
    )

    _create_full_text_index()


def _create_full_text_index() -> None:
    """SQLite: FTS5 over messages.text (rows appended by the writer, edits kept by triggers).

    PostgreSQL: a generated tsvector column with a GIN index ('simple' config: any language).
    """
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE messages ADD COLUMN text_tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', coalesce(text, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_messages_text_tsv ON messages USING gin (text_tsv)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', "
        "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages "
        "WHEN old.text IS NOT new.text BEGIN "
        "INSERT INTO messages_fts(messages_fts, rowid, text) "
        "SELECT 'delete', old.rowid, old.text WHERE old.text IS NOT NULL; "
        "INSERT INTO messages_fts(rowid, text) SELECT new.rowid, new.text "
        "WHERE new.text IS NOT NULL; END"
    )
    op.execute(
        "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages "
        "WHEN old.text IS NOT NULL BEGIN "
        "INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
        "END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS messages_fts")
    op.drop_table("sync_state")
    op.drop_table("receipts")
    op.drop_table("reactions")
    op.drop_table("poll_votes")
    op.drop_index("ix_messages_chat_time", table_name="messages")
    op.drop_table("messages")
    op.drop_index("ix_message_revokes_pending", table_name="message_revokes")
    op.drop_table("message_revokes")
    op.drop_index("ix_message_edits_pending", table_name="message_edits")
    op.drop_table("message_edits")
    op.drop_table("media")
    op.drop_table("labels")
    op.drop_table("label_links")
    op.drop_index("ix_journal_unprocessed", table_name="journal")
    op.drop_table("journal")
    op.drop_index("ix_identities_pn", table_name="identities")
    op.drop_table("identities")
    op.drop_table("group_participants")
    op.drop_table("contacts")
    op.drop_index("ix_chats_last_message", table_name="chats")
    op.drop_table("chats")
    op.drop_table("chat_coverage")
    op.drop_table("accounts")
