"""The synthetic catalogue: valid, reproducible, fake on its face, and distributed like the real sources.

The source shares are computed here independently of bench.synthetic: every listing in
shared/data/catalog-sources read with the project's importers, plus the default catalogue.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import statistics
from collections import Counter

import pytest
import yaml

from bench import synthetic
from bot.catalogue.importers import import_file
from bot.catalogue.loading import check_entries
from bot.language.aims import detect_aims
from bot.settings import PROJECT_ROOT

TODAY = dt.date(2026, 11, 23)
N = 2000
SOURCES = PROJECT_ROOT.parent / "shared" / "data" / "catalog-sources"
LISTINGS = {
    "futurelearn-courses.csv": "futurelearn",
    "edx-courses.csv": "edx",
    "coursera-courses.csv": "coursera",
    "udemy-courses.csv": "udemy",
}
CATALOG = PROJECT_ROOT / "data" / "catalog"


def _yaml(name: str) -> list[dict]:
    return yaml.safe_load((CATALOG / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def curated() -> list[dict]:
    return _yaml("credentials.yml")


@pytest.fixture(scope="module")
def source_rows(curated) -> list[dict]:
    """Every real credential the generator fits its listing fields to."""
    missing = [name for name in LISTINGS if not (SOURCES / name).is_file()]
    if missing:
        pytest.skip(f"listing files not available: {', '.join(missing)}")
    rows = [c for name, fmt in LISTINGS.items() for c in import_file(SOURCES / name, fmt).credentials]
    assert len(rows) > 4000  # the four listings really were read
    return rows + curated


@pytest.fixture(scope="module")
def catalogue() -> tuple[list[dict], list[dict]]:
    return synthetic.generate(N, seed=7, today=TODAY)


def _shares(values) -> dict:
    values = list(values)
    return {k: v / len(values) for k, v in Counter(values).items()}


def _gaps(synthetic_values, source_values, tolerance: float) -> dict:
    """The values whose share differs by more than ``tolerance`` between the two samples."""
    got, want = _shares(synthetic_values), _shares(source_values)
    return {
        k: (round(got.get(k, 0), 3), round(want.get(k, 0), 3))
        for k in set(got) | set(want)
        if abs(got.get(k, 0) - want.get(k, 0)) > tolerance
    }


def _currency(c: dict):
    price = c.get("price") or {}
    return price.get("currency") if price.get("amount") is not None else None


FIELDS = {
    "credential_type": lambda c: c["credential_type"],
    "currency": _currency,
    "delivery_mode": lambda c: c.get("delivery_mode"),
    "level": lambda c: c.get("level"),
    "price basis": lambda c: (c.get("price") or {}).get("basis") or "one_off",
    "free_to_audit": lambda c: bool(c.get("free_to_audit")),
    "number of aims": lambda c: min(len(set(c["career_aims"])), 2),
}


# --------------------------------------------------------------------------------------------
# Valid, unique, reproducible
# --------------------------------------------------------------------------------------------


def test_every_record_is_valid(catalogue):
    providers, credentials = catalogue
    assert len(credentials) == N
    assert check_entries(providers, credentials) == []


def test_ids_are_unique_and_stable(catalogue):
    providers, credentials = catalogue
    ids = [c["id"] for c in credentials]
    assert len(set(ids)) == N
    assert ids[:2] == ["syn-7-000000", "syn-7-000001"]
    assert len({p["id"] for p in providers}) == len(providers) == N // synthetic.CREDENTIALS_PER_PROVIDER
    assert all(p["id"].startswith("syn-prov-") for p in providers)


def test_small_catalogues_still_have_several_providers():
    providers, credentials = synthetic.generate(10, seed=1, today=TODAY)
    assert len(providers) == synthetic.MIN_PROVIDERS
    assert check_entries(providers, credentials) == []
    assert synthetic.generate(0, today=TODAY)[1] == []
    with pytest.raises(ValueError):
        synthetic.generate(-1)


def test_same_seed_same_catalogue_other_seed_other_catalogue():
    first = synthetic.generate(500, seed=3, today=TODAY)
    assert synthetic.generate(500, seed=3, today=TODAY) == first
    other = synthetic.generate(500, seed=4, today=TODAY)
    assert [c["title"] for c in other[1]] != [c["title"] for c in first[1]]
    assert [c["price"] for c in other[1]] != [c["price"] for c in first[1]]


def test_records_are_recognisably_fake(catalogue):
    providers, credentials = catalogue
    assert all(
        p["name"].startswith("Synthetic ") and p["website"].startswith("https://synthetic.example/") for p in providers
    )
    for c in credentials:
        assert c["source_url"] == f"https://synthetic.example/credentials/{c['id']}"
        assert all(r["url"].startswith("https://synthetic.example/") for r in c["recognition"])


def test_titles_say_what_the_aims_are(catalogue):
    _, credentials = catalogue
    wrong = [
        (c["title"], c["career_aims"]) for c in credentials if not set(c["career_aims"]) <= set(detect_aims(c["title"]))
    ]
    assert wrong == []
    type_words = {"professional_certificate": "Professional Certificate", "specialisation": "Specialisation"}
    for c in credentials:
        if c["credential_type"] in type_words:
            assert c["title"].endswith(type_words[c["credential_type"]])


# --------------------------------------------------------------------------------------------
# Distributions follow the sources
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_shares_follow_the_sources(catalogue, source_rows, field):
    _, credentials = catalogue
    get = FIELDS[field]
    assert _gaps(map(get, credentials), map(get, source_rows), 0.035) == {}


def test_share_check_catches_a_skewed_catalogue(catalogue, source_rows):
    _, credentials = catalogue
    all_usd = [{**c, "price": {**c["price"], "currency": "USD"}} for c in credentials]
    assert "EUR" in _gaps(map(_currency, all_usd), map(_currency, source_rows), 0.035)
    only_courses = [{**c, "credential_type": "short_course"} for c in credentials]
    assert _gaps((c["credential_type"] for c in only_courses), (c["credential_type"] for c in source_rows), 0.035)


def test_prices_follow_the_sources(catalogue, source_rows):
    _, credentials = catalogue
    known = [c["price"]["amount"] for c in credentials if c["price"]["amount"] is not None]
    source_known = [c["price"]["amount"] for c in source_rows if (c.get("price") or {}).get("amount") is not None]
    assert statistics.median(known) == pytest.approx(statistics.median(source_known), rel=0.15)
    # the share at or below each source quartile (and free), as in the sources
    for cut in [0, *statistics.quantiles(source_known, n=4)]:
        assert sum(a <= cut for a in known) / len(known) == pytest.approx(
            sum(a <= cut for a in source_known) / len(source_known), abs=0.035
        ), cut


def test_joint_fields_are_drawn_together(catalogue, source_rows, curated):
    """Price with currency and basis, duration with weekly hours, credit value with system and
    status: every combination is one that occurs in the sources."""
    _, credentials = catalogue

    def price(c):
        p = c.get("price") or {}
        return p.get("amount"), _currency(c), p.get("basis") or "one_off"

    def time(c):
        return c.get("duration_weeks"), c.get("hours_per_week")

    def credit(c):
        cr = c.get("credit")
        return cr and (cr["value"], cr["system"], cr["status"])

    for key, pool in ((price, source_rows), (time, source_rows), (credit, curated)):
        seen = {key(c) for c in pool}
        assert {key(c) for c in credentials} <= seen, key.__name__
    known_time = [c for c in credentials if c["duration_weeks"] and c["hours_per_week"]]
    assert known_time and all(
        c["workload_hours"] == pytest.approx(c["duration_weeks"] * c["hours_per_week"], abs=0.01)
        for c in known_time
        if "workload_hours" in c
    )
    unknown = sum(c["duration_weeks"] is None for c in credentials) / len(credentials)
    assert unknown == pytest.approx(
        sum(c.get("duration_weeks") is None for c in source_rows) / len(source_rows), abs=0.035
    )


def test_first_aims_follow_the_source_frequencies(catalogue, source_rows):
    _, credentials = catalogue
    want: Counter = Counter()
    for c in source_rows:
        aims = list(dict.fromkeys(c["career_aims"]))
        for a in aims:
            want[a] += 1 / len(aims)
    got = Counter(c["career_aims"][0] for c in credentials)
    for aim in set(want) | set(got):
        assert got[aim] / len(credentials) == pytest.approx(want[aim] / len(source_rows), abs=0.035), aim
    assert {len(c["career_aims"]) for c in credentials} == {1, 2}
    assert all(len(set(c["career_aims"])) == len(c["career_aims"]) for c in credentials)


def test_curated_facts_follow_the_default_catalogue(catalogue, curated):
    """Credit and supervised assessment among short courses, as among the curated short courses."""
    _, credentials = catalogue
    mine = [c for c in credentials if c["credential_type"] == "short_course"]
    theirs = [c for c in curated if c["credential_type"] == "short_course"]
    assert len(theirs) >= synthetic.MIN_SUPPORT and len(mine) > N / 2
    for what in (
        lambda c: bool(c.get("credit")),
        lambda c: (c.get("assessment") or {}).get("supervised") is True,
        lambda c: bool(c.get("recognition")),
        lambda c: c.get("level_eqf") is not None,
    ):
        assert sum(map(what, mine)) / len(mine) == pytest.approx(sum(map(what, theirs)) / len(theirs), abs=0.05)


def test_providers_follow_the_curated_provider_mix():
    curated_providers = _yaml("providers.yml")
    providers = [p for seed in range(5) for p in synthetic.generate(N, seed=seed, today=TODAY)[0]]
    assert _gaps((p["kind"] for p in providers), (p["kind"] for p in curated_providers), 0.1) == {}
    assert (
        _gaps((p["legitimacy"] for p in providers), (p.get("legitimacy", "unverified") for p in curated_providers), 0.1)
        == {}
    )


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [TODAY, dt.date(2015, 3, 1)])
def test_no_date_in_the_future(today):
    _, credentials = synthetic.generate(1000, seed=2, today=today)
    assert max(c["last_checked"] for c in credentials) <= today


def test_dates_spread_like_the_sources(catalogue, source_rows):
    _, credentials = catalogue

    def as_date(v):
        return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))

    newest = max(as_date(c["last_checked"]) for c in source_rows)
    source_old = sum((newest - as_date(c["last_checked"])).days > 365 for c in source_rows) / len(source_rows)
    old = sum((TODAY - c["last_checked"]).days > 365 for c in credentials) / len(credentials)
    assert old == pytest.approx(source_old, abs=0.035)
    assert 0 < old < 1  # some recent, many old
    assert len({c["last_checked"] for c in credentials}) > 100  # spread, not a few scrape dates


# --------------------------------------------------------------------------------------------
# Command line and import
# --------------------------------------------------------------------------------------------


def test_main_writes_json_that_imports_without_rejections(tmp_path, capsys):
    out = tmp_path / "synthetic.json"
    assert synthetic.main(["600", str(out), "--seed", "5", "--today", TODAY.isoformat()]) == 0
    assert "600 credentials" in capsys.readouterr().out
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) == {"providers", "credentials"}
    result = import_file(out, "json", today=TODAY)
    assert result.rejected == []
    assert len(result.credentials) == 600 and len(result.providers) == len(doc["providers"])
    assert check_entries(result.providers, result.credentials) == []
    fields = ("id", "title", "provider", "career_aims", "price", "duration_weeks", "credit", "last_checked")
    generated = synthetic.generate(600, seed=5, today=TODAY)[1]
    assert [[c[k] for k in fields] for c in result.credentials] == [[c[k] for k in fields] for c in generated]


def test_missing_listings_fall_back_to_the_default_catalogue(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="bench.synthetic"):
        fit = synthetic.fitted_distributions(str(tmp_path))
    assert [s.name for s in fit.sources] == [synthetic.CATALOGUE_SOURCE]
    assert "falling back to the default catalogue only" in caplog.text
