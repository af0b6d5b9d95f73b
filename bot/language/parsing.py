"""Pure parsers for what people say about money and time.

They return ``None`` when the text says nothing about the thing asked for, so the conversation can
ask; they never guess a currency silently (the caller states any assumption back to the person).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.language.currencies import AMOUNT_COUNTRY_RE, COUNTRY_DOLLARS, COUNTRY_DOLLARS_RE, currency_named
from bot.language.dates import deadline_weeks, unit_typos_fixed
from bot.language.limits import said_as_limit
from bot.language.messages import say
from bot.language.option_questions import without_option_questions
from bot.model import WEEKS_PER_MONTH, Budget

CURRENCY_SYMBOLS = {
    "a$": "AUD",
    "au$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "us$": "USD",
    "nz$": "NZD",
    "£": "GBP",
    "€": "EUR",
    "₹": "INR",
    "$": "USD",
    "¥": "JPY",
    "r$": "BRL",
    "₦": "NGN",
}
CURRENCY_WORDS = {
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "sterling": "GBP",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "inr": "INR",
    "rupee": "INR",
    "rupees": "INR",
    "rs": "INR",
    "aud": "AUD",
    "cad": "CAD",
    "chf": "CHF",
    "nzd": "NZD",
    "sgd": "SGD",
    "jpy": "JPY",
    "yen": "JPY",
    "francs": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "kronor": "SEK",
    "kroner": "NOK",
    # currencies people budget in that the rate table may not hold: read, so that the reply can say so
    "kenyan shillings": "KES",
    "brazilian reais": "BRL",
    "nigerian naira": "NGN",
    "south african rand": "ZAR",
    "brl": "BRL",
    "reais": "BRL",
    "kes": "KES",
    "ksh": "KES",
    "shillings": "KES",
    "ngn": "NGN",
    "naira": "NGN",
    "zar": "ZAR",
    "rand": "ZAR",
    "mxn": "MXN",
    "egp": "EGP",
    "aed": "AED",
    "dirhams": "AED",
    "myr": "MYR",
    "ringgit": "MYR",
    "pkr": "PKR",
    "ghs": "GHS",
    "cedis": "GHS",
}
SYMBOL_OF = {"GBP": "£", "USD": "$", "EUR": "€", "INR": "₹", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "JPY": "¥"}

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "hundred": 100,
    "couple": 2,
    "few": 3,
}

FREE_PATTERNS = re.compile(
    r"\b(free|nothing(?! (?:on|about|in|for|that|like|else|similar))|no money|"
    r"zero(?! (?:experience|knowledge|background|skills?|idea|coding|programming|qualifications?))|can'?t (afford|pay)|cannot (afford|pay)|no budget|skint|broke|"
    r"(only|just) free)\b|£0\b|\$0\b|€0\b|\b0 ?(gbp|usd|eur|pounds|dollars|euros)\b",
    re.I,
)
# Someone else pays, or money does not matter: no upper bound (unless an amount is also stated).
_PAYERS = (
    r"employer|company|work|boss|firm|organi[sz]ation|department|union|council|government|sponsor|funder|"
    r"scholarship|bursary|grant|university|uni|school|college|parents?|family|mum|dad"
)
UNLIMITED_PATTERNS = re.compile(
    r"\b(no (upper )?limit|unlimited|money(?:'s| is)? no object|"
    rf"(my |our |the )?({_PAYERS}) (pays|will pay|would pay|is paying|are paying|covers|will cover|is covering|"
    r"funds|will fund|is funding|is footing the bill|foots the bill)|"
    rf"(paid|funded|covered|sponsored) (for )?by (my |our |the )?({_PAYERS})|"
    r"budget (doesn'?t|does not) matter|any (price|budget|cost)|"
    r"(cost|price|money|budget|fees?)(?:'s| is| are)?(?: not|n'?t| never) (an? |the )?(issue|problem|concern|object)|"
    r"(cost|price|money|budget)(?:'s| is)? no (issue|problem|concern)|"
    r"price (doesn'?t|does not) matter|cost (doesn'?t|does not) matter|whatever it costs|"
    r"(forget|ignore|drop|never ?mind) (about )?(the |my )?(budget|price|cost)|"
    r"(don'?t|do not) (care|mind) (about|what) (the )?(price|cost|it costs))\b",
    re.I,
)

_NUM = r"(\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SYM = r"(a\$|au\$|c\$|ca\$|us\$|nz\$|r\$|£|€|₹|₦|\$|¥)"
_WORD = (
    r"(kenyan shillings|brazilian reais|nigerian naira|south african rand|"
    r"gbp|usd|eur|inr|aud|cad|chf|nzd|sgd|jpy|sek|nok|dkk|pounds?|quid|sterling|dollars?|bucks|euros?|rupees?|rs|"
    r"yen|francs|kronor|kroner|brl|reais|kes|ksh|shillings|ngn|naira|zar|rand|mxn|egp|aed|dirhams|myr|ringgit|pkr|"
    r"ghs|cedis)"
)
_MONEY_RE = re.compile(
    rf"(?:{_SYM}\s?{_NUM}\s?(k|thousand|grand)?)|(?:\b{_WORD}\s?{_NUM}\s?(k|thousand)?\b)|(?:\b{_NUM}\s?(k|thousand|grand)?\s?{_SYM}?\s?{_WORD}?\b)",
    re.I,
)


def weeks_text(w: float) -> str:
    """A length as people say it: "under a week", "1 week", "2.5 weeks", "26 weeks" (whole from three up)."""
    if w < 0.95:
        return "under a week"
    n = round(w) if w >= 3 else round(w, 1)
    return f"{n:g} week" + ("" if n == 1 else "s")


def format_money(amount: float, currency: str | None) -> str:
    rounded = round(amount)
    num = f"{rounded:,.0f}" if abs(amount - rounded) < 0.005 else f"{amount:,.2f}"
    if currency in SYMBOL_OF:
        return f"{SYMBOL_OF[currency]}{num}"
    return f"{num} {currency}" if currency else num


def format_approx(amount: float, currency: str | None) -> str:  # converted at a dated rate: "£153", not "£153.36"
    return format_money(round(amount), currency)


def describe_budget(b: Budget) -> str:
    if b.kind == "free":
        return say("budget.free_only")
    if b.kind == "unlimited":
        return say("budget.no_limit")
    return say("budget.up_to", amount=format_money(b.amount or 0, b.currency))


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000}
_NW = (
    "couple|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|grand"
)
_NUMBER_WORD_RE = re.compile(rf"\b(?:(?:a|an)\s+)?(?:{_NW})(?:(?:\s+and\s+|[\s-]+)(?:{_NW}))*\b", re.I)


def _words_value(phrase: str) -> int | None:
    words = re.split(r"[\s-]+", re.sub(r"\ban?\s+couple\b", "couple", phrase.lower()))
    if all(w in _SCALES for w in words):
        return None  # "grand" alone is a word, not a number
    total, current = 0, 0
    for word in words:
        if word in ("and", ""):
            continue
        if word in ("a", "an"):
            current = max(current, 1)
        elif word == "couple":
            current += 2
        elif word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in ("thousand", "grand"):
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


_FEW_HUNDRED_RE = re.compile(r"\b(?:an?\s+)?(couple|few)(?:\s+of)?\s+(hundred|thousand|grand)\b", re.I)


def words_to_digits(text: str) -> str:
    """ "two hundred quid" -> "200 quid"; "a grand" -> "1000"; "a couple of hundred" -> "200"; leaves other text alone."""

    def repl(m: re.Match) -> str:
        value = _words_value(m.group(0))
        return str(value) if value else m.group(0)

    # "a few hundred" is taken as 300 (the reply states the amount, so the person can correct it)
    text = _FEW_HUNDRED_RE.sub(
        lambda m: str({"couple": 2, "few": 3}[m.group(1).lower()] * (100 if m.group(2).lower() == "hundred" else 1000)),
        text,
    )
    return _NUMBER_WORD_RE.sub(repl, text)


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
    original = text.strip()
    said = original
    if not expect_money:  # "is it 49 pounds a month?", "does the UNC course give a certificate for free?"
        original = without_option_questions(original).strip()
        if not original:
            return None
    unlimited = UNLIMITED_PATTERNS.search(original) is not None
    t = words_to_digits(re.sub(r"\b(?:a|one) grand\b", "1 grand", original, flags=re.I))
    t = AMOUNT_COUNTRY_RE.sub(lambda m: f"{m.group(1)} {COUNTRY_DOLLARS[m.group(2).lower()].lower()}", t)
    t = COUNTRY_DOLLARS_RE.sub(lambda m: COUNTRY_DOLLARS[re.sub(r"\s+", " ", m.group(1).lower())].lower(), t)
    if re.search(r"(^|\s)(-|minus\s)\s?[£$€₹]?\d", t, re.I):
        return None  # a negative amount is not a budget
    candidates = []
    for m in _MONEY_RE.finditer(t):
        # skip numbers that are times ("5 hours", "6 weeks") or ordinals
        after = t[m.end() :]
        if _TIME_UNIT_AFTER.match(after):
            continue
        g = m.groups()
        has_currency = g[0] is not None or g[3] is not None or g[8] is not None or g[9] is not None
        says_money = has_currency or (g[7] or "").lower() == "grand"
        # a bare number counts as money when money was asked for, or beside "my employer pays"
        # ("my employer pays up to 300": a limit, whose currency is asked), but not "for 2 courses"
        limit = said_as_limit(t, m)  # "i really cant go over 300": money, and the one that counts
        if not says_money and not expect_money and not limit and not (unlimited and _to_number(g[6] or "0") >= 10):
            continue
        candidates.append((m, limit))
    if candidates:
        every = [a for m, _ in candidates for a in parse_money_mentions(m.group(0))]
        # "they're like £2k, i can't go over 300": the limit said, not the price mentioned
        chosen = [m for m, limit in candidates if limit] or [m for m, _ in candidates]
        amounts = [a for m in chosen for a in parse_money_mentions(m.group(0))]
        candidates = [m for m, _ in candidates]
        if amounts:
            amount = max(a for a, _ in amounts)  # "between 100 and 300 euros" -> up to 300
            currency = next((c for _, c in amounts if c), None) or next((c for _, c in every if c), None)
            rest = t[: candidates[0].start()] + " " + t[candidates[-1].end() :]
            named = currency_named(re.sub(r"\bbucks\b", " ", rest, flags=re.I))
            if currency == "USD" and (re.search(r"\bbucks\b", t, re.I) or ("$" in t and named not in (None, "USD"))):
                currency = None  # "bucks", or "$2,000, I'm in Canada so CAD": dollars, but whose? the words say
            currency = currency or named  # "around a grand (GBP)", "300 bucks, I'm in Austin so USD"
            if amount == 0:
                return Budget("free", 0.0, currency, said)
            # an amount said with a payer ("my employer gives me £500") is still the limit
            return Budget("limit", amount, currency, said)
    if unlimited:
        return Budget("unlimited", text=said)
    if FREE_PATTERNS.search(t):
        return Budget("free", 0.0, None, said)
    return None


@dataclass(frozen=True)
class TimeAvailable:
    weeks: float | None = None
    hours_per_week: float | None = None
    note: str | None = None  # an assumption made, to be stated back


HOURS_PER_EVENING = 2.5
_DEADLINE_RE = re.compile(
    r"\b(?:by|until|till|til|before|in time for|for)\s+(?:the\s+)?(?:end\s+of\s+)?"
    r"(january|february|march|april|june|july|august|september|october|november|december|christmas|easter|"
    r"new year|summer|may(?=\s*$|\s*[,.!?]|\s+(?:next|this)\b))\b",
    re.I,
)
_SESSIONS_RE = re.compile(
    r"(?P<n>\d+|one|two|three|four|five|six|seven|a couple of|couple of|a few|few)\s+"
    r"(?P<what>evenings?|nights?|mornings?|afternoons?|lunch ?breaks?)\s+(?:a|per|each|every)\s+week",
    re.I,
)


_HOURS_RE = re.compile(
    rf"(?P<n>{_NUM}|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|couple of|few)"
    r"\s*(?:-|to)?\s*(?P<n2>\d+(?:\.\d+)?)?\s*(?P<unit>h|hrs?|hours?|minutes?|mins?)\b\s*"
    r"(?:(?:a|an|per|each|every|/|on|in\s+the|on\s+the)\s*)?"
    r"(?P<per>week\s?days?(?:\s+(?:evenings?|nights?))?|weeks?|wk|w|days?|daily|nights?|evenings?|months?|weekends?)?\b",
    re.I,
)
_HOURS_WEEKLY_WORD = re.compile(rf"(?P<n>{_NUM})\s*(?:h|hrs?|hours?)\s*weekly", re.I)
_DURATION_RE = re.compile(
    rf"(?P<n>{_NUM}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|couple of|few)"
    r"\s*(?:-|to)?\s*(?P<n2>\d+)?\s*(?P<unit>days?|weeks?|wks?|months?|years?|yrs?|semesters?|terms?)\b",
    re.I,
)
_SEASON_RE = re.compile(r"\b(over the |this |the )?(summer|winter|semester|term|holidays?)\b", re.I)
_BREAK_RE = re.compile(
    r"\b(?:over|during|in|across)\s+(?:the\s+)?(?:(easter|christmas|xmas)(?:\s+(?:holidays?|break|vacation|hols))?|"
    r"(winter|spring)\s+(?:holidays?|break|vacation|hols))\b",
    re.I,
)
_YEAR_END_RE = re.compile(
    r"\b(?:by|until|till|before)\s+(?:the\s+)?(?:end\s+of\s+(?:the|this)\s+year|year[- ]end|year'?s end)\b", re.I
)
# No fixed deadline: the search looks at options up to two years long, and says so.
NO_DEADLINE_WEEKS = 104.0
_NO_DEADLINE_RE = re.compile(
    r"\b(no (?:fixed |real |set )?(?:deadline|rush|hurry|time ?limit|time pressure|end date)|(?:not|never) in (?:a|any) (?:rush|hurry)|"
    r"in no (?:rush|hurry)|any (?:length|duration)|(?:length|duration|how long it takes) (?:doesn'?t|does not) matter|"
    r"flexible (?:on|with|about) (?:time|timing|the time|duration|length|dates|when)|time is flexible|"
    r"(?:take|takes) as long as (?:it takes|needed|necessary)|however long it takes|open[- ]ended|"
    r"whenever (?:suits|is fine|works)|time (?:isn'?t|is not|'s not) (?:an? )?(?:problem|issue|concern))\b",
    re.I,
)
BREAK_WEEKS = {"easter": 2.0, "christmas": 2.0, "xmas": 2.0, "winter": 2.0, "spring": 2.0}


def _join_notes(first: str | None, second: str) -> str:
    return f"{first} {second}" if first else second


def _word_number(raw: str) -> float:
    raw = raw.lower().strip()
    if raw in NUMBER_WORDS:
        return float(NUMBER_WORDS[raw])
    if raw.startswith("couple"):
        return 2.0
    if raw.startswith("few"):
        return 3.0
    return _to_number(raw)


def _hours_in(m: re.Match) -> float:
    """Weekly hours from one match of :data:`_HOURS_RE` ("2 hours a day", "1-2 hours per weekday evening")."""
    n = _word_number(m.group("n"))
    if m.group("n2"):
        n = (n + float(m.group("n2"))) / 2
    if m.group("unit").lower().startswith("min"):
        n = n / 60
    per = re.sub(r"\s+", " ", (m.group("per") or "").lower())
    if per.startswith(("weekday", "week day")):  # "on weekday evenings", "every weekday"
        return n * 5
    if per.startswith(("day", "daily", "night", "evening")):
        return n * 7
    if per.startswith("month"):
        return n / WEEKS_PER_MONTH
    # a week, a weekend, or "10 hours" alone: weekly hours when that was asked, otherwise the likeliest meaning
    return n


def _read_hours(t: str) -> tuple[float | None, str | None, list[tuple[int, int]]]:
    """(weekly hours, a note on an assumption, the spans of text they were read from)."""
    m = _SESSIONS_RE.search(t)
    if m:
        n = _word_number(m.group("n").replace("a couple of", "couple").replace("a few", "few").split()[0])
        hours = n * HOURS_PER_EVENING
        what = m.group("what").lower().rstrip("s")
        note = say("time.assumed_sessions", each=f"{HOURS_PER_EVENING:g}", session=what, weekly=f"{hours:g}")
        return hours, note, [m.span()]
    m = re.search(r"\bhalf an hour (?:a|per|each|every)\s*(day|week)\b", t, re.I)
    if m:
        return (3.5 if m.group(1).lower() == "day" else 0.5), None, [m.span()]
    found = list(_HOURS_RE.finditer(t))
    if found:
        # "1-2 hours per evening, so like 8 hours a week": a weekly total said outright is what they have
        weekly = [m for m in found if re.match(r"w", (m.group("per") or "").lower())]
        chosen = weekly[-1] if weekly else found[0]
        hours = _hours_in(chosen)
        note = None
        if re.search(r"evening|night", chosen.group("per") or "", re.I):
            note = say("time.assumed_weekly", weekly=f"{hours:g}")
        return hours, note, [m.span() for m in found]
    m = _HOURS_WEEKLY_WORD.search(t)
    if m:
        return _to_number(m.group("n")), None, [m.span()]
    return None, None, []


def _duration_weeks(m: re.Match) -> float:
    """Weeks from one match of :data:`_DURATION_RE` ("3 months", "2-3 months": the longer figure)."""
    n = _word_number(m.group("n"))
    if m.group("n2"):
        n = float(m.group("n2"))  # "2-3 months" -> the longer figure is the time they have
    unit = m.group("unit").lower()
    if unit.startswith("day"):
        return n / 7
    if unit.startswith("month"):
        return round(n * WEEKS_PER_MONTH, 1)
    if unit.startswith(("year", "yr")):
        return n * 52
    if unit.startswith(("semester", "term")):
        return n * 15
    return n  # weeks


_PAST_AFTER = re.compile(
    r"\s*(?:'|’)?\s*(?:of\s+)?(?:work(?:ing)?\s+|professional\s+|industry\s+)?(?:experience|exp\b|ago\b)", re.I
)
_PAST_BEFORE = re.compile(
    r"\b(?:been|worked|working|taught|teaching|nursing|spent|after|for the (?:last|past)|over the (?:last|past)|"
    r"with)\b[^.,;!?]*$|\(\s*$|\bhere,?\s*$",
    re.I,
)


_YEARS_IN = re.compile(r"\s+(?:in|as|at|on|of)(?:\s+(?!total\b|all\b|which\b|that\b)|\s*[,;)])", re.I)
_PERFECT = re.compile(
    r"\b(?:i'?ve|i have|we'?ve|we have|i had)\s+(?:been|done|worked|taught|spent|had|studied|run|managed|led|"
    r"practi[cs]ed|nursed|coded|demonstrated)\b[^.;!?]*$",
    re.I,
)
_AT_A_TIME = re.compile(r"\s+(?:at a time|each time|a time|in a row)\b", re.I)


_OF_THE_COURSE = re.compile(
    r"\b(?:if it'?s|if it is|it'?s only|it is only|it takes|takes|lasts|it'?s just|only takes)\s+(?:only\s+|just\s+)?(?:an?\s+)?$",
    re.I,
)


def _is_past(t: str, m: re.Match) -> bool:
    """A length that tells the person's past ("ten years' experience", "8 years in SOC", "10 years in,", "I've demonstrated
    for 3 years") or a stretch of something else ("a few days at a time"), not the time they have to study."""
    if _PAST_AFTER.match(t, m.end()) or _AT_A_TIME.match(t, m.end()):
        return True
    if _OF_THE_COURSE.search(t[max(0, m.start() - 30) : m.start()]):
        return True  # "fine if it's only a few days", "it takes 6 weeks": the course's length, not theirs
    if not m.group("unit").lower().startswith(("year", "yr")):
        return False
    before = t[max(0, m.start() - 60) : m.start()]
    return bool(_PAST_BEFORE.search(before[-40:]) or _PERFECT.search(before) or _YEARS_IN.match(t, m.end()))


def _read_duration(t: str, consumed: list[tuple[int, int]]) -> float | None:
    """Weeks said as a length of time, outside the spans already read as weekly hours."""
    if re.search(r"\bhalf an? year\b", t, re.I):
        return 26.0
    for m in _DURATION_RE.finditer(t):
        if not all(m.end() <= a or m.start() >= b for a, b in consumed) or _is_past(t, m):
            continue
        # "per week", "a week" after an hours figure is not a duration
        before = t[max(0, m.start() - 6) : m.start()].lower()
        if re.search(r"(per|a|an|each|every|/)\s*$", before) and m.group("n").lower() in {"a", "an"}:
            continue
        return _duration_weeks(m)
    return None


def _read_deadline(t: str, today: dt.date) -> tuple[float | None, str | None]:
    """Weeks until a date, a break, no deadline at all, or a season; with a note on any assumption."""
    m = _DEADLINE_RE.search(t)
    if m:
        return deadline_weeks(m.group(1), today, end_of="end of" in m.group(0).lower()), None
    if _YEAR_END_RE.search(t):
        return deadline_weeks("new year", today), None
    m = _BREAK_RE.search(t)
    if m:
        word = (m.group(1) or m.group(2)).lower()
        weeks = BREAK_WEEKS[word]
        name = {"christmas": "Christmas", "xmas": "Christmas", "easter": "Easter"}.get(word, word)
        return weeks, say("time.assumed_break", holiday=name, weeks=f"{weeks:g}")
    if _NO_DEADLINE_RE.search(t):
        return NO_DEADLINE_WEEKS, say("time.no_deadline")
    m = _SEASON_RE.search(t)
    if m:
        word = m.group(2).lower()
        return {"summer": 12.0, "winter": 12.0, "semester": 15.0, "term": 12.0}.get(word.rstrip("s"), 4.0), None
    return None, None


_LENGTH_THEN_HOURS = re.compile(r"^\s*\d+(?:\.\d+)?\s*(?:weeks?|wks?|months?)\s*[,;/]\s*(\d+(?:\.\d+)?)\s*$", re.I)


def parse_time(text: str, expect: str | None = None, today: dt.date | None = None) -> TimeAvailable:
    """Read weeks available and weekly hours from ``text``.

    ``expect`` is ``"weeks"`` or ``"hours_per_week"`` when the person was just asked for one of
    them, so a bare number ("5") answers that question.
    """
    t = unit_typos_fixed((text if expect else without_option_questions(text)).strip())
    hours, note, consumed = _read_hours(t)
    both = _LENGTH_THEN_HOURS.match(t)
    if both and hours is None and float(both.group(1)) <= 80:
        # "3 months, 5": both questions answered at once, the length and then the weekly hours
        hours, consumed = float(both.group(1)), [*consumed, both.span(1)]
    weeks = _read_duration(t, consumed)
    if weeks is None:
        weeks, deadline_note = _read_deadline(t, today or dt.date.today())
        if deadline_note:
            note = _join_notes(note, deadline_note)
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
    return TimeAvailable(weeks=weeks, hours_per_week=hours, note=note)
