"""What happened to a message: reactions, receipts, edit history; labels of chats/messages."""

from __future__ import annotations

from sqlalchemy import Connection, select

from ..store.schema import label_links, labels, message_edits, reactions, receipts
from .identity import resolve_jid
from .views import EditView, LabelView, ReactionView, ReceiptView


def list_reactions(
    conn: Connection, account_id: int, chat: str, message_id: str
) -> list[ReactionView]:
    """Current reactions to a message (removed ones excluded)."""
    rows = conn.execute(
        select(reactions)
        .where(
            reactions.c.account_id == account_id,
            reactions.c.chat == resolve_jid(conn, account_id, chat),
            reactions.c.target_id == message_id,
            reactions.c.emoji != "",
        )
        .order_by(reactions.c.timestamp.nulls_last(), reactions.c.reactor)
    )
    return [ReactionView(reactor=r.reactor, emoji=r.emoji, timestamp=r.timestamp) for r in rows]


def list_receipts(
    conn: Connection, account_id: int, chat: str, message_id: str
) -> list[ReceiptView]:
    """Delivery/read/played receipts of a message, per recipient and type."""
    rows = conn.execute(
        select(receipts)
        .where(
            receipts.c.account_id == account_id,
            receipts.c.chat == resolve_jid(conn, account_id, chat),
            receipts.c.message_id == message_id,
        )
        .order_by(receipts.c.recipient, receipts.c.type)
    )
    return [ReceiptView(recipient=r.recipient, type=r.type, timestamp=r.timestamp) for r in rows]


def list_edits(conn: Connection, account_id: int, chat: str, message_id: str) -> list[EditView]:
    """Every edit of a message, oldest first (the original text is on the message)."""
    rows = conn.execute(
        select(message_edits)
        .where(
            message_edits.c.account_id == account_id,
            message_edits.c.chat == resolve_jid(conn, account_id, chat),
            message_edits.c.target_id == message_id,
        )
        .order_by(message_edits.c.edited_at.nulls_last(), message_edits.c.edit_id)
    )
    return [
        EditView(edit_id=r.edit_id, editor=r.editor, edited_at=r.edited_at, text=r.text)
        for r in rows
    ]


def list_labels(
    conn: Connection, account_id: int, chat: str | None = None, message_id: str = ""
) -> list[LabelView]:
    """All labels, or those attached to a chat (``message_id`` '') or to one of its messages."""
    query = select(labels).where(labels.c.account_id == account_id)
    if chat is not None:
        linked = select(label_links.c.label_id).where(
            label_links.c.account_id == account_id,
            label_links.c.chat == resolve_jid(conn, account_id, chat),
            label_links.c.message_id == message_id,
        )
        query = query.where(labels.c.id.in_(linked))
    rows = conn.execute(query.order_by(labels.c.id))
    return [LabelView(id=r.id, name=r.name, color=r.color, deleted=bool(r.deleted)) for r in rows]
