"""``wa-archive import …``: bring old store files and chat exports into the archive."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from ...errors import DamagedInputError, UserInputError
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
             "edited": report.counts.edited, "deleted": report.counts.deleted,
             "media": report.counts.media, "media_stored": report.counts.media_stored,
             "new": report.written.messages_new, "updated": report.written.messages_updated,
             "unchanged": report.written.messages_unchanged,
             "skipped": dict(report.counts.skipped), "notes": report.notes}
        )  # fmt: skip
    c, w = report.counts, report.written
    marked = ", ".join(
        f"{n} {what}" for n, what in ((c.edited, "edited"), (c.deleted, "deleted")) if n
    )
    _line(
        f"{report.chat_name or report.chat}: {c.messages} messages"
        f"{f' ({marked})' if marked else ''}, {c.system} system lines, "
        f"{c.media} media ({c.media_stored} stored) — {w.messages_new} new, "
        f"{w.messages_updated} updated, {w.messages_unchanged} already archived"
    )
    for reason, n in sorted(c.skipped.items()):
        _line(f"skipped {n}: {reason}", err=True)
    for note in report.notes:
        _line(f"note: {note}", err=True)


@import_app.command("baileys-store")
def baileys_store(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="baileys_store.json files, oldest first")],
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable reports")] = False,
) -> None:
    """Import old Baileys store files; a damaged file keeps everything before the damage."""
    st = state(ctx)
    reports: list[dict[str, Any]] = []
    failed = 0
    for file in files:
        try:
            with _bar(file) as progress:
                report = st.archive().import_baileys_store(
                    file, account=st.settings.account, progress=progress
                )
            reports.append({**report.as_dict(), "error": None})
            if not as_json:
                _line(f"{file}: {report.summary()}")
        except UserInputError as err:
            failed += 1
            recovered = err.report if isinstance(err, DamagedInputError) else None
            if recovered is not None:
                reports.append({**recovered.as_dict(), "error": str(err)})
                if not as_json:
                    _line(f"{file}: recovered {recovered.summary()}")
            elif as_json:
                reports.append({"path": str(file), "error": str(err)})
            _line(f"error: {err}", err=True)
    if as_json:
        print_json(reports)
    if failed:
        raise typer.Exit(UserInputError.exit_code)


def _line(text: str, *, err: bool = False) -> None:
    """Print ``text`` as one unwrapped, unstyled line on stdout (or stderr)."""
    (err_console if err else console).print(text, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def _bar(file: Path) -> Iterator[Callable[[int, int, int], None] | None]:
    """A Rich bar of bytes and messages on stderr while a file imports; nothing if not a TTY."""
    if not err_console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
        TextColumn("{task.fields[messages]:,} messages"), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(file.name, total=None, messages=0)

        def update(done: int, total: int, messages: int) -> None:
            bar.update(task, completed=done, total=total, messages=messages)

        yield update


def register(app: typer.Typer) -> None:
    """Add the ``import`` command group to ``app``."""
    app.add_typer(import_app, name="import")
