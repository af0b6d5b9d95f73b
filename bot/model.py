"""The records, constraints, rates and allowed values that every part of the assistant shares.

This module imports nothing of the project: the language, advice, catalogue, NLU and channel packages
all build on it (README, "Architecture").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Protocol
from urllib.parse import urlsplit

#: Weeks in an average month (365.25 / 12 / 7): every conversion between months and weeks uses it.
WEEKS_PER_MONTH = 4.345  # about 365.25 / 12 / 7

#: Credit statuses that count as "credit-bearing" when someone asks for credit (RPL is only a possibility).
CREDIT_BEARING = ("awarded", "pathway")
#: A credit recommendation counts as credit where the system that makes it is the person's own: ACE and
#: NCCRS recommend US college credit, which US colleges (and only they) accept at their discretion.
RECOMMENDED_CREDIT_REGION = {"US": "us"}
CREDIT_SYSTEM_LABEL = {
    "ECTS": "ECTS",
    "UK_CATS": "UK credits (CATS)",
    "SCQF": "SCQF credit points",
    "AQF": "AQF credit points",
    "US": "US college credits",
}
#: ECTS per credit point of a national system, where the system defines the equivalence (two UK
#: CATS or SCQF points per ECTS credit: the UK QAA's credit framework guidance).
ECTS_PER_POINT = {"ECTS": 1.0, "UK_CATS": 0.5, "SCQF": 0.5}

CREDENTIAL_TYPES = {
    "short_course",
    "professional_certificate",
    "microcredential",
    "micromasters",
    "nanodegree",
    "specialisation",
    "digital_badge",
    "cpd_course",
    "certification_exam",
}
PROVIDER_KINDS = {"university", "company", "platform", "professional_body", "nonprofit", "public_body"}
DELIVERY_MODES = {"online_self_paced", "online_cohort", "blended", "onsite"}
CREDIT_SYSTEMS = {"ECTS", "UK_CATS", "SCQF", "AQF", "US"}
CREDIT_STATUSES = {"awarded", "recommended", "pathway", "rpl"}

#: The fields of one catalogue entry, in the order of credentials.yml (docs/catalog-format.md).
CREDENTIAL_FIELDS = (
    "id",
    "title",
    "provider",
    "platform",
    "credential_type",
    "career_aims",
    "topics",
    "price",
    "free_to_audit",
    "certificate_price",
    "duration_weeks",
    "hours_per_week",
    "delivery_mode",
    "level_eqf",
    "level",
    "credit",
    "assessment",
    "quality_assurance",
    "recognition",
    "stackable_into",
    "issuer_country",
    "language",
    "source_url",
    "last_checked",
    "learning_outcomes",
    "workload_hours",
    "prerequisites",
    "skills",
    "further_information",
    "fields",
    "regions",
    "co_providers",
    "access_weeks",
    "status",
    "status_note",
    "evidence",
)
PROVIDER_FIELDS = ("id", "name", "kind", "country", "website", "legitimacy", "legitimacy_evidence", "former_names")

#: The facts of a credential that carry their own evidence (docs/catalog-format.md, "Evidence"): each
#: recognition claim carries its own too (fact "recognition", item = its place in the list).
EVIDENCE_FACTS = ("price", "certificate_price", "duration", "workload", "credit", "quality_assurance")
#: What a price covers: the programme, or a subscription to the whole platform.
PRICE_SCOPES = ("programme", "platform")
#: A credential still offered, or retired (kept in the catalogue, marked, never recommended).
CREDENTIAL_STATUSES = ("active", "retired")

#: The only link schemes stored or drawn: anything else (``javascript:``, ``data:``, ``file:``) is refused.
WEB_SCHEMES = ("http", "https")


def is_web_url(value: object) -> bool:
    """True for an absolute ``http``/``https`` address with a host."""
    if not isinstance(value, str) or any(ch.isspace() for ch in value.strip()):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


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


@dataclass(frozen=True)
class FactCheck:
    """What confirms one fact of a credential, or that nothing does (``confirmed`` False).

    ``fact`` is one of :data:`EVIDENCE_FACTS` or ``recognition`` (then ``item`` is the claim's place in
    the list); ``source`` is the page's address, or a listing file (``line`` its row)."""

    fact: str
    confirmed: bool
    source: str | None = None
    says: str | None = None
    checked: dt.date | None = None
    by: str | None = None
    item: int = 0
    line: int | None = None
    page_date: str | None = None


@dataclass(frozen=True)
class CredentialRecord:
    id: str
    title: str
    provider: str
    provider_legitimacy: str
    platform: str | None
    credential_type: str
    aims: tuple[str, ...]
    topics: tuple[str, ...]
    price_amount: float | None
    price_currency: str | None
    price_basis: str
    free_to_audit: bool
    certificate_price: float | None
    duration_weeks: float | None
    hours_per_week: float | None
    delivery_mode: str | None
    level_eqf: int | None
    level: str | None
    credit_value: float | None
    credit_system: str | None
    credit_status: str | None
    credit_note: str | None
    assessment_type: str | None
    assessment_supervised: bool | None
    qa_type: str | None
    qa_body: str | None
    recognitions: tuple[tuple[str, str | None], ...]
    stackable_into: str | None
    source_url: str
    last_checked: dt.date
    provider_kind: str | None = None
    provider_evidence: str | None = None  # why the provider is verified ("accredited by WSCUC")
    learning_outcomes: tuple[str, ...] = ()
    workload_hours: float | None = None
    identity_verified: bool | None = None
    prerequisites: str | None = None
    fields: tuple[str, ...] = ()  # the fields it serves, as curated in the catalogue (most central first)
    price_scope: str | None = None  # programme | platform (a subscription to the whole platform)
    access_weeks: float | None = None  # access (free or paid) that expires after this many weeks
    credit_eligibility: str | None = None  # who can receive the credit, when not everyone can
    co_providers: tuple[str, ...] = ()  # names of the providers that offer it jointly
    #: the provider's and the platform's own websites: a page elsewhere is not the programme's own
    own_sites: tuple[str, ...] = ()
    status: str = "active"  # active | retired (kept, never recommended)
    #: where it is offered or counts, when only there (REGIONS_OFFERED codes: England's NPQs); empty: anywhere
    regions: tuple[str, ...] = ()
    evidence: tuple[FactCheck, ...] = ()  # per fact (bot.catalogue.evidence)
    unconfirmed_claims: tuple[str, ...] = ()  # recognition and QA claims left out: nothing confirms them

    def fact_check(self, fact: str, item: int = 0) -> FactCheck | None:
        """The evidence recorded for one fact (None when the catalogue records nothing for it)."""
        return next((e for e in self.evidence if e.fact == fact and e.item == item), None)


ONLINE_MODES = ("online_self_paced", "online_cohort")


def serves_terms(r: CredentialRecord, terms: tuple[str, ...]) -> bool:
    """Whether one of ``terms`` is in the credential's title or topics (lower case, as the SQL does)."""
    text = (r.title + "\n" + "\n".join(r.topics)).lower()
    return any(term in text for term in terms)


#: How much a word of the person's field weighs where it is found: a credential named for the field
#: is more about it than one that lists it among its topics.
TITLE_WEIGHT, TOPIC_WEIGHT = 2, 1


#: A credential tagged in the catalogue with the person's field: as its main field, or as another.
MAIN_FIELD_WEIGHT, OTHER_FIELD_WEIGHT = 2, 1


def serves_field(r: CredentialRecord, fields: tuple[str, ...], terms: tuple[str, ...]) -> bool:
    """Whether the credential serves one of the person's fields: by the catalogue's tags when it has
    any (curated, so they have the last word), else by one of the field's words in its title or topics."""
    if r.fields:
        return bool(set(r.fields) & set(fields))
    return serves_terms(r, terms)


def words_in(r: CredentialRecord, terms: tuple[str, ...]) -> int:
    """Each of ``terms`` counts :data:`TITLE_WEIGHT` when in the title and :data:`TOPIC_WEIGHT` when in
    the topics (lower case, as the SQL does)."""
    title, topics = r.title.lower(), "\n".join(r.topics).lower()
    return sum(TITLE_WEIGHT * (term in title) + TOPIC_WEIGHT * (term in topics) for term in terms)


def named_in(r: CredentialRecord, terms: tuple[str, ...]) -> int:
    """Each of ``terms`` counts :data:`TITLE_WEIGHT` when in the title, else :data:`TOPIC_WEIGHT` when in the
    topics: the person's own words ("AWS") name a credential once, however often its topics repeat them."""
    title, topics = r.title.lower(), "\n".join(r.topics).lower()
    return sum(TITLE_WEIGHT if term in title else TOPIC_WEIGHT * (term in topics) for term in terms)


def relevance(r: CredentialRecord, c: "Constraints") -> tuple[int, int, int]:
    """How much the credential is about the person's field, as (tags, focus, words): the catalogue's tags,
    each of the person's fields counting :data:`MAIN_FIELD_WEIGHT` when it is the credential's main field and
    :data:`OTHER_FIELD_WEIGHT` when another; the words the person used for it (:func:`named_in`); the
    field's own words."""
    tags = sum(
        MAIN_FIELD_WEIGHT if r.fields[:1] == (code,) else OTHER_FIELD_WEIGHT for code in c.fields if code in r.fields
    )
    return tags, named_in(r, c.focus_terms), words_in(r, c.field_terms)


def mainly_about(r: CredentialRecord, fields: tuple[str, ...] | list[str]) -> bool:
    """Whether one of ``fields`` is the credential's main field in the catalogue (its first)."""
    return bool(r.fields) and r.fields[0] in fields


#: How well each credential level suits each experience in the field (higher first; an unknown level is
#: in between). Levels that do not suit at all are breaks (bot.advice.matching.level_mismatch); this orders the rest.
LEVEL_PREFERENCE: dict[str, dict[str, int]] = {
    "new": {"beginner": 2, "intermediate": 0, "advanced": 0},
    "some": {"beginner": 1, "intermediate": 2, "advanced": 1},
    "experienced": {"beginner": 0, "intermediate": 1, "advanced": 2},
}
UNKNOWN_LEVEL_PREFERENCE = 1


def level_preference(r: CredentialRecord, experience: str | None) -> int:
    table = LEVEL_PREFERENCE.get(experience or "")
    if not table:
        return 0
    return table.get(r.level or "", UNKNOWN_LEVEL_PREFERENCE)


@dataclass(frozen=True)
class Constraints:
    aims: tuple[str, ...] = ()
    budget: Budget | None = None
    weeks: float | None = None
    hours_per_week: float | None = None
    credit_required: bool = False
    credential_type: str | None = None  # only this kind, when the person asked for one
    online_only: bool = False  # only online delivery (self-paced or cohort)
    level: str | None = None  # only this level: beginner | intermediate | advanced
    provider_kinds: tuple[str, ...] = ()  # only providers of these kinds (e.g. university)
    substantial: bool = False  # leave out what is known to take less than SUBSTANTIAL_HOURS of study
    hands_on: bool = False  # only what is assessed hands-on (performance-based exams, labs, practical tasks)
    fields: tuple[str, ...] = ()  # the fields or roles the person is after (bot.language.fields codes)
    experience: str | None = None  # in the field: new | some | experienced (None: not said)
    region: str | None = None  # where the person is (bot.language.countries code): whose credit recommendations count
    field_terms: tuple[str, ...] = ()  # lower-case words one of which a credential's title or topics must carry
    focus_terms: tuple[str, ...] = ()  # the words the person used for their field (ranking only)
    refused: tuple[str, ...] = ()  # fields the person turned down ("not interested in marketing analytics")

    def excludes(self, r: "CredentialRecord") -> str | None:
        """Why a filter the person asked for leaves ``r`` out (None when it stays in)."""
        if self.credential_type and r.credential_type != self.credential_type:
            return "type"
        if self.online_only and r.delivery_mode not in ONLINE_MODES:
            return "online"
        if self.level and r.level != self.level:
            return "level"
        if self.provider_kinds and r.provider_kind not in self.provider_kinds:
            return "provider"
        if self.substantial and small(r):
            return "size"
        if self.hands_on and not assessed_hands_on(r):
            return "assessment"
        if not offered_to(r.regions, self.region):
            return "region"
        if self.field_terms and not serves_field(r, self.fields, self.field_terms):
            return "field"
        return None


@dataclass
class Rates:
    """USD value of one unit of each currency, with the date of the table."""

    usd_per_unit: dict[str, float]
    as_of: dt.date | None = None

    def convert(self, amount: float, src: str, dst: str) -> float | None:
        if src == dst:
            return amount
        a, b = self.usd_per_unit.get(src), self.usd_per_unit.get(dst)
        if a is None or b is None:
            return None
        return amount * a / b


NO_COST = 1e12

#: Words of an assessment's description that say it is done hands-on, not only by answering questions
#: (lower case; :mod:`bot.catalogue.search` looks for the same in SQL).
HANDS_ON_WORDS = ("performance-based", "hands-on", "practical", " lab", "lab-based", "live systems", "live clusters")


def assessed_hands_on(r: "CredentialRecord") -> bool:
    """Whether the catalogue describes the credential's assessment as hands-on (:data:`HANDS_ON_WORDS`)."""
    text = (r.assessment_type or "").lower()
    return any(word in text for word in HANDS_ON_WORDS)


#: Where a credential can be limited to (``regions`` in the catalogue): the places a person can name
#: (bot.language.countries) and the nations of the UK whose own qualifications some are.
REGIONS_OFFERED = (
    "uk", "england", "wales", "northern_ireland", "scotland", "ireland", "eu", "us", "canada", "australia",
    "new_zealand", "india",
)  # fmt: skip
#: The regions within another: someone who says only "the UK" may be in any of its nations.
REGIONS_WITHIN = {"uk": ("england", "wales", "northern_ireland", "scotland")}


def offered_to(regions: tuple[str, ...] | list[str], person: str | None) -> bool:
    """Whether a credential offered only in ``regions`` (empty: anywhere) is open to someone in ``person``
    (None: not said): a teacher in Glasgow is not offered England's national professional qualifications."""
    return not regions or not person or any(r in regions_open_to(person) for r in regions)


def regions_open_to(person: str) -> tuple[str, ...]:
    """The ``regions`` codes that admit someone in ``person``: theirs, the nations within it (someone who says
    "the UK" may be in any), and the region it lies within (the UK for someone in Scotland)."""
    within = tuple(r for r, inside in REGIONS_WITHIN.items() if person in inside)
    return (person, *REGIONS_WITHIN.get(person, ()), *within)


#: "Something more substantial": at least this many hours of study (a typical 5-ECTS unit is 125-150).
SUBSTANTIAL_HOURS = 30
#: Kinds that are short by nature: one whose size is not stated is taken as small by someone who asked for
#: something substantial (a free two-week MOOC is not it); a specialisation or professional certificate is not
SHORT_KINDS = ("short_course", "cpd_course", "digital_badge")


def small(r: "CredentialRecord") -> bool:
    """Known to take less than :data:`SUBSTANTIAL_HOURS` of study; or, its size not stated, short by its kind."""
    if r.duration_weeks and r.hours_per_week:
        return r.duration_weeks * r.hours_per_week < SUBSTANTIAL_HOURS
    return r.credential_type in SHORT_KINDS


class CatalogueUnavailable(RuntimeError):
    """The credential database could not be read (down, unreachable, or not a catalogue)."""


class CatalogueReader(Protocol):
    """What the advice service needs from a catalogue (:class:`bot.catalogue.repository.SqlCatalogue`)."""

    def exchange_rates(self) -> Rates: ...

    def by_ids(self, ids: list[str]) -> list[CredentialRecord]: ...

    def titled(self, words: list[str], referred: tuple[str, ...] = ()) -> list[CredentialRecord]: ...

    def in_fields(self, fields: list[str]) -> list[CredentialRecord]: ...

    def search(
        self,
        c: Constraints,
        rates: Rates,
        today: dt.date,
        stale_after_days: int,
        exclude: Iterable[str],
        cheaper_than_usd: float | None,
        n: int,
        near_wanted: Callable[[int], int],
    ) -> tuple[list, list]: ...
