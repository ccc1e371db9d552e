"""Messages of a chat: keyset pages before/after a message, one message, the latest one."""

from __future__ import annotations

from sqlalchemy import Connection, Row, literal, or_, select, tuple_

from ..errors import UserInputError
from ..store.rows import EFFECT_TYPES
from ..store.schema import messages
from .identity import resolve_jid
from .views import MessageView

_VISIBLE = or_(messages.c.content_type.is_(None), messages.c.content_type.not_in(EFFECT_TYPES))


def _view(row: Row) -> MessageView:
    return MessageView(
        chat=row.chat,
        id=row.id,
        sender=row.sender,
        from_me=bool(row.from_me),
        timestamp=row.timestamp,
        content_type=row.content_type,
        text=row.text,
        original_text=row.original_text,
        is_system=bool(row.is_system),
        stub_type=row.stub_type,
        quoted_id=row.quoted_id,
        quoted_sender=row.quoted_sender,
        quoted_text=row.quoted_text,
        mentions=list(row.mentions or []),
        forwarded=bool(row.forwarded),
        status=row.status,
        push_name=row.push_name,
        edited_at=row.edited_at,
        deleted_at=row.deleted_at,
        deleted_by=row.deleted_by,
        source=row.source,
        attrs=row.attrs,
    )


def _columns() -> list:
    return [c for c in messages.c if c.name not in ("raw", "text_tsv")]


def find_message_row(
    conn: Connection, account_id: int, chat: str, message_id: str, sender: str | None = None
) -> Row | None:
    """The stored row of a message (by chat and id; sender narrows when ids repeat)."""
    query = select(messages).where(
        messages.c.account_id == account_id,
        messages.c.chat == resolve_jid(conn, account_id, chat),
        messages.c.id == message_id,
    )
    if sender is not None:
        query = query.where(messages.c.sender == resolve_jid(conn, account_id, sender))
    return conn.execute(query.order_by(messages.c.richness.desc()).limit(1)).first()


def get_message_view(
    conn: Connection, account_id: int, chat: str, message_id: str, sender: str | None = None
) -> MessageView | None:
    """One message, or None."""
    row = find_message_row(conn, account_id, chat, message_id, sender)
    return _view(row) if row else None


def list_messages(
    conn: Connection,
    account_id: int,
    chat: str,
    *,
    limit: int = 50,
    before: str | None = None,
    after: str | None = None,
    oldest_first: bool = False,
    include_effects: bool = False,
) -> list[MessageView]:
    """A page of a chat's messages, newest first unless ``oldest_first``.

    ``before``/``after`` are message ids of the same chat: the page holds the ``limit``
    messages just before (older than) or just after (newer than) that message. Keyset
    pagination on (timestamp, id, sender): no OFFSET, stable under inserts.
    """
    if before and after:
        raise UserInputError("give either --before or --after, not both")
    jid = resolve_jid(conn, account_id, chat)
    order_key = tuple_(messages.c.timestamp, messages.c.id, messages.c.sender)
    query = select(*_columns()).where(messages.c.account_id == account_id, messages.c.chat == jid)
    if not include_effects:
        query = query.where(_VISIBLE)
    query = query.where(messages.c.timestamp.is_not(None))
    anchor_id = before or after
    descending = not oldest_first
    if anchor_id:
        anchor = find_message_row(conn, account_id, jid, anchor_id)
        if anchor is None:
            raise UserInputError(f"no message {anchor_id!r} in chat {chat}")
        key = (anchor.timestamp, anchor.id, anchor.sender)
        if before:
            query = query.where(order_key < tuple_(*_literal(key)))
            descending = True
        else:
            query = query.where(order_key > tuple_(*_literal(key)))
            descending = False
    cols = (messages.c.timestamp, messages.c.id, messages.c.sender)
    query = query.order_by(*[c.desc() if descending else c.asc() for c in cols]).limit(limit)
    rows = [_view(r) for r in conn.execute(query)]
    if descending == oldest_first:
        rows.reverse()
    return rows


def _literal(key: tuple) -> list:
    return [literal(key[0], messages.c.timestamp.type), literal(key[1]), literal(key[2])]


def latest_message(conn: Connection, account_id: int, chat: str) -> MessageView | None:
    """The most recent (by timestamp) visible message of a chat."""
    page = list_messages(conn, account_id, chat, limit=1)
    return page[0] if page else None


__all__ = ["get_message_view", "latest_message", "list_messages"]
