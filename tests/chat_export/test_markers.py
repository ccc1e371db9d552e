"""Edited, deleted and undecrypted messages in exports: notices become edits, tombstones
and placeholders, not text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from wa_archive import Archive
from wa_archive.records import OWN
from wa_archive.sources.chat_export import parse_chat_export
from wa_archive.sources.chat_export.markers import (
    edit_labels,
    edited_label,
    is_deleted_notice,
    is_waiting_notice,
    strip_edited,
)

from .test_import_rows import import_export

KNOWN = edit_labels(Counter())


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("see you at 8 <This message was edited>", "see you at 8"),
        ("bis später <Diese Nachricht wurde bearbeitet>", "bis später"),
        ("hasta luego <Este mensaje fue editado>", "hasta luego"),
        ("até logo <Esta mensagem foi editada>", "até logo"),
        ("tot straks <Dit bericht is bewerkt>", "tot straks"),
        ("להתראות <ההודעה נערכה>", "להתראות"),
        ("two lines\nand the edit\u200e<This message was edited>", "two lines\nand the edit"),
    ],
)
def test_known_edited_notices_are_stripped(text: str, kept: str) -> None:
    assert strip_edited(text, KNOWN) == kept


@pytest.mark.parametrize(
    "text",
    [
        "I'm bringing <some snacks>",  # a bracketed aside in an unknown label
        "<This message was edited>",  # nothing before it: not an edited message
        "look <https://example.com/a b>",
        "mail me <bob smith@example.com>",
        "score <3 points>",
        "<This message was edited> and more",
    ],
)
def test_text_that_only_looks_like_a_notice_stays(text: str) -> None:
    assert strip_edited(text, KNOWN) is None


def test_an_unknown_label_marks_edits_when_the_file_uses_it_twice() -> None:
    lines = ["a <Mensahe na-edit ito>", "b <Mensahe na-edit ito>", "c <just once here>"]
    seen = Counter(label for line in lines if (label := edited_label(line)))
    labels = edit_labels(seen)
    assert strip_edited(lines[0], labels) == "a"
    assert strip_edited(lines[2], labels) is None


@pytest.mark.parametrize(
    "text",
    [
        "This message was deleted",
        "You deleted this message",
        "\u200eThis message was deleted.",
        "\u200eYou deleted this message.",
        "Diese Nachricht wurde gelöscht.",
        "Du hast diese Nachricht gelöscht.",
        "Se eliminó este mensaje.",
        "Eliminaste este mensaje.",
        "Essa mensagem foi apagada",
        "Você apagou esta mensagem",
        "Dit bericht is verwijderd",
        "Je hebt dit bericht verwijderd",
        "הודעה זו נמחקה",
        "यह मैसेज डिलीट कर दिया गया",
    ],
)
def test_deleted_notices(text: str) -> None:
    assert is_deleted_notice(text)


@pytest.mark.parametrize(
    "text", ["the file was deleted by mistake", "This message was deleted, sorry", "deleted"]
)
def test_sentences_about_deleting_stay_text(text: str) -> None:
    assert not is_deleted_notice(text)


ANDROID = """\
12/01/2024, 10:30 - Alice: Hello there <This message was edited>
12/01/2024, 10:31 - Bob: This message was deleted
12/01/2024, 10:32 - Alice: You deleted this message
12/01/2024, 10:33 - Bob: multi
line <This message was edited>
12/01/2024, 10:34 - Bob: IMG-20240112-WA0001.jpg (file attached)
new caption <This message was edited>
12/01/2024, 10:35 - Bob: I'm bringing <some snacks>
"""

BEFORE_THE_EDITS = """\
12/01/2024, 10:30 - Alice: Hello
12/01/2024, 10:31 - Bob: a secret
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_edited_and_deleted_messages_in_the_archive(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    path = _write(tmp_path, "WhatsApp Chat with Bob.txt", ANDROID)
    result = parse_chat_export(path, me="Alice")
    batches = list(result.batches)
    assert (result.counts.messages, result.counts.edited, result.counts.deleted) == (6, 3, 2)
    for batch in batches:
        archive.write(account, batch)
    rows = archive.messages(account, result.chat, oldest_first=True, limit=10)
    bob = rows[1].sender
    assert [(m.text, m.original_text, m.edited_at is not None) for m in rows] == [
        ("Hello there", None, True),
        (None, None, False),
        (None, None, False),
        ("multi\nline", None, True),
        ("new caption", None, True),
        ("I'm bringing <some snacks>", "I'm bringing <some snacks>", False),
    ]
    assert [(m.deleted_at is not None, m.deleted_by) for m in rows[:3]] == [
        (False, None),
        (True, bob),
        (True, OWN),
    ]
    assert rows[4].content_type == "imageMessage"
    (edit,) = archive.edits(account, result.chat, rows[0].id)
    assert edit.text == "Hello there" and edit.edited_at is None
    assert import_export(archive, account, path, me="Alice") == 0
    again = archive.messages(account, result.chat, oldest_first=True, limit=10)
    assert [(m.text, m.deleted_at) for m in again] == [(m.text, m.deleted_at) for m in rows]


@pytest.mark.parametrize("older_first", [True, False], ids=["older-first", "newer-first"])
def test_an_older_export_gives_the_original_text(
    archive: Archive, account: int, tmp_path: Path, older_first: bool
) -> None:
    older = _write(tmp_path / "old", "WhatsApp Chat with Bob.txt", BEFORE_THE_EDITS)
    newer = _write(tmp_path / "new", "WhatsApp Chat with Bob.txt", ANDROID)
    for path in (older, newer) if older_first else (newer, older):
        import_export(archive, account, path, me="Alice")
    chat = parse_chat_export(newer, me="Alice").chat
    hello, secret = archive.messages(account, chat, oldest_first=True, limit=2)
    assert (hello.text, hello.original_text, hello.edited_at is not None) == (
        "Hello there",
        "Hello",
        True,
    )
    assert (secret.text, secret.deleted_at is not None) == ("a secret", True)


def test_ios_deleted_message_of_the_other_person_is_theirs(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    """In a 1:1 iOS export the chat's name speaks the notices; a deletion is a message, and
    so is one never decrypted."""
    path = _write(
        tmp_path,
        "WhatsApp Chat - Dana.txt",
        "[12/01/2024, 10:30:00] Dana: \u200eMessages and calls are end-to-end encrypted.\n"
        "[12/01/2024, 10:31:00] Dana: hi\n"
        "[12/01/2024, 10:32:00] Dana: \u200eThis message was deleted.\n"
        "[12/01/2024, 10:33:00] Me: \u200eYou deleted this message.\n"
        "[12/01/2024, 10:34:00] Dana: \u200eWaiting for this message. This may take a while.\n",
    )
    assert import_export(archive, account, path, me="Me") == 5
    chat = parse_chat_export(path, me="Me").chat
    rows = archive.messages(account, chat, oldest_first=True, limit=10)
    dana = rows[1].sender
    assert [(m.sender, m.deleted_by, m.stub_type) for m in rows[2:]] == [
        (dana, dana, "REVOKE"),
        (OWN, OWN, "REVOKE"),
        (dana, None, "CIPHERTEXT"),
    ]
    assert rows[0].sender == chat and rows[0].deleted_at is None


@pytest.mark.parametrize(
    "text",
    [
        "Waiting for this message. This may take a while.",
        "\u200eWaiting for this message. Check your phone.",
        "Waiting for this message",
        "Warten auf diese Nachricht. Dies kann etwas dauern.",
        "Aguardando mensagem. Isso pode levar alguns instantes.",
        "Esperando el mensaje. Esto puede tomar tiempo.",
        "Wachten op dit bericht. Dit kan even duren.",
    ],
)
def test_waiting_notices(text: str) -> None:
    assert is_waiting_notice(text)


@pytest.mark.parametrize(
    "text",
    [
        "Waiting for this message to arrive, then I'll call",
        "waiting for this message. " + "and a long story after it " * 3,
        "Waiting for this message.\nsecond line",
        "I am waiting for this message.",
    ],
)
def test_sentences_about_waiting_stay_text(text: str) -> None:
    assert not is_waiting_notice(text)


WAITING = """\
12/01/2024, 10:30 - Bob: Waiting for this message. This may take a while.
12/01/2024, 10:31 - Alice: did you get it?
"""

ARRIVED = """\
12/01/2024, 10:30 - Bob: the address is 12 Main St
12/01/2024, 10:31 - Alice: did you get it?
"""


def test_a_message_never_decrypted_is_a_placeholder_a_later_export_fills(
    archive: Archive, account: int, tmp_path: Path
) -> None:
    waiting = _write(tmp_path / "old", "WhatsApp Chat with Bob.txt", WAITING)
    arrived = _write(tmp_path / "new", "WhatsApp Chat with Bob.txt", ARRIVED)
    result = parse_chat_export(waiting, me="Alice")
    list(result.batches)
    assert (result.counts.messages, result.counts.waiting) == (2, 1)
    import_export(archive, account, waiting, me="Alice")
    placeholder, _ = archive.messages(account, result.chat, oldest_first=True, limit=5)
    assert (placeholder.text, placeholder.content_type, placeholder.stub_type) == (
        None,
        None,
        "CIPHERTEXT",
    )
    assert placeholder.is_system and placeholder.sender != OWN
    other = archive.ensure_account("arrived first")
    for where, order in ((account, (arrived, waiting)), (other, (arrived, waiting))):
        for path in order:
            import_export(archive, where, path, me="Alice")
        rows = archive.messages(where, result.chat, oldest_first=True, limit=5)
        assert [(m.id, m.text, m.is_system, m.stub_type) for m in rows] == [
            (placeholder.id, "the address is 12 Main St", False, None),
            (rows[1].id, "did you get it?", False, None),
        ]
