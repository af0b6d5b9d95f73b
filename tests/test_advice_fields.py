"""Fields as people name them, and what is set apart from a list (not silently dropped): a named product's
rivals, a field's on-site courses for someone who can only study online, short courses for someone who asked
for something substantial."""

from __future__ import annotations

import dataclasses

from bot.language.fields import detect_fields, field_terms, focus_terms
from bot.model import Budget, Constraints


def constraints(texts: list[str], **kw) -> Constraints:
    """What the assistant would hold after ``texts``: their fields, and the person's words for them."""
    fields = tuple(kw.pop("fields", None) or detect_fields(" ".join(texts)))
    return Constraints(fields=fields, field_terms=field_terms(fields), focus_terms=focus_terms(texts, fields), **kw)


def test_someone_who_asks_for_aws_is_shown_aws_and_told_what_else_was_set_apart(advisor):
    said = "I am system admin assistant in Osaka, 2 years experience with Windows server. I want AWS certification."
    c = constraints(
        [said],
        aims=("tech_cloud",),
        budget=Budget("limit", 3000.0, "JPY"),
        weeks=9.0,
        hours_per_week=5.0,
        experience="some",
    )
    rec = advisor.recommend(c)
    titles = [m.record.title for m in rec.shown]
    assert titles and all("AWS" in t for t in titles), titles
    assert "Not listed because you asked about AWS: Microsoft Azure Fundamentals" in rec.text()
    # someone who named no vendor sees them all
    plain = advisor.recommend(dataclasses.replace(c, focus_terms=("cloud",)))
    assert any("Azure" in m.record.title for m in plain.shown)
    assert "Not listed because you asked about" not in plain.text()


def test_power_bi_keeps_the_power_platform_exam_and_sets_tableau_apart(advisor):
    said = ["I'd like to get properly qualified in Power BI", "never used Power BI"]
    c = constraints(
        said,
        aims=("tech_data",),
        budget=Budget("limit", 400.0, "EUR"),
        weeks=13.0,
        hours_per_week=6.0,
        experience="new",
    )
    listed = [m.record.id for m in advisor.recommend(c).shown]
    assert listed[:2] == ["microsoft-pl-300", "microsoft-pl-900"], listed
    assert not [i for i in listed if i.startswith(("tableau", "qlik"))]


def test_lab_leadership_is_its_own_field_and_its_on_site_courses_are_named_to_someone_online_only(advisor):
    said = "Postdoc planning to apply for group leader positions. Is there training in leadership / running a lab?"
    assert detect_fields(said) == ["research_leadership"]
    c = constraints(
        [said],
        aims=("academic",),
        budget=Budget("limit", 2000.0, "EUR"),
        weeks=26.0,
        hours_per_week=3.0,
        online_only=True,
        experience="some",
    )
    rec, related = advisor.recommend_in_field(c)
    # no research-methods course stands in for it: the field has nothing online, and says so
    assert rec.shown == [] and related is None
    assert "Not listed because you asked for online only: EMBO Laboratory Leadership" in rec.text()
    rec, _ = advisor.recommend_in_field(dataclasses.replace(c, online_only=False))
    assert rec.shown[0].record.id == "embo-lab-leadership-postdocs"


def test_epidemiology_specifically_lists_epidemiology_not_general_public_health(advisor):
    assert detect_fields("I want epidemiology specifically") == ["epidemiology"]
    assert detect_fields("public health, especially epidemiology") == ["epidemiology"]
    c = constraints(
        ["I'm a care assistant, I want to move towards public health", "I want epidemiology specifically"],
        fields=("epidemiology",),
        aims=("healthcare",),
        budget=Budget("limit", 100.0, "USD"),
        weeks=13.0,
        hours_per_week=4.0,
        experience="new",
    )
    rec = advisor.recommend(c)
    assert rec.shown and all(m.record.id.startswith("jhu-") for m in rec.shown), [m.record.id for m in rec.shown]
    assert "Epidemiology in Public Health Practice Specialization (costs $49 a month" in rec.text()


def test_something_substantial_leaves_out_short_courses_whose_size_is_not_stated(advisor):
    c = constraints(
        ["I have a PhD in molecular biology and want to move into bioinformatics", "something more substantial"],
        aims=("academic", "science_specialist"),
        budget=Budget("limit", 400.0, "EUR"),
        weeks=26.0,
        hours_per_week=6.0,
        experience="some",
        substantial=True,
    )
    shown = advisor.recommend(c).shown
    assert shown and not [m.record.id for m in shown if m.record.credential_type == "short_course"]
    assert "harvardx-data-analysis-life-sciences" in [m.record.id for m in shown]  # a professional certificate
    loose = advisor.recommend(dataclasses.replace(c, substantial=False)).shown
    assert [m.record.id for m in loose if m.record.credential_type == "short_course"]


def test_data_on_its_own_reads_as_data_analysis_and_a_named_kind_of_data_work_wins():
    assert detect_fields("data i guess") == ["data_analysis"]
    assert detect_fields("health data") == ["health_informatics"]
    assert detect_fields("I want to get into data science") == ["data_science"]
    assert detect_fields("I am a principal investigator") == ["research_leadership"]  # not a school principal


def test_an_mba_is_general_management_and_years_spent_managing_are_experience_in_it():
    from bot.language.filters import experience_in

    said = "I've managed an operations team for 12 years. I don't have time for a full MBA. Something MBA-like?"
    fields = detect_fields(said)
    assert fields == ["business_foundations", "leadership"]
    assert experience_in(said, fields) == "experienced"
    # years spent managing something else are next to a field that is not management: some experience
    assert experience_in("I've been a store manager for 8 years and want a career in HR", ["human_resources"]) == "some"
    assert experience_in("led a team for 2 years", ["leadership"]) != "experienced"


def test_a_field_turned_down_is_not_listed_and_the_reply_says_so(advisor):
    from bot.language.fields import refused_fields

    said = ["I want to get into data science. I know some Python. Not interested in marketing analytics, please."]
    assert refused_fields(said, ["data_science"]) == ("marketing_analytics",)
    assert refused_fields(["actually I do want marketing analytics"], ["marketing_analytics"]) == ()
    c = constraints(
        ["I want to work with data"],
        aims=("tech_data",),
        budget=Budget("limit", 50.0, "GBP"),
        weeks=104.0,
        hours_per_week=5.0,
        experience="new",
    )
    assert "google-analytics-certification" in [m.record.id for m in advisor.recommend(c).shown]
    rec = advisor.recommend(dataclasses.replace(c, refused=("marketing_analytics",)))
    assert "google-analytics-certification" not in [m.record.id for m in rec.shown]
    said = "Not listed because you said you are not interested in marketing analytics: Google Analytics Certification"
    assert said in rec.text()


def test_free_only_names_options_without_a_stated_price_apart(advisor):
    c = constraints(
        ["I'm a PhD student in ecology and I'd love to get into science communication", "Free please"],
        aims=("science_communication",),
        budget=Budget("free", None, None),
        weeks=9.0,
        hours_per_week=3.0,
        experience="new",
    )
    rec = advisor.recommend(c)
    listed = [m.record.id for m in rec.shown]
    assert listed and "stonybrook-alda-communication-training" not in listed
    assert all(m.record.price_amount is not None for m in rec.shown)
    assert (
        "Alda Method communication workshops for scientists (price not stated in our data, so not known to be free)"
        in rec.text()
    )
    # with a budget in money, an option whose price is not stated may fit: listed, marked as not checked
    paid = advisor.recommend(dataclasses.replace(c, budget=Budget("limit", 500.0, "USD")))
    assert "stonybrook-alda-communication-training" in [m.record.id for m in paid.shown]


async def test_the_same_broad_aim_said_again_keeps_the_field_and_a_new_one_clears_it():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.form import ValidateAdviceForm
    from tests.test_actions import DOMAIN, slot_events, tracker

    held = {
        "career_aim": ["healthcare"],
        "fields": ["epidemiology"],
        "budget": {"kind": "limit", "amount": 100.0, "currency": "GBP", "text": "£100"},
        "requested_slot": "weeks",
    }
    said = "around 5 hrs a week, want to be done in 3 months ish before I apply for a band 6 health protection role"
    events = slot_events(
        await ValidateAdviceForm().run(
            CollectingDispatcher(), tracker(said, slots=held, active_loop="advice_form"), DOMAIN
        )
    )
    assert events.get("fields", ["epidemiology"]) == ["epidemiology"] and events["weeks"] == 13.0
    said = "actually I want to work in cloud computing instead"
    events = slot_events(
        await ValidateAdviceForm().run(
            CollectingDispatcher(), tracker(said, slots=held, active_loop="advice_form"), DOMAIN
        )
    )
    assert events.get("fields") in (["cloud_computing"], [])


def test_everyday_words_in_a_question_do_not_name_an_option():
    from bot.advice.questions import name_words

    assert "look" not in name_words("ok cool which one would look best to employers")


async def test_is_it_actually_free_about_an_option_is_answered_not_read_as_a_new_budget_or_aim(advisor):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.common import set_advisor, slots_in
    from actions.scope import ActionUnsure
    from tests.test_actions import DOMAIN, tracker

    held = {
        "career_aim": ["business_management"],
        "budget": {"kind": "limit", "amount": 50.0, "currency": "GBP", "text": "£50"},
        "weeks": 10.0,
        "hours_per_week": 4.5,
        "shown_ids": ["openlearn-fundamentals-of-accounting", "saylor-bus606-operations-supply-chain"],
    }
    set_advisor(advisor)
    said = "ooh the supply chain one sounds good, is it actually free or just free to audit"
    assert slots_in(said, tracker(said, slots=held)) == {}  # no new budget ("free"), no new aim (the same again)
    d = CollectingDispatcher()
    await ActionUnsure().run(d, tracker(said, intent="nlu_fallback", slots=held), DOMAIN)
    assert d.messages[0]["text"].startswith("Saylor Academy BUS606: Operations and Supply Chain Management: free")
    set_advisor(None)


def test_a_dollar_sign_beside_another_dollar_currency_is_that_currency():
    from bot.language.parsing import parse_budget

    said = "budget up to $2,000, I'm in Canada so CAD if that matters"
    assert (parse_budget(said).amount, parse_budget(said).currency) == (2000.0, "CAD")
    assert parse_budget("$500").currency == "USD"
    assert parse_budget("up to $1500 (US)").currency == "USD"


def test_years_worked_in_the_persons_own_field_are_experience_in_it():
    from bot.language.filters import experience_in

    said = (
        "Bonjour, je travaille dans la logistique depuis 6 ans à Lyon et je voudrais une certification en supply chain"
    )
    assert detect_fields(said) == ["supply_chain"]
    assert experience_in(said, ["supply_chain"]) == "experienced"
    assert experience_in("I have worked in logistics for 6 years", ["supply_chain"]) == "experienced"
    # years in another line of work are next to the field, not in it
    assert experience_in("I have worked in retail for 6 years and want to get into HR", ["human_resources"]) == "some"


def test_turning_a_field_down_is_no_new_aim():
    from bot.language.fields import aim_change

    assert aim_change("not interested in anything about coding", ["education"], ["instructional_design"]) == ([], [])
    assert aim_change("actually I want to learn coding", ["education"], ["instructional_design"])[0] == [
        "tech_software"
    ]
