"""A comparable picture of everything the query API says about an account."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import select

from wa_archive import Archive
from wa_archive.store.schema import messages


def snapshot(archive: Archive, account: int) -> dict[str, Any]:
    """Chats, every message (effects included) with its reactions, receipts and edits."""
    out: dict[str, Any] = {
        "chats": msgspec.to_builtins(archive.chats(account, include_status=True))
    }
    with archive.connect() as conn:
        keys = conn.execute(
            select(messages.c.chat, messages.c.id, messages.c.sender)
            .where(messages.c.account_id == account)
            .order_by(messages.c.chat, messages.c.id, messages.c.sender)
        ).all()
    for chat, mid, sender in keys:
        out[f"{chat}/{mid}/{sender}"] = {
            "message": msgspec.to_builtins(archive.message(account, chat, mid, sender)),
            "reactions": msgspec.to_builtins(archive.reactions(account, chat, mid)),
            "receipts": msgspec.to_builtins(archive.receipts(account, chat, mid)),
            "edits": msgspec.to_builtins(archive.edits(account, chat, mid)),
        }
    return out
