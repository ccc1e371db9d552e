"""``wa-archive import …``: bring old store files and chat exports into the archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .context import console, err_console, print_json, state

import_app = typer.Typer(help="Import history from files.", no_args_is_help=True)


@import_app.command("chat-export")
def chat_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="the exported .txt or .zip")],
    chat: Annotated[str | None, typer.Option(help="chat JID to file the messages under")] = None,
    me: Annotated[str | None, typer.Option(help="your name as it appears in the export")] = None,
    tz: Annotated[
        str | None, typer.Option(help="time zone of the export, e.g. Europe/Berlin")
    ] = None,
    date_order: Annotated[
        str | None, typer.Option(help="force the date order: dmy, mdy, ymd or ydm")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable report")] = False,
) -> None:
    """Import a WhatsApp "Export chat" file (Android or iOS, any language)."""
    st = state(ctx)
    report = st.archive().import_chat_export(
        file, account=st.settings.account, chat=chat, me=me, tz=tz, date_order=date_order
    )
    if as_json:
        return print_json(
            {"chat": report.chat, "name": report.chat_name, "date_order": report.date_order,
             "messages": report.counts.messages, "system": report.counts.system,
             "media": report.counts.media, "media_stored": report.counts.media_stored,
             "new": report.written.messages_new, "updated": report.written.messages_updated,
             "unchanged": report.written.messages_unchanged,
             "skipped": dict(report.counts.skipped), "notes": report.notes}
        )  # fmt: skip
    c, w = report.counts, report.written
    console.print(
        f"{report.chat_name or report.chat}: {c.messages} messages, {c.system} system lines, "
        f"{c.media} media ({c.media_stored} stored) — {w.messages_new} new, "
        f"{w.messages_updated} updated, {w.messages_unchanged} already archived"
    )
    for reason, n in sorted(c.skipped.items()):
        err_console.print(f"skipped {n}: {reason}")
    for note in report.notes:
        err_console.print(f"note: {note}")


def register(app: typer.Typer) -> None:
    """Add the ``import`` command group to ``app``."""
    app.add_typer(import_app, name="import")
