"""The merge rule of every table, as one ``Upsert`` per table and dialect.

These rules make the archive idempotent and order-independent: replaying any records in
any order converges to the same rows.
"""

from __future__ import annotations

from functools import cache

from .sql import Upsert, greatest, least

MESSAGE_COLUMNS = (
    "account_id", "chat", "id", "sender", "from_me", "timestamp", "content_type", "text",
    "original_text", "is_system", "stub_type", "stub_params", "quoted_id", "quoted_sender",
    "quoted_text", "mentions", "forwarded", "forwarding_score", "status", "push_name",
    "message_secret", "attrs", "raw", "raw_format", "source", "richness", "timestamp_suspect",
)  # fmt: skip
MEDIA_COLUMNS = (
    "account_id", "chat", "message_id", "sender", "kind", "mimetype", "size", "sha256",
    "enc_sha256", "media_key", "media_key_timestamp", "direct_path", "url", "width", "height",
    "duration", "page_count", "file_name", "thumbnail", "local_path", "richness",
)  # fmt: skip
CHAT_COLUMNS = (
    "account_id", "jid", "kind", "name", "archived", "pinned", "muted_until", "unread_count",
    "ephemeral_expiration", "ephemeral_setting_at", "last_message_at", "pn_jid", "lid_jid",
    "read_only", "end_of_history",
)  # fmt: skip
CONTACT_COLUMNS = (
    "account_id", "jid", "saved_name", "push_name", "verified_name", "business_name",
    "phone_number", "lid", "picture_url",
)  # fmt: skip


def _richer_wins(table: str, columns: tuple[str, ...], keys: tuple[str, ...]) -> dict[str, str]:
    richer = f"excluded.richness > {table}.richness"
    return {
        c: f"CASE WHEN {richer} THEN excluded.{c} ELSE {table}.{c} END"
        for c in columns
        if c not in keys
    }


def _coalesce_all(table: str, columns: tuple[str, ...], keys: tuple[str, ...]) -> dict[str, str]:
    return {c: f"COALESCE(excluded.{c}, {table}.{c})" for c in columns if c not in keys}


@cache
def upserts(dialect: str) -> dict[str, Upsert]:
    """The upsert of every table for ``dialect`` ('sqlite' or 'postgresql')."""
    return {u.table: u for u in _build(dialect)}


def _build(d: str) -> list[Upsert]:
    msg_keys = ("account_id", "chat", "id", "sender")
    msg_update = _richer_wins("messages", MESSAGE_COLUMNS, msg_keys)
    msg_update["text"] = (
        "CASE WHEN excluded.richness > messages.richness AND messages.edited_at IS NULL "
        "THEN excluded.text ELSE messages.text END"
    )
    msg_update["status"] = greatest(d, "excluded.status", "messages.status")
    msg_update["push_name"] = "COALESCE(excluded.push_name, messages.push_name)"
    msg_update["message_secret"] = "COALESCE(messages.message_secret, excluded.message_secret)"
    media_keys = ("account_id", "chat", "message_id", "sender")
    media_update = _richer_wins("media", MEDIA_COLUMNS, media_keys)
    media_update["local_path"] = "COALESCE(excluded.local_path, media.local_path)"
    chat_update = _coalesce_all("chats", CHAT_COLUMNS, ("account_id", "jid"))
    chat_update["last_message_at"] = greatest(
        d, "excluded.last_message_at", "chats.last_message_at"
    )
    latest = "COALESCE(excluded.timestamp, -1) > COALESCE({t}.timestamp, -1)"
    if d == "postgresql":
        latest = (
            "COALESCE(excluded.timestamp, 'epoch'::timestamptz) > "
            "COALESCE({t}.timestamp, 'epoch'::timestamptz)"
        )
    return [
        Upsert(
            "messages",
            MESSAGE_COLUMNS,
            msg_keys,
            msg_update,
            "excluded.richness > messages.richness "
            "OR COALESCE(excluded.status, -1) > COALESCE(messages.status, -1) "
            "OR (messages.message_secret IS NULL AND excluded.message_secret IS NOT NULL) "
            "OR (messages.push_name IS NULL AND excluded.push_name IS NOT NULL)",
        ),
        Upsert(
            "media",
            MEDIA_COLUMNS,
            media_keys,
            media_update,
            "excluded.richness > media.richness "
            "OR (media.local_path IS NULL AND excluded.local_path IS NOT NULL)",
        ),
        Upsert(
            "message_edits",
            (
                "account_id",
                "chat",
                "target_id",
                "edit_id",
                "editor",
                "edited_at",
                "text",
                "content_type",
                "raw",
                "applied",
            ),
            ("account_id", "chat", "target_id", "edit_id"),
        ),
        Upsert(
            "message_revokes",
            ("account_id", "chat", "target_id", "revoke_id", "revoked_by", "revoked_at", "applied"),
            ("account_id", "chat", "target_id", "revoke_id"),
        ),
        Upsert(
            "reactions",
            ("account_id", "chat", "target_id", "reactor", "emoji", "timestamp"),
            ("account_id", "chat", "target_id", "reactor"),
            {"emoji": "excluded.emoji", "timestamp": "excluded.timestamp"},
            latest.format(t="reactions")
            + " OR (excluded.timestamp = reactions.timestamp AND excluded.emoji > reactions.emoji)",
        ),
        Upsert(
            "receipts",
            ("account_id", "chat", "message_id", "recipient", "type", "timestamp"),
            ("account_id", "chat", "message_id", "recipient", "type"),
            {"timestamp": least(d, "excluded.timestamp", "receipts.timestamp")},
            "receipts.timestamp IS NULL OR excluded.timestamp < receipts.timestamp",
        ),
        Upsert(
            "poll_votes",
            (
                "account_id",
                "chat",
                "poll_id",
                "voter",
                "timestamp",
                "options",
                "option_hashes",
                "enc_payload",
                "enc_iv",
            ),
            ("account_id", "chat", "poll_id", "voter"),
            {
                c: f"excluded.{c}"
                for c in ("timestamp", "options", "option_hashes", "enc_payload", "enc_iv")
            },
            latest.format(t="poll_votes")
            + " OR (excluded.timestamp = poll_votes.timestamp AND poll_votes.options IS NULL"
            " AND excluded.options IS NOT NULL)",
        ),
        Upsert("chats", CHAT_COLUMNS, ("account_id", "jid"), chat_update),
        Upsert(
            "contacts",
            CONTACT_COLUMNS,
            ("account_id", "jid"),
            _coalesce_all("contacts", CONTACT_COLUMNS, ("account_id", "jid")),
        ),
        Upsert("identities", ("account_id", "lid", "pn"), ("account_id", "lid")),
        Upsert(
            "group_participants",
            ("account_id", "group_jid", "member", "role", "has_left", "updated_at"),
            ("account_id", "group_jid", "member"),
            {c: f"excluded.{c}" for c in ("role", "has_left", "updated_at")},
            "group_participants.updated_at IS NULL OR excluded.updated_at >= "
            "group_participants.updated_at",
        ),
        Upsert(
            "labels",
            ("account_id", "id", "name", "color", "deleted", "predefined_id"),
            ("account_id", "id"),
            {
                "name": "COALESCE(excluded.name, labels.name)",
                "color": "COALESCE(excluded.color, labels.color)",
                "deleted": "excluded.deleted",
                "predefined_id": "COALESCE(excluded.predefined_id, labels.predefined_id)",
            },
        ),
        Upsert(
            "label_links",
            ("account_id", "label_id", "chat", "message_id"),
            ("account_id", "label_id", "chat", "message_id"),
        ),
        Upsert(
            "chat_coverage",
            ("account_id", "chat", "oldest_at", "newest_at", "end_of_history"),
            ("account_id", "chat"),
            {
                "oldest_at": least(d, "excluded.oldest_at", "chat_coverage.oldest_at"),
                "newest_at": greatest(d, "excluded.newest_at", "chat_coverage.newest_at"),
                "end_of_history": "COALESCE(excluded.end_of_history, chat_coverage.end_of_history)",
            },
        ),
        Upsert(
            "journal",
            (
                "account_id",
                "id",
                "source",
                "kind",
                "received_at",
                "payload",
                "processed_at",
                "error",
            ),
            ("account_id", "id"),
        ),
    ]
