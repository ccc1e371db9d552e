"""``login``, ``run``, ``accounts``, ``logout``: the live-capture commands (thin shells)."""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from wa_archive.archive import Archive
from wa_archive.errors import UserInputError

from .context import state

console = Console()
AccountOption = typer.Option(
    None, "--account", "-a", help="Account name (default: the root --account)."
)


def _open(ctx: typer.Context) -> Archive:
    return state(ctx).archive()


def login(
    ctx: typer.Context,
    account: str | None = AccountOption,
    pair_phone: str | None = typer.Option(None, "--pair-phone", help="Pair with a code instead."),
    qr_png: Path | None = typer.Option(None, "--qr-png", help="Also write the QR code as PNG."),
) -> None:
    """Pair a new linked device (QR or pair code), then keep archiving its first history sync."""
    from wa_archive.sources.live.qr import show_pair_code, show_qr
    from wa_archive.sources.live.runner import AccountRunner, Pairing

    account = account or state(ctx).settings.account
    archive = _open(ctx)
    result: dict[str, Any] = {}

    def on_result(ok: bool, jid: str, name: str, error: str) -> None:
        result.update(ok=ok, jid=jid, name=name, error=error)
        if ok:
            who = escape(f"{account}: {jid} ({name or 'no push name'})")
            console.print(f"[green]paired[/] {who}")
            console.print("archiving the history sync now; Ctrl-C stops, `run` resumes")
        else:
            console.print(f"[red]pairing failed:[/] {escape(error)}")

    pairing = Pairing(lambda data: show_qr(console, data, qr_png), on_result, pair_phone,
                      lambda code: show_pair_code(console, code))  # fmt: skip
    runner = AccountRunner(archive, account, _run_options(archive), pairing=pairing)
    _supervise([runner])
    if not result.get("ok"):
        raise typer.Exit(1)


def run(
    ctx: typer.Context,
    account: str | None = AccountOption,
    all_: bool = typer.Option(False, "--all", help="Archive every paired account."),
    media: bool = typer.Option(False, "--media", help="Download media into the media store."),
) -> None:
    """Connect paired accounts and archive every event until Ctrl-C or SIGTERM.

    On a fresh install (no account was ever paired) and at a terminal, this starts ``login``.
    """
    from wa_archive.sources.live.runner import AccountRunner

    archive = _open(ctx)
    if _never_paired(archive) and sys.stdin.isatty():
        console.print("no account is paired yet: starting `wa-archive login`")
        return login(ctx, account=account, pair_phone=None, qr_png=None)
    names = _accounts_to_run(archive, account, all_, state(ctx).settings.account)
    options = _run_options(archive, media)
    runners = [AccountRunner(archive, name, options) for name in names]
    _supervise(runners)
    for r in runners:
        if r.stop_reason is not None:
            console.print(f"[yellow]{escape(r.account)}[/]: {escape(r.stop_reason.reason)}")


def accounts(ctx: typer.Context) -> None:
    """List accounts with their state and history-sync progress."""
    rows = _open(ctx).list_accounts()
    table = Table("account", "state", "jid", "push name", "first paired", "history")
    for a in rows:
        history = f"{a.get('history_chunks') or 0} chunks, {a.get('history_messages') or 0} msgs"
        table.add_row(Text(a["name"]), str(a.get("state") or ""), a.get("jid") or "",
                      Text(a.get("push_name") or ""), str(a.get("first_paired_at") or ""), history)  # fmt: skip
    console.print(table)


def logout(ctx: typer.Context, account: str | None = AccountOption) -> None:
    """Unlink the account's device from WhatsApp; its archive stays."""
    from wa_archive.sources.live.unlink import unlink

    account = account or state(ctx).settings.account
    error = unlink(_open(ctx), account)
    if error:
        console.print(f"[red]logout failed:[/] {escape(error)}")
        raise typer.Exit(1)
    console.print(f"{account}: device unlinked; the archive is kept", markup=False)


def register(app: typer.Typer) -> None:
    """Add the live-capture commands to the main typer app."""
    for func in (login, run, accounts, logout):
        app.command()(func)


def _run_options(archive: Archive, media: bool = False) -> Any:
    from wa_archive.sources.live.runner import RunOptions

    settings = archive.settings
    return RunOptions(
        media=media or bool(settings and settings.media),
        media_max_bytes=settings.media_max_bytes if settings else 100 * 1024 * 1024,
        media_dir=settings.media_dir if settings else None,
    )


def _accounts_to_run(archive: Archive, account: str | None, all_: bool, default: str) -> list[str]:
    if account and all_:
        raise UserInputError("use either --account NAME or --all")
    if all_:
        names = [
            a["name"]
            for a in archive.list_accounts()
            if a.get("first_paired_at") and a.get("state") != "logged_out"
        ]
        if not names:
            raise UserInputError("no paired accounts; run `wa-archive login` first")
        return names
    return [account or default]


def _never_paired(archive: Archive) -> bool:
    return not any(a.get("first_paired_at") for a in archive.list_accounts())


def _supervise(runners: list[Any]) -> None:
    """Start the runners, show their status live, stop them cleanly on Ctrl-C or SIGTERM."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    for r in runners:
        r.start()
    try:
        with Live(_table(runners), console=console, refresh_per_second=2) as live:
            while not stop.is_set() and any(r.is_alive() for r in runners):
                stop.wait(0.5)
                live.update(_table(runners))
    except KeyboardInterrupt:
        pass
    finally:
        for r in runners:
            r.halt()
        for r in runners:
            r.join(timeout=30)
        signal.signal(signal.SIGTERM, previous)


def _table(runners: list[Any]) -> Table:
    table = Table("account", "state", "history", "events/min", "last event", "detail")
    for r in runners:
        s = r.status
        pct = f"{s.history_progress}%" if s.history_progress is not None else "–"
        history = f"{s.history_chunks} chunks, {pct}, {s.history_messages} msgs"
        last = (
            time.strftime("%H:%M:%S", time.localtime(s.last_event_at)) if s.last_event_at else "–"
        )
        table.add_row(
            Text(s.account), s.state, history, str(s.events_per_minute()), last, Text(s.detail)
        )
    return table
