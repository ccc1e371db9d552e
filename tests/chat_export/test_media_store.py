"""The content-addressed media store: hash-derived paths, atomic writes, deduplication."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from wa_archive.media_store import MediaStore


def test_put_bytes_and_stream_dedup(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    data = b"hello media"
    digest = hashlib.sha256(data).hexdigest()
    assert store.put(data) == (digest, f"{digest[:2]}/{digest[2:4]}/{digest}")
    assert store.put(io.BytesIO(data)) == (digest, f"{digest[:2]}/{digest[2:4]}/{digest}")
    assert store.path_of(digest).read_bytes() == data and store.has(digest)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [store.path_of(digest)]


def test_large_stream(tmp_path: Path) -> None:
    data = bytes(range(256)) * 20_000
    digest, relative = MediaStore(tmp_path).put(io.BytesIO(data))
    assert digest == hashlib.sha256(data).hexdigest()
    assert (tmp_path / relative).stat().st_size == len(data)
