"""``Archive.write_all``: batches in order, each its own transaction, on PostgreSQL two at once.

On PostgreSQL a batch is prepared (rows built, identity pairs planned) while the two before
it are still being written; the archive must end exactly as when the batches are written
one by one, also when an edit meets its target in the other batch in flight, when the
server refuses a batch (to retry, or for good) or the batches stop with an error of their
own.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import psycopg
import pytest
from sqlalchemy import text

from wa_archive import Archive
from wa_archive.records import Batch, EditRecord, IdentityRecord, ReactionRecord

from ..snapshot import snapshot
from .test_writer import ALICE, ALICE_LID, OWN, T0, msg

BOB_LID = "555000111@lid"
BOB = "15550000002@s.whatsapp.net"


def _batches() -> list[Batch]:
    """Bulk batches whose rows depend on the identities the batch before taught."""
    return [
        # LIDs written before their phone numbers are known.
        Batch(messages=[msg(f"A{i:03}", f"lid {i}", chat=ALICE_LID, ts=T0 + i) for i in range(250)]
              + [msg("B000", "bob", chat=BOB_LID)]),
        # Alice's pair arrives (her stored rows move) with more of her LID messages.
        Batch(identities=[IdentityRecord(lid=ALICE_LID, pn=ALICE)],
              messages=[msg(f"C{i:03}", f"pair {i}", chat=ALICE_LID, ts=T0 + 1000 + i)
                        for i in range(250)]),
        # Prepared while the batch before is written: must already use the new pair.
        Batch(messages=[msg(f"D{i:03}", f"after {i}", chat=ALICE_LID, ts=T0 + 2000 + i)
                        for i in range(250)],
              edits=[EditRecord(chat=ALICE_LID, target_id="A001", editor=ALICE_LID,
                                edit_id="E1", edited_at=T0 + 5000, text="edited")],
              reactions=[ReactionRecord(chat=ALICE_LID, target_id="C002", reactor=OWN,
                                        emoji="👍", timestamp=T0 + 6000)]),
        Batch(identities=[IdentityRecord(lid=BOB_LID, pn=BOB)],
              messages=[msg("B001", "bob again", chat=BOB_LID, ts=T0 + 1)]),
        # A repeat of the first batch: nothing new.
        Batch(messages=[msg(f"A{i:03}", f"lid {i}", chat=ALICE_LID, ts=T0 + i) for i in range(250)],
              repeats=True),
    ]  # fmt: skip


def _one_by_one(archive: Archive, account: int) -> list[tuple[int, int, int]]:
    reports = [archive.write(account, b) for b in _batches()]
    return [(r.messages_new, r.messages_updated, r.messages_unchanged) for r in reports]


def _all(archive: Archive, account: int) -> list[tuple[int, int, int]]:
    return [
        (r.messages_new, r.messages_updated, r.messages_unchanged)
        for _batch, r in archive.write_all(account, _batches())
    ]


def test_write_all_ends_like_writing_one_by_one(archive: Archive) -> None:
    serial, pipelined = archive.ensure_account("serial"), archive.ensure_account("all")
    expected = _one_by_one(archive, serial)
    assert _all(archive, pipelined) == expected
    assert expected[0] == (251, 0, 0) and expected[-1] == (0, 0, 250)
    assert snapshot(archive, pipelined) == snapshot(archive, serial)
    assert [c.jid for c in archive.chats(pipelined)] == [ALICE, BOB]
    assert len(archive.messages(pipelined, ALICE, limit=1000)) == 750


def test_an_error_of_the_batches_comes_after_the_batch_in_flight(archive: Archive) -> None:
    account = archive.ensure_account("stops")

    def batches() -> Iterator[Batch]:
        yield Batch(messages=[msg("M1", "one")])
        yield Batch(messages=[msg("M2", "two", ts=T0 + 1)])
        raise ValueError("the file ends here")

    seen = []
    with pytest.raises(ValueError, match="ends here"):
        for batch, _report in archive.write_all(account, batches()):
            seen.append(batch.messages[0].id)
    assert seen == ["M1", "M2"]
    assert [m.id for m in archive.messages(account, ALICE)] == ["M2", "M1"]


@pytest.fixture
def refusing_server(pg_archive: Archive) -> Iterator[Archive]:
    """PostgreSQL refusing a message: id RETRY once as a serialization failure, BAD always."""
    statements = [
        "CREATE SEQUENCE _wa_test_refusals",
        """CREATE FUNCTION _wa_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.id = 'BAD' THEN
                RAISE EXCEPTION 'refused for good';
            END IF;
            IF NEW.id = 'RETRY' AND nextval('_wa_test_refusals') = 1 THEN
                RAISE EXCEPTION 'refused once' USING ERRCODE = 'serialization_failure';
            END IF;
            RETURN NEW;
        END $$""",
        "CREATE TRIGGER _wa_test_refuse BEFORE INSERT ON messages "
        "FOR EACH ROW EXECUTE FUNCTION _wa_test_refuse()",
    ]
    yield from _server_with(
        pg_archive,
        statements,
        [
            "DROP TRIGGER _wa_test_refuse ON messages",
            "DROP FUNCTION _wa_test_refuse()",
            "DROP SEQUENCE _wa_test_refusals",
        ],
    )


def _server_with(pg_archive: Archive, create: list[str], drop: list[str]) -> Iterator[Archive]:
    """A fresh ``Archive`` on the server while the ``create`` statements hold; ``drop`` after."""
    with pg_archive.engine.begin() as conn:
        for sql in create:
            conn.execute(text(sql))
    try:
        yield Archive(pg_archive.engine, pg_archive.settings)
    finally:
        with pg_archive.engine.begin() as conn:
            for sql in drop:
                conn.execute(text(sql))


def _refusals(archive: Archive) -> int:
    with archive.engine.connect() as conn:
        return int(conn.execute(text("SELECT last_value FROM _wa_test_refusals")).scalar_one())


def test_a_batch_the_server_asks_to_retry_is_written_again(refusing_server: Archive) -> None:
    archive = refusing_server
    reference, account = archive.ensure_account("reference"), archive.ensure_account("retried")

    def refused() -> list[Batch]:
        batches = _batches()
        batches[1].messages.append(msg("RETRY", "second try", chat=ALICE_LID, ts=T0 + 3000))
        return batches

    for batch in refused():
        archive.write(reference, batch)
    assert _refusals(archive) == 2  # refused once, then written
    with archive.engine.begin() as conn:
        conn.execute(text("ALTER SEQUENCE _wa_test_refusals RESTART"))
    reports = [r.messages_new for _batch, r in archive.write_all(account, refused())]
    assert _refusals(archive) == 2  # the batch in flight was refused once too
    assert reports == [251, 251, 250, 1, 0]
    assert snapshot(archive, account) == snapshot(archive, reference)


def test_a_batch_refused_for_good_stops_after_the_batches_in_flight(
    refusing_server: Archive,
) -> None:
    archive = refusing_server
    account = archive.ensure_account("refused")
    batches = [
        Batch(messages=[msg("M1", "one")]),
        Batch(messages=[msg("BAD", "refused")]),
        Batch(messages=[msg("M3", "in flight with BAD", ts=T0 + 3)]),
        Batch(messages=[msg("M4", "never", ts=T0 + 4)]),
    ]
    seen = []
    with pytest.raises(psycopg.errors.RaiseException, match="refused for good"):
        for batch, _report in archive.write_all(account, batches):
            seen.append(batch.messages[0].id)
    assert seen == ["M1"]
    # M3 was being written beside BAD: it ends (an import re-run writes it again, unchanged)
    assert [m.id for m in archive.messages(account, ALICE)] == ["M3", "M1"]


@pytest.fixture
def crossing_server(pg_archive: Archive) -> Iterator[Archive]:
    """PostgreSQL slowing two batches so that each writes before the other commits.

    Inserting message SLOW takes 0.5 s (its batch commits after that); a batch holding
    edit SLOWEDIT commits 1 s after its statements end. Each transaction looks for the
    other's rows before the other has committed.
    """
    statements = [
        """CREATE FUNCTION _wa_test_slow_message() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.id = 'SLOW' THEN PERFORM pg_sleep(0.5); END IF;
            RETURN NEW;
        END $$""",
        "CREATE TRIGGER _wa_test_slow_message BEFORE INSERT ON messages "
        "FOR EACH ROW EXECUTE FUNCTION _wa_test_slow_message()",
        """CREATE FUNCTION _wa_test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.edit_id = 'SLOWEDIT' THEN PERFORM pg_sleep(1.0); END IF;
            RETURN NEW;
        END $$""",
        "CREATE CONSTRAINT TRIGGER _wa_test_slow_commit AFTER INSERT ON message_edits "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION _wa_test_slow_commit()",
    ]
    yield from _server_with(
        pg_archive,
        statements,
        [
            "DROP TRIGGER _wa_test_slow_message ON messages",
            "DROP FUNCTION _wa_test_slow_message()",
            "DROP TRIGGER _wa_test_slow_commit ON message_edits",
            "DROP FUNCTION _wa_test_slow_commit()",
        ],
    )


def test_an_edit_written_beside_its_target_is_applied(crossing_server: Archive) -> None:
    archive = crossing_server

    def batches() -> list[Batch]:
        return [
            Batch(messages=[msg("M0", "the chat exists")]),
            Batch(messages=[msg("T", "typo", ts=T0 + 1), msg("SLOW", "slow", ts=T0 + 2)]),
            Batch(edits=[EditRecord(chat=ALICE, target_id="T", editor=ALICE,
                                    edit_id="SLOWEDIT", edited_at=T0 + 9, text="fixed")]),
        ]  # fmt: skip

    reference = archive.ensure_account("edited one by one")
    account = archive.ensure_account("edited two at once")
    for batch in batches():
        archive.write(reference, batch)
    for _ in archive.write_all(account, batches()):
        pass
    edited = archive.message(account, ALICE, "T")
    assert edited is not None and edited.text == "fixed"
    assert snapshot(archive, account) == snapshot(archive, reference)


def test_a_later_copy_is_written_after_the_first_copy(crossing_server: Archive) -> None:
    """A batch of repeats beside the batch holding the first copies: the first stays new."""
    archive = crossing_server

    def batches() -> list[Batch]:
        return [
            Batch(messages=[msg("SLOW", "slow"), msg("X", None, richness=1)]),
            Batch(messages=[msg("X", "the real text", richness=20_000_200)], repeats=True),
        ]

    reference = archive.ensure_account("copies one by one")
    account = archive.ensure_account("copies two at once")
    expected = [
        (r.messages_new, r.messages_updated)
        for r in map(partial(archive.write, reference), batches())
    ]
    assert expected == [(2, 0), (0, 1)]
    assert [
        (r.messages_new, r.messages_updated) for _b, r in archive.write_all(account, batches())
    ] == expected
    assert snapshot(archive, account) == snapshot(archive, reference)
