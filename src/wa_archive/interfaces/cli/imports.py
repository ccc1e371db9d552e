"""``wa-archive import …``: bring old store files and chat exports into the archive."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from ...errors import DamagedInputError, UserInputError
from .context import console, err_console, print_json, state

if TYPE_CHECKING:
    from ...archive import ChatExportReport

import_app = typer.Typer(help="Import history from files.", no_args_is_help=True)


@import_app.command("chat-export")
def chat_export(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="exported .txt or .zip files, one per chat")],
    chat: Annotated[str | None, typer.Option(help="chat JID to file the messages under")] = None,
    me: Annotated[str | None, typer.Option(help="your name as it appears in the export")] = None,
    tz: Annotated[
        str | None, typer.Option(help="time zone of the export, e.g. Europe/Berlin")
    ] = None,
    date_order: Annotated[
        str | None, typer.Option(help="force the date order: dmy, mdy, ymd or ydm")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="machine-readable report (a list for several files)")
    ] = False,
) -> None:
    """Import WhatsApp "Export chat" files (Android or iOS, any language); a bad file is
    reported and the others still import."""
    if chat is not None and len(files) > 1:
        raise UserInputError("--chat names the chat of one export; give one file with it")
    st = state(ctx)
    reports: list[dict[str, Any]] = []
    failed = 0
    for file in files:
        try:
            report = st.archive().import_chat_export(
                file, account=st.settings.account, chat=chat, me=me, tz=tz, date_order=date_order
            )
        except UserInputError as err:
            if len(files) == 1:
                raise
            failed += 1
            reports.append({"path": str(file), "error": str(err)})
            _line(f"error: {err}", err=True)
            continue
        reports.append({"path": str(file), **_export_dict(report), "error": None})
        if not as_json:
            _export_lines(report)
    if as_json:
        print_json(reports[0] if len(files) == 1 else reports)
    if failed:
        raise typer.Exit(UserInputError.exit_code)


def _export_dict(report: ChatExportReport) -> dict[str, Any]:
    """An export's report as ``--json`` shows it."""
    c, w = report.counts, report.written
    return {
        "chat": report.chat, "name": report.chat_name, "date_order": report.date_order,
        "messages": c.messages, "system": c.system, "edited": c.edited, "deleted": c.deleted,
        "waiting": c.waiting, "media": c.media, "media_stored": c.media_stored,
        "new": w.messages_new, "updated": w.messages_updated, "unchanged": w.messages_unchanged,
        "skipped": dict(c.skipped), "notes": report.notes,
    }  # fmt: skip


def _export_lines(report: ChatExportReport) -> None:
    """An export's summary on stdout, what it skipped and its notes on stderr."""
    c, w = report.counts, report.written
    marked = ", ".join(
        f"{n} {what}"
        for n, what in ((c.edited, "edited"), (c.deleted, "deleted"), (c.waiting, "waiting"))
        if n
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
