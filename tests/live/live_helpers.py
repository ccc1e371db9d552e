"""Helpers for live tests: a capture wired like production on a real, never-connected client."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wa_archive import Archive
from wa_archive.journal import Journal
from wa_archive.sources.live import client as live_client
from wa_archive.sources.live import policy
from wa_archive.sources.live.handlers import Capture
from wa_archive.sources.live.runner import AccountRunner, RunOptions
from wa_archive.sources.live.session import session_for


@dataclass
class Wired:
    """A real client whose dispatcher feeds a runner's production handlers."""

    client: Any
    runner: AccountRunner
    capture: Capture
    account_id: int


OPEN_JOURNALS: list[Journal] = []
"""Journals built by ``wire``; the live conftest closes them after each test."""


def wire(archive: Archive, tmp: Path, account: str = "default", retry_after: float = 5.0) -> Wired:
    """Build the production path (runner as Control, Capture, Journal) around a real NewClient."""
    runner = AccountRunner(archive, account, RunOptions(spool_dir=tmp / "spool"))
    runner.account_id = archive.ensure_account(account)
    journal = Journal(archive.engine, runner.account_id, tmp / "spool")
    OPEN_JOURNALS.append(journal)
    runner.capture = Capture(
        archive, runner.account_id, journal, live_client.parse_event, runner.status, retry_after
    )
    session = session_for(archive.engine, account)
    client = live_client.new_client(session, policy.props_for_run())
    live_client.register(client, runner, account)
    runner.client = client
    return Wired(client, runner, runner.capture, runner.account_id)
