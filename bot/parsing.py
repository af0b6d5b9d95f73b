"""Pure parsers for what people say about money and time.

They return ``None`` when the text says nothing about the thing asked for, so the conversation can
ask; they never guess a currency silently (the caller states any assumption back to the person).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, asdict

WEEKS_PER_MONTH = 4.345

CURRENCY_SYMBOLS = {
    "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "us$": "USD", "nz$": "NZD",
    "£": "GBP", "€": "EUR", "₹": "INR", "$": "USD", "¥": "JPY",
}
CURRENCY_WORDS = {
    "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "sterling": "GBP",
    "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD",
    "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "inr": "INR", "rupee": "INR", "rupees": "INR", "rs": "INR",
    "aud": "AUD", "cad": "CAD", "chf": "CHF", "nzd": "NZD", "sgd": "SGD", "jpy": "JPY", "yen": "JPY",
    "francs": "CHF",
}
SYMBOL_OF = {"GBP": "£", "USD": "$", "EUR": "€", "INR": "₹", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "JPY": "¥"}

NUMBER_WORDS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "couple": 2, "few": 3,
}

FREE_PATTERNS = re.compile(
    r"\b(free|nothing|no money|zero|can'?t (afford|pay)|cannot (afford|pay)|no budget|skint|broke|"
    r"(only|just) free)\b|£0\b|\$0\b|€0\b|\b0 ?(gbp|usd|eur|pounds|dollars|euros)\b",
    re.I,
)
UNLIMITED_PATTERNS = re.compile(
    r"\b(no (upper )?limit|unlimited|money is no object|(my )?(employer|company|work|boss) (pays|will pay|is paying|covers)|"
    r"budget (doesn'?t|does not) matter|any (price|budget|cost)|cost is no issue|price doesn'?t matter)\b",
    re.I,
)

_NUM = r"(\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?)"
_SYM = r"(a\$|au\$|c\$|ca\$|us\$|nz\$|£|€|₹|\$|¥)"
_WORD = r"(gbp|usd|eur|inr|aud|cad|chf|nzd|sgd|jpy|pounds?|quid|sterling|dollars?|bucks|euros?|rupees?|rs|yen|francs)"
_MONEY_RE = re.compile(
    rf"(?:{_SYM}\s?{_NUM}\s?(k|thousand|grand)?)|(?:\b{_WORD}\s?{_NUM}\s?(k|thousand)?\b)|(?:\b{_NUM}\s?(k|thousand|grand)?\s?{_SYM}?\s?{_WORD}?\b)",
    re.I,
)


@dataclass(frozen=True)
class Budget:
    """A spending limit. ``kind``: ``limit`` (up to ``amount``), ``free`` (zero) or ``unlimited``."""

    kind: str
    amount: float | None = None
    currency: str | None = None
    text: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "Budget | None":
        if not data:
            return None
        return cls(**{k: data.get(k) for k in ("kind", "amount", "currency", "text") if k in data})

    @property
    def max_amount(self) -> float | None:
        if self.kind == "free":
            return 0.0
        if self.kind == "unlimited":
            return None
        return self.amount


def format_money(amount: float, currency: str | None) -> str:
    rounded = round(amount)
    num = f"{rounded:,.0f}" if abs(amount - rounded) < 0.005 else f"{amount:,.2f}"
    if currency in SYMBOL_OF:
        return f"{SYMBOL_OF[currency]}{num}"
    return f"{num} {currency}" if currency else num


def describe_budget(b: Budget) -> str:
    if b.kind == "free":
        return "free only"
    if b.kind == "unlimited":
        return "no upper limit"
    return f"up to {format_money(b.amount or 0, b.currency)}"


def _to_number(raw: str) -> float:
    return float(re.sub(r"[,\s]", "", raw))


def _scale(mult: str | None) -> float:
    return 1000.0 if mult and mult.lower() in {"k", "thousand", "grand"} else 1.0


def parse_money_mentions(text: str) -> list[tuple[float, str | None]]:
    """All money amounts in ``text`` with their currency (None when not stated)."""
    out = []
    for m in _MONEY_RE.finditer(text):
        g = m.groups()
        if g[0] is not None:  # symbol first
            amount = _to_number(g[1]) * _scale(g[2])
            out.append((amount, CURRENCY_SYMBOLS[g[0].lower()]))
        elif g[3] is not None:  # ISO code / word first
            amount = _to_number(g[4]) * _scale(g[5])
            out.append((amount, CURRENCY_WORDS[g[3].lower()]))
        elif g[6] is not None:
            amount = _to_number(g[6]) * _scale(g[7])
            currency = None
            if g[8]:
                currency = CURRENCY_SYMBOLS[g[8].lower()]
            if g[9]:
                currency = CURRENCY_WORDS[g[9].lower()]
            out.append((amount, currency))
    return out


_TIME_UNIT_AFTER = re.compile(
    r"^\s*(?:k\b)?\s*(h|hrs?|hours?|minutes?|mins?|days?|weeks?|wks?|months?|years?|evenings?|semesters?|terms?|%|percent)\b",
    re.I,
)


def parse_budget(text: str, expect_money: bool = False) -> Budget | None:
    """Read a budget from ``text``; ``expect_money`` treats a bare number as an amount.

    Returns None when the text states no budget.
    """
    t = text.strip()
    if UNLIMITED_PATTERNS.search(t):
        return Budget("unlimited", text=t)
    candidates = []
    for m in _MONEY_RE.finditer(t):
        # skip numbers that are times ("5 hours", "6 weeks") or ordinals
        after = t[m.end():]
        if _TIME_UNIT_AFTER.match(after):
            continue
        g = m.groups()
        has_currency = g[0] is not None or g[3] is not None or g[8] is not None or g[9] is not None
        if not has_currency and not expect_money:
            continue
        candidates.append(m)
    if candidates:
        amounts = [a for m in candidates for a in parse_money_mentions(m.group(0))]
        if amounts:
            amount = max(a for a, _ in amounts)  # "between 100 and 300 euros" -> up to 300
            currency = next((c for _, c in amounts if c), None)
            if amount == 0:
                return Budget("free", 0.0, currency, t)
            return Budget("limit", amount, currency, t)
    if FREE_PATTERNS.search(t):
        return Budget("free", 0.0, None, t)
    return None


@dataclass(frozen=True)
class TimeAvailable:
    weeks: float | None = None
    hours_per_week: float | None = None


_HOURS_RE = re.compile(
    rf"(?P<n>{_NUM}|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|couple of|few)"
    r"\s*(?:-|to)?\s*(?P<n2>\d+(?:\.\d+)?)?\s*(?P<unit>h|hrs?|hours?|minutes?|mins?)\b\s*"
    r"(?:(?:a|an|per|each|every|/|a\s+|each\s+)\s*)?(?P<per>week|wk|w|day|daily|weekday|night|evening|month|weekend)?\b",
    re.I,
)
_HOURS_WEEKLY_WORD = re.compile(rf"(?P<n>{_NUM})\s*(?:h|hrs?|hours?)\s*weekly", re.I)
_DURATION_RE = re.compile(
    rf"(?P<n>{_NUM}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|couple of|few)"
    r"\s*(?:-|to)?\s*(?P<n2>\d+)?\s*(?P<unit>days?|weeks?|wks?|months?|years?|yrs?|semesters?|terms?)\b",
    re.I,
)
_SEASON_RE = re.compile(r"\b(over the |this |the )?(summer|semester|term|holidays?)\b", re.I)


def _word_number(raw: str) -> float:
    raw = raw.lower().strip()
    if raw in NUMBER_WORDS:
        return float(NUMBER_WORDS[raw])
    if raw.startswith("couple"):
        return 2.0
    if raw.startswith("few"):
        return 3.0
    return _to_number(raw)


def parse_time(text: str, expect: str | None = None) -> TimeAvailable:
    """Read weeks available and weekly hours from ``text``.

    ``expect`` is ``"weeks"`` or ``"hours_per_week"`` when the person was just asked for one of
    them, so a bare number ("5") answers that question.
    """
    t = text.strip()
    hours: float | None = None
    weeks: float | None = None
    consumed: list[tuple[int, int]] = []
    for m in _HOURS_RE.finditer(t):
        n = _word_number(m.group("n"))
        if m.group("n2"):
            n = (n + float(m.group("n2"))) / 2
        unit = m.group("unit").lower()
        if unit.startswith("min"):
            n = n / 60
        per = (m.group("per") or "").lower()
        if per in {"day", "daily", "night", "evening"}:
            hours = n * 7
        elif per == "weekday":
            hours = n * 5
        elif per == "month":
            hours = n / WEEKS_PER_MONTH
        elif per == "weekend":
            hours = n
        elif per in {"week", "wk", "w"}:
            hours = n
        else:
            # "10 hours" alone: weekly hours when that was asked, otherwise still the likeliest meaning
            hours = n
        consumed.append(m.span())
        break
    if hours is None:
        m = _HOURS_WEEKLY_WORD.search(t)
        if m:
            hours = _to_number(m.group("n"))
            consumed.append(m.span())

    def free_of_hours(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in consumed)

    for m in _DURATION_RE.finditer(t):
        if not free_of_hours(m.span()):
            continue
        # "per week", "a week" after an hours figure is not a duration
        before = t[max(0, m.start() - 6):m.start()].lower()
        if re.search(r"(per|a|an|each|every|/)\s*$", before) and m.group("n").lower() in {"a", "an"}:
            continue
        n = _word_number(m.group("n"))
        if m.group("n2"):
            n = float(m.group("n2"))  # "2-3 months" -> the longer figure is the time they have
        unit = m.group("unit").lower()
        if unit.startswith("day"):
            weeks = n / 7
        elif unit.startswith(("week", "wk")):
            weeks = n
        elif unit.startswith("month"):
            weeks = round(n * WEEKS_PER_MONTH, 1)
        elif unit.startswith(("year", "yr")):
            weeks = n * 52
        elif unit.startswith(("semester", "term")):
            weeks = n * 15
        break
    if weeks is None:
        m = _SEASON_RE.search(t)
        if m:
            word = m.group(2).lower()
            weeks = {"summer": 12.0, "semester": 15.0, "term": 12.0}.get(word.rstrip("s"), 4.0)
    if expect and hours is None and weeks is None:
        m = re.fullmatch(rf"\s*(?:about|around|maybe|roughly)?\s*{_NUM}\s*\.?\s*", t, re.I)
        if m:
            n = _to_number(m.group(1))
            if expect == "hours_per_week":
                hours = n
            elif expect == "weeks":
                weeks = n
    if hours is not None and hours <= 0:
        hours = None
    if weeks is not None and weeks <= 0:
        weeks = None
    return TimeAvailable(weeks=weeks, hours_per_week=hours)


_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
}


def parse_ordinal(text: str) -> int | None:
    """Which item of a shown list the text points at: 1-based, -1 for "the last one"."""
    low = text.lower()
    if re.search(r"\b(last|final) (one|option|course|credential)\b", low):
        return -1
    m = re.search(r"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b", low)
    if m:
        return _ORDINALS[m.group(1)]
    m = re.search(r"(?:number|no\.?|#|option|item)\s*(\d|one|two|three|four|five)\b", low)
    if m:
        return _ORDINALS.get(m.group(1)) or int(m.group(1))
    return None
