"""Date-order inference from a whole file's dates."""

from __future__ import annotations

import pytest

from wa_archive.sources.chat_export.dates import OrderDecision, RawDate, epoch_day, infer_date_order


def dates(*triples: tuple[int, int, int], width: int = 2) -> list[RawDate]:
    """RawDates from (a, b, c) triples."""
    return [RawDate(a, b, c, width) for a, b, c in triples]


@pytest.mark.parametrize(
    ("found", "decision"),
    [
        (dates((1, 2, 21), (13, 2, 21)), OrderDecision("dmy", True)),
        (dates((1, 2, 21), (1, 13, 21)), OrderDecision("mdy", True)),
        (dates((2021, 1, 13), width=4), OrderDecision("ymd", True)),
        (dates((2021, 13, 1), width=4), OrderDecision("ydm", True)),
        (dates((1, 2, 21), (2, 2, 21), (3, 2, 21), (4, 2, 21)), OrderDecision("dmy", False)),
        (dates((2, 1, 21), (2, 2, 21), (2, 3, 21), (2, 4, 21)), OrderDecision("mdy", False)),
        (dates((1, 2, 21)), OrderDecision("dmy", False)),
        (dates((13, 2, 21), (2, 14, 21), (14, 3, 21)), OrderDecision("dmy", False)),
    ],
)
def test_inference(found: list[RawDate], decision: OrderDecision) -> None:
    assert infer_date_order(found) == decision


def test_hint_wins() -> None:
    assert infer_date_order(dates((13, 2, 21)), "mdy") == OrderDecision("mdy", True)


def test_epoch_day() -> None:
    assert epoch_day("dmy", 1, 1, 1970) == 0
    assert epoch_day("dmy", 2, 1, 1970) == 1
    assert epoch_day("mdy", 1, 2, 1970) == 1
    assert epoch_day("ymd", 2021, 1, 13) == epoch_day("dmy", 13, 1, 21)
    assert epoch_day("dmy", 31, 2, 21) is None


def test_years_gregorian_or_buddhist_era() -> None:
    assert epoch_day("dmy", 1, 1, 24) == epoch_day("dmy", 1, 1, 2024)
    assert epoch_day("dmy", 1, 1, 2567) == epoch_day("dmy", 1, 1, 2024)  # Thai, 4 digits
    assert epoch_day("dmy", 1, 1, 67) == epoch_day("dmy", 1, 1, 2024)  # Thai, 2 digits
    assert epoch_day("ymd", 2567, 1, 1) == epoch_day("dmy", 1, 1, 2024)
    assert epoch_day("dmy", 1, 1, 2009) == 14245  # the year WhatsApp began stays as written
