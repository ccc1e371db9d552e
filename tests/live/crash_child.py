"""Child process for the crash test: replay, then feed a stream of events through a real client.

Usage: crash_child.py DB EVENTS SPOOL. The stream file holds frames (event code, length, bytes);
the child resumes after the last journaled event, as a source redelivers what was not taken.
"""

from __future__ import annotations

import ctypes
import struct
import sys
import warnings
from pathlib import Path

warnings.simplefilter("ignore")
sys.path.insert(0, str(Path(__file__).parent))

from live_helpers import wire  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from wa_archive import Archive  # noqa: E402
from wa_archive.store.schema import journal  # noqa: E402

FRAME = struct.Struct(">BI")


def frames(path: Path) -> list[tuple[int, bytes]]:
    """Every (event code, bytes) frame of a stream file."""
    data, pos, out = path.read_bytes(), 0, []
    while pos < len(data):
        code, size = FRAME.unpack_from(data, pos)
        pos += FRAME.size
        out.append((code, data[pos : pos + size]))
        pos += size
    return out


def main() -> None:
    db, events, spool = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    archive = Archive.open(db)
    w = wire(archive, spool.parent)
    w.capture.replay()
    with archive.connect() as conn:
        start = conn.execute(select(func.count()).select_from(journal)).scalar_one()
    print("ready", start, flush=True)
    for code, payload in frames(events)[start:]:
        buf = ctypes.create_string_buffer(payload, len(payload))
        w.client.event.execute(0, ctypes.addressof(buf), len(payload), code)
    print("done", flush=True)


if __name__ == "__main__":
    main()
