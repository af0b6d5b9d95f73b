"""Shared pieces of the importers: record shapes, value parsers, providers and ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FORMATS = ("csv", "json", "ctdl", "futurelearn", "edx", "coursera", "udemy")


#: Columns of the project's flat CSV format.
CSV_COLUMNS = (
    "id",
    "title",
    "provider",
    "platform",
    "credential_type",
    "career_aims",
    "topics",
    "price_amount",
    "price_currency",
    "price_basis",
    "free_to_audit",
    "certificate_price",
    "duration_weeks",
    "hours_per_week",
    "delivery_mode",
    "level_eqf",
    "level",
    "credit_value",
    "credit_system",
    "credit_status",
    "credit_note",
    "assessment_type",
    "assessment_supervised",
    "qa_type",
    "qa_body",
    "recognition",
    "stackable_into",
    "issuer_country",
    "language",
    "source_url",
    "last_checked",
    "learning_outcomes",
    "workload_hours",
    "prerequisites",
    "identity_verified",
    "skills",
    "further_information",
    "fields",
    "price_scope",
    "credit_eligibility",
    "co_providers",
    "access_weeks",
    "status",
    "status_note",
    "regions",
    "evidence",
)

#: When the facts in each scraped listing were true, from shared/data/README.md. A listing cannot be
#: "checked" later than it was scraped, so these, not today's date, become ``last_checked``.
#: Udemy is ``None``: the file itself dates it (the newest ``published_timestamp``, 2017-07-06 in the
#: shared file), which is older and so more conservative than a guessed year.
SCRAPE_DATES: dict[str, dt.date | None] = {
    "futurelearn": dt.date(2022, 11, 1),  # 2022 scrape, Zenodo 10.5281/zenodo.7332123 (Nov 2022)
    "edx": dt.date(2021, 12, 31),  # Kaggle "edX Courses 2021"
    "coursera": dt.date(2020, 12, 31),  # Kaggle "Coursera Course Dataset": no date in the data
    "udemy": None,  # newest published_timestamp in the file
    "ctdl": dt.date(2023, 1, 1),  # when a CTDL record carries no date of its own
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
