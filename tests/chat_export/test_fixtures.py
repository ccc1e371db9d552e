"""Whole exports in many languages and both grammars: exact counts, texts, times and senders."""

from __future__ import annotations

import datetime as dt

from wa_archive.records import OWN, Batch, MessageRecord

from .conftest import fixture, parse_all


def ms(local: str) -> int:
    """UTC milliseconds of a 'YYYY-MM-DD HH:MM[:SS]' local time read as UTC."""
    return int(dt.datetime.fromisoformat(local).replace(tzinfo=dt.UTC).timestamp() * 1000)


def rows(batch: Batch) -> list[tuple[str, int | None, str | None, str | None, bool]]:
    """(sender, timestamp, content type, text, is_system) of every message."""
    return [(m.sender, m.timestamp, m.content_type, m.text, m.is_system) for m in batch.messages]


def only(batch: Batch, text: str) -> MessageRecord:
    """The one message with this text."""
    (found,) = [m for m in batch.messages if m.text == text]
    return found


def test_english_android_month_first_12h_crlf() -> None:
    result, batch = parse_all(fixture("WhatsApp Chat with Anna Smith.txt"), me="Bob")
    anna = result.chat
    assert anna.endswith("@export") and anna.startswith("anna-smith.")
    assert (result.chat_name, result.is_group, result.date_order) == ("Anna Smith", False, "mdy")
    assert rows(batch) == [
        (anna, ms("2020-12-31 23:58"), None, batch.messages[0].text, True),
        (anna, ms("2020-12-31 23:59"), "conversation", "Happy new year almost!", False),
        (OWN, ms("2020-12-31 23:59"), "conversation", "Same to you", False),
        (anna, ms("2021-01-13 09:05"), "conversation", "Line one\nline two: with colon\n\nline four", False),
        (OWN, ms("2021-01-13 12:00"), "imageMessage", "look at this", False),
        (anna, ms("2021-01-13 00:01"), "media", None, False),
    ]  # fmt: skip
    assert batch.messages[0].text is not None and batch.messages[0].text.startswith("Messages and")
    assert [(m.kind, m.file_name, m.mimetype, m.sender) for m in batch.media] == [
        ("image", "IMG-20210113-WA0001.jpg", "image/jpeg", OWN)
    ]
    assert batch.messages[2].from_me and not batch.messages[1].from_me
    assert (
        batch.messages[3].raw
        == b"1/13/21, 9:05\xe2\x80\xafAM - Anna Smith: Line one\nline two: with colon\n\nline four"
    )
    assert {(m.raw_format, m.source) for m in batch.messages} == {("export", "chat-export")}
    assert [m.richness for m in batch.messages] == [1, 2, 2, 2, 2, 2]
    assert (result.counts.messages, result.counts.system, result.counts.media) == (5, 1, 1)
    assert result.counts.media_omitted == 1 and not result.counts.skipped
    assert [(c.jid, c.saved_name) for c in batch.contacts] == [(anna, "Anna Smith")]
    assert [(c.jid, c.name) for c in batch.chats] == [(anna, "Anna Smith")]


def test_owner_inferred_in_named_one_to_one_chat() -> None:
    result, batch = parse_all(fixture("WhatsApp Chat with Anna Smith.txt"))
    assert result.me == "Bob"
    assert any("taken as the account owner" in note for note in result.notes)
    assert only(batch, "Same to you").sender == OWN


def test_german_android_group_with_phone_sender_and_backwards_time() -> None:
    result, batch = parse_all(fixture("WhatsApp Chat mit Familie.txt"), me="ich")
    assert result.is_group and result.chat.startswith("export.familie.")
    assert result.chat.endswith("@g.us") and result.chat_name == "Familie"
    assert (result.date_order, result.date_order_certain) == ("dmy", True)
    assert (result.counts.messages, result.counts.system, result.counts.media) == (7, 2, 1)
    system = [m.text for m in batch.messages if m.is_system]
    assert system[1] == "Max Müller hat die Gruppe „Familie: 2021“ erstellt"
    phone = batch.messages[5]
    assert (phone.sender, phone.content_type) == ("4915123456789@s.whatsapp.net", "media")
    times = [m.timestamp for m in batch.messages]
    assert times[6] == ms("2021-01-01 00:10") and times[7] == ms("2021-01-01 00:05")
    assert only(batch, "Zeit geht rückwärts").timestamp == ms("2021-01-01 00:05")
    assert only(batch, "Mehrzeilig:\nzweite Zeile\ndritte Zeile").timestamp == ms(
        "2021-01-13 08:00"
    )
    assert batch.messages[6].sender == OWN and batch.media[0].file_name == "IMG-20210101-WA0002.jpg"
    contacts = {c.jid: (c.saved_name, c.phone_number) for c in batch.contacts}
    assert contacts["4915123456789@s.whatsapp.net"] == (None, "4915123456789")
    assert sorted(name for name, _ in contacts.values() if name) == ["Erika", "Max Müller"]


def test_spanish_android_12h_localised_markers() -> None:
    result, batch = parse_all(fixture("Chat de WhatsApp con Juan.txt"), me="Yo")
    assert (result.chat_name, result.date_order, result.date_order_certain) == ("Juan", "dmy", True)
    assert [(m.timestamp, m.text) for m in batch.messages] == [
        (
            ms("2020-12-30 10:15"),
            "Los mensajes y las llamadas están cifrados de extremo a extremo.",
        ),
        (ms("2020-12-30 10:16"), "Hola"),
        (ms("2020-12-30 23:59"), "¿Qué tal?"),
        (ms("2020-12-31 00:01"), None),
        (ms("2020-12-31 12:30"), "Nos vemos"),
    ]
    assert batch.messages[3].content_type == "media"
    assert (result.counts.messages, result.counts.system, result.counts.media_omitted) == (4, 1, 1)


def test_portuguese_ios_attachments_and_notice() -> None:
    result, batch = parse_all(fixture("Conversa do WhatsApp com Maria.txt"), me="Eu")
    maria = result.chat
    assert result.chat_name == "Maria" and maria.startswith("maria.")
    assert rows(batch)[0][2:] == (
        None,
        "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta.",
        True,
    )
    assert rows(batch)[1:] == [
        (maria, ms("2021-02-28 20:01:02"), "conversation", "Olá!", False),
        (OWN, ms("2021-02-28 20:01:30"), "conversation", "Oi Maria", False),
        (maria, ms("2021-02-28 20:02:00"), "imageMessage", None, False),
        (OWN, ms("2021-03-01 07:00:00"), "media", None, False),
        (maria, ms("2021-03-01 07:00:05"), "conversation", "Bom dia\ntudo bem?", False),
    ]
    assert [m.file_name for m in batch.media] == ["00000004-PHOTO-2021-02-28-20-02-00.jpg"]


def test_hebrew_android_rtl_marks() -> None:
    result, batch = parse_all(fixture("צ'אט WhatsApp עם דני.txt"), me="אני")
    assert result.chat_name == "דני" and result.chat.endswith("@export")
    assert rows(batch) == [
        (result.chat, ms("2021-03-14 09:00"), None, "ההודעות והשיחות מוצפנות מקצה לקצה.", True),
        (result.chat, ms("2021-03-14 09:01"), "conversation", "שלום, מה נשמע?", False),
        (OWN, ms("2021-03-14 09:02"), "conversation", "הכל טוב", False),
        (result.chat, ms("2021-03-15 18:30"), "media", None, False),
    ]
    assert [c.saved_name for c in batch.contacts] == ["דני"]


def test_arabic_android_arabic_indic_digits_and_rtl_marks() -> None:
    result, batch = parse_all(fixture("WhatsApp Chat with أحمد.txt"), me="أنا")
    assert (result.chat_name, result.date_order, result.date_order_certain) == ("أحمد", "dmy", True)
    assert rows(batch) == [
        (result.chat, ms("2021-03-15 09:00"), None, "الرسائل والمكالمات مشفرة تمامًا بين الطرفين.", True),
        (result.chat, ms("2021-03-15 09:01"), "conversation", "صباح الخير", False),
        (OWN, ms("2021-03-15 12:30"), "conversation", "أهلاً\nكيف حالك؟", False),
        (result.chat, ms("2021-03-16 23:45"), "media", None, False),
    ]  # fmt: skip
    assert not result.counts.skipped


def test_hindi_ambiguous_dates_read_day_first_with_a_note() -> None:
    result, batch = parse_all(fixture("WhatsApp Chat with राहुल.txt"), me="मैं")
    assert (result.date_order, result.date_order_certain) == ("dmy", False)
    assert any("--date-order" in note for note in result.notes)
    assert [m.timestamp for m in batch.messages] == [
        ms("2021-02-01 09:00"),
        ms("2021-02-02 09:30"),
        ms("2021-02-03 13:15"),
        ms("2021-02-04 00:05"),
        ms("2021-02-05 12:10"),
    ]


def test_date_order_option_overrides() -> None:
    result, batch = parse_all(fixture("WhatsApp Chat with राहुल.txt"), date_order="mdy")
    assert (result.date_order, result.date_order_certain) == ("mdy", True)
    assert batch.messages[1].timestamp == ms("2021-02-02 09:30")
    assert batch.messages[0].timestamp == ms("2021-01-02 09:00")


def test_english_ios_phone_number_peer() -> None:
    result, batch = parse_all(fixture("WhatsApp Chat - +1 (555) 123-4567.txt"), me="Me")
    assert result.chat == "15551234567@s.whatsapp.net"
    assert rows(batch) == [
        (result.chat, ms("2021-01-13 09:05:07"), "conversation", "Hi there", False),
        (OWN, ms("2021-01-13 09:06:00"), "conversation", "Hello", False),
        (result.chat, ms("2021-01-13 21:07:00"), "imageMessage", None, False),
        (OWN, ms("2021-01-14 12:00:00"), "conversation", "Noon", False),
    ]
    assert batch.media == [] and result.counts.media_omitted == 1


def test_year_first_without_file_name_hint() -> None:
    result, batch = parse_all(fixture("chat_iso.txt"))
    assert (result.date_order, result.is_group, result.me) == ("ymd", False, None)
    assert [m.text for m in batch.messages] == ["one", "two", "three", "four"]
    assert len({m.id for m in batch.messages}) == 4


def test_dutch_ios_group_notices_by_shape() -> None:
    result, batch = parse_all(fixture("dutch_ios_chat.txt"))
    assert result.is_group
    assert [m.is_system for m in batch.messages] == [True, True] + [False] * 6
    assert {m.sender for m in batch.messages[:2]} == {result.chat}
    assert "Vrienden" not in {c.saved_name for c in batch.contacts}
    assert [m.content_type for m in batch.messages[3:7]] == [
        "imageMessage",
        "audioMessage",
        "documentMessage",
        "imageMessage",
    ]


def test_thai_buddhist_era_years_two_and_four_digits() -> None:
    result, batch = parse_all(fixture("แชท WhatsApp กับ สมชาย.txt"), me="ฉัน")
    assert rows(batch) == [
        (result.chat, ms("2024-01-01 00:05"), None, batch.messages[0].text, True),
        (result.chat, ms("2024-01-01 09:30"), "conversation", "สวัสดีปีใหม่", False),
        (OWN, ms("2024-01-01 09:31"), "conversation", "สวัสดีครับ", False),
        (result.chat, ms("2024-01-13 12:00"), "media", None, False),
    ]
    result, batch = parse_all(fixture("thai_ios_chat.txt"), me="ฉัน")
    assert [(m.sender, m.timestamp) for m in batch.messages] == [
        (result.chat, ms("2023-12-31 23:59:58")),
        (OWN, ms("2024-01-01 00:00:05")),
    ]


def test_ios_lines_before_2015_without_brackets() -> None:
    result, batch = parse_all(fixture("old_ios_2014.txt"), me="Bob")
    assert (result.date_order, result.date_order_certain) == ("mdy", True)
    assert [(m.sender, m.timestamp, m.text) for m in batch.messages] == [
        (result.chat, ms("2014-03-24 13:59:59"), "Hi Bob"),
        (OWN, ms("2014-03-24 14:00:10"), "Hi!\nHow are you? 3/24/14, 2:00:11 PM: not a header"),
        (result.chat, ms("2014-03-25 09:05:00"), "Fine: thanks"),
    ]
    result, batch = parse_all(fixture("old_ios_2014_24h.txt"), me="Bob")
    assert result.date_order == "dmy"
    assert [(m.sender, m.timestamp) for m in batch.messages] == [
        (result.chat, ms("2014-03-24 13:59:59")),
        (OWN, ms("2014-03-24 14:00:10")),
    ]


def test_ios_shared_locations_and_polls_are_messages_in_a_one_to_one_chat() -> None:
    # The peer is the chat's name, under which iOS also writes its notices.
    result, batch = parse_all(fixture("WhatsApp Chat - Lena.txt"), me="Ich")
    lena = result.chat
    assert (result.chat_name, result.is_group) == ("Lena", False)
    assert [(m.sender, m.timestamp, m.content_type, m.is_system) for m in batch.messages] == [
        (lena, ms("2021-03-14 09:00"), None, True),
        (lena, ms("2021-03-14 09:01"), "conversation", False),
        (OWN, ms("2021-03-14 09:02"), "conversation", False),
        (lena, ms("2021-03-14 09:03"), "conversation", False),
        (lena, ms("2021-03-14 09:04"), "conversation", False),
    ]
    assert batch.messages[3].text == "Standort: https://maps.google.com/?q=52.516275,13.377704"
    assert batch.messages[4].text.splitlines()[-1] == "\u200eOPTION: Dienstag (0 Stimmen)"
