"""The archive's tables (SQLAlchemy Core). Every primary and unique key starts with account_id.

Full-text artefacts are dialect-specific and created by the migrations, not declared here:
SQLite ``messages_fts`` (FTS5, external content on ``messages``, update/delete triggers) and
PostgreSQL ``messages.text_tsv`` (generated ``tsvector``) with a GIN index.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from .types import UtcTime, json_type

metadata = MetaData()


def _account() -> Column[int]:
    # No foreign key to accounts (migration 0002): the writer checks the account once.
    return Column("account_id", Integer, primary_key=True)


accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("jid", String(100)),
    Column("push_name", Text),
    Column("state", String(30), nullable=False, server_default="new"),
    Column("created_at", UtcTime, nullable=False),
    UniqueConstraint("name", name="uq_accounts_name"),
)

chats = Table(
    "chats",
    metadata,
    _account(),
    Column("jid", String(100), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", Text),
    Column("archived", Boolean),
    Column("pinned", Boolean),
    Column("muted_until", UtcTime),
    Column("unread_count", Integer),
    Column("ephemeral_expiration", Integer),
    Column("ephemeral_setting_at", UtcTime),
    Column("last_message_at", UtcTime),
    Column("pn_jid", String(100)),
    Column("lid_jid", String(100)),
    Column("read_only", Boolean),
    Column("end_of_history", Boolean),
)
Index("ix_chats_last_message", chats.c.account_id, chats.c.last_message_at)

contacts = Table(
    "contacts",
    metadata,
    _account(),
    Column("jid", String(100), primary_key=True),
    Column("saved_name", Text),
    Column("push_name", Text),
    Column("verified_name", Text),
    Column("business_name", Text),
    Column("phone_number", String(40)),
    Column("lid", String(100)),
    Column("picture_url", Text),
    Column("last_seen_at", UtcTime),
)

identities = Table(
    "identities",
    metadata,
    _account(),
    Column("lid", String(100), primary_key=True),
    Column("pn", String(100)),
)
Index("ix_identities_pn", identities.c.account_id, identities.c.pn)

messages = Table(
    "messages",
    metadata,
    _account(),
    Column("chat", String(100), primary_key=True),
    Column("id", String(128), primary_key=True),
    Column("sender", String(100), primary_key=True),
    Column("from_me", Boolean, nullable=False),
    Column("timestamp", UtcTime),
    Column("content_type", String(64)),
    Column("text", Text),
    Column("original_text", Text),
    Column("is_system", Boolean, nullable=False),
    Column("stub_type", String(64)),
    Column("stub_params", json_type()),
    Column("quoted_id", String(128)),
    Column("quoted_sender", String(100)),
    Column("quoted_text", Text),
    Column("mentions", json_type()),
    Column("forwarded", Boolean, nullable=False),
    Column("forwarding_score", Integer, nullable=False),
    Column("status", Integer),
    Column("push_name", Text),
    Column("message_secret", LargeBinary),
    Column("attrs", json_type()),
    Column("raw", LargeBinary, nullable=False),
    Column("raw_format", String(16), nullable=False),
    Column("source", String(32), nullable=False),
    Column("richness", BigInteger, nullable=False),
    Column("timestamp_suspect", Boolean, nullable=False),
    Column("edited_at", UtcTime),
    Column("deleted_at", UtcTime),
    Column("deleted_by", String(100)),
)
Index("ix_messages_chat_time", messages.c.account_id, messages.c.chat, messages.c.timestamp)

media = Table(
    "media",
    metadata,
    _account(),
    Column("chat", String(100), primary_key=True),
    Column("message_id", String(128), primary_key=True),
    Column("sender", String(100), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("mimetype", String(255)),
    Column("size", BigInteger),
    Column("sha256", LargeBinary),
    Column("enc_sha256", LargeBinary),
    Column("media_key", LargeBinary),
    Column("media_key_timestamp", BigInteger),
    Column("direct_path", Text),
    Column("url", Text),
    Column("width", Integer),
    Column("height", Integer),
    Column("duration", Integer),
    Column("page_count", Integer),
    Column("file_name", Text),
    Column("thumbnail", LargeBinary),
    Column("local_path", Text),
    Column("download_state", String(20)),
    Column("download_error", Text),
    Column("download_attempts", Integer, nullable=False, server_default=text("0")),
    Column("richness", BigInteger, nullable=False),
)

message_edits = Table(
    "message_edits",
    metadata,
    _account(),
    Column("chat", String(100), primary_key=True),
    Column("target_id", String(128), primary_key=True),
    Column("edit_id", String(128), primary_key=True),
    Column("editor", String(100), nullable=False),
    Column("edited_at", UtcTime),
    Column("text", Text),
    Column("content_type", String(64)),
    Column("raw", LargeBinary, nullable=False),
    Column("applied", Boolean, nullable=False),
)
Index(
    "ix_message_edits_pending",
    message_edits.c.account_id,
    message_edits.c.applied,
    message_edits.c.chat,
)

message_revokes = Table(
    "message_revokes",
    metadata,
    _account(),
    Column("chat", String(100), primary_key=True),
    Column("target_id", String(128), primary_key=True),
    Column("revoke_id", String(128), primary_key=True),
    Column("revoked_by", String(100), nullable=False),
    Column("revoked_at", UtcTime),
    Column("applied", Boolean, nullable=False),
)
Index(
    "ix_message_revokes_pending",
    message_revokes.c.account_id,
    message_revokes.c.applied,
    message_revokes.c.chat,
)

reactions = Table(
    "reactions",
    metadata,
    _account(),
    Column("chat", String(100), primary_key=True),
    Column("target_id", String(128), primary_key=True),
    Column("reactor", String(100), primary_key=True),
    Column("emoji", Text, nullable=False),
    Column("timestamp", UtcTime),
)

receipts = Table(
    "receipts",
    metadata,
    _account(),
    Column("chat", String(100), primary_key=True),
    Column("message_id", String(128), primary_key=True),
    Column("recipient", String(100), primary_key=True),
    Column("type", String(20), primary_key=True),
    Column("timestamp", UtcTime),
)

poll_votes = Table(
    "poll_votes",
    metadata,
    _account(),
    Column("chat", String(100), primary_key=True),
    Column("poll_id", String(128), primary_key=True),
    Column("voter", String(100), primary_key=True),
    Column("timestamp", UtcTime),
    Column("options", json_type()),
    Column("option_hashes", json_type()),
    Column("enc_payload", LargeBinary),
    Column("enc_iv", LargeBinary),
)

group_participants = Table(
    "group_participants",
    metadata,
    _account(),
    Column("group_jid", String(100), primary_key=True),
    Column("member", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("has_left", Boolean, nullable=False),
    Column("updated_at", UtcTime),
)

labels = Table(
    "labels",
    metadata,
    _account(),
    Column("id", String(64), primary_key=True),
    Column("name", Text),
    Column("color", Integer),
    Column("deleted", Boolean, nullable=False),
    Column("predefined_id", String(64)),
)

label_links = Table(
    "label_links",
    metadata,
    _account(),
    Column("label_id", String(64), primary_key=True),
    Column("chat", String(100), primary_key=True),
    Column("message_id", String(128), primary_key=True),
)

journal = Table(
    "journal",
    metadata,
    _account(),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("source", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("received_at", UtcTime, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("processed_at", UtcTime),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
)
Index("ix_journal_unprocessed", journal.c.account_id, journal.c.processed_at)

sync_state = Table(
    "sync_state",
    metadata,
    _account(),
    Column("first_paired_at", UtcTime),
    Column("full_sync_requested_at", UtcTime),
    Column("history_chunks", Integer, nullable=False, server_default=text("0")),
    Column("history_progress", Integer),
    Column("history_messages", BigInteger, nullable=False, server_default=text("0")),
    Column("last_connected_at", UtcTime),
    Column("last_event_at", UtcTime),
    Column("state", String(30)),
    Column("detail", Text),
)

chat_coverage = Table(
    "chat_coverage",
    metadata,
    _account(),
    Column("chat", String(100), primary_key=True),
    Column("oldest_at", UtcTime),
    Column("newest_at", UtcTime),
    Column("end_of_history", Boolean),
)

TIME_COLUMNS = frozenset(
    (t.name, c.name)
    for t in metadata.tables.values()
    for c in t.columns
    if isinstance(c.type, UtcTime)
)
"""(table, column) pairs holding UTC instants; the writer converts integer ms for them."""
