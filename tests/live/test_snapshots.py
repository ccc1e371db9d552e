"""Chat settings snapshots: whatsmeow's local archived/pinned/muted state as chat rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from wa_archive import Archive
from wa_archive.sources.live.snapshots import Snapshotter

ALICE = "15551234567@s.whatsapp.net"
BOB = "15557654321@s.whatsapp.net"
CAROL = "15553333333@s.whatsapp.net"


def test_muted_forever_and_unmuted_chats_are_stored_and_listed(tmp_path: Path) -> None:
    # whatsmeow keeps "always" as the last instant of 9999, which as float seconds
    # rounds up into the year 10000.
    settings = {
        ALICE: (True, 253402300799.999999999, False, False),
        BOB: (True, 0.0, True, True),
        CAROL: (True, 1893456000.0, False, False),
    }
    with Archive.open(tmp_path / "archive.db") as archive:
        account = archive.ensure_account("me")
        snap = Snapshotter(
            lambda batch: archive.write(account, batch),
            {"chat_settings": lambda _client, jid: settings[jid]},
            lambda: list(settings),
        )
        snap.write(snap.chat_settings(client=None))
        found = {c.jid: (c.muted_until, c.pinned, c.archived) for c in archive.chats(account)}
    assert found == {
        ALICE: (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), False, False),
        BOB: (datetime(1970, 1, 1, tzinfo=UTC), True, True),
        CAROL: (datetime(2030, 1, 1, tzinfo=UTC), False, False),
    }
