"""Date-order inference: which of a header's three numbers is the day, month and year.

The order is decided once from every date in the file, never from one line:

1. a first number with four digits or above 31 means year-first (``ymd``);
2. a first number above 12 means day-first, a second one above 12 month-first;
3. otherwise the number that changes more often between consecutive dates is the day;
4. otherwise the default, day-first (the most widespread convention), reported as a guess
   (``OrderDecision.certain`` is False, so callers can suggest the ``date_order`` option).

Years are Gregorian or, from Thai phones, Buddhist era (``_common_era``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Literal, NamedTuple

DateOrder = Literal["dmy", "mdy", "ymd", "ydm"]
DATE_ORDERS: tuple[DateOrder, ...] = ("dmy", "mdy", "ymd", "ydm")
DEFAULT_ORDER: DateOrder = "dmy"

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_BUDDHIST_ERA = 543
"""Years the Thai solar calendar (Buddhist era) counts ahead: 2567 BE is 2024."""
_LATEST_YEAR = dt.date.today().year + 1
"""No export is dated later than this (a phone's clock a little ahead included)."""


class RawDate(NamedTuple):
    """The three numbers of a header date as written, and the width of the first one."""

    a: int
    b: int
    c: int
    a_width: int


class OrderDecision(NamedTuple):
    """The chosen order and whether the file itself proved it."""

    order: DateOrder
    certain: bool


def infer_date_order(dates: Sequence[RawDate], hint: DateOrder | None = None) -> OrderDecision:
    """Decide the date order of a file from all its (consecutive distinct) dates."""
    if hint is not None:
        return OrderDecision(hint, True)
    if any(d.a_width >= 3 or d.a > 31 for d in dates):
        return OrderDecision("ydm" if _ydm(dates) else "ymd", True)
    day_first = any(d.a > 12 for d in dates)
    month_first = any(d.b > 12 for d in dates)
    if day_first != month_first:
        return OrderDecision("dmy" if day_first else "mdy", True)
    if day_first and month_first:
        return OrderDecision(_fewest_invalid(dates), False)
    by_changes = _by_changes(dates)
    if by_changes is not None:
        return OrderDecision(by_changes, False)
    return OrderDecision(DEFAULT_ORDER, False)


def _ydm(dates: Sequence[RawDate]) -> bool:
    """True when a year-first file puts the day second (a rare but seen convention)."""
    return any(d.b > 12 for d in dates) and not any(d.c > 12 for d in dates)


def _fewest_invalid(dates: Sequence[RawDate]) -> DateOrder:
    """The year-last order under which fewer dates are impossible."""
    bad_dmy = sum(1 for d in dates if d.b > 12)
    bad_mdy = sum(1 for d in dates if d.a > 12)
    return "dmy" if bad_dmy <= bad_mdy else "mdy"


def _by_changes(dates: Sequence[RawDate]) -> DateOrder | None:
    """The order whose day field changes clearly more often between consecutive dates."""
    changes_a = sum(1 for x, y in itertools.pairwise(dates) if x.a != y.a)
    changes_b = sum(1 for x, y in itertools.pairwise(dates) if x.b != y.b)
    if max(changes_a, changes_b) < 3 or max(changes_a, changes_b) < 2 * min(changes_a, changes_b):
        return None
    return "dmy" if changes_a > changes_b else "mdy"


def epoch_day(order: DateOrder, a: int, b: int, c: int) -> int | None:
    """Days since 1970-01-01 of the date (a, b, c) read in ``order``; None if impossible."""
    if order == "dmy":
        day, month, year = a, b, c
    elif order == "mdy":
        month, day, year = a, b, c
    elif order == "ymd":
        year, month, day = a, b, c
    else:
        year, day, month = a, b, c
    year = _common_era(year)
    try:
        return dt.date(year, month, day).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        return None


def _common_era(year: int) -> int:
    """The Gregorian year of a written year: two digits, four, or Thai Buddhist era.

    Thai phones date exports in the Buddhist era: ``2567`` or, with two digits, ``67``
    (2567 BE, 2024). No export predates WhatsApp (2009) or lies ahead of today, so a
    four-digit year past 2400, or two digits that would be a future year, is read as one.
    """
    if year < 100:
        return year + 2000 if year + 2000 <= _LATEST_YEAR else year + 2500 - _BUDDHIST_ERA
    return year - _BUDDHIST_ERA if year >= 2400 else year
