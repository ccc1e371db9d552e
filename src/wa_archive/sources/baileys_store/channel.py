"""Length-prefixed frames over a stream socket: how the reader child hands batches over.

A frame is an 8-byte little-endian length, then that many bytes. The receiving side
asks the kernel for a whole frame at once (``MSG_WAITALL``), so a receiving thread
takes the GIL once per frame rather than once per buffer-full: with a pipe, a 3 MB
frame took ~50 reads, each waiting for the writing thread to let go of the GIL.
"""

from __future__ import annotations

import contextlib
import socket
import struct

HEADER = struct.Struct("<Q")
"""The length prefix. Senders encode a frame at offset ``HEADER.size`` and ``seal`` it."""


class FrameChannel:
    """One end of a connected stream socket, carrying frames."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    @classmethod
    def pair(cls) -> tuple[FrameChannel, socket.socket]:
        """A receiving channel and the socket to give the sending process (then close here)."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        return cls(mine), theirs

    @classmethod
    def from_fd(cls, fd: int) -> FrameChannel:
        """The channel on an inherited socket descriptor."""
        return cls(socket.socket(fileno=fd))

    def send(self, frame: bytearray) -> None:
        """Send ``frame``, whose first ``HEADER.size`` bytes are left for the length."""
        HEADER.pack_into(frame, 0, len(frame) - HEADER.size)
        self._sock.sendall(frame)

    def recv(self) -> bytearray | None:
        """The next frame's bytes; None once the other end has closed (or died mid-frame)."""
        header = self._exactly(HEADER.size)
        if header is None:
            return None
        return self._exactly(HEADER.unpack(header)[0])

    def _exactly(self, size: int) -> bytearray | None:
        buf = bytearray(size)
        view, got = memoryview(buf), 0
        while got < size:
            n = self._sock.recv_into(view[got:], size - got, socket.MSG_WAITALL)
            if n == 0:
                return None
            got += n
        return buf

    def close(self) -> None:
        """Close this end; a thread blocked in ``recv`` on it returns None."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
