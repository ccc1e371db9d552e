"""Header recognition: both grammars, date shapes, clocks and am/pm markers in many languages."""

from __future__ import annotations

import pytest

from wa_archive.sources.chat_export.grammar import clock_ms, match_header, meridiem, split_sender

H = 3_600_000
M = 60_000


@pytest.mark.parametrize(
    ("line", "date", "clock", "rest"),
    [
        ("12/31/20, 11:59 PM - Anna: hi", ("12", "31", "20"), 23 * H + 59 * M, "Anna: hi"),
        ("12/31/20, 11:59\u202fPM - Anna: hi", ("12", "31", "20"), 23 * H + 59 * M, "Anna: hi"),
        ("31.12.20, 23:59 - Max: Hallo", ("31", "12", "20"), 23 * H + 59 * M, "Max: Hallo"),
        (
            "[31/12/2020, 23:59:59] Bob: yo",
            ("31", "12", "2020"),
            23 * H + 59 * M + 59_000,
            "Bob: yo",
        ),
        (
            "[31/12/2020 23:59:59] Bob: yo",
            ("31", "12", "2020"),
            23 * H + 59 * M + 59_000,
            "Bob: yo",
        ),
        ("\u200e[31-12-20 00:00:10] X: \u200e<a>", ("31", "12", "20"), 10_000, "X: \u200e<a>"),
        ("2021-01-13, 09:05 - Ann: one", ("2021", "01", "13"), 9 * H + 5 * M, "Ann: one"),
        (
            "30/12/2020 11:59\u00a0p.\u00a0m. - Juan: Hola",
            ("30", "12", "2020"),
            23 * H + 59 * M,
            "Juan: Hola",
        ),
        ("30/12/2020 12:01 a. m. - Juan: x", ("30", "12", "2020"), 1 * M, "Juan: x"),
        ("01/02/21, 1:15 अपराह्न - राहुल: खाना", ("01", "02", "21"), 13 * H + 15 * M, "राहुल: खाना"),
        ("31.12.20, 11:00 nachm. - Max: x", ("31", "12", "20"), 23 * H, "Max: x"),
        ("2020. 12. 31. 오후 11:59 - 김: 안녕", ("2020", "12", "31"), 23 * H + 59 * M, "김: 안녕"),
        ("1/13/21, 12:00 am - A: midnight", ("1", "13", "21"), 0, "A: midnight"),
        (
            "\u200f٢٤\u200f/٤\u200f/٢٠٢٢، ٢:٠٧ م - عمار: السلام",
            ("٢٤", "٤", "٢٠٢٢"),
            14 * H + 7 * M,
            "عمار: السلام",
        ),
        (
            "31.12.20 г., 23:59 - Мария: Честита",
            ("31", "12", "20"),
            23 * H + 59 * M,
            "Мария: Честита",
        ),
        ("[31.12.20 г., 23:59:59] Иван: Здравей", ("31", "12", "20"), 86_399_000, "Иван: Здравей"),
        ("2021/01/01 午前0:05 - 花子: おめ", ("2021", "01", "01"), 5 * M, "花子: おめ"),
        ("[2021/01/01 午後0:30:00] 太郎: 昼", ("2021", "01", "01"), 12 * H + 30 * M, "太郎: 昼"),
        ("3/24/14, 1:59:59 PM: Anna: hi", ("3", "24", "14"), 13 * H + 59 * M + 59_000, "Anna: hi"),
        ("24/03/2014 13:59:59: Anna: x", ("24", "03", "2014"), 13 * H + 59 * M + 59_000, "Anna: x"),
    ],
)
def test_headers(line: str, date: tuple[str, str, str], clock: int, rest: str) -> None:
    found = match_header(line)
    assert found is not None
    assert (found["a"], found["b"], found["c"]) == date
    assert clock_ms(found) == clock
    assert found["rest"] == rest


@pytest.mark.parametrize(
    "line",
    [
        "",
        "hello",
        "12/31 is a date",
        "2020 was a year",
        "[not a header]",
        "31.12.20 no time here",
        "12/01/2021, 10:30: meeting moved",  # no seconds: not an early iOS header
    ],
)
def test_continuation_lines(line: str) -> None:
    assert match_header(line) is None


def test_impossible_time_is_rejected() -> None:
    found = match_header("12/31/20, 13:59 PM - Anna: hi")
    assert found is not None
    assert clock_ms(found) is None


@pytest.mark.parametrize(
    ("word", "half"),
    [("AM", "am"), ("p.m.", "pm"), ("p. m.", "pm"), ("vorm.", "am"), ("पूर्वाह्न", "am"),
     ("午後", "pm"), ("um", ""), (None, None)],
)  # fmt: skip
def test_meridiem(word: str | None, half: str | None) -> None:
    assert meridiem(word) == half


@pytest.mark.parametrize(
    ("am", "pm"),
    [
        ("לפנה״צ", "אחה״צ"),  # Hebrew
        ('לפנה"צ', 'אחה"צ'),  # Hebrew, typed with an ASCII quote
        ("ก่อนเที่ยง", "หลังเที่ยง"),  # Thai
        ("ق.ظ.", "ب.ظ."),  # Persian
        ("قبل دوپہر", "بعد دوپہر"),  # Urdu
        ("পূর্বাহ্ণ", "অপরাহ্ণ"),  # Bengali
        ("म.पू.", "म.उ."),  # Marathi
        ("முற்பகல்", "பிற்பகல்"),  # Tamil
        ("PG", "PTG"),  # Malay
        ("пр.об.", "сл.об."),  # Bulgarian
        ("дп", "пп"),  # Ukrainian
        ("dop.", "odp."),  # Czech
        ("p.d.", "m.d."),  # Albanian
        ("prijepodne", "popodne"),  # Bosnian
        ("TO", "TK"),  # Uzbek
    ],
)
def test_localised_meridiem_pairs(am: str, pm: str) -> None:
    assert (meridiem(am), meridiem(pm)) == ("am", "pm")


def test_hebrew_12_hour_header() -> None:
    found = match_header("14.3.2021, 9:30 אחה״צ - דני: ערב טוב")
    assert found is not None
    assert clock_ms(found) == 21 * H + 30 * M


@pytest.mark.parametrize(
    ("rest", "sender", "text"),
    [
        ("Anna: hi: there", "Anna", "hi: there"),
        (
            "\u200f\u05d3\u05e0\u05d9\u200f: \u05e9\u05dc\u05d5\u05dd",
            "\u05d3\u05e0\u05d9",
            "\u05e9\u05dc\u05d5\u05dd",
        ),
        ("\u202a+1 (555) 123-4567\u202c: hi", "+1 (555) 123-4567", "hi"),
        (
            "Messages and calls are end-to-end encrypted.",
            None,
            "Messages and calls are end-to-end encrypted.",
        ),
        (
            "Max hat die Gruppe „Familie: 2021“ erstellt",
            None,
            "Max hat die Gruppe „Familie: 2021“ erstellt",
        ),
        ("\u200eAnna added Bob", None, "Anna added Bob"),
        ("Anna:", "Anna", ""),
    ],
)
def test_split_sender(rest: str, sender: str | None, text: str) -> None:
    assert split_sender(rest) == (sender, text)
