"""Database outage: PostgreSQL becomes unreachable mid-stream (a TCP proxy we close), then returns."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from live_helpers import wire
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from conftest import pg_url
from wa_archive import Archive
from wa_archive.settings import Settings
from wa_archive.sources import fake_events as fe
from wa_archive.store.schema import journal

ALICE = "15551230001@s.whatsapp.net"


class Proxy:
    """A TCP proxy to PostgreSQL that can drop every connection and refuse new ones."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.conns: list[socket.socket] = []
        self.server: socket.socket | None = None

    def up(self) -> None:
        self.server = socket.create_server(("127.0.0.1", self.port))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def down(self) -> None:
        assert self.server is not None
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        for s in self.conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self.conns.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.close()


def _text(i: int) -> object:
    return fe.text_message_event(f"m{i}", id=f"M{i:04d}", chat=ALICE, sender=ALICE,
                                 timestamp_ms=1_700_000_000_000 + i)  # fmt: skip


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_outage_spools_then_everything_arrives_once(pg_schema: str, tmp_path: Path) -> None:
    url = make_url(pg_url(pg_schema))
    Archive.open(str(url)).close()  # migrate directly
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.up()
    target = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    archive = Archive.open(target, settings=Settings.load(home=str(tmp_path), db=target))
    w = wire(archive, tmp_path, retry_after=0.2)
    for i in range(0, 40):
        fe.dispatch(w.client, _text(i))
    proxy.down()
    for i in range(40, 80):
        fe.dispatch(w.client, _text(i))
    assert w.capture.in_outage and w.capture.journal.has_spool()
    assert w.runner.status.spooled >= 39
    proxy.up()
    time.sleep(0.3)
    for i in range(80, 120):
        fe.dispatch(w.client, _text(i))
    assert not w.capture.in_outage and not w.capture.journal.has_spool()
    ids = [m.id for m in archive.messages(w.account_id, ALICE, limit=1000)]
    assert sorted(ids) == [f"M{i:04d}" for i in range(120)]
    with archive.connect() as conn:
        rows = conn.execute(select(journal.c.id, journal.c.processed_at)).all()
        assert conn.execute(select(func.count(func.distinct(journal.c.id)))).scalar() == 120
    assert len(rows) == 120 and all(r.processed_at is not None for r in rows)
    archive.close()
    assert os.path.exists(tmp_path)
