"""Building catalogue records from parsed values: providers, credentials, ids, progress, CSV rows."""

from __future__ import annotations

import csv
import io
from typing import Any, Callable, Iterator

from bot.catalogue.importers.common import PLATFORMS, PROGRESS_EVERY, _Reject
from bot.catalogue.importers.values import _cap, _clean, _guess_kind, _slug
from bot.language.aims import detect_aims

# --------------------------------------------------------------------------------------------
# Building records
# --------------------------------------------------------------------------------------------


class _Providers:
    def __init__(self, source_name: str):
        self.evidence = f"imported from {source_name}; not verified"
        self.by_id: dict[str, dict] = {}

    def add(
        self,
        name: str,
        kind: str | None = None,
        *,
        pid: str | None = None,
        website: str | None = None,
        country: str | None = None,
    ) -> str:
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
        ids |= {pid for c in credentials for pid in c.get("co_providers") or ()}
        return [p for pid, p in self.by_id.items() if pid in ids]


def _credential(**values: Any) -> dict:
    record = {
        "id": None,
        "title": None,
        "provider": None,
        "platform": None,
        "credential_type": None,
        "career_aims": [],
        "topics": [],
        "price": {"amount": None, "currency": None, "basis": "one_off"},
        "free_to_audit": False,
        "certificate_price": None,
        "duration_weeks": None,
        "hours_per_week": None,
        "delivery_mode": None,
        "level_eqf": None,
        "level": None,
        "credit": None,
        "assessment": {"type": None, "supervised": None, "identity_verified": None},
        "quality_assurance": {"type": "none stated", "body": None},
        "recognition": [],
        "stackable_into": None,
        "issuer_country": None,
        "language": None,
        "source_url": None,
        "last_checked": None,
        "learning_outcomes": [],
        "workload_hours": None,
        "prerequisites": None,
        "skills": [],
        "further_information": None,
        "fields": [],
        "regions": [],
        "co_providers": [],
        "access_weeks": None,
        "status": "active",
        "status_note": None,
        "evidence": {},
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


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) for each non-blank CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for cells in reader:
        if any(c.strip() for c in cells):
            yield start, cells
        start = reader.line_num + 1
