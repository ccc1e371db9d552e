"""Chat names from file names, phone numbers, pseudo-JIDs, and text encodings of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from wa_archive.jids import canonical_jid
from wa_archive.sources.chat_export.names import (
    chat_name_from_stem,
    group_jid,
    person_jid,
    phone_digits,
)

from .conftest import parse_all


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("WhatsApp Chat with Anna Smith", "Anna Smith"),
        ("WhatsApp Chat mit Familie (1)", "Familie"),
        ("WhatsApp-chat met Jan", "Jan"),
        ("Chat de WhatsApp con Juan", "Juan"),
        ("Conversa do WhatsApp com Maria", "Maria"),
        ("Discussion WhatsApp avec Léa", "Léa"),
        ("צ'אט WhatsApp עם דני", "דני"),
        ("WhatsApp Chat - Vrienden", "Vrienden"),
        ("_chat", None),
        ("my notes", "my notes"),
    ],
)
def test_chat_name_from_stem(stem: str, name: str | None) -> None:
    assert chat_name_from_stem(stem) == name


@pytest.mark.parametrize(
    ("sender", "digits"),
    [
        ("+49 151 23456789", "4915123456789"),
        ("\u202a+1 (555) 123-4567\u202c", "15551234567"),
        ("\u202a+1 (555) 123\u20114567\u202c", "15551234567"),
        ("+49\u00a0151\u00a023456789", "4915123456789"),
        ("Anna", None),
        ("+1 2", None),
    ],
)
def test_phone_digits(sender: str, digits: str | None) -> None:
    assert phone_digits(sender) == digits


def test_pseudo_jids_are_stable_distinct_and_canonical() -> None:
    anna = person_jid("Anna Smith")
    assert anna == person_jid("Anna Smith") != person_jid("anna smith")
    assert anna.startswith("anna-smith.") and anna.endswith("@export")
    assert person_jid("דני").endswith("@export") and len(person_jid("דני")) == 15
    assert group_jid("Familie").startswith("export.familie.")
    for jid in (anna, person_jid("+49 151 23456789"), group_jid("Familie"), person_jid("a:b_c")):
        assert canonical_jid(jid) == jid


@pytest.mark.parametrize(
    ("encoding", "newline"), [("utf-16", "\n"), ("utf-8-sig", "\r"), ("utf-8", "\r\n")]
)
def test_encodings_and_line_endings(tmp_path: Path, encoding: str, newline: str) -> None:
    lines = ["\u200e31.12.20, 23:59 - \u200eA hat B hinzugefügt", "31.12.20, 23:59 - A: x", "y"]
    path = tmp_path / "WhatsApp Chat mit A.txt"
    path.write_bytes(newline.join(lines).encode(encoding))
    result, batch = parse_all(path)
    assert [(m.text, m.is_system) for m in batch.messages] == [
        ("A hat B hinzugefügt", True),
        ("x\ny", False),
    ]
    assert result.chat_name == "A"


def test_phone_sender_with_non_breaking_hyphen_is_a_phone_jid(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat - +1 (555) 123\u20114567.txt"
    path.write_text(
        "[1/13/21, 9:05:07\u202fAM] \u202a+1 (555) 123\u20114567\u202c: Hi\n"
        "[1/13/21, 9:06:00\u202fAM] Me: Hello\n",
        encoding="utf-8",
    )
    result, batch = parse_all(path, me="Me")
    assert result.chat == "15551234567@s.whatsapp.net"
    assert batch.messages[0].sender == "15551234567@s.whatsapp.net"
    assert [c.phone_number for c in batch.contacts] == ["15551234567"]


def test_unsaved_sender_is_a_push_name_contact(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat - Vrienden.txt"
    path.write_text(
        "[13.06.23, 18:08:08] Vrienden: \u200eJan heeft je toegevoegd\n"
        "[13.06.23, 18:08:09] ~\u202fCarolina: Hoi!\n"
        "[13.06.23, 18:08:10] Jan: Welkom\n"
        "[13.06.23, 18:08:11] Ik: Dank je\n",
        encoding="utf-8",
    )
    _, batch = parse_all(path, me="Ik")
    carolina = person_jid("~\u202fCarolina")
    assert batch.messages[1].sender == carolina
    contacts = {c.jid: (c.saved_name, c.push_name) for c in batch.contacts}
    assert contacts[carolina] == (None, "Carolina")
    assert contacts[person_jid("Jan")] == ("Jan", None)


@pytest.mark.parametrize(
    ("stem", "lines", "me", "group"),
    [
        # Named after a subject neither writer has: a group, with --me or without it.
        ("WhatsApp Chat with Book Club", ["Ann: a", "Ben: b"], None, True),
        ("WhatsApp Chat with Book Club", ["Ann: a", "Me: b"], "Me", True),
        # Named after the other writer, spelt as a file name can hold it: a 1:1 chat.
        ("WhatsApp Chat with +1 555 123 4567", ["‪+1 (555) 123-4567‬: a", "Me: b"], "Me", False),
        ("WhatsApp Chat with anna", ["Anna: a", "Me: b"], None, False),
        # Only the owner wrote, the writer is known only by their own name, or the file is
        # not named by WhatsApp: nothing to tell by.
        ("WhatsApp Chat with +1 555 123 4567", ["~\u202fCarolina: a", "Me: b"], "Me", False),
        ("WhatsApp Chat with Ann", ["Me: a"], "Me", False),
        ("WhatsApp Chat with Ann", ["Me: a"], None, False),
        ("notes", ["Ann: a", "Ben: b"], None, False),
    ],
)
def test_group_told_by_the_file_name(
    tmp_path: Path, stem: str, lines: list[str], me: str | None, group: bool
) -> None:
    path = tmp_path / f"{stem}.txt"
    path.write_text("".join(f"03/01/2021, 10:0{i} - {line}\n" for i, line in enumerate(lines)))
    result, _ = parse_all(path, me=me)
    assert result.is_group is group
