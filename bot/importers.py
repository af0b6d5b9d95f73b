"""Turn public course listings into catalogue records (see docs/catalog-format.md).

Pure functions, no database access. Every importer returns an :class:`ImportResult`: provider and
credential dicts in exactly the shape of ``data/catalog/providers.yml`` and ``credentials.yml``,
plus the rows it rejected (impossible or unparseable values) and the rows it skipped on purpose
(repeated header rows, duplicates, rows with no recognisable career aim, records that are not
micro-credentials). Nothing imported is claimed as verified: providers are ``unverified`` and
only explicit statements in the source become recognition or quality-assurance facts.

Formats (``detect_format`` tells them apart):

- ``futurelearn``, ``edx``, ``coursera``, ``udemy``: the scraped listings in shared/data/catalog-sources.
- ``ctdl``: Credential Engine CTDL JSON-LD (a single object, an ``@graph``, a list, or a directory).
- ``csv`` / ``json``: the project's own flat format, written by :func:`export_csv` / :func:`export_json`.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote_plus, urlparse

from bot.aims import AIM_CODES, detect_aims
from bot.catalog import CREDENTIAL_TYPES, DELIVERY_MODES, _check_credential, _check_provider

__all__ = [
    "CREDENTIAL_FIELDS",
    "CSV_COLUMNS",
    "FORMATS",
    "ImportResult",
    "Rejected",
    "SCRAPE_DATES",
    "detect_format",
    "export_csv",
    "export_json",
    "fix_mojibake",
    "import_file",
]

FORMATS = ("csv", "json", "ctdl", "futurelearn", "edx", "coursera", "udemy")

#: Field order of one credential in credentials.yml.
CREDENTIAL_FIELDS = (
    "id", "title", "provider", "platform", "credential_type", "career_aims", "topics", "price",
    "free_to_audit", "certificate_price", "duration_weeks", "hours_per_week", "delivery_mode",
    "level_eqf", "level", "credit", "assessment", "quality_assurance", "recognition", "stackable_into",
    "issuer_country", "language", "source_url", "last_checked",
    "learning_outcomes", "workload_hours", "prerequisites", "skills", "further_information",
)
PROVIDER_FIELDS = ("id", "name", "kind", "country", "website", "legitimacy", "legitimacy_evidence")

#: Columns of the project's flat CSV format.
CSV_COLUMNS = (
    "id", "title", "provider", "platform", "credential_type", "career_aims", "topics", "price_amount",
    "price_currency", "price_basis", "free_to_audit", "certificate_price", "duration_weeks", "hours_per_week",
    "delivery_mode", "level_eqf", "level", "credit_value", "credit_system", "credit_status", "credit_note",
    "assessment_type", "assessment_supervised", "qa_type", "qa_body", "recognition", "stackable_into",
    "issuer_country", "language", "source_url", "last_checked",
    "learning_outcomes", "workload_hours", "prerequisites", "identity_verified", "skills", "further_information",
)

#: When the facts in each scraped listing were true, from shared/data/README.md. A listing cannot be
#: "checked" later than it was scraped, so these, not today's date, become ``last_checked``.
#: Udemy is ``None``: the file itself dates it (the newest ``published_timestamp``, 2017-07-06 in the
#: shared file), which is older and so more conservative than a guessed year.
SCRAPE_DATES: dict[str, dt.date | None] = {
    "futurelearn": dt.date(2022, 11, 1),   # 2022 scrape, Zenodo 10.5281/zenodo.7332123 (Nov 2022)
    "edx": dt.date(2021, 12, 31),          # Kaggle "edX Courses 2021"
    "coursera": dt.date(2020, 12, 31),     # Kaggle "Coursera Course Dataset": no date in the data
    "udemy": None,                         # newest published_timestamp in the file
    "ctdl": dt.date(2023, 1, 1),           # when a CTDL record carries no date of its own
}
UNKNOWN_SCRAPE_DATE = dt.date(2020, 12, 31)

PLATFORMS = {
    "futurelearn": ("FutureLearn", "https://www.futurelearn.com"),
    "edx": ("edX", "https://www.edx.org"),
    "coursera": ("Coursera", "https://www.coursera.org"),
    "udemy": ("Udemy", "https://www.udemy.com"),
}

NO_AIM = "no career aim recognised in title/subject"
PROGRESS_EVERY = 200
MAX_ID = 80  # Credential.id / Provider.id are String(80)


@dataclass
class Rejected:
    line: int  # 1-based physical line (CSV: where the row starts; JSON: entry index + 1)
    reason: str


@dataclass
class ImportResult:
    providers: list[dict] = field(default_factory=list)
    credentials: list[dict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: list[Rejected] = field(default_factory=list)


class _Reject(Exception):
    """The row has an impossible or unparseable value."""


class _Skip(Exception):
    """The row is left out on purpose."""


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
_CP1252_EXTRA = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a" \
                "\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
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
    lost = any(unicodedata.category(ch).startswith("L") and not ch.isascii()
               and not unicodedata.combining(ch) for ch in norm)
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
    ("US$", "USD"), ("AU$", "AUD"), ("CA$", "CAD"), ("NZ$", "NZD"), ("HK$", "HKD"), ("A$", "AUD"),
    ("C$", "CAD"), ("S$", "SGD"), ("R$", "BRL"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR"),
    ("$", "USD"),
)
_ISO_CURRENCIES = {
    "USD", "EUR", "GBP", "AUD", "CAD", "NZD", "CHF", "JPY", "CNY", "INR", "SGD", "HKD", "SEK", "NOK",
    "DKK", "PLN", "BRL", "MXN", "ZAR", "KRW", "TWD", "MYR", "IDR", "THB", "PHP", "AED", "SAR", "TRY",
}
_CURRENCY_NAMES = {
    "us dollar": "USD", "us dollars": "USD", "dollar": "USD", "dollars": "USD", "united states dollar": "USD",
    "euro": "EUR", "euros": "EUR", "pound sterling": "GBP", "british pound": "GBP", "pounds sterling": "GBP",
    "canadian dollar": "CAD", "australian dollar": "AUD", "new zealand dollar": "NZD", "swiss franc": "CHF",
    "japanese yen": "JPY", "indian rupee": "INR",
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
        body = (body[: m.start()] + body[m.end():]).strip()
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
    "half": 0.5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
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
    for unit, factor in ((r"weeks?\b", 1.0), (r"months?\b", 52 / 12), (r"days?\b", 1 / 7)):
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
    "english": "en", "español": "es", "espanol": "es", "spanish": "es", "français": "fr", "francais": "fr",
    "french": "fr", "italiano": "it", "italian": "it", "中文": "zh", "chinese": "zh", "português": "pt",
    "portuguese": "pt", "日本語": "ja", "japanese": "ja", "اللغة العربية": "ar", "العربية": "ar", "arabic": "ar",
    "deutsch": "de", "german": "de", "русский": "ru", "russian": "ru", "nederlands": "nl", "dutch": "nl",
    "한국어": "ko", "korean": "ko", "türkçe": "tr", "turkish": "tr", "हिन्दी": "hi", "hindi": "hi",
}
_COUNTRIES = {
    "united states": "US", "united states of america": "US", "usa": "US", "us": "US",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "canada": "CA", "australia": "AU", "new zealand": "NZ", "ireland": "IE", "germany": "DE", "france": "FR",
    "spain": "ES", "netherlands": "NL", "india": "IN", "china": "CN", "japan": "JP", "mexico": "MX",
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


# --------------------------------------------------------------------------------------------
# Building records
# --------------------------------------------------------------------------------------------

class _Providers:
    def __init__(self, source_name: str):
        self.evidence = f"imported from {source_name}; not verified"
        self.by_id: dict[str, dict] = {}

    def add(self, name: str, kind: str | None = None, *, pid: str | None = None, website: str | None = None,
            country: str | None = None) -> str:
        name = _clean(name)
        pid = pid or _cap(_slug(name), name)
        if not pid:
            raise _Reject(f"provider name {name!r} gives no usable id")
        if pid not in self.by_id:
            self.by_id[pid] = {
                "id": pid,
                "name": name,
                "kind": kind or _guess_kind(name),
                "country": country,
                "website": website,
                "legitimacy": "unverified",
                "legitimacy_evidence": self.evidence,
            }
        return pid

    def platform(self, key: str) -> str:
        name, website = PLATFORMS[key]
        return self.add(name, "platform", pid=key, website=website)

    def institution(self, name: str, platform_key: str) -> tuple[str, str | None]:
        """(provider, platform) for a course run by ``name`` on a platform; the platform itself when
        the institution is unknown or is the platform."""
        name = _clean(name)
        platform_id = self.platform(platform_key)
        if not name or _slug(name) == platform_key:
            return platform_id, None
        return self.add(name), platform_id

    def used(self, credentials: list[dict]) -> list[dict]:
        ids = {c["provider"] for c in credentials} | {c["platform"] for c in credentials if c.get("platform")}
        return [p for pid, p in self.by_id.items() if pid in ids]


def _credential(**values: Any) -> dict:
    record = {
        "id": None, "title": None, "provider": None, "platform": None, "credential_type": None,
        "career_aims": [], "topics": [], "price": {"amount": None, "currency": None, "basis": "one_off"},
        "free_to_audit": False, "certificate_price": None, "duration_weeks": None, "hours_per_week": None,
        "delivery_mode": None, "level_eqf": None, "level": None, "credit": None,
        "assessment": {"type": None, "supervised": None, "identity_verified": None},
        "quality_assurance": {"type": "none stated", "body": None},
        "recognition": [], "stackable_into": None, "issuer_country": None, "language": None,
        "source_url": None, "last_checked": None,
        "learning_outcomes": [], "workload_hours": None, "prerequisites": None, "skills": [],
        "further_information": None,
    }
    unknown = set(values) - set(record)
    if unknown:
        raise KeyError(f"unknown credential fields {sorted(unknown)}")
    record.update(values)
    return record


def _aims(*texts: str) -> list[str]:
    return detect_aims(" ".join(t for t in texts if t))


class _Ids:
    """Stable ids: provider + title; a later row with the same id gets a disambiguating suffix."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, provider_id: str, title: str, disambiguator: str | None) -> str:
        base = _cap(_slug(f"{provider_id} {title}"), f"{provider_id} {title}")
        cid = base
        if cid in self.used and disambiguator:
            cid = _cap(f"{base}-{_slug(disambiguator)}", f"{base} {disambiguator}")
        n = 2
        while cid in self.used:
            cid = _cap(f"{base}-{n}", f"{base} {n}")
            n += 1
        self.used.add(cid)
        return cid


def _progress(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(done, total)


# --------------------------------------------------------------------------------------------
# Scraped CSV listings
# --------------------------------------------------------------------------------------------

def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) for each non-blank CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for cells in reader:
        if any(c.strip() for c in cells):
            yield start, cells
        start = reader.line_num + 1


@dataclass
class _Draft:
    """One parsed row before ids and aims are settled."""
    title: str
    provider: str
    platform: str | None
    key: tuple  # identity of the course in the listing (duplicates share it)
    disambiguator: str | None  # suffix when another course has the same provider + title
    aim_text: list[str]
    fields: dict


class _ScrapedFormat:
    name = ""
    required: tuple[str, ...] = ()
    aliases: dict[str, str] = {}
    duplicate_what = "same provider and title"

    def __init__(self, source_name: str, providers: _Providers, rows: list[dict]):
        self.source_name = source_name
        self.providers = providers
        self.rows = rows

    def last_checked(self) -> dt.date:
        return SCRAPE_DATES.get(self.name) or UNKNOWN_SCRAPE_DATE

    def parse(self, row: dict[str, str]) -> _Draft:  # pragma: no cover - abstract
        raise NotImplementedError

    def merged_aim_text(self, draft: _Draft) -> list[str]:
        return draft.aim_text


def _title(row: dict[str, str], column: str) -> str:
    title = _clean(row.get(column))
    if not title:
        raise _Reject(f"missing title ({column} is empty)")
    return title


_LEVELS = {
    "beginner": "beginner", "beginner level": "beginner", "introductory": "beginner",
    "intermediate": "intermediate", "intermediate level": "intermediate",
    "advanced": "advanced", "expert level": "advanced", "expert": "advanced",
    "all levels": None, "mixed": None, "": None,
}


def _level(text: str, what: str) -> str | None:
    s = _clean(text).lower()
    if s in _LEVELS:
        return _LEVELS[s]
    raise _Reject(f"{what} {text!r} is not a known level")


class _FutureLearn(_ScrapedFormat):
    name = "futurelearn"
    required = ("accreditation", "category", "duration", "name", "organization", "weekly_study")
    aliases = {"subscription_price": "subscription_value"}
    duplicate_what = "same organization and name"

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        # A course listed under several categories appears once per category: aims use them all.
        self.categories: dict[tuple, list[str]] = {}
        for row in self.rows:
            key = self._key(row)
            cats = self.categories.setdefault(key, [])
            cat = _clean(row.get("category"))
            if cat and cat not in cats:
                cats.append(cat)

    @staticmethod
    def _key(row: dict[str, str]) -> tuple:
        return (_clean(row.get("organization")).lower(), _clean(row.get("name")).lower())

    @staticmethod
    def _looks_like_price(text: str) -> bool:
        s = _clean(text).lower()
        return bool(re.search(r"\d", s)) or s == "free"

    def parse(self, row: dict[str, str]) -> _Draft:
        title = _title(row, "name")
        provider, platform = self.providers.institution(row.get("organization", ""), "futurelearn")
        kind, value = _clean(row.get("subscription_type")), _clean(row.get("subscription_value"))
        if self._looks_like_price(kind) and value and not self._looks_like_price(value):
            kind, value = value, kind  # columns swapped without a header saying so
        money = _parse_money(value, "EUR", what="subscription price")
        low = kind.lower()
        subscription = "subscription" in low or "expert" in low or money.monthly
        price = {"amount": money.amount, "currency": money.currency,
                 "basis": "per_month" if subscription else "one_off"}
        free = money.amount == 0
        accredited = _bool_text(row.get("accreditation", ""), "accreditation")
        qa = ({"type": "accreditation flag set in FutureLearn listing (unverified)", "body": None}
              if accredited else {"type": "none stated", "body": None})
        stack = "Part of a FutureLearn ExpertTrack (track not named in the listing)" if "experttrack" in low else None
        key = self._key(row)
        return _Draft(
            title=title, provider=provider, platform=platform, key=key, disambiguator=None,
            aim_text=[title, *self.categories.get(key, [])],
            fields=dict(
                credential_type="short_course",
                topics=[t for cat in self.categories.get(key, []) for t in _topics_from(cat)],
                price=price,
                free_to_audit=free,
                duration_weeks=_weeks(row.get("duration", ""), "duration"),
                hours_per_week=_hours_weekly(row.get("weekly_study", ""), "weekly_study"),
                quality_assurance=qa,
                stackable_into=stack,
                source_url="https://www.futurelearn.com/search?q=" + quote_plus(title),
            ),
        )


class _Edx(_ScrapedFormat):
    name = "edx"
    required = ("title", "institution", "course_type", "Level", "subject", "language", "course_effort",
                "course_length", "price", "course_url")

    def parse(self, row: dict[str, str]) -> _Draft:
        title = _title(row, "title")
        provider, platform = self.providers.institution(row.get("institution", ""), "edx")
        url = _clean(row.get("course_url"))
        if not url.startswith(("http://", "https://")):
            raise _Reject(f"course_url {url!r} is not a web address")
        price_text = _clean(row.get("price"))
        free_to_audit, amount, certificate = self._price(price_text, _clean(row.get("price_USD")))
        course_type = _clean(row.get("course_type")).lower()
        mode = ("online_self_paced" if "self-paced" in course_type or "self paced" in course_type
                else "online_cohort" if "instructor-led" in course_type or "schedule" in course_type else None)
        subject = _clean(row.get("subject"))
        return _Draft(
            title=title, provider=provider, platform=platform,
            key=(provider, title.lower(), url), disambiguator=PurePosixPath(urlparse(url).path).name,
            aim_text=[title, subject],
            fields=dict(
                credential_type="short_course",
                topics=_topics_from(subject),
                price={"amount": amount, "currency": "USD", "basis": "one_off"},
                free_to_audit=free_to_audit,
                certificate_price=certificate,
                duration_weeks=_weeks(row.get("course_length", ""), "course_length"),
                hours_per_week=_hours_weekly(row.get("course_effort", ""), "course_effort"),
                delivery_mode=mode,
                level=_level(row.get("Level", ""), "Level"),
                language=_language_code(row.get("language", "")),
                source_url=url,
            ),
        )

    @staticmethod
    def _price(text: str, usd: str) -> tuple[bool, int | float | None, int | float | None]:
        """(free_to_audit, price amount, certificate price) from edX price text.

        'FREE-Add a Verified Certificate for $49 USD' -> free to audit, amount 0, certificate 49.
        """
        m = re.fullmatch(r"free\s*[-–:]?\s*(?:add a )?(?:verified )?certificate (?:for|:)\s*(.+)", text, re.I)
        if m:
            cert = _parse_money(m.group(1), "USD", what="certificate price")
            return True, 0, cert.amount
        if text.lower() in {"free", "audit free"}:
            return True, 0, None
        if text:
            money = _parse_money(text, "USD")
            return money.amount == 0, money.amount, None
        if usd:
            money = _parse_money(usd, "USD", what="price_USD")
            return money.amount == 0, money.amount, None
        return False, None, None


_COURSERA_TYPES = {
    "COURSE": "short_course",
    "SPECIALIZATION": "specialisation",
    "PROFESSIONAL CERTIFICATE": "professional_certificate",
}


class _Coursera(_ScrapedFormat):
    name = "coursera"
    required = ("course_title", "course_organization", "course_Certificate_type")

    def parse(self, row: dict[str, str]) -> _Draft:
        title = _title(row, "course_title")
        provider, platform = self.providers.institution(row.get("course_organization", ""), "coursera")
        ctype_text = _clean(row.get("course_Certificate_type")).upper()
        if ctype_text not in _COURSERA_TYPES:
            raise _Reject(f"course_Certificate_type {row.get('course_Certificate_type')!r} is not one of "
                          "COURSE, SPECIALIZATION, PROFESSIONAL CERTIFICATE")
        ctype = _COURSERA_TYPES[ctype_text]
        return _Draft(
            title=title, provider=provider, platform=platform,
            key=(provider, title.lower(), ctype), disambiguator=ctype,
            aim_text=[title],
            fields=dict(
                credential_type=ctype,
                level=_level(row.get("course_difficulty", ""), "course_difficulty"),
                # The file has no URL: Coursera's own search page for the exact title lists the course.
                source_url="https://www.coursera.org/search?query=" + quote_plus(title),
            ),
        )


class _Udemy(_ScrapedFormat):
    name = "udemy"
    required = ("course_id", "course_title", "url", "is_paid", "price", "level", "content_duration", "subject")
    HOURS_PER_WEEK = 3  # Udemy lists total video hours, not a schedule: spread at 3 h a week

    def last_checked(self) -> dt.date:
        if SCRAPE_DATES.get("udemy"):
            return SCRAPE_DATES["udemy"]  # type: ignore[return-value]
        newest = None
        for row in self.rows:
            try:
                d = dt.date.fromisoformat(_clean(row.get("published_timestamp"))[:10])
            except ValueError:
                continue
            newest = d if newest is None or d > newest else newest
        return newest or UNKNOWN_SCRAPE_DATE

    def parse(self, row: dict[str, str]) -> _Draft:
        title = _title(row, "course_title")
        provider = self.providers.platform("udemy")  # instructors are not named in the file
        url = _clean(row.get("url"))
        if not url.startswith(("http://", "https://")):
            raise _Reject(f"url {url!r} is not a web address")
        paid = _bool_text(row.get("is_paid", ""), "is_paid")
        money = _parse_money(row.get("price", ""), "USD")
        if money.amount is None:
            raise _Reject("price is empty")
        if paid is False and money.amount > 0:
            raise _Reject(f"is_paid is False but price is {row.get('price')!r}")
        if paid is True and money.amount == 0:
            raise _Reject("is_paid is True but price is 0")
        hours_text = _clean(row.get("content_duration"))
        try:
            hours = float(_number(hours_text))
        except ValueError:
            raise _Reject(f"content_duration {hours_text!r} is not a number of hours") from None
        if hours <= 0:
            raise _Reject(f"content_duration {hours_text!r} hours: the course lists no content")
        subject = _clean(row.get("subject"))
        course_id = _clean(row.get("course_id"))
        return _Draft(
            title=title, provider=provider, platform=None,
            key=(course_id or url,), disambiguator=course_id or PurePosixPath(urlparse(url).path).name,
            aim_text=[title, subject],
            fields=dict(
                credential_type="short_course",
                topics=_topics_from(subject),
                price={"amount": money.amount, "currency": money.currency or "USD", "basis": "one_off"},
                free_to_audit=money.amount == 0,
                duration_weeks=_tidy(max(0.1, round(hours / self.HOURS_PER_WEEK, 1))),
                hours_per_week=self.HOURS_PER_WEEK,
                delivery_mode="online_self_paced",  # Udemy courses are on-demand video
                level=_level(row.get("level", ""), "level"),
                source_url=url,
            ),
        )


_SCRAPED: dict[str, type[_ScrapedFormat]] = {
    "futurelearn": _FutureLearn, "edx": _Edx, "coursera": _Coursera, "udemy": _Udemy,
}


def _import_scraped(path: Path, fmt: str, progress: Callable[[int, int], None] | None,
                    today: dt.date) -> ImportResult:
    cls = _SCRAPED[fmt]
    records = list(_csv_rows(_read_text(path)))
    if not records:
        raise ValueError(f"{path.name}: the file is empty")
    header_line, header_cells = records[0]
    header = [_clean(h).lstrip("\ufeff") for h in header_cells]
    missing = [c for c in cls.required if c not in header]
    if missing:
        raise ValueError(f"{path.name}: not a {fmt} listing: missing column(s) {', '.join(missing)}")
    known = {h.lower() for h in header} | {a.lower() for a in cls.aliases}

    # First pass: rows as dicts, following any repeated header row that renames/reorders columns.
    data: list[tuple[int, dict[str, str] | None, str]] = []
    names = header
    for line, cells in records[1:]:
        lowered = [_clean(c).lower() for c in cells]
        hits = sum(1 for c in lowered if c in known)
        if hits >= max(3, (len(cells) * 3 + 4) // 5):
            new_names = [_clean(c) for c in cells]
            note = ""
            if new_names != names:
                note = "; from here on the columns change: " + ", ".join(
                    f"{o} -> {n}" for o, n in zip(names, new_names) if n != o)
            names = new_names
            data.append((line, None, "repeated header row" + note))
            continue
        row = {}
        for name, value in zip(names, cells):
            row[cls.aliases.get(name, name)] = value
        if len(cells) != len(names):
            data.append((line, None, f"!has {len(cells)} cells, the header has {len(names)}"))
            continue
        data.append((line, row, ""))

    result = ImportResult()
    providers = _Providers(path.name)
    fmt_obj = cls(path.name, providers, [r for _, r, _ in data if r is not None])
    last_checked = min(fmt_obj.last_checked(), today)
    ids = _Ids()
    seen: dict[tuple, int] = {}
    total = len(data)
    for done, (line, row, note) in enumerate(data, start=1):
        try:
            if row is None:
                if note.startswith("!"):
                    raise _Reject(note[1:])
                raise _Skip(note)
            draft = fmt_obj.parse(row)
            if draft.key in seen:
                raise _Skip(f"duplicate of line {seen[draft.key]} ({cls.duplicate_what})")
            aims = _aims(*draft.aim_text)
            seen[draft.key] = line
            if not aims:
                raise _Skip(NO_AIM)
            cred = _credential(
                id=ids.make(draft.provider, draft.title, draft.disambiguator),
                title=draft.title, provider=draft.provider, platform=draft.platform,
                career_aims=aims, last_checked=last_checked, **draft.fields,
            )
            problems = _check_credential(0, cred, set(providers.by_id))
            if problems:
                raise _Reject("; ".join(p.split(": ", 1)[-1] for p in problems))
            result.credentials.append(cred)
        except _Reject as exc:
            result.rejected.append(Rejected(line, str(exc)))
        except _Skip as exc:
            result.skipped.append(Rejected(line, str(exc)))
        _progress(progress, done, total)
    result.providers = providers.used(result.credentials)
    return result


# --------------------------------------------------------------------------------------------
# CTDL JSON-LD (Credential Engine)
# --------------------------------------------------------------------------------------------

_CTDL_TYPES = {
    "Course": "short_course",
    "LearningOpportunityProfile": "short_course",
    "LearningOpportunity": "short_course",
    "CertificateOfCompletion": "short_course",
    "Certificate": "professional_certificate",
    "AcademicCertificate": "professional_certificate",
    "ProfessionalCertificate": "professional_certificate",
    "Certification": "certification_exam",
    "DigitalBadge": "digital_badge",
    "Badge": "digital_badge",
    "OpenBadge": "digital_badge",
    "MicroCredential": "microcredential",
    "Microcredential": "microcredential",
}
_CTDL_PROGRAM = "LearningProgram"  # a series of courses -> specialisation; a single programme -> short_course
_CTDL_ORGS = {"Organization", "CredentialOrganization", "QACredentialOrganization"}
_CTDL_NOT_MICRO = {
    "AssociateDegree", "BachelorDegree", "MasterDegree", "DoctoralDegree", "Degree", "ProfessionalDoctorate",
    "ResearchDoctorate", "Diploma", "SecondarySchoolDiploma", "GeneralEducationDevelopment", "License",
    "ApprenticeshipCertificate", "JourneymanCertificate", "MasterCertificate", "QualityAssuranceCredential",
    "AssociateOfAppliedArtsDegree", "AssociateOfAppliedScienceDegree", "AssociateOfArtsDegree",
    "AssociateOfScienceDegree", "BachelorOfArtsDegree", "BachelorOfScienceDegree", "MasterOfArtsDegree",
    "MasterOfScienceDegree",
}
_CTDL_LEVELS = {"BeginnerLevel": "beginner", "IntermediateLevel": "intermediate", "AdvancedLevel": "advanced"}
_CTDL_DELIVERY = {"InPerson": "onsite", "BlendedDelivery": "blended", "VariableSite": "onsite"}
_DATE_KEYS = ("search:recordUpdated", "ceterms:dateModified", "dateModified", "ceterms:lastUpdated",
              "search:recordCreated", "ceterms:dateEffective")


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
    m = re.fullmatch(r"P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?"
                     r"(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?", s)
    if not m or s in {"P", "PT"} or not any(m.groups()):
        raise _Reject(f"estimatedDuration {duration!r} is not an ISO 8601 duration")
    y, mo, w, d, h, mi, sec = (float(g.replace(",", ".")) if g else 0.0 for g in m.groups())
    weeks = y * 52 + mo * 52 / 12 + w + d / 7
    hours = h + mi / 60 + sec / 3600
    return (weeks or None), (hours or None)


class _Ctdl:
    def __init__(self, path: Path, nodes: list[dict], providers: _Providers, today: dt.date):
        self.path = path
        self.nodes = nodes
        self.providers = providers
        self.today = today
        self.index: dict[str, dict] = {}
        self._loaded_siblings: set[Path] = set()
        for node in nodes:
            self._index(node)
        # hasPart: a part of a programme in the same import counts towards it.
        self.part_of: dict[str, list[str]] = {}
        for node in nodes:
            for part in _as_list(node.get("ceterms:hasPart")):
                pid = part if isinstance(part, str) else part.get("@id")
                if pid:
                    self.part_of.setdefault(pid, []).append(_text(node.get("ceterms:name")))

    def _index(self, node: dict) -> None:
        for key in ("@id", "ceterms:ctid"):
            if isinstance(node.get(key), str):
                self.index[node[key]] = node

    def resolve(self, ref: Any) -> dict | None:
        """An inline object, a node of this graph, or a JSON file next to this one with that @id."""
        if isinstance(ref, dict):
            if any(k.startswith("ceterms:") for k in ref):
                return ref
            ref = ref.get("@id")
        if not isinstance(ref, str) or not ref:
            return None
        if ref in self.index:
            return self.index[ref]
        name = PurePosixPath(urlparse(ref).path).name
        folder = self.path if self.path.is_dir() else self.path.parent
        candidate = folder / name if name else None
        if candidate and candidate.suffix.lower() in {".json", ".jsonld"} and candidate.is_file() \
                and candidate not in self._loaded_siblings:
            self._loaded_siblings.add(candidate)
            try:
                for node in _ctdl_nodes(json.loads(_read_text(candidate))):
                    self._index(node)
            except (ValueError, OSError):
                pass
        return self.index.get(ref)

    def organisation(self, ref: Any) -> str | None:
        org = self.resolve(ref)
        if not org or not _text(org.get("ceterms:name")):
            return None
        return self.add_org(org)

    def add_org(self, org: dict) -> str:
        name = _text(org.get("ceterms:name"))
        kinds = {_local(t.get("ceterms:targetNode")) if isinstance(t, dict) else _local(t)
                 for t in _as_list(org.get("ceterms:agentType"))}
        sectors = {_local(t.get("ceterms:targetNode")) if isinstance(t, dict) else _local(t)
                   for t in _as_list(org.get("ceterms:agentSectorType"))}
        if kinds & {"Postsecondary", "SecondarySchool", "HighSchool"} or _guess_kind(name) == "university":
            kind = "university"
        elif (kinds & {"CertificationBody", "ProfessionalAssociation"}
              or _local(org.get("@type")) == "QACredentialOrganization"):
            kind = "professional_body"
        elif kinds & {"Government"} or sectors & {"Public"}:
            kind = "public_body"
        elif sectors & {"PrivateNonProfit"}:
            kind = "nonprofit"
        else:
            kind = "company"
        country = None
        for address in _as_list(org.get("ceterms:address")):
            if isinstance(address, dict):
                country = _country_code(_text(address.get("ceterms:addressCountry")))
                if country:
                    break
        website = next((w for w in _as_list(org.get("ceterms:subjectWebpage")) if isinstance(w, str)), None)
        return self.providers.add(name, kind, website=website, country=country)

    def last_checked(self, node: dict) -> dt.date:
        for key in _DATE_KEYS:
            value = node.get(key)
            if isinstance(value, str):
                try:
                    found = dt.date.fromisoformat(value[:10])
                except ValueError:
                    continue
                return min(found, self.today)
        return min(SCRAPE_DATES["ctdl"] or UNKNOWN_SCRAPE_DATE, self.today)

    def cost(self, node: dict) -> tuple[dict, bool]:
        profiles = [p for p in _as_list(node.get("ceterms:estimatedCost")) if isinstance(p, dict)]
        priced = [p for p in profiles if p.get("ceterms:price") is not None]
        if not priced:
            return {"amount": None, "currency": None, "basis": "one_off"}, False
        aggregate = [p for p in priced if "AggregateCost" in json.dumps(p.get("ceterms:directCostType", ""))]
        chosen = aggregate[:1] or priced
        total: float = 0
        currency = None
        for p in chosen:
            code = _currency_code(str(p.get("ceterms:currency", "")))
            if not code:
                raise _Reject(f"estimatedCost currency {p.get('ceterms:currency')!r} is not an ISO 4217 code")
            if currency and code != currency:
                raise _Reject(f"estimatedCost mixes currencies {currency} and {code}")
            currency = code
            raw = p.get("ceterms:price")
            try:
                amount = _number(str(raw))
            except ValueError:
                raise _Reject(f"estimatedCost price {raw!r} is not a number") from None
            if amount < 0:
                raise _Reject(f"estimatedCost price {raw!r} is negative")
            total += amount
        return {"amount": _tidy(total), "currency": currency, "basis": "one_off"}, total == 0

    def duration(self, node: dict) -> tuple[int | float | None, int | float | None]:
        weeks_values, hours_values, weekly = [], [], None
        for p in _as_list(node.get("ceterms:estimatedDuration")):
            if not isinstance(p, dict):
                continue
            exact = p.get("ceterms:exactDuration")
            bounds = [p.get("ceterms:minimumDuration"), p.get("ceterms:maximumDuration")]
            parsed = [_iso_weeks(v) for v in ([exact] if exact else [b for b in bounds if b])]
            w = [x for x, _ in parsed if x]
            h = [y for _, y in parsed if y]
            if w:
                weeks_values.append(sum(w) / len(w))  # a min/max range -> its midpoint
            elif h:
                hours_values.append(sum(h) / len(h))
            desc = _text(p.get("ceterms:description"))
            found = _range_mid(desc, r"hours?(?: of [a-z ]+?)? (?:per|a|each) week") if desc else None
            weekly = weekly or found
        if weeks_values:
            weeks = _tidy(round(weeks_values[0], 1))
            return weeks, (_tidy(round(weekly, 2)) if weekly else None)
        if hours_values:  # total hours only: spread at 3 h a week, as for Udemy
            per_week = weekly or 3
            return _tidy(max(0.1, round(hours_values[0] / per_week, 1))), _tidy(per_week)
        return None, (_tidy(round(weekly, 2)) if weekly else None)

    def credit(self, node: dict) -> dict | None:
        if node.get("ceterms:isNonCredit") is True:
            return None
        for vp in _as_list(node.get("ceterms:creditValue")):
            if not isinstance(vp, dict):
                continue
            value = next((vp[k] for k in ("schema:value", "qdata:value", "ceterms:value")
                          if vp.get(k) is not None), None)
            if value is None:
                lo = next((vp[k] for k in ("schema:minValue", "qdata:minValue") if vp.get(k) is not None), None)
                hi = next((vp[k] for k in ("schema:maxValue", "qdata:maxValue") if vp.get(k) is not None), None)
                value = (float(lo) + float(hi)) / 2 if lo is not None and hi is not None else lo or hi
            units = [_local(u.get("ceterms:targetNode")) if isinstance(u, dict) else _local(u)
                     for u in _as_list(vp.get("ceterms:creditUnitType"))]
            credit = self._credit(value, units)
            if credit:
                return credit
        # older CTDL: creditHourValue/creditHourType, creditUnitValue/creditUnitType on the node
        for value_key, type_key in (("ceterms:creditHourValue", "ceterms:creditHourType"),
                                    ("ceterms:creditUnitValue", "ceterms:creditUnitType")):
            if node.get(value_key) is not None:
                units = [_local(u.get("ceterms:targetNode")) if isinstance(u, dict) else _text(u)
                         for u in _as_list(node.get(type_key))]
                credit = self._credit(node.get(value_key), units)
                if credit:
                    return credit
        return None

    @staticmethod
    def _credit(value: Any, units: list[str]) -> dict | None:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        if number <= 0:
            return None
        unit = " ".join(units).lower()
        if "semester" in unit:
            return {"value": _tidy(number), "system": "US", "status": "awarded",
                    "note": f"{_tidy(number)} semester credit hours stated in the CTDL record"}
        if "quarter" in unit:
            return {"value": _tidy(round(number * 2 / 3, 2)), "system": "US", "status": "awarded",
                    "note": f"{_tidy(number)} quarter hours stated in the CTDL record (= semester hours x 3/2)"}
        if "ects" in unit or "european" in unit:
            return {"value": _tidy(number), "system": "ECTS", "status": "awarded",
                    "note": "ECTS credits stated in the CTDL record"}
        if "cats" in unit:
            return {"value": _tidy(number), "system": "UK_CATS", "status": "awarded",
                    "note": "CATS credits stated in the CTDL record"}
        return None  # clock hours, CEUs, competency credits...: no academic credit system to map to

    def recognition(self, node: dict) -> tuple[list[dict], dict]:
        recognition: list[dict] = []
        qa = {"type": "none stated", "body": None}
        for prop, label in (("ceterms:accreditedBy", "accreditation"), ("ceterms:recognizedBy", "recognition"),
                            ("ceterms:approvedBy", "approval"), ("ceterms:regulatedBy", "regulation")):
            for ref in _as_list(node.get(prop)):
                org = self.resolve(ref)
                name = _text(org.get("ceterms:name")) if org else ""
                if not name:
                    continue
                url = next((w for w in _as_list(org.get("ceterms:subjectWebpage")) if isinstance(w, str)), None)
                recognition.append({"by": f"{name} ({label} stated in the CTDL record)", "url": url})
                if label in {"accreditation", "regulation", "approval"} and qa["body"] is None:
                    qa = {"type": f"{label} stated in the CTDL record (unverified)", "body": name}
        return recognition, qa

    def stackable(self, node: dict) -> str | None:
        names: list[str] = []
        for ref in _as_list(node.get("ceterms:isPartOf")):
            target = self.resolve(ref)
            name = _text(target.get("ceterms:name")) if target else ""
            names.append(name or (ref if isinstance(ref, str) else str(ref.get("@id", ""))))
        for key in (node.get("@id"), node.get("ceterms:ctid")):
            names += self.part_of.get(key, []) if key else []
        names = list(dict.fromkeys(n for n in names if n))
        return "Part of " + "; ".join(names) if names else None

    def credential(self, node: dict, ids: _Ids) -> dict:
        ctype_name = _local(node.get("@type"))
        if ctype_name in _CTDL_ORGS:
            self.add_org(node)
            raise _Skip(f"ceterms:{ctype_name} describes a provider, not a credential (added to providers)")
        if ctype_name in _CTDL_NOT_MICRO:
            raise _Skip(f"ceterms:{ctype_name} is not a micro-credential; "
                        "the catalogue has no credential_type for it")
        if ctype_name == _CTDL_PROGRAM:
            ctype = "specialisation" if node.get("ceterms:hasPart") else "short_course"
        elif ctype_name in _CTDL_TYPES:
            ctype = _CTDL_TYPES[ctype_name]
        else:
            raise _Skip(f"CTDL type {node.get('@type')!r} is not a credential or learning opportunity "
                        "the importer maps")
        title = _text(node.get("ceterms:name"))
        if not title:
            raise _Reject("missing title (ceterms:name)")
        owners = _as_list(node.get("ceterms:ownedBy"))
        offerers = _as_list(node.get("ceterms:offeredBy"))
        if not owners and not offerers:
            raise _Reject("no ownedBy or offeredBy organisation")
        provider = self.organisation((owners or offerers)[0])
        if provider is None:
            ref = (owners or offerers)[0]
            raise _Reject(f"organisation {ref if isinstance(ref, str) else ref.get('@id')!r} "
                          "is neither in the file nor in a JSON file next to it")
        platform = None
        if owners and offerers:
            offerer = self.organisation(offerers[0])
            platform = offerer if offerer and offerer != provider else None
        price, free = self.cost(node)
        weeks, hours = self.duration(node)
        recognition, qa = self.recognition(node)
        delivery = None
        for dtype in _as_list(node.get("ceterms:learningDeliveryType")) + _as_list(node.get("ceterms:deliveryType")):
            code = _local(dtype.get("ceterms:targetNode") if isinstance(dtype, dict) else dtype)
            if code in _CTDL_DELIVERY:
                delivery = _CTDL_DELIVERY[code]
                break
            if code == "OnlineOnly":  # online, but self-paced or with fixed dates is not stated...
                desc = _text(node.get("ceterms:deliveryTypeDescription")).lower()
                if re.search(r"self[- ]paced|at your own pace|on demand|on-demand", desc):
                    delivery = "online_self_paced"
                elif re.search(r"cohort|scheduled|live session|fixed dates|synchronous", desc):
                    delivery = "online_cohort"
                break
        level = None
        for lv in _as_list(node.get("ceterms:audienceLevelType")):
            code = _local(lv.get("ceterms:targetNode") if isinstance(lv, dict) else lv)
            if code in _CTDL_LEVELS:
                level = _CTDL_LEVELS[code]
                break
        subjects = _texts(node.get("ceterms:subject")) + _texts(node.get("ceterms:keyword"))
        occupations = _texts(node.get("ceterms:occupationType")) + _texts(node.get("ceterms:industryType"))
        aims = _aims(title, *subjects, *occupations)
        if not aims:
            raise _Skip(NO_AIM)
        pages = (_as_list(node.get("ceterms:subjectWebpage")) + _as_list(node.get("ceterms:availableOnlineAt"))
                 + [node.get("@id")])
        source = next((u for u in pages if isinstance(u, str) and u.startswith(("http://", "https://"))), None)
        if not source:
            raise _Reject("no subjectWebpage, availableOnlineAt or @id web address")
        languages = [_language_code(x) for x in _as_list(node.get("ceterms:inLanguage")) if isinstance(x, str)]
        country = self.providers.by_id[provider].get("country")
        return _credential(
            id=ids.make(provider, title, _local(node.get("ceterms:ctid")) or None),
            title=title, provider=provider, platform=platform, credential_type=ctype, career_aims=aims,
            topics=list(dict.fromkeys(s.lower() for s in subjects)),
            price=price, free_to_audit=free, duration_weeks=weeks, hours_per_week=hours,
            delivery_mode=delivery, level=level, credit=self.credit(node), quality_assurance=qa,
            recognition=recognition, stackable_into=self.stackable(node), issuer_country=country,
            language=next((x for x in languages if x), None), source_url=source,
            last_checked=self.last_checked(node),
            prerequisites=self.prerequisites(node), skills=[s.lower() for s in _texts(node.get("ceterms:teaches"))],
            further_information=_text(node.get("ceterms:description")) or None,
        )

    @staticmethod
    def prerequisites(node: dict) -> str | None:
        """What a learner needs before starting (EU optional element): entry conditions, and the
        conditions a record names as prerequisites."""
        parts = []
        for profile in _as_list(node.get("ceterms:entryCondition")) + _as_list(node.get("ceterms:requires")):
            if not isinstance(profile, dict):
                continue
            name = _text(profile.get("ceterms:name"))
            if profile in _as_list(node.get("ceterms:requires")) and "prerequisite" not in name.lower():
                continue  # "requires" also holds what completion requires (a curriculum)
            parts += _texts(profile.get("ceterms:condition")) or [_text(profile.get("ceterms:description"))]
        parts = [p.strip() for p in parts if p and p.strip()]
        return "; ".join(dict.fromkeys(parts)) or None


def _ctdl_nodes(doc: Any) -> list[dict]:
    if isinstance(doc, list):
        return [n for item in doc for n in _ctdl_nodes(item)]
    if not isinstance(doc, dict):
        return []
    if "@graph" in doc:
        return [n for n in _as_list(doc["@graph"]) if isinstance(n, dict)]
    if "decoded_resource" in doc:  # a Credential Registry envelope
        return _ctdl_nodes(doc["decoded_resource"])
    return [doc]


def _is_ctdl(doc: Any) -> bool:
    if isinstance(doc, list):
        return bool(doc) and all(_is_ctdl(d) for d in doc[:5])
    if not isinstance(doc, dict):
        return False
    context = json.dumps(doc.get("@context", "")).lower()
    if "credreg" in context or "ctdl" in context or "purl.org/ctdl" in context:
        return True
    nodes = _ctdl_nodes(doc)
    return any(any(k.startswith("ceterms:") for k in n) for n in nodes[:5])


def _import_ctdl(path: Path, progress: Callable[[int, int], None] | None, today: dt.date) -> ImportResult:
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in {".json", ".jsonld"}) if path.is_dir() else [path]
    entries: list[tuple[int, str, dict]] = []  # (entry number in its file, reason prefix, node)
    result = ImportResult()
    for file_no, file in enumerate(files):
        try:
            doc = json.loads(_read_text(file))
        except ValueError as exc:
            if not path.is_dir():
                raise ValueError(f"{file.name}: not valid JSON: {exc}") from None
            result.rejected.append(Rejected(file_no + 1, f"{file.name}: not valid JSON: {exc}"))
            continue
        if path.is_dir() and not _is_ctdl(doc):
            result.skipped.append(Rejected(file_no + 1, f"{file.name}: not CTDL JSON-LD"))
            continue
        prefix = f"{file.name}: " if path.is_dir() else ""
        entries += [(i, prefix, n) for i, n in enumerate(_ctdl_nodes(doc), start=1)]
    providers = _Providers(path.name)
    ctdl = _Ctdl(path, [n for _, _, n in entries], providers, today)
    ids = _Ids()
    for done, (line, prefix, node) in enumerate(entries, start=1):
        try:
            cred = ctdl.credential(node, ids)
            problems = _check_credential(0, cred, set(providers.by_id))
            if problems:
                raise _Reject("; ".join(p.split(": ", 1)[-1] for p in problems))
            result.credentials.append(cred)
        except _Reject as exc:
            result.rejected.append(Rejected(line, prefix + str(exc)))
        except _Skip as exc:
            result.skipped.append(Rejected(line, prefix + str(exc)))
        _progress(progress, done, len(entries))
    # Organisations found in the file are providers even when no credential of this file uses them.
    result.providers = list(providers.by_id.values())
    return result


# --------------------------------------------------------------------------------------------
# The project's own flat CSV and JSON
# --------------------------------------------------------------------------------------------

def _fmt_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _fmt_list(items: list | None) -> str:
    items = list(items or [])
    if any(";" in str(i) for i in items):
        return json.dumps(items, ensure_ascii=False)
    return ";".join(str(i) for i in items)


def _flatten(c: dict) -> dict[str, str]:
    price = c.get("price") or {}
    credit = c.get("credit") or {}
    assessment = c.get("assessment") or {}
    qa = c.get("quality_assurance") or {}

    def s(v: Any) -> str:
        return "" if v is None else str(v)

    last = c.get("last_checked")
    return {
        "id": s(c.get("id")), "title": s(c.get("title")), "provider": s(c.get("provider")),
        "platform": s(c.get("platform")), "credential_type": s(c.get("credential_type")),
        "career_aims": _fmt_list(c.get("career_aims")), "topics": _fmt_list(c.get("topics")),
        "price_amount": _fmt_number(price.get("amount")), "price_currency": s(price.get("currency")),
        "price_basis": s(price.get("basis")), "free_to_audit": _fmt_number(bool(c.get("free_to_audit"))),
        "certificate_price": _fmt_number(c.get("certificate_price")),
        "duration_weeks": _fmt_number(c.get("duration_weeks")),
        "hours_per_week": _fmt_number(c.get("hours_per_week")),
        "delivery_mode": s(c.get("delivery_mode")), "level_eqf": _fmt_number(c.get("level_eqf")),
        "level": s(c.get("level")), "credit_value": _fmt_number(credit.get("value")),
        "credit_system": s(credit.get("system")), "credit_status": s(credit.get("status")),
        "credit_note": s(credit.get("note")), "assessment_type": s(assessment.get("type")),
        "assessment_supervised": _fmt_number(assessment.get("supervised")), "qa_type": s(qa.get("type")),
        "qa_body": s(qa.get("body")),
        "recognition": json.dumps(c.get("recognition") or [], ensure_ascii=False) if c.get("recognition") else "",
        "stackable_into": s(c.get("stackable_into")), "issuer_country": s(c.get("issuer_country")),
        "language": s(c.get("language")), "source_url": s(c.get("source_url")),
        "last_checked": last.isoformat() if isinstance(last, dt.date) else s(last),
        "learning_outcomes": _fmt_list(c.get("learning_outcomes")),
        "workload_hours": _fmt_number(c.get("workload_hours")),
        "prerequisites": s(c.get("prerequisites")),
        "identity_verified": _fmt_number(assessment.get("identity_verified")),
        "skills": _fmt_list(c.get("skills")),
        "further_information": s(c.get("further_information")),
    }


def export_csv(credentials: list[dict], path: Path | str) -> None:
    """Write credentials as the project's flat CSV (UTF-8, one row per credential)."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for c in credentials:
            writer.writerow(_flatten(c))


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def export_json(credentials: list[dict], path: Path | str, providers: list[dict] | None = None) -> None:
    """Write credentials (a list, or {"providers", "credentials"} when providers are given) as JSON."""
    payload: Any = list(credentials) if providers is None else {"providers": list(providers),
                                                                 "credentials": list(credentials)}
    Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default) + "\n",
                          encoding="utf-8")


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value)
    return s if s.strip() else None


def _opt_number(value: Any, what: str, *, positive: bool = False) -> int | float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Reject(f"{what} {value!r} is not a number")
    if isinstance(value, (int, float)):
        number = value
    else:
        try:
            number = _number(str(value))
        except ValueError:
            raise _Reject(f"{what} {value!r} is not a number") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise _Reject(f"{what} {value!r} is not a number")
    if number < 0:
        raise _Reject(f"{what} {value!r} is negative")
    if positive and number == 0:
        raise _Reject(f"{what} {value!r} must be more than 0")
    return number


def _opt_bool(value: Any, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    return _bool_text(str(value), what)


def _parse_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    s = str(value).strip()
    if s.startswith("["):
        try:
            items = json.loads(s)
        except ValueError:
            raise _Reject(f"{what} {s!r} is not a list") from None
        return [str(v) for v in items]
    return [p.strip() for p in s.split(";") if p.strip()]


def _parse_date(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        d = value
    else:
        try:
            d = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise _Reject(f"last_checked {value!r} is not a date (YYYY-MM-DD)") from None
    if d > today:
        raise _Reject(f"last_checked {d.isoformat()} is in the future")
    return d


def _normalise(raw: dict, today: dt.date) -> dict:
    """A credential from the project's CSV/JSON, typed and checked; raises _Reject."""
    title = _opt_str(raw.get("title"))
    if not title:
        raise _Reject("missing title")
    price = raw.get("price") or {}
    if not isinstance(price, dict):
        raise _Reject("price must be a mapping of amount, currency, basis")
    credit = raw.get("credit")
    if credit is not None and not isinstance(credit, dict):
        raise _Reject("credit must be a mapping or null")
    assessment = raw.get("assessment") or {}
    qa = raw.get("quality_assurance") or {}
    recognition = raw.get("recognition") or []
    if not isinstance(recognition, list) or not all(isinstance(r, dict) and r.get("by") for r in recognition):
        raise _Reject("recognition must be a list of {by, url}")
    level_eqf = _opt_number(raw.get("level_eqf"), "level_eqf")
    if level_eqf is not None and (not isinstance(level_eqf, int) or not 1 <= level_eqf <= 8):
        raise _Reject(f"level_eqf {raw.get('level_eqf')!r} is not an EQF level 1-8")
    level = _opt_str(raw.get("level"))
    if level is not None and level not in {"beginner", "intermediate", "advanced"}:
        raise _Reject(f"level {level!r} is not beginner, intermediate or advanced")
    record = _credential(
        id=_opt_str(raw.get("id")),
        title=title,
        provider=_opt_str(raw.get("provider")),
        platform=_opt_str(raw.get("platform")),
        credential_type=_opt_str(raw.get("credential_type")),
        career_aims=_parse_list(raw.get("career_aims"), "career_aims"),
        topics=_parse_list(raw.get("topics"), "topics"),
        price={"amount": _opt_number(price.get("amount"), "price amount"),
               "currency": _opt_str(price.get("currency")),
               "basis": _opt_str(price.get("basis")) or "one_off"},
        free_to_audit=bool(_opt_bool(raw.get("free_to_audit"), "free_to_audit")),
        certificate_price=_opt_number(raw.get("certificate_price"), "certificate_price"),
        duration_weeks=_opt_number(raw.get("duration_weeks"), "duration_weeks", positive=True),
        hours_per_week=_opt_number(raw.get("hours_per_week"), "hours_per_week", positive=True),
        delivery_mode=_opt_str(raw.get("delivery_mode")),
        level_eqf=level_eqf,
        level=level,
        credit=None if credit is None else {
            "value": _opt_number(credit.get("value"), "credit value"),
            "system": _opt_str(credit.get("system")),
            "status": _opt_str(credit.get("status")),
            "note": _opt_str(credit.get("note")),
        },
        assessment={"type": _opt_str(assessment.get("type")),
                    "supervised": _opt_bool(assessment.get("supervised"), "assessment supervised"),
                    "identity_verified": _opt_bool(assessment.get("identity_verified"), "identity_verified")},
        quality_assurance={"type": _opt_str(qa.get("type")), "body": _opt_str(qa.get("body"))},
        recognition=[{"by": str(r["by"]), "url": _opt_str(r.get("url"))} for r in recognition],
        stackable_into=_opt_str(raw.get("stackable_into")),
        issuer_country=_opt_str(raw.get("issuer_country")),
        language=_opt_str(raw.get("language")),
        source_url=_opt_str(raw.get("source_url")),
        last_checked=_parse_date(raw.get("last_checked"), today),
        learning_outcomes=_parse_list(raw.get("learning_outcomes"), "learning_outcomes"),
        workload_hours=_opt_number(raw.get("workload_hours"), "workload_hours", positive=True),
        prerequisites=_opt_str(raw.get("prerequisites")),
        skills=_parse_list(raw.get("skills"), "skills"),
        further_information=_opt_str(raw.get("further_information")),
    )
    if record["delivery_mode"] is not None and record["delivery_mode"] not in DELIVERY_MODES:
        raise _Reject(f"delivery_mode {record['delivery_mode']!r} is not one of {', '.join(sorted(DELIVERY_MODES))}")
    if record["credential_type"] is not None and record["credential_type"] not in CREDENTIAL_TYPES:
        raise _Reject(f"credential_type {record['credential_type']!r} is not one of "
                      f"{', '.join(sorted(CREDENTIAL_TYPES))}")
    bad_aims = [a for a in record["career_aims"] if a not in AIM_CODES]
    if bad_aims:
        raise _Reject(f"unknown career aim(s) {', '.join(bad_aims)}")
    return record


def _unflatten(row: dict[str, str]) -> dict:
    def s(key: str) -> str | None:
        value = row.get(key)
        return value if value is not None and value.strip() else None

    recognition: Any = []
    if s("recognition"):
        try:
            recognition = json.loads(row["recognition"])
        except ValueError:
            raise _Reject(f"recognition {row['recognition']!r} is not a JSON list of {{by, url}}") from None
    credit_keys = ("credit_value", "credit_system", "credit_status", "credit_note")
    credit = None if not any(s(k) for k in credit_keys) else {
        "value": s("credit_value"), "system": s("credit_system"), "status": s("credit_status"),
        "note": s("credit_note"),
    }
    return {
        "id": s("id"), "title": s("title"), "provider": s("provider"), "platform": s("platform"),
        "credential_type": s("credential_type"), "career_aims": s("career_aims"), "topics": s("topics"),
        "price": {"amount": s("price_amount"), "currency": s("price_currency"), "basis": s("price_basis")},
        "free_to_audit": s("free_to_audit"), "certificate_price": s("certificate_price"),
        "duration_weeks": s("duration_weeks"), "hours_per_week": s("hours_per_week"),
        "delivery_mode": s("delivery_mode"), "level_eqf": s("level_eqf"), "level": s("level"), "credit": credit,
        "assessment": {"type": s("assessment_type"), "supervised": s("assessment_supervised"),
                       "identity_verified": s("identity_verified")},
        "quality_assurance": {"type": s("qa_type"), "body": s("qa_body")},
        "recognition": recognition, "stackable_into": s("stackable_into"), "issuer_country": s("issuer_country"),
        "language": s("language"), "source_url": s("source_url"), "last_checked": s("last_checked"),
        "learning_outcomes": s("learning_outcomes"), "workload_hours": s("workload_hours"),
        "prerequisites": s("prerequisites"), "skills": s("skills"), "further_information": s("further_information"),
    }


def _finish_own(entries: Iterable[tuple[int, Any]], total: int, provider_ids: set[str] | None,
                progress: Callable[[int, int], None] | None, today: dt.date, result: ImportResult) -> None:
    seen: dict[str, int] = {}
    for done, (line, raw) in enumerate(entries, start=1):
        try:
            if isinstance(raw, _Reject):
                raise raw
            if not isinstance(raw, dict):
                raise _Reject("expected a mapping of credential fields")
            unknown = set(raw) - set(CREDENTIAL_FIELDS)
            if unknown:
                raise _Reject(f"unknown field(s) {', '.join(sorted(unknown))}")
            cred = _normalise(raw, today)
            known = provider_ids if provider_ids is not None else {cred["provider"], cred["platform"]} - {None}
            problems = _check_credential(0, cred, known)
            if problems:
                raise _Reject("; ".join(p.split(": ", 1)[-1].replace("is not in providers.yml", "is not among the "
                                        "file's providers") for p in problems))
            if cred["id"] in seen:
                raise _Reject(f"duplicate id {cred['id']!r} (first on line {seen[cred['id']]})")
            seen[cred["id"]] = line
            result.credentials.append(cred)
        except _Reject as exc:
            result.rejected.append(Rejected(line, str(exc)))
        _progress(progress, done, total)


def _import_own_csv(path: Path, progress: Callable[[int, int], None] | None, today: dt.date) -> ImportResult:
    records = list(_csv_rows(_read_text(path)))
    if not records:
        raise ValueError(f"{path.name}: the file is empty")
    header = [h.strip().lstrip("\ufeff") for h in records[0][1]]
    missing = [c for c in ("id", "title", "provider", "credential_type") if c not in header]
    if missing:
        raise ValueError(f"{path.name}: not the project's CSV format: missing column(s) {', '.join(missing)}")
    entries: list[tuple[int, Any]] = []
    result = ImportResult()
    for line, cells in records[1:]:
        if [c.strip() for c in cells] == header:
            result.skipped.append(Rejected(line, "repeated header row"))
            continue
        if len(cells) != len(header):
            entries.append((line, _Reject(f"has {len(cells)} cells, the header has {len(header)}")))
            continue
        try:
            entries.append((line, _unflatten(dict(zip(header, cells)))))
        except _Reject as exc:
            entries.append((line, exc))
    _finish_own(entries, len(entries), None, progress, today, result)
    return result


def _import_own_json(path: Path, progress: Callable[[int, int], None] | None, today: dt.date) -> ImportResult:
    try:
        doc = json.loads(_read_text(path))
    except ValueError as exc:
        raise ValueError(f"{path.name}: not valid JSON: {exc}") from None
    result = ImportResult()
    provider_ids: set[str] | None = None
    if isinstance(doc, dict) and "credentials" in doc:
        providers = doc.get("providers") or []
        provider_ids = set()
        for i, p in enumerate(providers):
            problems = _check_provider(i, p)
            if problems:
                result.rejected.append(Rejected(i + 1, "provider entry: " + "; ".join(problems)))
                continue
            if p["id"] in provider_ids:
                continue
            provider_ids.add(p["id"])
            result.providers.append({k: p.get(k) for k in PROVIDER_FIELDS}
                                    | {"legitimacy": p.get("legitimacy", "unverified")})
        doc = doc["credentials"]
    if not isinstance(doc, list):
        raise ValueError(f"{path.name}: expected a list of credentials or {{\"providers\", \"credentials\"}}")
    _finish_own(list(enumerate(doc, start=1)), len(doc), provider_ids, progress, today, result)
    return result


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------

_SIGNATURES = (
    ("futurelearn", {"accreditation", "organization", "weekly_study", "subscription_type"}),
    ("edx", {"course_url", "course_effort", "institution", "course_length"}),
    ("coursera", {"course_title", "course_organization", "course_certificate_type"}),
    ("udemy", {"course_id", "is_paid", "content_duration", "url"}),
    ("csv", {"id", "title", "provider", "credential_type", "price_amount"}),
)


def detect_format(path: Path | str) -> str:
    """Tell the format of a file (or a folder of CTDL JSON-LD) from its extension and content."""
    path = Path(path)
    if path.is_dir():
        for file in sorted(path.iterdir()):
            if file.suffix.lower() in {".json", ".jsonld"}:
                try:
                    if _is_ctdl(json.loads(_read_text(file))):
                        return "ctdl"
                except ValueError:
                    continue
        raise ValueError(f"{path}: no CTDL JSON-LD files in this folder")
    suffix = path.suffix.lower()
    if suffix in {".json", ".jsonld"}:
        try:
            doc = json.loads(_read_text(path))
        except ValueError as exc:
            raise ValueError(f"{path.name}: not valid JSON: {exc}") from None
        if _is_ctdl(doc):
            return "ctdl"
        if isinstance(doc, dict) and isinstance(doc.get("credentials"), list):
            return "json"
        if isinstance(doc, list) and (not doc or all(isinstance(d, dict) and "credential_type" in d
                                                     for d in doc[:5])):
            return "json"
        raise ValueError(f"{path.name}: JSON, but neither CTDL JSON-LD nor a list of catalogue credentials")
    if suffix in {".csv", ".txt", ""}:
        records = _csv_rows(_read_text(path))
        first = next(records, None)
        if first is None:
            raise ValueError(f"{path.name}: the file is empty")
        header = {_clean(h).lstrip("\ufeff").lower() for h in first[1]}
        for fmt, needed in _SIGNATURES:
            if needed <= header:
                return fmt
        raise ValueError(f"{path.name}: CSV columns match no known listing format")
    raise ValueError(f"{path.name}: unknown file type {suffix!r}")


def import_file(path: Path | str, fmt: str = "auto", progress: Callable[[int, int], None] | None = None,
                today: dt.date | None = None) -> ImportResult:
    """Import one listing file (or a folder of CTDL files) as catalogue records.

    ``progress(done, total)`` is called every 200 rows and once at the end. ``today`` (default: the
    current date) only bounds dates: no ``last_checked`` may lie in the future. File-level problems
    (unknown format, missing columns, invalid JSON) raise ``ValueError``; row-level ones are reported
    in ``rejected``.
    """
    path = Path(path)
    today = today or dt.date.today()
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt in _SCRAPED:
        return _import_scraped(path, fmt, progress, today)
    if fmt == "ctdl":
        return _import_ctdl(path, progress, today)
    if fmt == "csv":
        return _import_own_csv(path, progress, today)
    return _import_own_json(path, progress, today)
