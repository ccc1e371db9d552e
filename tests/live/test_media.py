"""--media: content-addressed storage, size cap, retries, unavailable history media, re-queue."""

from __future__ import annotations

from pathlib import Path

from wa_archive import Archive, Batch
from wa_archive.records import MediaRecord, MessageRecord
from wa_archive.sources.live.media import MediaFetcher

CHAT = "15551234567@s.whatsapp.net"


def _media(mid: str, size: int = 10) -> MediaRecord:
    return MediaRecord(chat=CHAT, sender=CHAT, message_id=mid, kind="image", size=size,
                       media_key=b"k" * 32, direct_path=f"/v/{mid}", richness=20_000_000)  # fmt: skip


def _setup(archive: Archive, mids: list[str], sizes: dict[str, int] | None = None) -> int:
    account = archive.ensure_account("m")
    archive.write(account, Batch(
        messages=[MessageRecord(chat=CHAT, sender=CHAT, id=m, from_me=False,
                                timestamp=1_717_000_000_000, content_type="imageMessage",
                                raw=b"{}", richness=20_000_000) for m in mids],
        media=[_media(m, (sizes or {}).get(m, 10)) for m in mids],
    ))  # fmt: skip
    return account


def _state(archive: Archive, account: int) -> dict[str, tuple]:  # type: ignore[type-arg]
    from sqlalchemy import text

    with archive.connect() as conn:
        rows = conn.execute(
            text("SELECT message_id, download_state, local_path, download_attempts FROM media "
                 "WHERE account_id = :a"), {"a": account}).all()  # fmt: skip
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_downloads_are_stored_by_content_and_failures_recorded(
    archive: Archive, tmp_path: Path
) -> None:
    account = _setup(archive, ["OK", "GONE", "FLAKY", "HUGE"], {"HUGE": 10**9})

    def download(m: MediaRecord) -> bytes:
        if m.message_id == "GONE":
            raise RuntimeError("download failed: 410 gone")
        if m.message_id == "FLAKY":
            raise RuntimeError("connection reset")
        return b"jpeg bytes of " + m.message_id.encode()

    fetcher = MediaFetcher(
        tmp_path / "media", download, lambda b: archive.write(account, b),
        lambda m, st, err: archive.set_media_state(account, m, st, err),
        max_bytes=10**6, attempts=1,
    )  # fmt: skip
    for m in archive.pending_media(account):
        fetcher.fetch(m)
    state = _state(archive, account)
    ok_path = state["OK"][1]
    assert state["OK"][0] == "stored" and ok_path and "OK" not in ok_path
    assert (tmp_path / "media" / ok_path).read_bytes() == b"jpeg bytes of OK"
    assert state["GONE"][0] == "unavailable"
    assert state["FLAKY"][0] == "failed" and state["FLAKY"][2] == 1
    assert state["HUGE"][0] == "skipped"
    # A later run retries only what failed (not what is gone, too big or already stored).
    assert [m.message_id for m in archive.pending_media(account)] == ["FLAKY"]
    assert archive.pending_media(account, max_attempts=1) == []


def test_last_seen_only_moves_forward(archive: Archive) -> None:
    account = archive.ensure_account("p")
    archive.update_last_seen(account, {CHAT: 2_000})
    archive.update_last_seen(account, {CHAT: 1_000})
    from sqlalchemy import select

    from wa_archive.store.schema import contacts
    from wa_archive.store.types import ms_to_datetime

    with archive.connect() as conn:
        seen = conn.execute(select(contacts.c.last_seen_at)).scalar()
    assert seen == ms_to_datetime(2_000)
