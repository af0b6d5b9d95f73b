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

import datetime as dt
import json
from pathlib import Path
from typing import Callable

from bot.catalogue.importers.common import (
    CSV_COLUMNS,
    FORMATS,
    SCRAPE_DATES,
    ImportResult,
    Rejected,
)
from bot.catalogue.importers.ctdl import _import_ctdl, _is_ctdl
from bot.catalogue.importers.listings import _SCRAPED, _import_scraped
from bot.catalogue.importers.own_format import _import_own_csv, _import_own_json, export_csv, export_json
from bot.catalogue.importers.records import _csv_rows
from bot.catalogue.importers.values import _clean, _read_text, fix_mojibake
from bot.model import CREDENTIAL_FIELDS

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
        if isinstance(doc, list) and (not doc or all(isinstance(d, dict) and "credential_type" in d for d in doc[:5])):
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


def import_file(
    path: Path | str,
    fmt: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> ImportResult:
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
