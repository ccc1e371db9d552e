"""The reader child's entry point, reached through ``pipeline.CHILD_CODE``.

By the time ``main`` runs, the child has set ``sys.path`` to the parent's (the first
pickle on stdin). ``main`` reads the second, the arguments of ``pipeline.serve``, and
serves the file's batches on the inherited socket whose descriptor is ``argv[1]``.
"""

from __future__ import annotations

import pickle
import sys

from wa_archive.sources.baileys_store.channel import FrameChannel
from wa_archive.sources.baileys_store.pipeline import serve


def main(argv: list[str]) -> None:
    """Read the arguments from stdin and serve the file's batches on the socket ``argv[1]``."""
    conn = FrameChannel.from_fd(int(argv[1]))
    args = pickle.load(sys.stdin.buffer)
    sys.stdin.close()
    serve(conn, *args)
