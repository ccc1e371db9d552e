"""The writer's contract: idempotent, order-independent, richest copy wins, nothing wiped."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import text

from wa_archive import Archive
from wa_archive.records import (
    OWN,
    Batch,
    EditRecord,
    IdentityRecord,
    MessageRecord,
    Quarantined,
    ReactionRecord,
    ReceiptRecord,
    RevokeRecord,
)

from ..snapshot import snapshot

ALICE = "15551234567@s.whatsapp.net"
ALICE_LID = "987654321@lid"
GROUP = "120363041234567890@g.us"
T0 = 1_717_000_000_000


def msg(
    mid: str,
    text: str | None = "hi",
    *,
    chat: str = ALICE,
    sender: str | None = None,
    ts: int = T0,
    richness: int = 20_000_100,
    **kw,
) -> MessageRecord:  # type: ignore[no-untyped-def]
    return MessageRecord(
        chat=chat, sender=sender or chat, id=mid, from_me=sender == OWN, timestamp=ts,
        content_type="conversation" if text is not None else None, text=text,
        raw=f'{{"id":"{mid}"}}'.encode(), richness=richness, **kw,
    )  # fmt: skip


def test_replay_is_idempotent(archive: Archive, account: int) -> None:
    batch = Batch(
        messages=[msg("A", "one"), msg("B", "two", ts=T0 + 1000)],
        reactions=[
            ReactionRecord(chat=ALICE, target_id="A", reactor=OWN, emoji="👍", timestamp=T0)
        ],
    )
    first = archive.write(account, batch)
    before = snapshot(archive, account)
    second = archive.write(account, batch)
    assert first.messages_new == 2
    assert (second.messages_new, second.messages_updated, second.messages_unchanged) == (0, 0, 2)
    assert snapshot(archive, account) == before


EFFECTS = [
    Batch(messages=[msg("A", "original", status=2)]),
    Batch(edits=[EditRecord(chat=ALICE, target_id="A", editor=ALICE, edit_id="E1",
                            edited_at=T0 + 5000, text="edited once")]),
    Batch(edits=[EditRecord(chat=ALICE, target_id="A", editor=ALICE, edit_id="E2",
                            edited_at=T0 + 9000, text="edited twice")]),
    Batch(revokes=[RevokeRecord(chat=ALICE, target_id="A", revoke_id="R1", revoked_by=ALICE,
                                revoked_at=T0 + 20000)]),
    Batch(reactions=[ReactionRecord(chat=ALICE, target_id="A", reactor=OWN, emoji="❤️",
                                    timestamp=T0 + 3000)]),
    Batch(reactions=[ReactionRecord(chat=ALICE, target_id="A", reactor=OWN, emoji="",
                                    timestamp=T0 + 4000)]),
    Batch(receipts=[ReceiptRecord(chat=ALICE, message_id="A", recipient=ALICE, type="read",
                                  timestamp=T0 + 7000)]),
    Batch(receipts=[ReceiptRecord(chat=ALICE, message_id="A", recipient=ALICE, type="read",
                                  timestamp=T0 + 8000)]),
    Batch(messages=[msg("A", "original", status=4)]),
]  # fmt: skip


def _apply(archive: Archive, account: int, batches: list[Batch]) -> dict:  # type: ignore[type-arg]
    for b in batches:
        archive.write(account, b)
    return snapshot(archive, account)


def test_any_order_gives_the_same_archive(archive: Archive) -> None:
    reference = _apply(archive, archive.ensure_account("ref"), EFFECTS)
    orders = list(itertools.permutations(range(len(EFFECTS))))
    for n, order in enumerate(orders[:: len(orders) // 12][:12]):
        account = archive.ensure_account(f"order-{n}")
        assert _apply(archive, account, [EFFECTS[i] for i in order]) == reference, order


def test_effects_before_their_target_wait_for_it(archive: Archive, account: int) -> None:
    for b in reversed(EFFECTS):
        archive.write(account, b)
    m = archive.message(account, ALICE, "A")
    assert m is not None
    assert m.text == "edited twice" and m.original_text == "original"
    assert m.timestamp is not None and int(m.timestamp.timestamp() * 1000) == T0
    assert m.edited_at is not None and int(m.edited_at.timestamp() * 1000) == T0 + 9000
    assert m.deleted_at is not None and m.deleted_by == ALICE
    assert m.status == 4
    assert [e.text for e in archive.edits(account, ALICE, "A")] == ["edited once", "edited twice"]
    assert archive.reactions(account, ALICE, "A") == []  # removed by the later empty reaction
    [receipt] = archive.receipts(account, ALICE, "A")
    assert int(receipt.timestamp.timestamp() * 1000) == T0 + 7000  # type: ignore[union-attr]


def test_revoke_keeps_content(archive: Archive, account: int) -> None:
    archive.write(account, Batch(messages=[msg("A", "secret plans")]))
    archive.write(
        account,
        Batch(revokes=[RevokeRecord(chat=ALICE, target_id="A", revoke_id="R", revoked_by=ALICE,
                                    revoked_at=T0 + 1)]),
    )  # fmt: skip
    m = archive.message(account, ALICE, "A")
    assert m is not None and m.text == "secret plans" and m.deleted_at is not None


def test_richer_copy_wins_and_poorer_never_overwrites(archive: Archive, account: int) -> None:
    stub = msg("A", None, richness=0)
    real = msg("A", "the real text", richness=20_000_050)
    archive.write(account, Batch(messages=[stub]))
    archive.write(account, Batch(messages=[real]))
    archive.write(account, Batch(messages=[stub]))
    m = archive.message(account, ALICE, "A")
    assert m is not None and m.text == "the real text"
    # Inside one batch too, whatever the order.
    other = archive.ensure_account("other")
    archive.write(other, Batch(messages=[real, stub]))
    assert archive.message(other, ALICE, "A").text == "the real text"  # type: ignore[union-attr]


def test_status_and_receipts_never_move_backwards(archive: Archive, account: int) -> None:
    archive.write(account, Batch(messages=[msg("A", status=4)]))
    archive.write(account, Batch(messages=[msg("A", status=3)]))
    assert archive.message(account, ALICE, "A").status == 4  # type: ignore[union-attr]


def test_lid_messages_merge_into_the_phone_number_chat(archive: Archive, account: int) -> None:
    # Stored under the LID first, before the pair is known …
    archive.write(account, Batch(messages=[msg("L1", "via lid", chat=ALICE_LID)]))
    archive.write(account, Batch(messages=[msg("P1", "via pn", chat=ALICE, ts=T0 + 1000)]))
    assert len(archive.chats(account)) == 2
    # … then a payload reveals the pair: one chat, one person.
    archive.write(account, Batch(identities=[IdentityRecord(lid=ALICE_LID, pn=ALICE)]))
    [chat] = archive.chats(account)
    assert chat.jid == ALICE
    ids = [m.id for m in archive.messages(account, ALICE_LID)]
    assert ids == ["P1", "L1"]
    assert archive.contact(account, ALICE_LID).jid == ALICE  # type: ignore[union-attr]
    assert archive.contact(account, ALICE).lid == ALICE_LID  # type: ignore[union-attr]
    # Later LID-addressed messages land in the same chat directly.
    archive.write(account, Batch(messages=[msg("L2", "later", chat=ALICE_LID, ts=T0 + 2000)]))
    assert [c.jid for c in archive.chats(account)] == [ALICE]


def test_same_message_under_both_forms_merges_richest(archive: Archive, account: int) -> None:
    archive.write(
        account, Batch(messages=[msg("X", "full text", chat=ALICE_LID, richness=20_000_500)])
    )
    archive.write(account, Batch(messages=[msg("X", None, chat=ALICE, richness=1)]))
    archive.write(account, Batch(identities=[IdentityRecord(lid=ALICE_LID, pn=ALICE)]))
    page = archive.messages(account, ALICE)
    assert [(m.id, m.text) for m in page] == [("X", "full text")]


def test_message_ids_are_scoped_to_chat_and_sender(archive: Archive, account: int) -> None:
    bob = "15550000002@s.whatsapp.net"
    archive.write(
        account,
        Batch(messages=[msg("SAME", "in alice"), msg("SAME", "in group", chat=GROUP, sender=bob)]),
    )
    assert archive.message(account, ALICE, "SAME").text == "in alice"  # type: ignore[union-attr]
    assert archive.message(account, GROUP, "SAME").text == "in group"  # type: ignore[union-attr]


def test_quarantined_input_is_kept_with_its_reason(archive: Archive, account: int) -> None:
    archive.write(
        account,
        Batch(quarantined=[Quarantined(reason="not a message", kind="message", payload=b"\x00")]),
    )
    with archive.connect() as conn:
        rows = conn.execute(text("SELECT kind, error, payload FROM journal")).all()
    assert [(r[0], r[1], bytes(r[2])) for r in rows] == [("message", "not a message", b"\x00")]


def test_full_text_index_follows_inserts_and_edits(archive: Archive, account: int) -> None:
    archive.write(account, Batch(messages=[msg("A", "Überraschung im Café"), msg("B", "plain")]))
    archive.write(
        account,
        Batch(edits=[EditRecord(chat=ALICE, target_id="B", editor=ALICE, edit_id="E",
                                edited_at=T0 + 1, text="zebra crossing")]),
    )  # fmt: skip
    with archive.connect() as conn:
        if archive.dialect == "sqlite":

            def hits(q: str) -> list[str]:
                return [
                    r[0]
                    for r in conn.execute(
                        text(
                            "SELECT m.id FROM messages_fts f JOIN messages m ON m.rowid = f.rowid "
                            "WHERE messages_fts MATCH :q ORDER BY m.id"
                        ),
                        {"q": q},
                    )
                ]
        else:

            def hits(q: str) -> list[str]:
                return [
                    r[0]
                    for r in conn.execute(
                        text(
                            "SELECT id FROM messages WHERE text_tsv @@ plainto_tsquery('simple', :q) "
                            "ORDER BY id"
                        ),
                        {"q": q},
                    )
                ]

        assert hits("cafe" if archive.dialect == "sqlite" else "café") == ["A"]
        assert hits("zebra") == ["B"]
        assert hits("plain") == []


def test_concurrent_writers_produce_no_duplicates(archive: Archive, account: int) -> None:
    batches = [Batch(messages=[msg(f"M{i}", f"t{i}", ts=T0 + i) for i in range(k, k + 300)])
               for k in (0, 100, 200, 0)]  # fmt: skip
    errors: list[BaseException] = []

    def run(b: Batch) -> None:
        try:
            archive.write(account, b)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    [stats] = archive.stats(account)
    assert stats.messages == 500


def test_sqlite_readers_are_not_blocked_by_a_writer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Archive.open(tmp_path / "a.db") as archive:
        account = archive.ensure_account("x")
        archive.write(account, Batch(messages=[msg("A")]))
        raw = archive.engine.raw_connection()
        try:
            raw.cursor().execute("BEGIN IMMEDIATE")
            raw.cursor().execute("UPDATE messages SET text = 'changing'")
            assert archive.message(account, ALICE, "A").text == "hi"  # type: ignore[union-attr]
        finally:
            raw.driver_connection.execute("ROLLBACK")
            raw.close()


@pytest.mark.parametrize("n", [1, 250])
def test_small_and_bulk_paths_agree(archive: Archive, n: int) -> None:
    a, b = archive.ensure_account("one-by-one"), archive.ensure_account("bulk")
    records = [msg(f"M{i:04}", f"text {i}", ts=T0 + i * 1000, status=i % 5) for i in range(n)]
    for r in records:
        archive.write(a, Batch(messages=[r]))
    report = archive.write(b, Batch(messages=records))
    assert report.messages_new == n
    assert [m.to_dict() for m in archive.messages(a, ALICE, limit=n)] == [
        m.to_dict() for m in archive.messages(b, ALICE, limit=n)
    ]


_USUALLY_EMPTY = (
    "stub_type", "stub_params", "quoted_id", "quoted_sender", "quoted_text", "mentions",
    "status", "message_secret", "attrs",
)  # fmt: skip


@pytest.mark.parametrize("n", [1, 250])
def test_empty_columns_are_stored_as_null_on_every_path(
    archive: Archive, account: int, n: int
) -> None:
    """A message's absent quote, status, stub… are SQL NULL, written fresh, upserted or merged."""
    records = [msg(f"M{i:04}", f"text {i}", ts=T0 + i) for i in range(n)]
    archive.write(account, Batch(messages=records))  # fresh: the bulk insert when n > 200
    archive.write(account, Batch(messages=[msg("M0000", "richer", richness=20_000_900)]))
    copies = [msg("D", "one"), msg("D", "two", richness=20_000_900)]  # merged in the batch
    archive.write(account, Batch(messages=[*copies, msg("S", "sent", status=3), msg("S", "x")]))
    nulls = " AND ".join(f"{column} IS NULL" for column in _USUALLY_EMPTY)
    with archive.connect() as conn:
        empty = conn.execute(text(f"SELECT id FROM messages WHERE {nulls} ORDER BY id")).scalars()
        status = conn.execute(text("SELECT status FROM messages WHERE id = 'S'")).scalar_one()
    assert list(empty) == ["D", *(r.id for r in records)]
    assert status == 3
    assert archive.message(account, ALICE, "M0000").text == "richer"  # type: ignore[union-attr]


def test_bulk_batch_over_existing_rows_upserts(archive: Archive, account: int) -> None:
    """A bulk batch whose keys partly exist falls back from plain COPY to the upsert."""
    first = [
        msg(f"M{i:04}", f"text {i}", ts=T0 + i, attrs={"n": i}, mentions=(ALICE,))
        for i in range(300)
    ]
    assert archive.write(account, Batch(messages=first)).messages_new == 300
    stored = archive.message(account, ALICE, "M0042")
    assert stored is not None and stored.attrs == {"n": 42} and stored.mentions == [ALICE]
    assert int(stored.timestamp.timestamp() * 1000) == T0 + 42  # type: ignore[union-attr]
    richer = [msg(f"M{i:04}", f"richer {i}", ts=T0 + i, richness=20_000_900) for i in range(150)]
    fresh = [msg(f"N{i:04}", f"new {i}", ts=T0 + 1000 + i) for i in range(150)]
    report = archive.write(account, Batch(messages=richer + fresh + first[150:]))
    assert (report.messages_new, report.messages_updated, report.messages_unchanged) == (
        150,
        150,
        150,
    )
    assert archive.message(account, ALICE, "M0007").text == "richer 7"  # type: ignore[union-attr]
    assert archive.message(account, ALICE, "M0200").text == "text 200"  # type: ignore[union-attr]
    assert archive.message(account, ALICE, "N0007").text == "new 7"  # type: ignore[union-attr]
    [stats] = archive.stats(account)
    assert stats.messages == 450


def test_unknown_account_is_refused_and_nothing_is_written(archive: Archive, account: int) -> None:
    from wa_archive.errors import UserInputError

    with pytest.raises(UserInputError, match="no account with id 4242"):
        archive.write(4242, Batch(messages=[msg("A")]))
    archive.write(account, Batch(messages=[msg("A")]))  # the writer is still usable
    with archive.connect() as conn:
        rows = conn.execute(text("SELECT account_id FROM messages")).fetchall()
    assert [r[0] for r in rows] == [account]


def test_a_repeats_batch_merges_like_any_other(archive: Archive, account: int) -> None:
    placeholder = msg("A", None, richness=100)
    bulk = [msg(f"B{i:04d}", ts=T0 + i) for i in range(300)]  # the COPY path on PostgreSQL
    archive.write(account, Batch(messages=[placeholder, *bulk]))
    report = archive.write(account, Batch(messages=[msg("A", "real"), *bulk], repeats=True))
    assert (report.messages_new, report.messages_updated) == (0, 1)
    other = archive.ensure_account("other")
    archive.write(other, Batch(messages=[msg("A", "real"), *bulk]))
    assert snapshot(archive, account) == snapshot(archive, other)


def test_bulk_insert_refused_midway_ends_like_the_upsert(archive: Archive, account: int) -> None:
    """New keys sort before stored ones: the straight insert gets some rows in, then falls back."""
    stored = [msg(f"M{i:04}", f"text {i}", ts=T0 + i) for i in range(250)]
    archive.write(account, Batch(messages=stored))
    new = [msg(f"A{i:04}", f"new {i}", ts=T0 + 1000 + i) for i in range(250)]
    richer = [msg(f"M{i:04}", f"richer {i}", ts=T0 + i, richness=20_000_900) for i in range(100)]
    report = archive.write(account, Batch(messages=new + richer + stored[100:]))
    assert (report.messages_new, report.messages_updated, report.messages_unchanged) == (
        250,
        100,
        150,
    )
    other = archive.ensure_account("one-by-one")
    for record in stored + new + richer:
        archive.write(other, Batch(messages=[record]))
    assert snapshot(archive, account) == snapshot(archive, other)


def test_a_growing_bulk_load_is_analysed_for_the_planner(archive: Archive, account: int) -> None:
    """PostgreSQL: the writer gives a freshly loaded messages table statistics (sizes, a sample)."""
    if archive.dialect != "postgresql":
        pytest.skip("SQLite plans without statistics")
    for start in (0, 3000):
        records = [msg(f"M{i:05}", f"text {i}", ts=T0 + i) for i in range(start, start + 3000)]
        archive.write(account, Batch(messages=records))
    with archive.connect() as conn:
        tuples, sampled = conn.execute(
            text(
                "SELECT c.reltuples, (SELECT count(*) FROM pg_stats s WHERE s.tablename = "
                "'messages' AND s.schemaname = n.nspname) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE c.relname = 'messages' "
                "AND n.nspname = current_schema()"
            )
        ).one()
    assert tuples >= 3000 and sampled > 0


def test_effects_without_a_time_rank_after_timed_ones_on_both_databases(
    archive: Archive, account: int
) -> None:
    """An untimed edit or revoke never hides a timed one: the same winner on SQLite and PG."""
    bob = "15557654321@s.whatsapp.net"
    edits = [
        EditRecord(chat=ALICE, target_id="A", editor=ALICE, edit_id=eid, edited_at=at, text=text)
        for eid, at, text in (("E1", None, "untimed edit"), ("E2", T0 + 5000, "timed edit"))
    ]
    revokes = [
        RevokeRecord(chat=ALICE, target_id="A", revoke_id=rid, revoked_by=by, revoked_at=at)
        for rid, by, at in (("R1", bob, None), ("R2", ALICE, T0 + 6000))
    ]
    archive.write(account, Batch(messages=[msg("A", "original")], edits=edits, revokes=revokes))
    m = archive.message(account, ALICE, "A")
    assert m is not None and (m.text, m.deleted_by) == ("timed edit", ALICE)
    assert [e.text for e in archive.edits(account, ALICE, "A")] == ["timed edit", "untimed edit"]
