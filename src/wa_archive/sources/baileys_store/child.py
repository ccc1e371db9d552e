"""The reader child's entry point: ``python -m wa_archive.sources.baileys_store.child FD``.

Kept apart from ``pipeline`` (which the package imports) so that running it as
``__main__`` loads nothing twice. The parent writes two pickles to stdin: its
``sys.path`` (so whatever it imported the decoders from is importable here too), then
the arguments of ``pipeline.serve``; frames go to the inherited socket ``FD``.
"""

from __future__ import annotations

import pickle
import sys

from wa_archive.sources.baileys_store.channel import FrameChannel
from wa_archive.sources.baileys_store.pipeline import serve


def main(argv: list[str]) -> None:
    """Read the arguments from stdin and serve the file's batches on the socket ``argv[1]``."""
    conn = FrameChannel.from_fd(int(argv[1]))
    sys.path[:] = pickle.load(sys.stdin.buffer)
    args = pickle.load(sys.stdin.buffer)
    sys.stdin.close()
    serve(conn, *args)


if __name__ == "__main__":
    main(sys.argv)
