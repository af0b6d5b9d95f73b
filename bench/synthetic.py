"""A synthetic credential catalogue of any size, for scale benchmarks.

``generate(n, seed)`` returns ``(providers, credentials)`` in the catalogue-file format (the dicts
:func:`bot.catalogue.loading.check_entries` validates and :func:`bot.catalogue.loading.write_entries` writes). Nothing in
it is real: titles are made of topic and type words, providers are called "Synthetic University 017",
and every link is on ``synthetic.example``. Its *values* follow the real sources, fitted at run time
(:func:`fitted_distributions`), never copied in as numbers:

- The public listings in ``../shared/data/catalog-sources/`` read through the project's own
  importers, plus the default catalogue (``data/catalog/``) as one more listing, give price
  (amount, currency and basis together with free-to-audit and the certificate fee), duration and
  weekly hours (together), credential type, delivery mode, level, language, number of topics,
  career aims and the age of ``last_checked``. Each synthetic credential first picks a source in
  proportion to its rows, then samples each of these fields from that source's empirical
  distribution, so unknown values stay unknown as often as they are in that source.
- The default catalogue alone gives what the listings lack: credit (value, system and status
  together), recognition, EQF level, assessment and stackability (together, as one curated entry of
  the same credential type), quality assurance (by provider kind), the provider mix (kind,
  legitimacy and country together), how often a credential is taken on a platform, and the issuer
  country.

If no listing file is found the default catalogue is the only source (a warning says so).

``python -m bench.synthetic N OUT.json [--seed S] [--today YYYY-MM-DD]`` writes the
``{"providers": [...], "credentials": [...]}`` JSON that ``advisor catalog import OUT.json`` reads.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import functools
import gc
import logging
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Hashable, Iterable, Sequence

import yaml

from bot.catalogue.importers import CREDENTIAL_FIELDS, export_json, import_file
from bot.language.aims import AIM_CODES
from bot.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

SOURCES_DIR = PROJECT_ROOT.parent / "shared" / "data" / "catalog-sources"
CATALOG_DIR = PROJECT_ROOT / "data" / "catalog"
#: Listing files and the importer format of each.
SOURCE_FILES = (
    ("futurelearn-courses.csv", "futurelearn"),
    ("edx-courses.csv", "edx"),
    ("coursera-courses.csv", "coursera"),
    ("udemy-courses.csv", "udemy"),
)
CATALOGUE_SOURCE = "default catalogue"

#: Optional fields the catalogue schema is gaining (learning outcomes, workload, prerequisites,
#: skills, further information, identity verification at assessment). They are written only once
#: the project's own import format knows them, so that the JSON written here always imports.
EU_FIELDS = ("learning_outcomes", "workload_hours", "prerequisites", "skills", "further_information")
EXTRA_EU_FIELDS = set(EU_FIELDS) <= set(CREDENTIAL_FIELDS)

#: A group that a conditional distribution is fitted on needs this many entries; smaller groups
#: use the distribution over all entries instead.
MIN_SUPPORT = 5
#: Scraped listings are dated by their scrape, so their ages pile up on a few days: each sampled
#: age is moved by up to this many days either way (never below 0) to spread them out.
AGE_JITTER_DAYS = 30
#: One provider for about this many credentials, and at least MIN_PROVIDERS.
CREDENTIALS_PER_PROVIDER = 50
MIN_PROVIDERS = 5
MAX_AIMS = 2
DOMAIN = "https://synthetic.example"
PROVIDER_EVIDENCE = "Synthetic provider generated for scale benchmarks; not a real organisation"

#: Title subjects per career aim. Each names its aim in words that bot.language.aims recognises, so a
#: synthetic title reads as what its aims say.
SUBJECTS: dict[str, tuple[str, ...]] = {
    "academic": (
        "Academic Writing",
        "Academic Publishing",
        "PhD Supervision",
        "Research Career Planning",
        "Academic Grant Writing",
        "Faculty Development",
    ),
    "science_specialist": (
        "Bioinformatics",
        "Genomics",
        "Laboratory Methods",
        "Molecular Biology",
        "Life Science Techniques",
        "Analytical Chemistry",
    ),
    "entrepreneurship": (
        "Startup Fundamentals",
        "Entrepreneurship",
        "Venture Building",
        "Founder Skills",
        "Freelance Practice",
        "Start-up Growth",
    ),
    "business_management": (
        "Project Management",
        "Business Strategy",
        "Operations Management",
        "Supply Chain Management",
        "Leadership",
        "Business Finance",
    ),
    "science_communication": (
        "Science Communication",
        "Science Writing",
        "Public Engagement",
        "Science Journalism",
        "Science Policy",
        "Science Outreach",
    ),
    "tech_cloud": (
        "Cloud Computing",
        "Cloud Architecture",
        "DevOps",
        "Kubernetes Operations",
        "Cloud Infrastructure",
        "Cloud Migration",
    ),
    "tech_data": (
        "Data Analysis",
        "Data Analytics",
        "Data Science",
        "SQL for Data Reporting",
        "Data Engineering",
        "Statistical Data Analysis",
        "Big Data",
    ),
    "tech_ai": (
        "Machine Learning",
        "Deep Learning",
        "Artificial Intelligence",
        "Computer Vision",
        "Generative AI",
        "NLP",
    ),
    "tech_cybersecurity": (
        "Cybersecurity",
        "Network Security",
        "Information Security",
        "Ethical Hacking",
        "Penetration Testing",
        "Cyber Threat Intelligence",
    ),
    "tech_it_support": (
        "IT Support",
        "Help Desk Operations",
        "Technical Support",
        "Desktop Support",
        "Service Desk Practice",
        "IT Support Troubleshooting",
    ),
    "tech_software": (
        "Software Development",
        "Python Programming",
        "Web Development",
        "Full-Stack Development",
        "JavaScript",
        "Software Engineering",
    ),
    "healthcare": (
        "Public Health",
        "Health Informatics",
        "Nursing Practice",
        "Clinical Skills",
        "Patient Safety",
        "Epidemiology",
    ),
    "education": (
        "Teaching Practice",
        "Instructional Design",
        "Online Teaching",
        "Learning Design",
        "E-Learning Development",
        "Education Policy",
    ),
    "creative_digital": (
        "UX Design",
        "Graphic Design",
        "Digital Marketing",
        "Social Media Strategy",
        "Video Production",
        "Game Design",
    ),
}
#: The second aim of a two-aim credential, as a qualifier of the title.
QUALIFIERS: dict[str, str] = {
    "academic": "for Academics",
    "science_specialist": "for Lab Scientists",
    "entrepreneurship": "for Entrepreneurs",
    "business_management": "for Business",
    "science_communication": "for Scientists in Public Engagement",
    "tech_cloud": "in the Cloud",
    "tech_data": "with Data",
    "tech_ai": "with AI",
    "tech_cybersecurity": "for Security Teams",
    "tech_it_support": "for IT Support",
    "tech_software": "for Software Developers",
    "healthcare": "in Healthcare",
    "education": "for Teachers",
    "creative_digital": "for Creative Media",
}
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "short_course": ("", "Short Course", "Essentials"),
    "professional_certificate": ("Professional Certificate",),
    "specialisation": ("Specialisation",),
    "micromasters": ("MicroMasters Programme",),
    "nanodegree": ("Nanodegree",),
    "microcredential": ("Microcredential",),
    "digital_badge": ("Digital Badge",),
    "cpd_course": ("CPD Course",),
    "certification_exam": ("Associate Certification", "Professional Certification"),
}
LEVEL_PREFIXES: dict[str | None, tuple[str, ...]] = {
    "beginner": ("Introduction to ", "Foundations of ", ""),
    "intermediate": ("Applied ", "Practical ", ""),
    "advanced": ("Advanced ", "Mastering ", ""),
    None: ("", "Applied ", "Practical "),
}
PROVIDER_LABELS: dict[str, str] = {
    "university": "University",
    "company": "Company",
    "platform": "Learning Platform",
    "professional_body": "Professional Institute",
    "nonprofit": "Foundation",
    "public_body": "Public Agency",
}
OUTCOME_TEMPLATES = (
    "Explain the core ideas of {s}",
    "Apply {s} methods to realistic problems",
    "Evaluate {s} work against good practice",
    "Plan a small {s} project from start to finish",
)


# --------------------------------------------------------------------------------------------
# Empirical distributions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Empirical:
    """A discrete distribution: the values seen and their cumulative weights."""

    values: tuple
    cum: tuple[float, ...]
    total: float

    @classmethod
    def of(cls, observed: Iterable[Hashable] | dict[Hashable, float]) -> "Empirical":
        counts = observed if isinstance(observed, dict) else Counter(observed)
        if not counts:
            raise ValueError("no observations to fit a distribution to")
        values, cum, total = [], [], 0.0
        for value, weight in sorted(counts.items(), key=lambda kv: repr(kv[0])):  # stable order
            total += weight
            values.append(value)
            cum.append(total)
        return cls(tuple(values), tuple(cum), total)

    def draw(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


@dataclass(frozen=True)
class SourceFit:
    """The listing fields of one source."""

    name: str
    rows: int
    price: Empirical  # (amount, currency, basis, free_to_audit, certificate_price)
    time: Empirical  # (duration_weeks, hours_per_week)
    credential_type: Empirical
    delivery_mode: Empirical
    level: Empirical
    language: Empirical
    n_topics: Empirical
    age_days: Empirical  # days before the newest date in all sources
    aims: Empirical  # each entry counts once, split over its aims
    two_aims: float  # share of entries with more than one aim


@dataclass(frozen=True)
class Fitted:
    sources: tuple[SourceFit, ...]
    source: Empirical  # index into sources, by rows
    worth: dict[str, Empirical]  # credential type (or "*") -> curated worth facts
    qa: dict[str, Empirical]  # provider kind (or "*") -> (type, body)
    provider: Empirical  # (kind, legitimacy, country)
    provider_size: Empirical  # credentials per provider in the default catalogue
    on_platform: dict[str, float]  # provider kind (or "*") -> share taken on a platform
    issuer_same: float  # share whose issuer country is the provider's
    issuer_country: Empirical
    reference: dt.date  # newest last_checked in all sources


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _by(groups: dict[str, list], overall: list) -> dict[str, Empirical]:
    """Conditional distributions for the groups with enough support, plus "*" for all."""
    fitted = {key: Empirical.of(vals) for key, vals in groups.items() if len(vals) >= MIN_SUPPORT}
    fitted["*"] = Empirical.of(overall)
    return fitted


def _given(table: dict[str, Any], key: str | None) -> Any:
    return table.get(key or "*", table["*"])


def _listing_fit(name: str, creds: list[dict], reference: dt.date) -> SourceFit:
    aim_weights: dict[str, float] = defaultdict(float)
    for c in creds:
        aims = [a for a in dict.fromkeys(c.get("career_aims") or []) if a in AIM_CODES]
        for a in aims:
            aim_weights[a] += 1 / len(aims)
    price = [c.get("price") or {} for c in creds]
    return SourceFit(
        name=name,
        rows=len(creds),
        price=Empirical.of(
            (
                p.get("amount"),
                p.get("currency") if p.get("amount") is not None else None,
                p.get("basis") or "one_off",
                bool(c.get("free_to_audit")),
                c.get("certificate_price"),
            )
            for p, c in zip(price, creds)
        ),
        time=Empirical.of((c.get("duration_weeks"), c.get("hours_per_week")) for c in creds),
        credential_type=Empirical.of(c["credential_type"] for c in creds),
        delivery_mode=Empirical.of(c.get("delivery_mode") for c in creds),
        level=Empirical.of(c.get("level") for c in creds),
        language=Empirical.of(c.get("language") for c in creds),
        n_topics=Empirical.of(len(c.get("topics") or []) for c in creds),
        age_days=Empirical.of((reference - _as_date(c["last_checked"])).days for c in creds),
        aims=Empirical.of(dict(aim_weights)),
        two_aims=sum(len(set(c.get("career_aims") or [])) > 1 for c in creds) / len(creds),
    )


def _worth(c: dict) -> tuple:
    credit = c.get("credit") or None
    assessment = c.get("assessment") or {}
    kind = assessment.get("type")
    if kind:  # the first clause: the rest names the real provider's fees and exam codes
        kind = kind.split(";")[0].split(". ")[0].strip()
    return (
        None if not credit else (credit.get("value"), credit.get("system"), credit.get("status"), credit.get("note")),
        tuple(r["by"] for r in (c.get("recognition") or []) if r and r.get("by")),
        c.get("level_eqf"),
        kind,
        assessment.get("supervised"),
        bool(c.get("stackable_into")),
    )


def read_sources(
    sources_dir: Path = SOURCES_DIR, catalog_dir: Path = CATALOG_DIR
) -> tuple[list[tuple[str, list[dict]]], list[dict], list[dict]]:
    """([(source name, credentials)] for the listings, curated providers, curated credentials)."""
    with (catalog_dir / "providers.yml").open(encoding="utf-8") as fh:
        providers = yaml.safe_load(fh) or []
    with (catalog_dir / "credentials.yml").open(encoding="utf-8") as fh:
        curated = yaml.safe_load(fh) or []
    listings: list[tuple[str, list[dict]]] = []
    for filename, fmt in SOURCE_FILES:
        path = sources_dir / filename
        if not path.is_file():
            log.warning("synthetic catalogue: listing %s not found; fitting without it", path)
            continue
        result = import_file(path, fmt)
        if result.credentials:
            listings.append((filename, result.credentials))
    if not listings:
        log.warning(
            "synthetic catalogue: no listing found in %s; falling back to the default catalogue only", sources_dir
        )
    listings.append((CATALOGUE_SOURCE, curated))
    return listings, providers, curated


@functools.lru_cache(maxsize=8)
def fitted_distributions(sources_dir: str | None = None, catalog_dir: str | None = None) -> Fitted:
    """Fit every distribution :func:`generate` samples from (cached per pair of folders)."""
    listings, providers, curated = read_sources(Path(sources_dir or SOURCES_DIR), Path(catalog_dir or CATALOG_DIR))
    reference = max(_as_date(c["last_checked"]) for _, creds in listings for c in creds)
    sources = tuple(_listing_fit(name, creds, reference) for name, creds in listings)

    kind_of = {p["id"]: p["kind"] for p in providers}
    worth: dict[str, list] = defaultdict(list)
    qa: dict[str, list] = defaultdict(list)
    platform: dict[str, list] = defaultdict(list)
    for c in curated:
        kind = kind_of.get(c["provider"])
        worth[c["credential_type"]].append(_worth(c))
        q = c.get("quality_assurance") or {}
        qa[kind].append((q.get("type"), q.get("body")))
        if kind != "platform":
            platform[kind].append(bool(c.get("platform")))
    country_of = {p["id"]: p.get("country") for p in providers}
    on_platform = {k: sum(v) / len(v) for k, v in platform.items() if len(v) >= MIN_SUPPORT}
    all_platform = [x for v in platform.values() for x in v]
    on_platform["*"] = sum(all_platform) / len(all_platform) if all_platform else 0.0
    return Fitted(
        sources=sources,
        source=Empirical.of({i: s.rows for i, s in enumerate(sources)}),
        worth=_by(worth, [w for v in worth.values() for w in v]),
        qa=_by(qa, [q for v in qa.values() for q in v]),
        provider=Empirical.of((p["kind"], p.get("legitimacy", "unverified"), p.get("country")) for p in providers),
        provider_size=Empirical.of(Counter(c["provider"] for c in curated).values()),
        on_platform=on_platform,
        issuer_same=sum(c.get("issuer_country") == country_of.get(c["provider"]) for c in curated) / len(curated),
        issuer_country=Empirical.of(c.get("issuer_country") for c in curated),
        reference=reference,
    )


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


def _providers(count: int, fit: Fitted, rng: random.Random) -> list[dict]:
    width = max(3, len(str(count)))
    out = []
    for k in range(1, count + 1):
        kind, legitimacy, country = fit.provider.draw(rng)
        number = f"{k:0{width}d}"
        pid = f"syn-prov-{number}"
        out.append(
            {
                "id": pid,
                "name": f"Synthetic {PROVIDER_LABELS.get(kind, 'Provider')} {number}",
                "kind": kind,
                "country": country,
                "website": f"{DOMAIN}/providers/{pid}",
                "legitimacy": legitimacy,
                "legitimacy_evidence": PROVIDER_EVIDENCE,
            }
        )
    return out


def _aims(src: SourceFit, rng: random.Random) -> list[str]:
    aims = [src.aims.draw(rng)]
    if rng.random() < src.two_aims and len(src.aims.values) > 1:
        while len(aims) < MAX_AIMS:
            aim = src.aims.draw(rng)
            if aim not in aims:
                aims.append(aim)
    return aims


def _title(aims: Sequence[str], subject: str, ctype: str, level: str | None, rng: random.Random) -> str:
    prefixes = LEVEL_PREFIXES.get(level, LEVEL_PREFIXES[None])
    words = [_pick(prefixes, rng) + subject]
    if len(aims) > 1:
        words.append(QUALIFIERS[aims[1]])
    type_words = TYPE_WORDS.get(ctype, ("",))
    words.append(_pick(type_words, rng))
    return " ".join(w for w in words if w)


@functools.lru_cache(maxsize=None)
def _other_topics(aims: tuple[str, ...], subject: str) -> tuple[str, ...]:
    return tuple(s.lower() for a in aims for s in SUBJECTS[a] if s != subject)


def _topics(aims: Sequence[str], subject: str, count: int, rng: random.Random) -> list[str]:
    if count <= 0:
        return []
    topics = [subject.lower()]
    if count > 1:
        pool = list(_other_topics(tuple(aims), subject))
        while len(topics) < count and pool:
            topics.append(pool.pop(int(rng.random() * len(pool))))
    return topics


def _pick(options: Sequence[Any], rng: random.Random) -> Any:
    return options[int(rng.random() * len(options))]


def _tidy(value: float) -> int | float:
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


@functools.lru_cache(maxsize=None)
def _outcomes(subject: str) -> tuple[str, ...]:
    return tuple(t.format(s=subject) for t in OUTCOME_TEMPLATES)


def _eu_fields(
    subject: str, level: str | None, topics: list[str], duration: Any, hours: Any, rng: random.Random
) -> dict:
    s = subject.lower()
    outcomes = _outcomes(s)
    start, count = int(rng.random() * len(outcomes)), 1 + int(rng.random() * 3)
    return {
        "learning_outcomes": [outcomes[(start + k) % len(outcomes)] for k in range(count)],
        "workload_hours": (_tidy(duration * hours) or None) if duration is not None and hours is not None else None,
        "prerequisites": None if level in (None, "beginner") else f"Prior study of {s} at beginner level",
        "skills": list(topics),
        "further_information": None,
    }


@contextlib.contextmanager
def _gc_paused():
    """Building many small dicts sets off the cyclic garbage collector over and over (they hold
    no cycles): pause it while generating."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate(n: int, seed: int = 0, today: dt.date | None = None) -> tuple[list[dict], list[dict]]:
    """(providers, credentials) in the catalogue-file dict format (the same dicts
    bot.catalogue.loading.check_entries validates and bot.catalogue.loading.write_entries writes)."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    today = today or dt.date.today()
    fit = fitted_distributions()
    rng = random.Random(f"synthetic-catalogue:{seed}")
    providers = _providers(max(MIN_PROVIDERS, round(n / CREDENTIALS_PER_PROVIDER)), fit, rng)
    provider_pick = Empirical.of({i: fit.provider_size.draw(rng) for i in range(len(providers))})
    platforms = [p["id"] for p in providers if p["kind"] == "platform"]
    run = _Run(seed, today, fit, rng, providers, provider_pick, platforms)
    with _gc_paused():
        credentials = [_credential(i, run) for i in range(n)]
    return providers, credentials


@dataclass(frozen=True)
class _Run:
    seed: int
    today: dt.date
    fit: Fitted
    rng: random.Random
    providers: list[dict]
    provider_pick: Empirical
    platforms: list[str]  # ids of the providers that are platforms


def _credential(i: int, run: _Run) -> dict:
    """The ``i``-th synthetic credential."""
    fit, rng, providers, platforms = run.fit, run.rng, run.providers, run.platforms
    src = fit.sources[fit.source.draw(rng)]
    # every provider offers at least one credential (when there are enough), then by size
    prov = providers[i if i < len(providers) else run.provider_pick.draw(rng)]
    amount, currency, basis, free, certificate = src.price.draw(rng)
    duration, hours = src.time.draw(rng)
    ctype = src.credential_type.draw(rng)
    level = src.level.draw(rng)
    aims = _aims(src, rng)
    subject = _pick(SUBJECTS[aims[0]], rng)
    topics = _topics(aims, subject, src.n_topics.draw(rng), rng)
    credit, recognised_by, eqf, assessment, supervised, stackable = _given(fit.worth, ctype).draw(rng)
    qa_type, qa_body = _given(fit.qa, prov["kind"]).draw(rng)
    platform = None  # (a catalogue too small to have a platform among its providers has none)
    if platforms and prov["kind"] != "platform" and rng.random() < _given(fit.on_platform, prov["kind"]):
        platform = _pick(platforms, rng)
    issuer = prov["country"] if rng.random() < fit.issuer_same else fit.issuer_country.draw(rng)
    age = max(0, src.age_days.draw(rng) + int(rng.random() * (2 * AGE_JITTER_DAYS + 1)) - AGE_JITTER_DAYS)
    cid = f"syn-{run.seed}-{i:06d}"
    record = {
        "id": cid,
        "title": _title(aims, subject, ctype, level, rng),
        "provider": prov["id"],
        "platform": platform,
        "credential_type": ctype,
        "career_aims": aims,
        "topics": topics,
        "price": {"amount": amount, "currency": currency, "basis": basis},
        "free_to_audit": free,
        "certificate_price": certificate,
        "duration_weeks": duration,
        "hours_per_week": hours,
        "delivery_mode": src.delivery_mode.draw(rng),
        "level_eqf": eqf,
        "level": level,
        "credit": None if credit is None else dict(zip(("value", "system", "status", "note"), credit)),
        "assessment": {"type": assessment, "supervised": supervised},
        "quality_assurance": {"type": qa_type, "body": qa_body},
        "recognition": [
            {"by": by, "url": f"{DOMAIN}/recognition/{cid}-{k}"} for k, by in enumerate(recognised_by, start=1)
        ],
        "stackable_into": f"Counts towards a {prov['name']} programme in {subject}" if stackable else None,
        "issuer_country": issuer,
        "language": src.language.draw(rng),
        "source_url": f"{DOMAIN}/credentials/{cid}",
        "last_checked": run.today - dt.timedelta(days=age),
    }
    if EXTRA_EU_FIELDS:
        record["assessment"]["identity_verified"] = supervised
        record.update(_eu_fields(subject, level, topics, duration, hours, rng))
    return record


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic", description="Write a synthetic credential catalogue for scale benchmarks."
    )
    parser.add_argument("n", type=int, help="number of credentials")
    parser.add_argument("out", type=Path, help="JSON file to write ({providers, credentials})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="no last_checked date lies after this one (default: today)",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must be 0 or more")
    providers, credentials = generate(args.n, seed=args.seed, today=args.today)
    export_json(credentials, args.out, providers=providers)
    print(f"wrote {len(credentials)} credentials from {len(providers)} providers to {args.out}")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
