"""Read and decode a store file in a child process while the parent writes its batches.

The child is a fresh interpreter running ``CHILD_CODE`` (no inherited threads, locks or
database connections, and none of the parent's imports: neither the caller's main
module, which needs no ``if __name__ == "__main__"`` guard, nor SQLAlchemy). It reads
the parent's ``sys.path`` and its arguments, pickled, from stdin, runs a ``StoreReader`` and sends each finished
``Batch`` as one ``msgspec.msgpack`` frame over a ``FrameChannel`` (a socket); the last
frame carries the reader's counts and how it ended. The blocking channel is the bounded
queue: the child can be at most a batch or two ahead of the writer, so memory stays flat
whatever the file size. A damaged file, a user error or an exception in the child
travels back as that frame and is raised in the parent; a child that dies outright is
seen as end-of-stream on the channel and raised as ``ReaderCrashed``. The child ignores
SIGINT: Ctrl-C interrupts the parent, which then stops the child.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from wa_archive.errors import DamagedInputError, UserInputError, WaArchiveError
from wa_archive.records import Batch
from wa_archive.sources.baileys_store.channel import HEADER, FrameChannel
from wa_archive.sources.baileys_store.decoders import Decoders
from wa_archive.sources.baileys_store.reader import DEFAULT_BATCH, StoreReader
from wa_archive.sources.baileys_store.report import ReadOutcome, ReadStats
from wa_archive.sources.baileys_store.stream import checked_size

CHILD_CODE = (
    "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
    "from wa_archive.sources.baileys_store.child import main; main(sys.argv)"
)
"""What the child runs (``python -c``): it takes the parent's ``sys.path`` from stdin
before importing anything of wa_archive, so it imports the same code from the same
places as the parent, then ``child.main`` (which calls ``serve``)."""


class ReaderCrashed(WaArchiveError):
    """The child process reading the store file failed or died; what came before is written."""


class End(msgspec.Struct, kw_only=True):
    """The reader's final counts and how it ended (``error``: damaged, user or crash)."""

    stats: dict[str, Any]
    layout: dict[str, str]
    bytes_read: int
    damaged_at: int | None = None
    damage: str | None = None
    error: str | None = None
    message: str = ""


class Frame(msgspec.Struct, array_like=True):
    """One frame on the channel: progress plus a batch, or the end."""

    bytes_read: int
    messages_read: int
    batch: Batch | None = None
    end: End | None = None


def serve(
    conn: FrameChannel, path: str, batch_size: int, chunk_size: int, decoders: Decoders | None
) -> None:
    """The child: read the file and send every batch, then the end frame."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _tune_gc()
    encoder, buf = msgspec.msgpack.Encoder(), bytearray()
    reader: StoreReader | None = None
    error, message = None, ""
    try:
        reader = StoreReader(path, decoders=decoders, batch_size=batch_size, chunk_size=chunk_size)
        for batch in reader:
            encoder.encode_into(
                Frame(reader.bytes_read, reader.messages_read, batch), buf, HEADER.size
            )
            conn.send(buf)
    except OSError as err:
        if isinstance(err, (BrokenPipeError, ConnectionResetError)):
            return  # the parent stopped listening: nothing left to do
        error, message = "crash", _describe(err)
    except DamagedInputError as err:
        error, message = "damaged", str(err)
    except UserInputError as err:
        error, message = "user", str(err)
    except Exception as err:
        error, message = "crash", _describe(err)
    outcome = reader.outcome() if reader else ReadOutcome(ReadStats(), {}, 0)
    end = End(
        stats=outcome.stats.to_wire(), layout=outcome.layout, bytes_read=outcome.bytes_read,
        damaged_at=outcome.damaged_at, damage=outcome.damage, error=error, message=message,
    )  # fmt: skip
    try:
        last = Frame(outcome.bytes_read, outcome.stats.messages_read, None, end)
        encoder.encode_into(last, buf, HEADER.size)
        conn.send(buf)
    except OSError:
        pass
    finally:
        conn.close()


def _tune_gc() -> None:
    """Collect cycles less often in the child: parsing allocates millions of acyclic objects.

    Freezing what the imports made keeps full collections from walking it again and again;
    together with a larger first threshold this saves 12% of the child's instructions
    (callgrind, 10k messages).
    """
    gc.freeze()
    gc.set_threshold(20_000, 50, 1000)


def _describe(err: BaseException) -> str:
    """One line naming an unexpected exception and where it was raised."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else ""
    return f"{type(err).__name__}: {err}{where}"


def _send_and_close(proc: subprocess.Popen[bytes], data: bytes) -> None:
    """Write ``data`` to the child's stdin and close it; a child already dead is seen later."""
    stdin = proc.stdin
    if stdin is None:
        return
    try:
        stdin.write(data)
        stdin.close()
    except BrokenPipeError:  # it died at once: the receiver sees the channel end
        with contextlib.suppress(OSError):
            stdin.close()


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while a child starts, so the child inherits SIGINT ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


FRAMES_AHEAD = 1
"""Decoded batches held for the writer besides the one being received. With the socket's
own buffer this lets both processes run at their average pace; a second one measured no
faster on a 1M-message import and held ~15 MB more."""


class _Prefetch:
    """A thread receiving and decoding frames into a bounded queue (None: the channel ended).

    The socket alone holds less than one batch, so the child would wait whenever the writer
    takes longer over one batch (a checkpoint, a large commit) and the writer whenever the
    child does; a frame in hand lets both run at their average pace. Decoding here
    uses the time the writer spends waiting on the database with the GIL released.
    """

    def __init__(self, conn: FrameChannel, depth: int) -> None:
        self._conn = conn
        self._decode = msgspec.msgpack.Decoder(Frame).decode
        self._frames: queue.Queue[Frame | BaseException | None] = queue.Queue(depth)
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="wa-archive-store-receiver", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        while True:
            item: Frame | BaseException | None
            try:
                data = self._conn.recv()
                item = None if data is None else self._decode(data)
            except OSError:
                item = None
            except Exception as err:  # a frame that does not decode: raised in the reader
                item = err
            while not self._stopped.is_set():
                try:
                    self._frames.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if not isinstance(item, Frame) or self._stopped.is_set():
                return

    def get(self) -> Frame | None:
        """The next frame, waiting for it; None once the channel has ended or ``stop`` was called.

        ``stop`` cannot always leave its None in the queue (a frame may fill it), so a waiting
        ``get`` also looks at the stop flag now and then: without that, a consumer taking the
        frame held ahead would then wait forever for a thread that has ended.
        """
        while not self._stopped.is_set():
            try:
                item = self._frames.get(timeout=0.1)
            except queue.Empty:
                continue
            if isinstance(item, BaseException):
                raise item
            return item
        return None

    def stop(self) -> None:
        """Ask the thread to end (it does once its current receive returns); wake ``get``."""
        self._stopped.set()
        with contextlib.suppress(queue.Full):
            self._frames.put_nowait(None)

    def join(self) -> None:
        """Wait for the thread, which ends at the channel's end after ``stop``."""
        self._thread.join(timeout=10)


class PipedReader:
    """Iterating yields the batches of a store file, read and decoded in a child process."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        decoders: Decoders | None = None,
        batch_size: int = DEFAULT_BATCH,
        chunk_size: int = 1 << 20,
    ) -> None:
        self.path = Path(path)
        self.size = checked_size(self.path)
        self.bytes_read = 0
        self.messages_read = 0
        self._args = (str(self.path), batch_size, chunk_size, decoders)
        self._outcome = ReadOutcome(ReadStats(), {}, 0)
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: FrameChannel | None = None
        self._prefetch: _Prefetch | None = None

    def outcome(self) -> ReadOutcome:
        """The child's final counts, layout and damage (empty until its end frame arrived)."""
        return self._outcome

    def __iter__(self) -> Iterator[Batch]:
        frames = _Prefetch(self._start(), FRAMES_AHEAD)
        self._prefetch = frames
        try:
            while True:
                frame = self._receive(frames)
                self.bytes_read, self.messages_read = frame.bytes_read, frame.messages_read
                if frame.end is not None:
                    self._finish(frame.end)
                    return
                if frame.batch is not None:
                    yield frame.batch
        finally:
            self.close()

    def _start(self) -> FrameChannel:
        """Start the child with the sending end of a fresh channel; the receiving end is returned."""
        channel, send = FrameChannel.pair()
        try:
            with _sigint_ignored():  # the child inherits SIGINT ignored from its first step
                proc = subprocess.Popen(
                    [sys.executable, "-c", CHILD_CODE, str(send.fileno())],
                    stdin=subprocess.PIPE, pass_fds=(send.fileno(),),
                )  # fmt: skip
        except OSError as err:
            channel.close()
            raise ReaderCrashed(
                f"{self.path}: cannot start the reader process ({sys.executable}: "
                f"{err.strerror or err}); nothing was written"
            ) from None
        except BaseException:
            channel.close()
            raise
        finally:
            send.close()  # the child holds the only sending end: its death is EOF here
        self._proc = proc
        self._conn = channel
        # sys.path first: the child imports wa_archive, and unpickles the arguments, with it.
        _send_and_close(proc, pickle.dumps(sys.path) + pickle.dumps(self._args))
        return self._conn

    def _receive(self, frames: _Prefetch) -> Frame:
        frame = frames.get()
        if frame is not None:
            return frame
        code = self._join()
        raise ReaderCrashed(
            f"{self.path}: the reader process died (exit code {code}) after "
            f"{self.messages_read} messages; everything before was written, re-run to continue"
        )

    def _finish(self, end: End) -> None:
        """Keep the child's outcome and raise what it raised."""
        stats = ReadStats.from_wire(end.stats)
        self._outcome = ReadOutcome(stats, end.layout, end.bytes_read, end.damaged_at, end.damage)
        self._join()
        if end.error == "damaged":
            raise DamagedInputError(end.message)
        if end.error == "user":
            raise UserInputError(end.message)
        if end.error is not None:
            raise ReaderCrashed(
                f"{self.path}: reading failed after {self.messages_read} messages "
                f"({end.message}); everything before was written"
            )

    def _join(self) -> int | None:
        """Wait for a child that has finished (or died); its exit code."""
        proc = self._proc
        if proc is None:
            return None
        try:
            code: int | None = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            code = None
        self.close()
        return code

    def close(self) -> None:
        """Stop the child (if still running) and release the channel; safe to call twice."""
        conn, proc, prefetch = self._conn, self._proc, self._prefetch
        self._conn = self._proc = self._prefetch = None
        if prefetch is not None:
            prefetch.stop()
        if proc is not None and proc.poll() is None:
            proc.terminate()  # its end of the socket closes: the receiving thread sees the end
        if prefetch is not None:
            prefetch.join()
        if conn is not None:
            conn.close()
        if proc is not None:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
