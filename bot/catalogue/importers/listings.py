"""Importers of the scraped course listings: FutureLearn, edX, Coursera and Udemy CSV files."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable
from urllib.parse import quote_plus, urlparse

from bot.catalogue.importers.common import (
    NO_AIM,
    SCRAPE_DATES,
    UNKNOWN_SCRAPE_DATE,
    ImportResult,
    Rejected,
    _Reject,
    _Skip,
)
from bot.catalogue.importers.records import (
    _aims,
    _credential,
    _csv_rows,
    _Ids,
    _progress,
    _Providers,
)
from bot.catalogue.importers.values import (
    _bool_text,
    _clean,
    _hours_weekly,
    _language_code,
    _number,
    _parse_money,
    _read_text,
    _tidy,
    _topics_from,
    _weeks,
)
from bot.catalogue.loading import _check_credential


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
    "beginner": "beginner",
    "beginner level": "beginner",
    "introductory": "beginner",
    "intermediate": "intermediate",
    "intermediate level": "intermediate",
    "advanced": "advanced",
    "expert level": "advanced",
    "expert": "advanced",
    "all levels": None,
    "mixed": None,
    "": None,
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
        price = {
            "amount": money.amount,
            "currency": money.currency,
            "basis": "per_month" if subscription else "one_off",
        }
        free = money.amount == 0
        accredited = _bool_text(row.get("accreditation", ""), "accreditation")
        qa = (
            {"type": "accreditation flag set in FutureLearn listing (unverified)", "body": None}
            if accredited
            else {"type": "none stated", "body": None}
        )
        stack = "Part of a FutureLearn ExpertTrack (track not named in the listing)" if "experttrack" in low else None
        key = self._key(row)
        return _Draft(
            title=title,
            provider=provider,
            platform=platform,
            key=key,
            disambiguator=None,
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
    required = (
        "title",
        "institution",
        "course_type",
        "Level",
        "subject",
        "language",
        "course_effort",
        "course_length",
        "price",
        "course_url",
    )

    def parse(self, row: dict[str, str]) -> _Draft:
        title = _title(row, "title")
        provider, platform = self.providers.institution(row.get("institution", ""), "edx")
        url = _clean(row.get("course_url"))
        if not url.startswith(("http://", "https://")):
            raise _Reject(f"course_url {url!r} is not a web address")
        price_text = _clean(row.get("price"))
        free_to_audit, amount, certificate = self._price(price_text, _clean(row.get("price_USD")))
        course_type = _clean(row.get("course_type")).lower()
        mode = (
            "online_self_paced"
            if "self-paced" in course_type or "self paced" in course_type
            else "online_cohort"
            if "instructor-led" in course_type or "schedule" in course_type
            else None
        )
        subject = _clean(row.get("subject"))
        return _Draft(
            title=title,
            provider=provider,
            platform=platform,
            key=(provider, title.lower(), url),
            disambiguator=PurePosixPath(urlparse(url).path).name,
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
            raise _Reject(
                f"course_Certificate_type {row.get('course_Certificate_type')!r} is not one of "
                "COURSE, SPECIALIZATION, PROFESSIONAL CERTIFICATE"
            )
        ctype = _COURSERA_TYPES[ctype_text]
        return _Draft(
            title=title,
            provider=provider,
            platform=platform,
            key=(provider, title.lower(), ctype),
            disambiguator=ctype,
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
            title=title,
            provider=provider,
            platform=None,
            key=(course_id or url,),
            disambiguator=course_id or PurePosixPath(urlparse(url).path).name,
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
    "futurelearn": _FutureLearn,
    "edx": _Edx,
    "coursera": _Coursera,
    "udemy": _Udemy,
}


def _rows(path: Path, fmt: str, cls: type[_ScrapedFormat]) -> list[tuple[int, dict[str, str] | None, str]]:
    """The file's rows as dicts (None for a row that is not data, with why), following any repeated
    header row that renames or reorders the columns."""
    records = list(_csv_rows(_read_text(path)))
    if not records:
        raise ValueError(f"{path.name}: the file is empty")
    _header_line, header_cells = records[0]
    header = [_clean(h).lstrip("\ufeff") for h in header_cells]
    missing = [c for c in cls.required if c not in header]
    if missing:
        raise ValueError(f"{path.name}: not a {fmt} listing: missing column(s) {', '.join(missing)}")
    known = {h.lower() for h in header} | {a.lower() for a in cls.aliases}
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
                    f"{o} -> {n}" for o, n in zip(names, new_names) if n != o
                )
            names = new_names
            data.append((line, None, "repeated header row" + note))
        elif len(cells) != len(names):
            data.append((line, None, f"!has {len(cells)} cells, the header has {len(names)}"))
        else:
            data.append((line, {cls.aliases.get(name, name): value for name, value in zip(names, cells)}, ""))
    return data


#: Who checked a fact that came from an imported listing.
LISTING_CHECKER = "imported listing"


def _row_evidence(cred: dict, file_name: str, line: int, scraped: dt.date) -> dict:
    """An imported listing row is evidence for the facts it states: the file, its row and its date."""
    evidence = {}
    for fact, value in (
        ("price", (cred.get("price") or {}).get("amount")),
        ("certificate_price", cred.get("certificate_price")),
        ("duration", cred.get("duration_weeks")),
        ("workload", cred.get("hours_per_week") or cred.get("workload_hours")),
    ):
        if value is not None:
            says = f"{value:g}" if isinstance(value, (int, float)) else str(value)
            evidence[fact] = {
                "source": file_name,
                "line": line,
                "says": says,
                "checked": scraped,
                "by": LISTING_CHECKER,
            }
    return evidence


def _import_scraped(path: Path, fmt: str, progress: Callable[[int, int], None] | None, today: dt.date) -> ImportResult:
    cls = _SCRAPED[fmt]
    data = _rows(path, fmt, cls)
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
                title=draft.title,
                provider=draft.provider,
                platform=draft.platform,
                career_aims=aims,
                last_checked=last_checked,
                **draft.fields,
            )
            cred["evidence"] = _row_evidence(cred, path.name, line, last_checked)
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
