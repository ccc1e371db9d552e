"""Genuine neonize events through a real client's dispatcher into the archive (both dialects)."""

from __future__ import annotations

from pathlib import Path

from live_helpers import wire
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as E
from sqlalchemy import func, select

from wa_archive import Archive
from wa_archive.sources import fake_events as fe
from wa_archive.store.schema import journal

ALICE = "15551230001@s.whatsapp.net"
GROUP = "120363000000000001@g.us"


def _journal_rows(archive: Archive, account_id: int) -> list[tuple[str, bool, str | None]]:
    with archive.connect() as conn:
        rows = conn.execute(
            select(journal.c.kind, journal.c.processed_at, journal.c.error)
            .where(journal.c.account_id == account_id)
            .order_by(journal.c.id)
        ).all()
    return [(r.kind, r.processed_at is not None, r.error) for r in rows]


def _history() -> object:
    msgs = [
        fe.web_message_info(
            E.Message(conversation=f"old {i}"),
            id=f"H{i}",
            chat=ALICE,
            timestamp_s=1_600_000_000 + i,
        )
        for i in range(5)
    ]
    hs = fe.history_sync(
        [fe.conversation(ALICE, msgs, name="Alice")],
        chunk_order=1,
        progress=40,
        pushnames={ALICE: "Alice"},
    )
    return fe.history_sync_event(hs)


def test_events_are_journaled_then_stored(live_archive: Archive, tmp_path: Path) -> None:
    w = wire(live_archive, tmp_path)
    fe.dispatch(w.client, _history())
    fe.dispatch(w.client, fe.text_message_event("hi", id="L1", chat=ALICE, sender=ALICE,
                                                timestamp_ms=1_700_000_000_000))  # fmt: skip
    fe.dispatch(w.client, fe.receipt_event(ALICE, ALICE, ["L1"], timestamp_ms=1_700_000_001_000))
    info = fe.group_info(GROUP, name="Team", participants=[(ALICE, None, None, "admin")])
    fe.dispatch(w.client, fe.joined_group_event(info))
    fe.dispatch(w.client, fe.undecryptable_event(id="U1", chat=ALICE, sender=ALICE,
                                                 timestamp_ms=1_700_000_002_000))  # fmt: skip
    ids = {m.id for m in live_archive.messages(w.account_id, ALICE)}
    assert {"H0", "H4", "L1", "U1"} <= ids
    assert live_archive.receipts(w.account_id, ALICE, "L1")
    assert any(c.jid == GROUP for c in live_archive.chats(w.account_id))
    rows = _journal_rows(live_archive, w.account_id)
    kinds = [r[0] for r in rows]
    assert kinds == ["history_sync", "message", "receipt", "joined_group", "undecryptable"]
    assert all(processed and error is None for _, processed, error in rows)
    state = live_archive.sync_state(w.account_id)
    assert state["history_chunks"] == 1 and state["history_messages"] == 5
    assert w.runner.status.history_progress == 40 and w.runner.status.events == 5


def test_a_failing_event_is_quarantined_and_capture_goes_on(
    live_archive: Archive, tmp_path: Path, monkeypatch: object
) -> None:
    w = wire(live_archive, tmp_path)
    w.capture._decoders = {"message": _boom, "receipt": _boom}
    fe.dispatch(w.client, fe.text_message_event("x", id="B1", chat=ALICE, sender=ALICE,
                                                timestamp_ms=1_700_000_000_000))  # fmt: skip
    w.capture._decoders = None
    fe.dispatch(w.client, fe.text_message_event("y", id="G1", chat=ALICE, sender=ALICE,
                                                timestamp_ms=1_700_000_000_500))  # fmt: skip
    rows = _journal_rows(live_archive, w.account_id)
    assert rows[0][1] is False and "decoder exploded" in (rows[0][2] or "")
    assert rows[1][1] is True
    assert [m.id for m in live_archive.messages(w.account_id, ALICE)] == ["G1"]
    assert w.runner.status.quarantined == 1


def test_unprocessed_rows_are_replayed_once(live_archive: Archive, tmp_path: Path) -> None:
    w = wire(live_archive, tmp_path)
    ev = fe.text_message_event("late", id="R1", chat=ALICE, sender=ALICE,
                               timestamp_ms=1_700_000_000_000)  # fmt: skip
    w.capture.journal.append("message", ev.SerializeToString())  # as if killed right after
    assert live_archive.chats(w.account_id) == []
    assert w.capture.replay() == 1
    assert w.capture.replay() == 0
    assert [m.id for m in live_archive.messages(w.account_id, ALICE)] == ["R1"]
    with live_archive.connect() as conn:
        pending = conn.execute(
            select(func.count()).select_from(journal).where(journal.c.processed_at.is_(None))
        ).scalar()
    assert pending == 0


def _boom(ev: object, out: object) -> None:
    raise ValueError("decoder exploded")
