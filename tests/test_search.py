"""The recommendation query in SQL gives the same answer as ranking the whole catalogue in Python."""

from __future__ import annotations

import dataclasses
import random

from bot.advice.matching import Constraints, counted_fitting, rank
from bot.advice.service import in_field, near_wanted
from bot.catalogue.repository import credentials_for_aims, exchange_rates
from bot.catalogue.search import search
from bot.language.aims import AIM_CODES, TECH_AIMS
from bot.language.fields import FIELD_BY_CODE, FIELDS, field_terms, focus_terms
from bot.language.parsing import Budget
from tests.conftest import TODAY

LEVELS = ("beginner", "intermediate", "advanced")
KINDS = ("university", "company", "platform", "professional_body")
TYPES = ("professional_certificate", "micromasters", "short_course", "microcredential")


def random_constraints(rng: random.Random) -> Constraints:
    roll = rng.random()
    if roll < 0.1:
        aims = ()
    elif roll < 0.15:
        aims = tuple(TECH_AIMS)
    else:
        aims = tuple(rng.sample(sorted(AIM_CODES), rng.choice((1, 1, 1, 2, 2, 3))))
    budget = rng.choice(
        [
            None,
            Budget("unlimited"),
            Budget("free"),
            Budget("limit", rng.choice((50, 200, 500, 1000, 3000)), rng.choice(("GBP", "USD", "EUR", "AUD", "INR"))),
            Budget("limit", rng.choice((100, 400)), None),  # no currency: compared in the credential's own
            Budget("limit", 30000, "JPY"),  # a currency with no rate: a caveat, not a break
        ]
    )
    return Constraints(
        aims=aims,
        budget=budget,
        weeks=rng.choice((None, 2, 4, 8, 12, 26, 52)),
        hours_per_week=rng.choice((None, 1, 3, 5, 10, 20)),
        credit_required=rng.random() < 0.15,
        credential_type=rng.choice((None,) * 8 + TYPES),
        online_only=rng.random() < 0.2,
        level=rng.choice((None,) * 6 + LEVELS),
        provider_kinds=rng.choice(((),) * 6 + (("university",), ("company", "platform"))),
        substantial=rng.random() < 0.15,
        hands_on=rng.random() < 0.1,
        experience=rng.choice((None, None, "new", "some", "experienced")),
        region=rng.choice((None, None, "us", "uk", "scotland")),
        **_field(rng),
    )


def _field(rng: random.Random) -> dict:
    """Now and then a field the person named, with the words its credentials carry."""
    if rng.random() < 0.7:
        return {}
    codes = tuple(rng.sample([f.code for f in FIELDS], rng.choice((1, 1, 2))))
    said = [rng.choice(FIELDS).words[0].rstrip("*") for _ in range(2)] + [
        w.rstrip("*") for w in FIELD_BY_CODE[codes[0]].words[:1]
    ]
    return {"fields": codes, "field_terms": field_terms(codes), "focus_terms": focus_terms(said, codes)}


def test_search_matches_the_reference_ranking(any_engine):
    rng = random.Random(7)
    records = credentials_for_aims(any_engine, [])
    rates = exchange_rates(any_engine)
    n = 5
    checked = nonempty = 0
    for _ in range(300):
        c = random_constraints(rng)
        exclude = set(rng.sample([r.id for r in records], 5)) if rng.random() < 0.2 else set()
        cheaper = rng.choice((None,) * 8 + (100.0, 600.0))
        fitting, near = rank(records, c, rates, TODAY, 365, exclude, cheaper)
        want_fit = fitting[:n]
        # options off the person's level do not count: what may fit and suits it is looked for too
        want_near = near[: near_wanted(counted_fitting(want_fit, c), n)]
        got_fit, got_near = search(
            any_engine, c, rates, TODAY, 365, exclude, cheaper, n=n, near_wanted=lambda found: near_wanted(found, n)
        )
        assert [m.record.id for m in got_fit] == [m.record.id for m in want_fit], c
        assert [m.record.id for m in got_near] == [m.record.id for m in want_near], c
        assert [m.fit for m in got_fit] == [m.fit for m in want_fit]
        checked += 1
        nonempty += bool(want_fit)
    assert checked == 300 and nonempty > 60  # the cases exercise real lists, not only empty ones


def test_a_subscription_that_fits_only_at_the_persons_faster_pace_is_found_by_the_query(any_engine):
    # UC San Diego's Bioinformatics: $49 a month, 30 weeks at 5 h (7 months, $343); at 6 h a week about
    # 25 weeks, so 6 months, $294: within $300 and 26 weeks
    records = credentials_for_aims(any_engine, [])
    rates = exchange_rates(any_engine)
    budget = Budget("limit", 300.0, "USD")
    c = in_field(
        Constraints(aims=("science_specialist",), budget=budget, weeks=26.0, hours_per_week=6.0), "bioinformatics"
    )
    want = [m.record.id for m in rank(records, c, rates, TODAY)[0]]
    got = search(any_engine, c, rates, TODAY, 365, n=len(want) + 5)[0]
    assert "ucsd-bioinformatics-specialization" in want
    assert [m.record.id for m in got] == want
    [ucsd] = [m for m in got if m.record.id == "ucsd-bioinformatics-specialization"]
    assert ucsd.total_cost == 49.0 * 6


def test_filters_leave_out_what_was_not_asked_for(advisor):
    def shown(aim, **filters):
        return advisor.recommend(Constraints(aims=(aim,), budget=Budget("unlimited"), **filters)).shown

    assert any(m.record.delivery_mode not in ("online_self_paced", "online_cohort") for m in shown("education"))
    online = shown("education", online_only=True)
    assert online and all(m.record.delivery_mode in ("online_self_paced", "online_cohort") for m in online)
    assert any(m.record.provider_kind != "university" for m in shown("tech_data"))
    uni = shown("tech_data", provider_kinds=("university",))
    assert uni and all(m.record.provider_kind == "university" for m in uni)
    assert any(m.record.level != "beginner" for m in shown("tech_cloud"))
    beginner = shown("tech_cloud", level="beginner")
    assert beginner and all(m.record.level == "beginner" for m in beginner)
    # "something more substantial": nothing known to take under 30 hours of study
    small = [
        m for m in shown("science_specialist") if (m.record.duration_weeks or 99) * (m.record.hours_per_week or 99) < 30
    ]
    assert small
    big = shown("science_specialist", substantial=True)
    assert big and all((m.record.duration_weeks or 99) * (m.record.hours_per_week or 99) >= 30 for m in big)
    # "hands-on exams rather than multiple choice": only what the catalogue says is assessed hands-on
    assert any("hands-on" not in (m.record.assessment_type or "") for m in shown("tech_cloud"))
    hands_on = shown("tech_cloud", hands_on=True)
    assert hands_on and all(
        "performance-based" in m.record.assessment_type or "hands-on" in m.record.assessment_type for m in hands_on
    )
    text = advisor.recommend(
        Constraints(aims=("education",), online_only=True, level="beginner", provider_kinds=("university",))
    ).text()
    assert "online only" in text and "beginner level" in text and "from universities" in text


def test_a_catalogue_held_in_memory_answers_as_the_database_does_and_is_read_again_after_an_import(any_engine):
    import threading
    import time

    from bot.catalogue.reader import SqlCatalogue

    rng = random.Random(11)
    held, in_sql = SqlCatalogue(any_engine, hold_seconds=0.2), SqlCatalogue(any_engine)
    rates = exchange_rates(any_engine)
    n = 5
    for _ in range(120):
        c = random_constraints(rng)
        cheaper = rng.choice((None,) * 8 + (100.0, 600.0))
        args = (c, rates, TODAY, 365, (), cheaper, n, lambda found: near_wanted(found, n))
        got, want = held.search(*args), in_sql.search(*args)
        assert [[m.record.id for m in part] for part in got] == [[m.record.id for m in part] for part in want], c
    assert held.held() is not None and in_sql.held() is None
    ids = ["google-it-support", "nope", "pmi-capm"]
    assert [r.id for r in held.by_ids(ids)] == [r.id for r in in_sql.by_ids(ids)] == ["google-it-support", "pmi-capm"]
    # a credential retired by an import shows in answers once the copy is older than hold_seconds
    before = held.by_ids(["pmi-capm"])[0].status
    with any_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE credentials SET status = 'retired' WHERE id = 'pmi-capm'")
    time.sleep(0.3)
    held.held()  # older than hold_seconds: read again in the background, the old copy answers meanwhile
    deadline = time.monotonic() + 10
    while held.by_ids(["pmi-capm"])[0].status == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert before == "active" and held.by_ids(["pmi-capm"])[0].status == "retired"
    held.hold_seconds = 0  # no more reading; the last one ends before the database is dropped
    for thread in threading.enumerate():
        if thread.name == "catalogue-refresh":
            thread.join(10)


def test_a_qualification_only_for_england_is_not_offered_to_someone_in_scotland(advisor):
    # "I'm a primary teacher in Glasgow hoping to move into school leadership": England's NPQs are not theirs
    def shown(region):
        fields = ("educational_leadership",)
        c = Constraints(
            aims=("education",),
            budget=Budget("limit", 5000, "GBP"),
            weeks=104,
            hours_per_week=6,
            fields=fields,
            field_terms=field_terms(fields),
            region=region,
        )
        return [m.record.id for m in advisor.recommend(c).shown]

    npqs = {"dfe-npqsl-senior-leadership", "dfe-npqh-headship"}
    assert npqs & set(shown("uk")) and npqs & set(shown(None))  # someone in the UK may be in England
    glasgow = shown("scotland")
    assert glasgow and not npqs & set(glasgow)
    assert "uoe-pgcert-leadership-and-learning" in glasgow  # Scotland's own route to school leadership stays
    # left out, and said so: not silently dropped
    fields = ("educational_leadership",)
    c = Constraints(aims=("education",), fields=fields, field_terms=field_terms(fields), region="scotland")
    said = advisor.recommend(c).text()
    assert "Not listed because you said you are in Scotland:" in said and "(England only)" in said
    assert "Not listed because" not in advisor.recommend(dataclasses.replace(c, region="uk")).text()
