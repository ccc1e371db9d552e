"""Per-chat message counts with first/last message times (the archive's health check)."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from ..store.schema import chats, messages
from .views import ChatStats


def chat_stats(conn: Connection, account_id: int) -> list[ChatStats]:
    """Message count, first and last message time per chat, busiest first."""
    counts = (
        select(
            messages.c.chat,
            func.count().label("n"),
            func.min(messages.c.timestamp).label("first_at"),
            func.max(messages.c.timestamp).label("last_at"),
        )
        .where(messages.c.account_id == account_id)
        .group_by(messages.c.chat)
        .subquery()
    )
    query = (
        select(counts, chats.c.name)
        .select_from(
            counts.outerjoin(
                chats, (chats.c.account_id == account_id) & (chats.c.jid == counts.c.chat)
            )
        )
        .order_by(counts.c.n.desc(), counts.c.chat)
    )
    return [
        ChatStats(chat=r.chat, name=r.name, messages=r.n, first_at=r.first_at, last_at=r.last_at)
        for r in conn.execute(query)
    ]
