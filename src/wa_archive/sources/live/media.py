"""``--media``: download media promptly into the content-addressed store, on a worker thread.

Files are named by the SHA-256 of their content (``MediaStore``), never by a name from a
message. Items larger than the cap are skipped; failures are retried a few times with backoff,
and media the server no longer holds (404/410, typical of old history) is marked unavailable.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from wa_archive.media_store import MediaStore
from wa_archive.records import Batch, MediaRecord

log = logging.getLogger("wa_archive.sources.live")

GONE_MARKERS = ("404", "410", "gone", "not found", "expired")


class MediaFetcher:
    """Downloads the media of written batches in the background, bounded and size-capped."""

    def __init__(
        self,
        root: Path,
        download: Callable[[MediaRecord], bytes],
        write: Callable[[Batch], None],
        record_state: Callable[[MediaRecord, str, str | None], None] | None = None,
        max_bytes: int = 100 * 1024 * 1024,
        attempts: int = 3,
        queue_size: int = 10_000,
    ) -> None:
        self.store = MediaStore(root)
        self.download, self.write, self.record_state = download, write, record_state
        self.max_bytes, self.attempts = max_bytes, attempts
        self._queue: queue.Queue[MediaRecord | None] = queue.Queue(queue_size)
        self._thread = threading.Thread(target=self._work, name="wa-archive-media", daemon=True)
        self.stored = self.failed = 0

    def start(self) -> None:
        """Start the worker thread."""
        self._thread.start()

    def stop(self) -> None:
        """Finish the current item and stop."""
        self._queue.put(None)
        self._thread.join(timeout=30)

    def after_write(self, kind: str, _event: Any, batch: Batch) -> None:
        """Capture hook: queue the media of a freshly written batch."""
        self.enqueue(batch.media)

    def enqueue(self, records: list[MediaRecord]) -> None:
        """Queue downloadable media; when the queue is full they stay pending for a later run."""
        for media in records:
            if not media.direct_path or not media.media_key:
                continue
            try:
                self._queue.put_nowait(media)
            except queue.Full:
                self._state(media, "pending", "download queue full; retried on a later run")

    def fetch(self, media: MediaRecord) -> str | None:
        """Download one item with retries; return its store path or None."""
        if media.size and media.size > self.max_bytes:
            self._state(media, "skipped", f"larger than {self.max_bytes} bytes")
            return None
        error = ""
        for attempt in range(self.attempts):
            try:
                data = self.download(media)
            except Exception as exc:
                error = str(exc)
                if any(marker in error.lower() for marker in GONE_MARKERS):
                    self._state(media, "unavailable", error)
                    return None
                if attempt + 1 < self.attempts:
                    time.sleep(min(30.0, 2.0 * 2**attempt))
                continue
            _sha, rel = self.store.put(data)
            self.write(Batch(media=[msgspec.structs.replace(media, local_path=rel)]))
            self._state(media, "stored", None)
            self.stored += 1
            return rel
        self.failed += 1
        self._state(media, "failed", error)
        return None

    def _work(self) -> None:
        while (media := self._queue.get()) is not None:
            try:
                self.fetch(media)
            except Exception:
                log.exception("media download of %s failed", media.message_id)

    def _state(self, media: MediaRecord, state: str, error: str | None) -> None:
        if self.record_state is not None:
            try:
                self.record_state(media, state, error)
            except Exception:
                log.exception("could not record media state %s", state)
