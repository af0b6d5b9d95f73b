"""Dates people name as deadlines: months, Christmas, Easter, summer, the new year."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def deadline_weeks(word: str, today: dt.date, end_of: bool = False) -> float:
    """Weeks from ``today`` until a month (its start, or its end), Christmas, Easter, summer or the new year."""
    word = word.lower()

    def next_occurrence(make) -> dt.date:
        d = make(today.year)
        return d if d > today else make(today.year + 1)

    if word == "christmas":
        target = next_occurrence(lambda y: dt.date(y, 12, 25))
    elif word == "easter":
        target = next_occurrence(_easter)
    elif word == "summer":
        target = next_occurrence(lambda y: dt.date(y, 6, 21))
    elif word == "new year":
        target = next_occurrence(lambda y: dt.date(y, 12, 31))
    else:
        month = MONTHS.index(word) + 1
        if end_of:
            target = next_occurrence(lambda y: dt.date(y + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
        else:
            target = next_occurrence(lambda y: dt.date(y, month, 1))
    return round((target - today).days / 7, 1)


#: units as people mistype them after a number: "6 monts", "3 mnths", "8 weeeks"
_UNIT_TYPOS = re.compile(r"(?<=\d )(monts|mnths|mths|montsh|mounths|moths|monthes|weeeks|weks|wekks|weeksh)\b", re.I)


def unit_typos_fixed(text: str) -> str:
    return _UNIT_TYPOS.sub(lambda m: "months" if m.group(1).lower().startswith("m") else "weeks", text)
