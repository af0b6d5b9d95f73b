"""Matching and explanations on hand-made records: every reason and caveat comes from the data."""

import datetime as dt

import pytest

from bot.advice.costs import total_cost
from bot.advice.explain import detail_text, recommendation_text
from bot.advice.matching import Constraints, CredentialRecord, Rates, evaluate, rank
from bot.language.parsing import Budget

TODAY = dt.date(2026, 11, 23)
RATES = Rates({"USD": 1.0, "GBP": 1.25, "EUR": 1.1})


def record(**kw) -> CredentialRecord:
    base = dict(
        id="x",
        title="Cloud Basics",
        provider="Acme University",
        provider_legitimacy="verified",
        platform=None,
        credential_type="short_course",
        aims=("tech_cloud",),
        topics=(),
        price_amount=100.0,
        price_currency="GBP",
        price_basis="one_off",
        free_to_audit=False,
        certificate_price=None,
        duration_weeks=4.0,
        hours_per_week=5.0,
        delivery_mode="online_cohort",
        level_eqf=None,
        level="beginner",
        credit_value=None,
        credit_system=None,
        credit_status=None,
        credit_note=None,
        assessment_type="quizzes",
        assessment_supervised=False,
        qa_type="none stated",
        qa_body=None,
        recognitions=(),
        stackable_into=None,
        source_url="https://example.org/cloud",
        last_checked=dt.date(2026, 6, 1),
    )
    base.update(kw)
    return CredentialRecord(**base)


def constraints(**kw) -> Constraints:
    base = dict(aims=("tech_cloud",), budget=Budget("limit", 200.0, "GBP"), weeks=8.0, hours_per_week=6.0)
    base.update(kw)
    return Constraints(**base)


def test_a_fitting_credential_says_why_for_aim_budget_and_time():
    m = evaluate(record(), constraints(), RATES, TODAY)
    assert m.breaks == []
    text = " ".join(m.fit)
    assert "cloud computing" in text and "£100" in text and "within your £200" in text and "4 weeks" in text


def test_over_budget_names_the_overshoot():
    m = evaluate(record(price_amount=240.0), constraints(), RATES, TODAY)
    assert m.breaks == ["budget"]
    assert m.break_reasons == ["costs £240, £40 over your budget"]


def test_weekly_hours_break_names_both_numbers():
    m = evaluate(record(hours_per_week=8.0), constraints(hours_per_week=5.0), RATES, TODAY)
    assert m.breaks == ["weekly_hours"]
    assert m.break_reasons == ["needs 8 h a week, you have 5 h"]


def test_self_paced_stretches_to_the_hours_available_or_says_it_takes_too_long():
    r = record(delivery_mode="online_self_paced", duration_weeks=4.0, hours_per_week=10.0)
    ok = evaluate(r, constraints(weeks=10.0, hours_per_week=5.0), RATES, TODAY)
    assert ok.breaks == [] and "about 8 weeks at your 5 h a week" in " ".join(ok.fit)
    late = evaluate(r, constraints(weeks=6.0, hours_per_week=5.0), RATES, TODAY)
    assert late.breaks == ["time"]
    assert "8 weeks at your 5 h a week, you have 6 weeks" in late.break_reasons[0]


def test_self_paced_goes_faster_with_more_hours_than_planned_and_is_paid_for_the_months_needed():
    # 30 weeks at 5 h (150 h) is about 25 weeks at 6 h a week: within 26 weeks, not "takes 30 weeks"
    r = record(
        delivery_mode="online_self_paced",
        duration_weeks=30.0,
        hours_per_week=5.0,
        price_basis="per_month",
        price_amount=49.0,
        price_currency="USD",
    )
    m = evaluate(r, constraints(weeks=26.0, hours_per_week=6.0, budget=Budget("limit", 500.0, "USD")), RATES, TODAY)
    assert m.breaks == [] and "about 150 hours, so about 25 weeks at your 6 h a week" in " ".join(m.fit)
    assert m.total_cost == 49.0 * 6  # the months this person needs: 25 weeks, not the provider's 30
    cohort = evaluate(
        record(delivery_mode="online_cohort", duration_weeks=30.0, hours_per_week=5.0),
        constraints(weeks=26.0, hours_per_week=6.0),
        RATES,
        TODAY,
    )
    assert cohort.breaks == ["time"]  # a cohort runs at its own pace


def test_a_course_as_long_as_the_time_shown_is_within_it_not_a_break():
    # "5 months" is 21.7 weeks, shown as 22: a 22-week course is within it, never "takes 22 weeks, you have 22"
    five_months = constraints(weeks=5 * 52 / 12, hours_per_week=10.0)
    m = evaluate(record(duration_weeks=22.0, hours_per_week=10.0), five_months, RATES, TODAY)
    assert m.breaks == [] and "22 weeks at about 10 h a week, within your 22 weeks" in " ".join(m.fit)
    longer = evaluate(record(duration_weeks=23.0, hours_per_week=10.0), five_months, RATES, TODAY)
    assert longer.breaks == ["time"] and longer.break_reasons == ["takes 23 weeks, you have 22 weeks"]


def test_currency_conversion_is_labelled_approximate():
    m = evaluate(record(price_amount=100.0, price_currency="USD"), constraints(), RATES, TODAY)
    assert m.breaks == []
    assert "about £80, approximate conversion" in " ".join(m.fit)


def test_subscription_cost_grows_with_the_months_taken():
    r = record(price_amount=49.0, price_currency="USD", price_basis="per_month", duration_weeks=26.0)
    assert total_cost(r) == 49.0 * 6
    m = evaluate(r, constraints(budget=Budget("limit", 100.0, "USD"), weeks=30.0, hours_per_week=10.0), RATES, TODAY)
    assert m.breaks == ["budget"]
    assert "Subscription: it costs more the longer you take." in m.caveats


def test_free_budget_breaks_for_a_paid_certificate_but_mentions_audit():
    r = record(price_amount=49.0, price_currency="USD", free_to_audit=True)
    m = evaluate(r, constraints(budget=Budget("free", 0.0)), RATES, TODAY)
    assert m.breaks == ["budget"]
    assert "you want free options" in m.break_reasons[0]
    assert any("audit" in f for f in m.fit)
    assert "Free to audit, but the certificate is paid." in m.caveats


def test_caveats_come_from_the_data():
    stale = record(last_checked=dt.date(2024, 1, 10), provider_legitimacy="unverified")
    caveats = evaluate(stale, constraints(), RATES, TODAY).caveats
    assert "No employer or university recognition is recorded for it." in caveats
    assert "No external quality assurance or accreditation is stated." in caveats
    assert "Assessment is not supervised or identity-checked." in caveats
    assert "The provider's legitimacy is not verified in our data." in caveats
    assert any("2024-01-10, over a year ago" in c for c in caveats)
    good = record(
        recognitions=(("ACE", "https://ace.example"),),
        qa_type="university QA",
        qa_body="QAA",
        assessment_supervised=True,
        credit_value=15.0,
        credit_system="UK_CATS",
        credit_status="awarded",
    )
    caveats = evaluate(good, constraints(), RATES, TODAY).caveats
    assert not any("recognition" in c or "quality assurance" in c or "supervised" in c for c in caveats)
    assert "Credit is awarded, but another university decides whether to accept it." in caveats


def test_credit_required_is_a_break_when_there_is_none():
    m = evaluate(record(), constraints(credit_required=True), RATES, TODAY)
    assert "credit" in m.breaks


def test_rank_keeps_only_the_aim_and_orders_fitting_before_near_misses():
    records = [
        record(id="a", price_amount=150.0),
        record(id="b", price_amount=50.0, recognitions=(("Employer body", None),)),
        record(id="c", aims=("tech_data",)),
        record(id="d", price_amount=500.0),
    ]
    fitting, near = rank(records, constraints(), RATES, TODAY)
    assert [m.record.id for m in fitting] == ["b", "a"]
    assert [m.record.id for m in near] == ["d"]


def test_near_misses_are_ordered_by_how_badly_they_break():
    records = [record(id="far", price_amount=900.0), record(id="near", price_amount=230.0)]
    fitting, near = rank(records, constraints(), RATES, TODAY)
    assert fitting == [] and [m.record.id for m in near] == ["near", "far"]
    text = recommendation_text(fitting, near, constraints())
    assert text.startswith("Nothing in our catalogue fits all of that")
    assert "£30 over your budget" in text


def test_payload_item_has_every_documented_field():
    m = evaluate(
        record(credit_value=15.0, credit_system="UK_CATS", credit_status="awarded"), constraints(), RATES, TODAY
    )
    item = m.to_item()
    for key in (
        "id",
        "title",
        "provider",
        "url",
        "price",
        "free_to_audit",
        "duration_weeks",
        "hours_per_week",
        "credit",
        "fit",
        "caveats",
        "breaks",
        "last_checked",
    ):
        assert key in item
    assert item["price"] == {"amount": 100.0, "currency": "GBP", "basis": "one_off"}
    assert item["credit"] == {"value": 15.0, "system": "UK_CATS", "awarded": True}
    assert item["last_checked"] == "2026-06-01"


@pytest.mark.parametrize(
    "status,phrase",
    [
        ("awarded", "Yes: it awards 15 UK credits (CATS)"),
        ("recommended", "only recommended"),
        ("pathway", "only if you are admitted"),
    ],
)
def test_credit_is_described_by_its_status(status, phrase):
    r = record(credit_value=15.0, credit_system="UK_CATS", credit_status=status)
    assert phrase in detail_text(r, "credit")


def test_detail_text_never_claims_recognition_the_data_lacks():
    text = detail_text(record(), "recognition")
    assert "No employer or university recognition is recorded" in text
    assert "Source: https://example.org/cloud (checked 2026-06-01)" in text
    text = detail_text(record(qa_type="none stated"), "accreditation")
    assert "no external quality assurance or accreditation" in text


def test_a_monthly_price_of_unknown_length_is_not_totalled_as_one_month():
    monthly = dict(price_amount=49.0, price_currency="USD", price_basis="per_month")
    text = detail_text(record(duration_weeks=None, **monthly), "price")
    assert "$49 a month" in text and "at the usual pace" not in text and "length is not stated" in text
    assert "about $147 at the usual pace" in detail_text(record(duration_weeks=12.0, **monthly), "price")


def test_a_recognition_answer_for_a_named_country_says_how_employers_there_judge_it():
    text = detail_text(record(), "recognition", "australia")
    assert "No employer or university recognition is recorded" in text  # nothing claimed for the credential
    assert "Australian Qualifications Framework (AQF)" in text
    assert "AQF" not in detail_text(record(), "recognition")


def test_an_unknown_price_never_counts_as_within_a_stated_budget():
    m = evaluate(record(price_amount=None, price_currency=None), constraints(), RATES, TODAY)
    assert not m.fits and m.breaks == [] and m.unknown == ["budget"]
    assert "can't check it against your budget" in m.unknown_reasons[0]
    assert m.to_item()["unknown"] == ["budget"]
    free = evaluate(record(price_amount=None), constraints(budget=Budget("free", 0.0)), RATES, TODAY)
    assert free.unknown == ["budget"] and not free.fits
    unlimited = evaluate(record(price_amount=None), constraints(budget=Budget("unlimited")), RATES, TODAY)
    assert unlimited.fits and any("Price not stated" in c for c in unlimited.caveats)


def test_an_unknown_workload_is_never_counted_as_fitting_a_stated_time():
    no_length = evaluate(record(duration_weeks=None), constraints(), RATES, TODAY)
    assert not no_length.fits and no_length.unknown == ["time"] and no_length.breaks == []
    no_hours = evaluate(record(hours_per_week=None), constraints(), RATES, TODAY)
    assert not no_hours.fits and no_hours.unknown == ["weekly_hours"]
    fitting, near = rank([record(id="unknown", duration_weeks=None), record(id="known")], constraints(), RATES, TODAY)
    assert [m.record.id for m in fitting] == ["known"] and [m.record.id for m in near] == ["unknown"]


def test_a_subscription_of_unknown_length_is_not_costed_as_one_month():
    m = evaluate(
        record(
            price_amount=49, price_currency="USD", price_basis="per_month", duration_weeks=None, hours_per_week=None
        ),
        constraints(budget=Budget("limit", 300.0, "USD")),
        RATES,
        TODAY,
    )
    assert "budget" in m.unknown and not m.fits
    assert "over 1 month" not in " ".join(m.fit + m.unknown_reasons)


def test_eu_elements_and_rpl_credit_are_described_from_the_data():
    r = record(
        learning_outcomes=("deploy a web app on a cloud platform", "estimate cloud costs"),
        workload_hours=25.0,
        prerequisites="basic Linux",
        identity_verified=True,
        assessment_supervised=True,
        credit_value=5.0,
        credit_system="ECTS",
        credit_status="rpl",
    )
    text = detail_text(r)
    assert "You learn to: deploy a web app on a cloud platform; estimate cloud costs" in text
    assert "about 25 hours in all, as the provider states it" in text
    assert "Before you start: basic Linux" in text and "supervised, identity checked" in text
    assert "recognition of prior learning" in text
    m = evaluate(r, constraints(credit_required=True), RATES, TODAY)
    assert m.breaks == ["credit"]  # possible credit through RPL is not credit-bearing
    assert any("recognition of prior learning" in c for c in m.caveats)


def test_the_score_parts_are_the_fit_reasons():
    r = record(
        qa_body="QAA",
        qa_type="university internal QA",
        assessment_supervised=True,
        recognitions=(("Institute of Cloud Engineers", "https://example.org/ice"),),
    )
    m = evaluate(r, constraints(), RATES, TODAY)
    heads = [reason.split(":")[0] for reason in m.fit]
    assert heads == ["Aim", "Cost", "Time", "Recognition", "Quality assurance", "Assessment"]
    plain = evaluate(record(), constraints(), RATES, TODAY)
    assert m.quality > plain.quality and m.aim_part == plain.aim_part == 5.0


def test_free_says_whether_the_certificate_is_free_too():
    free = evaluate(record(price_amount=0.0), constraints(budget=Budget("free")), RATES, TODAY)
    assert "Cost: free, certificate included" in free.fit and not free.breaks
    audit = evaluate(record(price_amount=39.0, free_to_audit=True), constraints(budget=Budget("free")), RATES, TODAY)
    assert audit.breaks == ["budget"]
    assert "You can study the material free (audit), without the certificate" in audit.fit
    assert "Free to audit, but the certificate is paid." in audit.caveats


def test_an_option_comes_after_the_one_its_prerequisites_name(advisor):
    """PRINCE2 Practitioner needs a pass in PRINCE2 Foundation: whatever else ranks them, it is listed after."""
    from bot.advice.service import field_terms

    c = Constraints(
        aims=("business_management",),
        fields=("project_management",),
        field_terms=field_terms(["project_management"]),
        budget=Budget("limit", 400, "GBP"),
        weeks=13,
        hours_per_week=5,
        experience="some",
    )
    ids = [m.record.id for m in advisor.recommend(c).shown]
    assert ids.index("axelos-prince2-foundation") < ids.index("axelos-prince2-practitioner"), ids
