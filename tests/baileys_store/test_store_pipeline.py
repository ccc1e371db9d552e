"""The pipelined import (reader + decoder in a child process) matches the one-process import."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from wa_archive import Archive
from wa_archive.errors import DamagedInputError, UserInputError
from wa_archive.records import Batch
from wa_archive.sources.baileys_store import (
    Decoders,
    PipedReader,
    ReaderCrashed,
    StoreImportReport,
    StoreReader,
    import_baileys_store,
    open_source,
    read_store,
)
from wa_archive.sources.baileys_store import importer as importer_module
from wa_archive.sources.baileys_store.channel import HEADER, FrameChannel
from wa_archive.sources.baileys_store.pipeline import Frame
from wa_archive.store.writer import WriteReport

from ..snapshot import snapshot
from .helpers import ORIGINAL, PRETTY, FakeDecoders, keys


def _report(report: StoreImportReport) -> dict[str, Any]:
    values = report.as_dict()
    values.pop("seconds")
    return values


def _no_children() -> bool:
    """True when no process started by this one is still running (or left a zombie)."""
    tasks = Path("/proc/self/task")
    return not any((task / "children").read_text().split() for task in tasks.iterdir())


def test_frames_round_trip_every_record() -> None:
    encoder, decoder = msgspec.msgpack.Encoder(), msgspec.msgpack.Decoder(Frame)
    for batch in read_store(ORIGINAL, batch_size=4):
        assert decoder.decode(encoder.encode(Frame(1, 2, batch))).batch == batch


def test_pipelined_import_equals_the_one_process_import(archive: Archive, account: int) -> None:
    seen: list[tuple[int, int, int]] = []
    piped = import_baileys_store(
        archive, account, PRETTY, workers=1, batch_size=3, progress=lambda *a: seen.append(a)
    )
    local = archive.ensure_account("local")
    direct = import_baileys_store(archive, local, PRETTY, workers=0, batch_size=3)
    assert _report(piped) == {**_report(direct), "messages_new": 14, "messages_updated": 0}
    assert piped.written["messages_new"] == direct.written["messages_new"] == 14
    assert snapshot(archive, account) == snapshot(archive, local)
    size = PRETTY.stat().st_size
    assert len(seen) > 3 and seen[-1] == (size, size, 16)
    assert [s[2] for s in seen] == sorted(s[2] for s in seen)
    assert _no_children()


def test_pipelined_reimport_adds_nothing(archive: Archive, account: int) -> None:
    import_baileys_store(archive, account, ORIGINAL, workers=1)
    before = snapshot(archive, account)
    again = import_baileys_store(archive, account, PRETTY, workers=1)
    assert (again.messages_new, again.messages_updated, again.duplicates) == (0, 0, 2)
    assert snapshot(archive, account) == before


@pytest.mark.parametrize("fraction", [0.3, 0.8])
def test_pipelined_truncated_then_full_equals_one_clean_import(
    archive: Archive, account: int, tmp_path: Path, fraction: float
) -> None:
    data = ORIGINAL.read_bytes()
    path = tmp_path / "baileys_store.json"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(DamagedInputError) as caught:
        import_baileys_store(archive, account, path, workers=1, batch_size=2)
    report = caught.value.report
    assert isinstance(report, StoreImportReport) and report.damaged_at is not None
    assert f"damaged at byte {report.damaged_at} of {path.stat().st_size}" in str(caught.value)
    assert report.messages_new == len(keys(archive, account))
    path.write_bytes(data)
    import_baileys_store(archive, account, path, workers=1)
    clean = archive.ensure_account("clean")
    import_baileys_store(archive, clean, ORIGINAL, workers=0)
    assert snapshot(archive, account) == snapshot(archive, clean)
    assert _no_children()


def test_damage_report_is_the_same_in_both_paths(tmp_path: Path) -> None:
    data = ORIGINAL.read_bytes()
    path = tmp_path / "baileys_store.json"
    path.write_bytes(data[: len(data) // 2] + b"\0" * 300)
    reports = []
    for workers in (0, 1):
        with Archive.open(tmp_path / f"a{workers}.db") as archive:
            account = archive.ensure_account("x")
            with pytest.raises(DamagedInputError) as caught:
                import_baileys_store(archive, account, path, workers=workers, batch_size=2)
            reports.append((str(caught.value), _report(caught.value.report)))
    assert reports[0] == reports[1]
    assert "NUL bytes" in reports[0][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]", "a JSON array"),
        (b"hello", "not JSON"),
        (b'{"foo": 1, "bar": [1, 2]}', "without chats, contacts or messages"),
        (b'{"foo": {"x": 1} "y"}', "not a Baileys store file (found"),
    ],
)
def test_user_errors_come_back_before_anything_is_written(
    archive: Archive, account: int, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "baileys_store.json"
    path.write_bytes(content)
    with pytest.raises(UserInputError) as caught:
        import_baileys_store(archive, account, path, workers=1)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert not isinstance(caught.value, DamagedInputError)
    assert keys(archive, account) == set()
    assert _no_children()


def test_missing_file_fails_before_a_child_starts(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="no such file"):
        PipedReader(tmp_path / "nope.json")
    with pytest.raises(UserInputError, match="is a directory"):
        import_baileys_store(_NoWrites(), 1, tmp_path, workers=1)


def test_the_reader_child_loads_no_database_code() -> None:
    """The child imports what it runs and no more: SQLAlchemy alone is ~8 MB of its memory."""
    code = (
        "import sys, wa_archive.sources.baileys_store.child; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'alembic', 'psycopg') or m.startswith('wa_archive.store')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


class _NoWrites:
    batch_messages = 100

    def write_all(self, account_id: int, batches: Iterable[Batch]) -> Iterator[tuple[Batch, Any]]:
        for _batch in batches:
            raise AssertionError("nothing may be written")
        yield from ()


def _exit_on_group(obj: dict[str, Any], out: Batch, *, source: str = "", raw: Any = None) -> Any:
    """A message decoder that kills its process at the first group message."""
    if obj["key"]["remoteJid"].endswith("@g.us"):
        os._exit(7)
    return FakeDecoders().message(obj, out, source=source, raw=raw)


def _bad_record(obj: dict[str, Any], out: Batch, *, source: str = "", raw: Any = None) -> Any:
    """A message decoder whose record holds something msgpack cannot encode."""
    (record,) = FakeDecoders().message(obj, out, source=source, raw=raw)
    return [msgspec.structs.replace(record, attrs={"x": object()})]


def _decoders(message: Any) -> Decoders:
    return Decoders(**{**vars(Decoders.default()), "message": message})


def test_a_dead_child_is_an_error_not_a_hang(sqlite_archive: Archive) -> None:
    account = sqlite_archive.ensure_account("x")
    decoders = _decoders(_exit_on_group)
    with pytest.raises(ReaderCrashed, match=r"died \(exit code 7\) after \d+ messages"):
        import_baileys_store(sqlite_archive, account, ORIGINAL, workers=1, decoders=decoders)
    assert _no_children()


def test_an_exception_in_the_child_is_one_clear_line(sqlite_archive: Archive) -> None:
    account = sqlite_archive.ensure_account("x")
    with pytest.raises(
        ReaderCrashed, match=r"reading failed after \d+ messages \(TypeError"
    ) as caught:
        import_baileys_store(
            sqlite_archive, account, ORIGINAL, workers=1, decoders=_decoders(_bad_record)
        )
    assert "\n" not in str(caught.value) and "Error" in str(caught.value)
    assert _no_children()


def test_interrupting_the_writer_stops_the_child(sqlite_archive: Archive) -> None:
    account = sqlite_archive.ensure_account("x")

    def interrupt(*_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_baileys_store(
            sqlite_archive, account, ORIGINAL, workers=1, batch_size=2, progress=interrupt
        )
    assert _no_children()
    reader = PipedReader(ORIGINAL, batch_size=2)
    batches = iter(reader)
    next(batches)
    assert not _no_children()
    reader.close()
    assert _no_children()


def test_the_default_path_depends_on_size_and_decoders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(open_source(ORIGINAL), StoreReader)
    monkeypatch.setattr(importer_module, "PIPELINE_MIN_BYTES", 1000)
    assert isinstance(open_source(ORIGINAL), PipedReader)
    assert isinstance(open_source(ORIGINAL, workers=0), StoreReader)
    assert isinstance(open_source(ORIGINAL, decoders=FakeDecoders().decoders()), StoreReader)


@pytest.fixture
def sqlite_archive(tmp_path: Path, sqlite_template: Path) -> Any:
    """An empty SQLite archive."""
    path = tmp_path / "archive.db"
    path.write_bytes(sqlite_template.read_bytes())
    with Archive.open(path) as archive:
        yield archive


def test_a_script_without_a_main_guard_can_import(tmp_path: Path) -> None:
    """The child does not re-run the caller's main module (no ``if __name__`` needed)."""
    script = tmp_path / "plain_script.py"
    script.write_text(
        "from wa_archive.sources.baileys_store import PipedReader\n"
        f"batches = list(PipedReader({str(ORIGINAL)!r}, batch_size=4))\n"
        "print(sum(len(b.messages) for b in batches))\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == sum(len(b.messages) for b in read_store(ORIGINAL, batch_size=4))
    assert done.stderr == ""


def test_the_channel_carries_whole_frames_and_a_cut_frame_is_the_end() -> None:
    channel, theirs = FrameChannel.pair()
    sender = FrameChannel(theirs)
    frame = bytearray(HEADER.size) + os.urandom(3 << 20)  # far larger than the socket buffer
    thread = threading.Thread(target=sender.send, args=(frame,))
    thread.start()
    assert channel.recv() == frame[HEADER.size :]
    thread.join()
    theirs.sendall(HEADER.pack(100) + b"only ten b")  # the sender dies mid-frame
    theirs.close()
    assert channel.recv() is None
    channel.close()


class _FailingWrites:
    batch_messages = 100

    def write_all(self, account_id: int, batches: Iterable[Batch]) -> Iterator[tuple[Batch, Any]]:
        for batch in batches:
            if batch.messages:
                raise RuntimeError("the database went away")
            yield batch, WriteReport()


def _slow(obj: dict[str, Any], out: Batch, *, source: str = "", raw: Any = None) -> Any:
    """A message decoder that takes its time over every message."""
    time.sleep(0.3)
    return FakeDecoders().message(obj, out, source=source, raw=raw)


@pytest.mark.parametrize("workers", [0, 1])
def test_a_failed_write_stops_the_child(workers: int) -> None:
    with pytest.raises(RuntimeError, match="went away"):
        import_baileys_store(
            _FailingWrites(), 1, ORIGINAL, workers=workers, batch_size=2,
            decoders=_decoders(_slow),
        )  # fmt: skip
    assert _no_children()


def test_closing_the_reader_with_a_frame_held_ahead_still_ends_its_consumer() -> None:
    """The consumer is busy with one batch while the next waits in the prefetch queue."""
    reader = PipedReader(ORIGINAL, batch_size=2, decoders=_decoders(_slow))
    got: list[Any] = []
    busy = threading.Event()

    def consume() -> None:
        try:
            for batch in reader:
                got.append(batch)
                busy.set()
                time.sleep(1.5)  # the next frame arrives meanwhile
        except ReaderCrashed:
            got.append("stopped")

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    assert busy.wait(10)
    time.sleep(1.0)
    reader.close()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert got[-1] == "stopped" and _no_children()


def test_closing_the_reader_wakes_a_thread_waiting_for_its_next_batch() -> None:
    reader = PipedReader(ORIGINAL, batch_size=2, decoders=_decoders(_slow))
    got: list[Any] = []

    def consume() -> None:
        try:
            got.extend(reader)
        except ReaderCrashed:
            got.append("stopped")

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    while not reader.messages_read:  # the child is now decoding messages, slowly
        time.sleep(0.01)
    reader.close()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert got[-1] == "stopped" and _no_children()


def test_a_child_that_cannot_start_is_one_clear_error(
    sqlite_archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = sqlite_archive.ensure_account("x")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(ReaderCrashed, match="cannot start the reader process") as caught:
        import_baileys_store(sqlite_archive, account, ORIGINAL, workers=1)
    assert "\n" not in str(caught.value)
    assert keys(sqlite_archive, account) == set()
