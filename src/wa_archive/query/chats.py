"""Chats: the list ordered like WhatsApp shows it, and one chat."""

from __future__ import annotations

from sqlalchemy import Connection, Row, false, func, select, true

from ..store.schema import chats
from .identity import resolve_jid
from .views import ChatView


def _view(row: Row) -> ChatView:
    return ChatView(
        jid=row.jid,
        kind=row.kind,
        name=row.name,
        archived=bool(row.archived),
        pinned=bool(row.pinned),
        muted_until=row.muted_until,
        unread_count=row.unread_count or 0,
        ephemeral_expiration=row.ephemeral_expiration,
        last_message_at=row.last_message_at,
        pn_jid=row.pn_jid,
        lid_jid=row.lid_jid,
    )


def list_chats(
    conn: Connection,
    account_id: int,
    *,
    limit: int | None = None,
    include_archived: bool = True,
    include_status: bool = False,
) -> list[ChatView]:
    """Chats ordered pinned first, then by last message (newest first), then jid."""
    query = select(chats).where(chats.c.account_id == account_id)
    if not include_archived:
        query = query.where(chats.c.archived.is_not(true()))
    if not include_status:
        query = query.where(chats.c.kind != "status")
    query = query.order_by(
        func.coalesce(chats.c.pinned, false()).desc(),
        chats.c.last_message_at.desc().nulls_last(),
        chats.c.jid,
    )
    if limit is not None:
        query = query.limit(limit)
    return [_view(r) for r in conn.execute(query)]


def get_chat(conn: Connection, account_id: int, jid: str) -> ChatView | None:
    """One chat by JID (a LID finds the chat stored under the person's phone number)."""
    row = conn.execute(
        select(chats).where(
            chats.c.account_id == account_id, chats.c.jid == resolve_jid(conn, account_id, jid)
        )
    ).first()
    return _view(row) if row else None


__all__ = ["get_chat", "list_chats"]
