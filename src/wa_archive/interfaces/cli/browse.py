"""``wa-archive chats | messages | stats``: the old store's questions, on the database."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from .context import console, print_json, state

JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def _when(value: datetime | None) -> str:
    """A time as the tables show it. (Text from the archive goes in as ``Text``, never as
    markup: a message ``[1/2]`` or a chat ``[Work] Team`` would lose its brackets.)"""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def chats(
    ctx: typer.Context,
    limit: Annotated[int | None, typer.Option(help="show at most this many")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List chats: pinned first, then by last message."""
    st = state(ctx)
    rows = st.archive().chats(st.account_id(), limit=limit)
    if as_json:
        return print_json(rows)
    table = Table("chat", "name", "kind", "last message", "unread", "flags")
    for c in rows:
        flags = " ".join(f for f, on in (("pinned", c.pinned), ("archived", c.archived)) if on)
        table.add_row(
            c.jid, Text(c.name or ""), c.kind, _when(c.last_message_at), str(c.unread_count), flags
        )
    console.print(table)


def messages(
    ctx: typer.Context,
    chat: Annotated[str, typer.Argument(help="chat JID (phone-number or LID form)")],
    before: Annotated[str | None, typer.Option(help="page before this message id")] = None,
    after: Annotated[str | None, typer.Option(help="page after this message id")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: JsonFlag = False,
) -> None:
    """Show a page of a chat's messages, newest first."""
    st = state(ctx)
    rows = st.archive().messages(st.account_id(), chat, before=before, after=after, limit=limit)
    if as_json:
        return print_json(rows)
    table = Table("time", "id", "sender", "text")
    for m in rows:
        text = m.text or (f"[{m.content_type}]" if m.content_type else "")
        if m.deleted_at:
            text = f"[deleted] {text}"
        elif m.edited_at:
            text = f"{text} [edited]"
        table.add_row(_when(m.timestamp), m.id, Text(m.push_name or m.sender), Text(text))
    console.print(table)


def stats(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Per-chat message counts with first and last message times."""
    st = state(ctx)
    rows = st.archive().stats(st.account_id())
    if as_json:
        return print_json(rows)
    table = Table("chat", "name", "messages", "first", "last")
    for s in rows:
        table.add_row(
            s.chat, Text(s.name or ""), str(s.messages), _when(s.first_at), _when(s.last_at)
        )
    console.print(table)
    console.print(f"{sum(s.messages for s in rows)} messages in {len(rows)} chats")


def register(app: typer.Typer) -> None:
    """Add the browsing commands to ``app``."""
    app.command()(chats)
    app.command()(messages)
    app.command()(stats)
