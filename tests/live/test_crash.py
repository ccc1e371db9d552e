"""Crash safety: SIGKILL the capture at random points; after replay the archive equals a clean run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from stream import write_stream

from wa_archive import Archive

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = 20


def _start(db: Path, events: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path("src").resolve()), *sys.path]))
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(db), str(events), str(db.parent / "spool" / "x")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip


def _snapshot(db: Path) -> dict[str, Any]:
    with Archive.open(db) as archive:
        account = archive.ensure_account("default")
        chats = archive.chats(account)
        out: dict[str, Any] = {"chats": chats}
        for chat in chats:
            msgs = archive.messages(account, chat.jid, limit=100_000)
            out[chat.jid] = msgs
            for m in msgs[:50]:
                out[f"{chat.jid}/{m.id}"] = (
                    archive.receipts(account, chat.jid, m.id),
                    archive.reactions(account, chat.jid, m.id),
                )
        return out


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_kill_anywhere_then_restart_equals_uninterrupted(tmp_path: Path) -> None:
    events = tmp_path / "events.bin"
    write_stream(events, chunks=48, chunk_size=1000, live=2000)  # 50,000 WhatsApp events
    (tmp_path / "clean").mkdir()
    (tmp_path / "crash").mkdir()
    clean = _start(tmp_path / "clean" / "a.db", events)  # runs alongside the crash loop
    rng = random.Random(11)
    crash_db = tmp_path / "crash" / "a.db"
    kills = 0
    while kills < KILLS:
        child = _start(crash_db, events)
        if kills % 5 != 4:  # most kills during ingestion, some during start-up/replay
            assert child.stdout is not None
            if not child.stdout.readline().startswith("ready"):
                pytest.fail("child failed to start")
        # Short enough that the stream outlasts KILLS restarts: each run carries on where
        # the last one stopped, and a faster writer gets further per run.
        time.sleep(rng.uniform(0.0, 0.2))
        if child.poll() is not None:
            child.communicate()
            break  # finished before the kill
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.stdout is not None
        child.stdout.close()
        kills += 1
    final = _start(crash_db, events)
    out, _ = final.communicate(timeout=300)
    assert "done" in out
    clean_out, _ = clean.communicate(timeout=300)
    assert "done" in clean_out
    assert kills >= KILLS
    assert _snapshot(crash_db) == _snapshot(tmp_path / "clean" / "a.db")
