"""Reading values out of messy listings: encodings, slugs, numbers, money, durations, languages, countries."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.catalogue.importers.common import MAX_ID, _Reject
from bot.model import WEEKS_PER_MONTH

# --------------------------------------------------------------------------------------------
# Text: encodings, mis-decoded text, slugs, numbers
# --------------------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    """Decode a file: BOMs, then UTF-8, then Windows-1252 (the usual culprit), then Latin-1."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


# Characters that UTF-8 bytes turn into when wrongly decoded as Windows-1252 or Latin-1.
_CP1252_EXTRA = (
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a"
    "\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)

_MOJIBAKE_RUN = re.compile(f"[\u0080-\u00ff{_CP1252_EXTRA}]{{2,}}")


def _to_cp1252_bytes(run: str) -> bytes:
    out = bytearray()
    for ch in run:
        if ord(ch) < 256:
            out.append(ord(ch))
        else:
            out += ch.encode("cp1252")
    return bytes(out)


def _fix_run(m: re.Match) -> str:
    run = m.group(0)
    try:
        fixed = _to_cp1252_bytes(run).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run
    return fixed


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as Windows-1252/Latin-1 ("Â£79" -> "£79", "â‚¬" -> "€").

    Only runs of two or more such characters that decode as valid UTF-8 are replaced, so real
    accented text ("VIOLÃO", "Ã©tude" is not valid UTF-8 either way) is left alone.
    """
    if not text or text.isascii():
        return text
    return _MOJIBAKE_RUN.sub(_fix_run, text)


def _clean(text: Any) -> str:
    """Trim, repair mis-decoded characters and collapse all whitespace (incl. NBSP, U+202F)."""
    if text is None:
        return ""
    return " ".join(fix_mojibake(str(text)).split())


def _hash(text: str, n: int = 8) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def _slug(text: str) -> str:
    """Lower-case ASCII slug; non-Latin text that would vanish gets a short stable hash."""
    norm = unicodedata.normalize("NFKD", text)
    ascii_text = norm.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    lost = any(
        unicodedata.category(ch).startswith("L") and not ch.isascii() and not unicodedata.combining(ch) for ch in norm
    )
    if lost:  # some letters had no ASCII form (Chinese, Arabic, Cyrillic...): keep ids apart
        slug = f"{slug}-{_hash(text)}" if slug else _hash(text)
    return slug


def _cap(slug: str, original: str) -> str:
    if len(slug) <= MAX_ID:
        return slug
    head = slug[: MAX_ID - 9].rstrip("-")
    return f"{head}-{_hash(original)}"


def _number(text: str) -> int | float:
    """'49' -> 49, '23.99' -> 23.99, '1,299.50' -> 1299.5, '23,99' -> 23.99; ValueError otherwise."""
    s = text.strip().replace("\u2212", "-").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"-?\d+,\d{1,2}", s):
        s = s.replace(",", ".")
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", s):
        raise ValueError(text)
    value = float(s)
    return int(value) if value.is_integer() else value


def _tidy(value: float) -> int | float:
    if isinstance(value, bool):
        raise ValueError(value)
    if float(value).is_integer():
        return int(value)
    return round(float(value), 4)


_SYMBOLS = (  # longest first
    ("US$", "USD"),
    ("AU$", "AUD"),
    ("CA$", "CAD"),
    ("NZ$", "NZD"),
    ("HK$", "HKD"),
    ("A$", "AUD"),
    ("C$", "CAD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("$", "USD"),
)
_ISO_CURRENCIES = {
    "USD",
    "EUR",
    "GBP",
    "AUD",
    "CAD",
    "NZD",
    "CHF",
    "JPY",
    "CNY",
    "INR",
    "SGD",
    "HKD",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "BRL",
    "MXN",
    "ZAR",
    "KRW",
    "TWD",
    "MYR",
    "IDR",
    "THB",
    "PHP",
    "AED",
    "SAR",
    "TRY",
}
_CURRENCY_NAMES = {
    "us dollar": "USD",
    "us dollars": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "united states dollar": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound sterling": "GBP",
    "british pound": "GBP",
    "pounds sterling": "GBP",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "new zealand dollar": "NZD",
    "swiss franc": "CHF",
    "japanese yen": "JPY",
    "indian rupee": "INR",
}


def _currency_code(text: str) -> str | None:
    s = _clean(text)
    if re.fullmatch(r"[A-Za-z]{3}", s) and s.upper() in _ISO_CURRENCIES:
        return s.upper()
    if s.lower() in _CURRENCY_NAMES:
        return _CURRENCY_NAMES[s.lower()]
    for symbol, code in _SYMBOLS:
        if s == symbol:
            return code
    return None


@dataclass
class _Money:
    amount: int | float | None
    currency: str | None
    monthly: bool


def _parse_money(text: str, default_currency: str | None = None, what: str = "price") -> _Money:
    """Parse '€23.99', '€23.99,/month', '$49 USD', 'USD 49', '£10', 'Free', '0' (after repair)."""
    s = _clean(text)
    if not s:
        return _Money(None, default_currency, False)
    low = s.lower()
    monthly = bool(re.search(r"/\s*(month|mo)\b|per month|a month|monthly", low))
    body = re.sub(r",?\s*(/\s*(month|mo)\b|per month|a month|monthly)", "", s, flags=re.I).strip()
    if body.lower() in {"free", "gratis", "gratuit", "gratuito"}:
        return _Money(0, default_currency, monthly)
    currency = None
    m = re.search(r"\b([A-Z]{3})\b", body)
    if m and m.group(1) in _ISO_CURRENCIES:
        currency = m.group(1)
        body = (body[: m.start()] + body[m.end() :]).strip()
    for symbol, code in _SYMBOLS:
        if symbol in body:
            currency = currency or code
            body = body.replace(symbol, "").strip()
            break
    body = body.rstrip(",").strip()
    try:
        amount = _number(body)
    except ValueError:
        raise _Reject(f"{what} {text.strip()!r} is not a number") from None
    if amount < 0:
        raise _Reject(f"{what} {text.strip()!r} is negative")
    return _Money(amount, currency or default_currency, monthly)


_NUMBER_WORDS = {
    "half": 0.5,
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
}
_NUM = r"(\d+(?:[.,]\d+)?|" + "|".join(_NUMBER_WORDS) + ")"
_RANGE = re.compile(r"(?<![\w.])" + _NUM + r"(?:\s*(?:-|–|—|to|or)\s*" + _NUM + r")?", re.I)


def _num_word(tok: str) -> float:
    tok = tok.lower()
    return float(_NUMBER_WORDS[tok]) if tok in _NUMBER_WORDS else float(tok.replace(",", "."))


def _range_mid(text: str, unit: str) -> float | None:
    """'2–3 hours per week' -> 2.5 (midpoint of a range), '4 weeks' -> 4; None when no number+unit."""
    m = re.search(_RANGE.pattern + r"\s*" + unit, text, re.I)
    if not m:
        return None
    lo = _num_word(m.group(1))
    hi = _num_word(m.group(2)) if m.group(2) else lo
    return (lo + hi) / 2


def _weeks(text: str, what: str) -> int | float | None:
    """'7 Weeks' / '4 weeks' / '3 months' / '10 days' -> weeks; '' -> None; nonsense -> reject."""
    s = _clean(text)
    if not s:
        return None
    for unit, factor in ((r"weeks?\b", 1.0), (r"months?\b", WEEKS_PER_MONTH), (r"days?\b", 1 / 7)):
        value = _range_mid(s, unit)
        if value is not None:
            if value <= 0:
                return None  # '0 weeks' is a listing artefact: length unknown
            return _tidy(round(value * factor, 1))
    raise _Reject(f"{what} {s!r} is not a number of weeks")


def _hours_weekly(text: str, what: str) -> int | float | None:
    """'3 hours' / '2–3 hours per week' / '1 hour' / '90 minutes per week' -> hours a week."""
    s = _clean(text)
    if not s:
        return None
    value = _range_mid(s, r"(?:hours?|hrs?|h)\b")
    if value is None:
        minutes = _range_mid(s, r"(?:minutes?|mins?)\b")
        value = minutes / 60 if minutes is not None else None
    if value is None:
        raise _Reject(f"{what} {s!r} is not a number of hours")
    if value <= 0:
        return None  # '0 hours' (less than an hour, rounded down by the site): weekly load unknown
    return _tidy(round(value, 2))


def _bool_text(text: str, what: str) -> bool | None:
    s = _clean(text).lower()
    if s in {"true", "yes", "y", "1"}:
        return True
    if s in {"false", "no", "n", "0"}:
        return False
    if s == "":
        return None
    raise _Reject(f"{what} {text!r} is not true/false")


def _topics_from(text: str) -> list[str]:
    """'Science, Engineering & Maths' -> ['science', 'engineering', 'maths']."""
    parts = re.split(r"\s*(?:,|&|/|;|\band\b)\s*", _clean(text).lower())
    return list(dict.fromkeys(p for p in parts if p))


_LANGUAGES = {
    "english": "en",
    "español": "es",
    "espanol": "es",
    "spanish": "es",
    "français": "fr",
    "francais": "fr",
    "french": "fr",
    "italiano": "it",
    "italian": "it",
    "中文": "zh",
    "chinese": "zh",
    "português": "pt",
    "portuguese": "pt",
    "日本語": "ja",
    "japanese": "ja",
    "اللغة العربية": "ar",
    "العربية": "ar",
    "arabic": "ar",
    "deutsch": "de",
    "german": "de",
    "русский": "ru",
    "russian": "ru",
    "nederlands": "nl",
    "dutch": "nl",
    "한국어": "ko",
    "korean": "ko",
    "türkçe": "tr",
    "turkish": "tr",
    "हिन्दी": "hi",
    "hindi": "hi",
}
_COUNTRIES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "canada": "CA",
    "australia": "AU",
    "new zealand": "NZ",
    "ireland": "IE",
    "germany": "DE",
    "france": "FR",
    "spain": "ES",
    "netherlands": "NL",
    "india": "IN",
    "china": "CN",
    "japan": "JP",
    "mexico": "MX",
}


def _language_code(text: str) -> str | None:
    s = _clean(text)
    if not s:
        return None
    if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", s):
        return s.split("-")[0].lower()
    return _LANGUAGES.get(s.lower())


def _country_code(text: str) -> str | None:
    s = _clean(text)
    if re.fullmatch(r"[A-Z]{2}", s):
        return s
    return _COUNTRIES.get(s.lower())


_UNIVERSITY_WORDS = re.compile(
    r"\b(universit\w*|universidad\w*|universidade|universiteit|universitat|universiti|université|università"
    r"|hochschule|college|institute|institut\w*|instituto|school|escuela|école|polytechnic|politecnico)\b",
    re.I,
)


def _guess_kind(name: str) -> str:
    """'university' only when the name says so (in any of the common languages), else 'company'."""
    return "university" if _UNIVERSITY_WORDS.search(name) else "company"


# JSON-LD (CTDL) values


def _local(term: Any) -> str:
    """'ceterms:Course' / 'https://purl.org/ctdl/terms/Course' / 'deliveryType:OnlineOnly' -> last part."""
    s = str(term or "")
    return re.split(r"[:/#]", s)[-1]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A CTDL language map ({'en-US': '...'}) or plain string -> text (English preferred)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list):
        return "; ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        if "@value" in value:
            return _clean(value["@value"])
        for lang in ("en-US", "en", "en-GB", "en-us"):
            if lang in value:
                return _text(value[lang])
        for v in value.values():
            return _text(v)
    return _clean(value)


def _texts(value: Any) -> list[str]:
    """Language maps of lists ({'en-US': ['a', 'b']}) and lists of maps -> flat list of strings."""
    out: list[str] = []
    for v in _as_list(value):
        if isinstance(v, dict) and "@value" not in v and not any(k.startswith("ceterms:") for k in v):
            inner = next((v[k] for k in ("en-US", "en", "en-GB") if k in v), next(iter(v.values()), None))
            out += [_clean(x) for x in _as_list(inner) if _clean(x)]
        elif isinstance(v, dict):
            name = _text(v.get("ceterms:targetNodeName") or v.get("ceterms:name"))
            if name:
                out.append(name)
        elif _clean(v):
            out.append(_clean(v))
    return out


def _iso_weeks(duration: str) -> tuple[float | None, float | None]:
    """ISO 8601 duration -> (weeks, total hours): 'P10W' -> (10, None), 'P3M' -> (13.0, None),
    'PT40H' -> (None, 40). Raises _Reject when it is not a duration."""
    s = str(duration).strip().upper()
    m = re.fullmatch(
        r"P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?"
        r"(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?",
        s,
    )
    if not m or s in {"P", "PT"} or not any(m.groups()):
        raise _Reject(f"estimatedDuration {duration!r} is not an ISO 8601 duration")
    y, mo, w, d, h, mi, sec = (float(g.replace(",", ".")) if g else 0.0 for g in m.groups())
    weeks = y * 52 + mo * WEEKS_PER_MONTH + w + d / 7
    hours = h + mi / 60 + sec / 3600
    return (weeks or None), (hours or None)
