"""What a careers adviser would stand behind: plain yes/no answers, levels that suit the person, credit
that is credit, a word in the person's language, and help for people who are not students."""

from __future__ import annotations

import dataclasses
import re

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.common import get_advisor, set_advisor
from actions.fallback import ActionDefaultAskAffirmation
from actions.recommend import ActionCredentialDetail, ActionRecommend
from actions.scope import ActionOutOfScope
from actions.support import ActionHandoff
from bot.language.filters import experience_in
from tests.test_actions import DOMAIN, FULL, slot_events, tracker


@pytest.fixture(autouse=True)
def use_test_advisor(advisor):
    set_advisor(advisor)
    yield
    set_advisor(None)


@pytest.mark.parametrize(
    "text, start",
    [
        ("Hola, quiero estudiar un curso de ciberseguridad pero no tengo mucho dinero", "Lo siento"),
        ("Bonjour, je cherche une formation en analyse de données", "Désolé"),
        ("Hallo, ich möchte eine Weiterbildung im Bereich KI machen", "Entschuldigung"),
        (
            "Hallo, ich bin Maschinenbauingenieur mit 8 Jahren Berufserfahrung und möchte mich in Richtung KI und "
            "Machine Learning weiterbilden. Wichtig wären mir ECTS-Punkte. Was gibt es da?",
            "Entschuldigung",
        ),  # long compound words: fewer of the words are the commonest ones
        ("¿Y después de eso, qué sigo?", "Lo siento"),  # short, but only Spanish opens a question with ¿
    ],
)
async def test_a_message_in_another_language_is_told_the_assistant_works_in_english(text, start):
    for action in (ActionOutOfScope(), ActionDefaultAskAffirmation()):
        d = CollectingDispatcher()
        events = await action.run(d, tracker(text, intent="out_of_scope"), DOMAIN)
        assert d.messages[0]["text"].startswith(start)
        assert "English" in d.messages[0]["text"] and not d.messages[0].get("buttons")
        if "ciberseguridad" in text and isinstance(action, ActionOutOfScope):
            # the field said in Spanish is kept for when the conversation goes on in English
            assert {"name": "fields", "value": ["cybersecurity"]} in [
                {k: e.get(k) for k in ("name", "value")} for e in events
            ]


async def test_an_english_out_of_scope_message_gets_the_usual_answer():
    d = CollectingDispatcher()
    await ActionOutOfScope().run(d, tracker("what's the weather in Paris", intent="out_of_scope"), DOMAIN)
    assert d.messages[0]["response"] == "utter_out_of_scope"


@pytest.mark.parametrize(
    "text, level",
    [
        ("hello sir, I am a btech graduate fresher looking for a cybersecurity course", "new"),
        ("I'm a developer with ten years' experience", "experienced"),
        ("I have some experience with Excel", "some"),
        ("I want to work in cloud", None),
        # moving into a field: years of other work count as some experience; years at home as none
        ("I'm an accountant (6 years) and want to switch to web development", "some"),
        ("hi, I'm a returner after 7 years at home, want to get into project management", "new"),
        # past a beginner's level: intermediate and advanced options first, introductions flagged
        (
            "I don't want beginner stuff, I'm comfortable with Python and linear algebra. What's more advanced?",
            "experienced",
        ),
        ("I'm not a complete beginner but close", None),
        ("hey im 17 just finished school, want to get a job in IT like helpdesk. what should i do", "new"),
        ("school leaver looking at IT apprenticeships", "new"),
        # new to managing: no advanced diplomas for someone just promoted
        ("I've just been promoted to team leader at a warehouse and want a management qualification", "new"),
        ("this is my first management role", "new"),
    ],
)
def test_experience_is_read_from_what_people_say(text, level):
    assert experience_in(text) == level


async def test_someone_new_to_the_field_is_not_offered_advanced_exams_as_fitting():
    slots = dict(
        FULL,
        career_aim=["tech_cybersecurity"],
        experience="new",
        budget={"kind": "unlimited"},
        weeks=52.0,
        hours_per_week=10.0,
    )
    d = CollectingDispatcher()
    shown = slot_events(await ActionRecommend().run(d, tracker(slots=slots), DOMAIN))["shown_ids"]
    items = d.messages[0]["custom"]["items"] if "custom" in d.messages[0] else d.messages[0]["json_message"]["items"]
    fitting = [i["id"] for i in items if not i["breaks"] and not i["unknown"]]
    assert fitting and not {"isc2-cissp", "isaca-cism", "google-cloud-professional-cloud-security-engineer"} & set(
        fitting
    )
    assert shown


async def test_an_experienced_developer_is_not_offered_an_introduction_as_fitting(advisor):
    from bot.model import Budget, Constraints

    c = Constraints(
        aims=("tech_ai",), budget=Budget("unlimited"), weeks=52.0, hours_per_week=10.0, experience="experienced"
    )
    rec = advisor.recommend(c)
    assert "elements-of-ai" not in [m.record.id for m in rec.fitting]
    near = [
        m
        for m in advisor.recommend(c, exclude=[m.record.id for m in rec.fitting]).near
        if m.record.id == "elements-of-ai"
    ]
    assert not near or "introductory" in " ".join(near[0].break_reasons)


async def test_accredited_and_credit_questions_are_answered_yes_or_no_first():
    shown = ["google-it-support"]
    for intent, first in (("ask_accreditation", "No:"), ("ask_credit", "Not as such:")):
        d = CollectingDispatcher()
        await ActionCredentialDetail().run(
            d, tracker("is the first one accredited?", intent=intent, slots=dict(FULL, shown_ids=shown)), DOMAIN
        )
        assert d.messages[0]["text"].startswith(first), d.messages[0]["text"]
    d = CollectingDispatcher()
    await ActionCredentialDetail().run(
        d, tracker("does it carry credit", intent="ask_credit", slots=dict(FULL, shown_ids=shown)), DOMAIN
    )
    assert "outside the US they seldom count" in d.messages[0]["text"]


async def test_credit_bearing_only_leaves_out_credit_that_is_only_recommended(advisor):
    from bot.model import Budget, Constraints

    c = Constraints(
        aims=("tech_it_support",), budget=Budget("unlimited"), weeks=52.0, hours_per_week=10.0, credit_required=True
    )
    assert [m.record.id for m in advisor.recommend(c).fitting if m.record.credit_status == "recommended"] == []


async def test_credit_recommended_by_aces_counts_for_someone_in_the_us_and_is_said_to_be_only_recommended(advisor):
    from bot.model import Budget, Constraints

    c = Constraints(
        aims=("tech_data",), budget=Budget("limit", 400, "USD"), weeks=35.0, hours_per_week=8.0, credit_required=True
    )
    assert "google-data-analytics" not in [m.record.id for m in advisor.recommend(c).fitting]
    in_us = advisor.recommend(dataclasses.replace(c, region="us")).fitting
    google = next(m for m in in_us if m.record.id == "google-data-analytics")
    assert any("recommended (not awarded)" in reason and "each college decides" in reason for reason in google.fit)


async def test_when_nothing_in_the_field_fits_the_related_field_that_does_comes_first_and_is_named():
    # machine learning, credit-bearing only, EUR 300: nothing in the field carries credit; Elements of AI does
    slots = dict(
        FULL,
        career_aim=["tech_ai"],
        fields=["machine_learning"],
        budget={"kind": "limit", "amount": 300.0, "currency": "EUR", "text": "300 euro"},
        weeks=22.0,
        hours_per_week=5.0,
        credit_required=True,
    )
    d = CollectingDispatcher()
    await ActionRecommend().run(d, tracker("budget max 300 euro, 5 hours a week, 5 months", slots=slots), DOMAIN)
    text = d.messages[0]["text"]
    assert text.startswith("Nothing in machine learning and AI engineering fits everything you told me")
    assert "nearest related field, AI for non-specialists" in text
    items = d.messages[0]["custom"]["items"]
    assert items[0]["id"] == "elements-of-ai" and not items[0]["breaks"]
    # the field's own options carry no credit: none is offered as "nearest" to someone who asked for credit
    assert all("credit" not in item["breaks"] for item in items)


async def test_is_there_anything_that_also_gives_credit_is_a_search_not_a_question_about_one_option():
    from actions.common import constraints_from
    from bot.advice.service import constraints_snapshot

    slots = dict(
        FULL,
        career_aim=["tech_data", "healthcare"],
        fields=["health_informatics"],
        budget={"kind": "limit", "amount": 400.0, "currency": "USD", "text": "$400"},
        weeks=35.0,
        hours_per_week=8.0,
        credit_required=True,
        region="us",
        shown_ids=["google-data-analytics", "ibm-data-science"],
    )
    slots["last_constraints"] = constraints_snapshot(constraints_from(tracker("", slots=slots)))
    d = CollectingDispatcher()
    text = "Is there anything health-specific that also gives credit?"
    await ActionCredentialDetail().run(d, tracker(text, intent="ask_credit", slots=slots), DOMAIN)
    said = d.messages[0]["text"]
    # nothing in the field carries credit: said, and the nearest related field offered by name, not listed instead
    assert said.startswith("I found nothing in our catalogue for health informatics and health data"), said
    assert "credit-bearing only" in said and 'say "show me public health and epidemiology"' in said


async def test_without_a_field_the_nearest_misses_follow_the_persons_experience(advisor):
    from bot.model import Budget, Constraints

    c = Constraints(
        aims=("tech_cybersecurity",),
        budget=Budget("limit", 1500, "USD"),
        weeks=17.0,
        hours_per_week=8.0,
        experience="experienced",
    )
    levels = [m.record.level for m in advisor.recommend(c).shown[:3]]
    assert levels == ["advanced"] * 3  # CISSP, CISM, a cloud security specialty: not SSCP or a MOOC first


async def test_the_handoff_helps_people_who_are_not_students_too():
    d = CollectingDispatcher()
    await ActionHandoff().run(d, tracker("can I talk to a person", intent="human_handoff"), DOMAIN)
    assert "not a student or graduate of this university" in d.messages[0]["text"]


SHOWN = ["google-it-support", "comptia-a-plus", "ibm-technical-support"]


async def test_two_options_are_compared_side_by_side():
    d = CollectingDispatcher()
    await ActionCredentialDetail().run(
        d, tracker("compare the first and the third", intent="ask_details", slots=dict(FULL, shown_ids=SHOWN)), DOMAIN
    )
    text = d.messages[0]["text"]
    assert text.startswith("Side by side")
    assert "Google IT Support" in text and "IBM Technical Support" in text and "CompTIA" not in text


async def test_what_to_take_first_is_an_order_by_level():
    d = CollectingDispatcher()
    await ActionCredentialDetail().run(
        d, tracker("which one should I take first?", intent="ask_details", slots=dict(FULL, shown_ids=SHOWN)), DOMAIN
    )
    assert d.messages[0]["text"].startswith("A sensible order")


async def test_time_and_total_cost_at_the_persons_own_pace():
    d = CollectingDispatcher()
    await ActionCredentialDetail().run(
        d,
        tracker(
            "how long would the Google one take me at 3 hours a week, and what in total?",
            intent="ask_details",
            slots=dict(FULL, shown_ids=SHOWN),
        ),
        DOMAIN,
    )
    text = d.messages[0]["text"]
    # 26 weeks at 10 h = 260 hours: about 87 weeks at 3 h a week, paid month by month
    assert text.startswith("Google IT Support Professional Certificate at your 3 h a week: about 260 hours")
    assert "about 87 weeks" in text and "month by month" in text


async def test_a_question_naming_a_credential_is_answered_not_called_out_of_scope():
    d = CollectingDispatcher()
    events = await ActionOutOfScope().run(d, tracker("is CAPM recognised in Australia?", intent="out_of_scope"), DOMAIN)
    assert d.messages[0]["text"].startswith(
        "No employer or university recognition is recorded for Certified Associate in Project Management (CAPM)"
    )
    assert slot_events(events) == {"focus_id": "pmi-capm"}


async def test_an_aim_the_model_missed_is_kept_and_the_questions_go_on():
    d = CollectingDispatcher()
    text = "I've worked on hospital wards for years and now I'd like to move into health informatics"
    events = await ActionOutOfScope().run(d, tracker(text, intent="out_of_scope", slots={}), DOMAIN)
    slots = slot_events(events)
    assert slots["fields"] == ["health_informatics"] and "healthcare" in slots["career_aim"]
    assert d.messages[0]["response"] == "utter_ask_budget"


async def test_a_truly_out_of_scope_message_is_still_told_so():
    d = CollectingDispatcher()
    events = await ActionOutOfScope().run(
        d, tracker("can you book me a table for two tonight", intent="out_of_scope"), DOMAIN
    )
    assert events == [] and d.messages[0]["response"] == "utter_out_of_scope"


async def test_a_greeting_that_names_an_aim_keeps_it():
    from actions.scope import ActionGreet

    d = CollectingDispatcher()
    text = "hello sir, I am a btech graduate fresher looking for a cybersecurity course"
    events = await ActionGreet().run(d, tracker(text, intent="greet", slots={}), DOMAIN)
    slots = slot_events(events)
    assert slots["career_aim"] == ["tech_cybersecurity"] and slots["experience"] == "new"
    assert d.messages[-1]["response"] == "utter_ask_budget"
    d = CollectingDispatcher()
    assert await ActionGreet().run(d, tracker("hello", intent="greet", slots={}), DOMAIN) == []
    assert d.messages[0]["response"] == "utter_greet"


@pytest.mark.parametrize(
    "text, region",
    [
        ("I'm a paralegal in Toronto", "canada"),
        ("is CAPM recognised in Australia?", "australia"),
        ("do any of them count for SCQF points? I'm at college in Glasgow", "scotland"),
        ("would UK employers recognise it?", "uk"),
        ("let us know", None),  # the pronoun, not the country
        ("Je préfère le français", None),  # a language is not a place
    ],
)
def test_the_place_people_name_is_read(text, region):
    from bot.language.countries import region_named

    assert region_named(text) == region


async def test_a_place_said_sets_the_currency_of_a_bare_amount_and_says_so():
    from actions.form import ValidateAdviceForm

    events = await ValidateAdviceForm().run(
        CollectingDispatcher(),
        tracker(
            "I'm in Sydney and I could spend about 500", slots={"requested_slot": "budget"}, active_loop="advice_form"
        ),
        DOMAIN,
    )
    slots = slot_events(events)
    assert slots["region"] == "australia"
    assert (slots["budget"]["amount"], slots["budget"]["currency"], slots["budget"]["assumed_currency"]) == (
        500,
        "AUD",
        True,
    )


@pytest.mark.parametrize(
    "text, note",
    [
        ("does it give any college credit here in Ontario?", "In Canada"),
        ("would it count for credit in Scotland?", "SCQF credit points"),
        ("does it carry credit in Germany?", "ECTS"),
    ],
)
async def test_credit_answers_say_how_credit_counts_where_the_person_is(text, note):
    d = CollectingDispatcher()
    slots = dict(FULL, shown_ids=["google-data-analytics"])
    await ActionCredentialDetail().run(d, tracker(text, intent="ask_credit", slots=slots), DOMAIN)
    reply = d.messages[0]["text"]
    assert reply.startswith("Not as such:") and note in reply
    # the source, then where and when each fact it states was confirmed (or that nothing confirms it)
    assert reply.splitlines()[-2].startswith("Source: ") and reply.splitlines()[-1].strip().startswith("Checked: ")


async def test_a_question_with_an_aim_keeps_the_aim_before_looking_up_option_names():
    # "networking" is in a credential's title too; the person named their aim, not that credential
    d = CollectingDispatcher()
    text = "ex-forces, 12 yrs in the royal signals, want a civvy job in networking. what certs do i need?"
    events = await ActionOutOfScope().run(d, tracker(text, intent="out_of_scope", slots={}), DOMAIN)
    assert slot_events(events)["fields"] == ["networking"]
    assert d.messages[0]["response"] == "utter_ask_budget"


async def test_a_question_naming_an_option_in_lower_case_is_answered_from_the_catalogue():
    d = CollectingDispatcher()
    text = "is the ccna exam done online or do i have to go to a centre?"
    slots = dict(FULL, shown_ids=["comptia-network-plus"])
    await ActionOutOfScope().run(d, tracker(text, intent="out_of_scope", slots=slots), DOMAIN)
    assert d.messages[0]["text"].startswith("Cisco Certified Network Associate (CCNA)")


async def test_a_wish_for_hands_on_exams_narrows_the_list_to_what_is_assessed_hands_on():
    # "I'd like hands-on exams rather than multiple choice" used to get "Sorry, I can't help with that", then
    # a description of how each option shown is assessed; it is a wish for the list
    from bot.model import assessed_hands_on

    d = CollectingDispatcher()
    slots = dict(FULL, shown_ids=["redhat-rhcsa", "aws-cloud-practitioner-essentials"])
    text = "I'd like hands-on exams rather than multiple choice"
    events = await ActionOutOfScope().run(d, tracker(text, intent="out_of_scope", slots=slots), DOMAIN)
    assert slot_events(events)["filters"] == {"hands_on": True}
    reply = d.messages[0]["text"]
    assert "assessed hands-on (performance-based exams, labs or practical tasks)" in reply
    ids = [i["id"] for i in d.messages[0]["custom"]["items"]]
    assert ids and all(assessed_hands_on(r) for r in get_advisor().details(ids))
    assert "aws-cloud-practitioner-essentials" not in ids  # knowledge checks only


async def test_how_the_options_are_assessed_is_still_answered_for_each():
    d = CollectingDispatcher()
    slots = dict(FULL, shown_ids=["redhat-rhcsa", "aws-cloud-practitioner-essentials"])
    text = "how are these assessed?"
    await ActionOutOfScope().run(d, tracker(text, intent="out_of_scope", slots=slots), DOMAIN)
    reply = d.messages[0]["text"]
    assert reply.startswith("How the options I showed are assessed, from our data:")
    lines = reply.splitlines()
    assert lines[1].startswith("- Red Hat") and "Assessment:" in lines[1]
    assert len([line for line in lines if line.startswith("- ")]) == 2


def _listed(slots: dict, text: str, intent: str, action=None):
    """(dispatcher, the action's run to await) for a follow-up after a list, the constraints snapshot set."""
    from actions.common import constraints_from
    from bot.advice.service import constraints_snapshot

    slots = dict(slots, last_constraints=constraints_snapshot(constraints_from(tracker("", slots=slots))))
    d = CollectingDispatcher()
    return d, (action or ActionRecommend()).run(d, tracker(text, intent=intent, slots=slots), DOMAIN)


def _person(aim: str, field: str, amount: float, currency: str, weeks: float, hours: float, **more) -> dict:
    """The slots of someone who said their aim, field, budget and time."""
    budget = {"kind": "limit", "amount": float(amount), "currency": currency, "text": f"{amount} {currency}"}
    return dict(
        FULL, career_aim=[aim], fields=[field], budget=budget, weeks=float(weeks), hours_per_week=float(hours), **more
    )


AUDIO = _person(
    "creative_digital", "audio_production", 300, "USD", 13, 10, shown_ids=["berklee-online-music-production-101"]
)


@pytest.mark.parametrize("intent", ["ask_details", "show_more", "ask_cheaper"])
async def test_a_follow_up_that_names_another_field_gets_that_fields_list_whatever_it_was_read_as(intent):
    # "damn. what about something to help me promote my music online then", after an audio production list
    action = ActionCredentialDetail() if intent == "ask_details" else ActionRecommend()
    d, running = _listed(AUDIO, "ok what about something to help me promote my band online then", intent, action)
    slots = slot_events(await running)
    assert slots["fields"] == ["digital_marketing"]
    assert d.messages[0]["text"].startswith("Got it: field now digital marketing. Here is the list for that.")
    assert d.messages[0]["custom"]["items"] and "Berklee" not in d.messages[0]["text"]


async def test_whats_the_closest_then_lists_the_nearest_related_field_and_says_so():
    # "oh. so nothing on clinical trials at all? what's the closest then"
    slots = _person("healthcare", "clinical_research", 400, "GBP", 26, 4, shown_ids=["socra-ccrp"])
    d, running = _listed(slots, "so nothing on clinical trials at all? which is the closest then", "ask_details")
    await running
    text = d.messages[0]["text"]
    assert text.startswith("Nothing more in clinical research fits what you told me, so these come from the nearest")
    assert "public health and epidemiology" in text and d.messages[0]["custom"]["items"]


async def test_cheaper_when_the_field_has_nothing_cheaper_comes_from_the_related_field_and_says_so():
    # IT support, $300: the field's cheapest shown is $125 or a subscription; Networking Basics is free
    shown = ["ibm-technical-support", "cisco-ccst-it-support", "cisco-ccst-networking"]
    slots = _person("tech_it_support", "it_support", 300, "USD", 17, 15, shown_ids=shown)
    d, running = _listed(slots, "any cheaper ones?", "ask_cheaper")
    await running
    text = d.messages[0]["text"]
    assert text.startswith("Nothing in IT support costs less than what I showed you, so these come from the nearest")
    ids = [i["id"] for i in d.messages[0]["custom"]["items"]]
    assert "cisco-netacad-networking-basics" in ids and not set(ids) & set(slots["shown_ids"])


async def test_asking_for_credit_when_nothing_in_the_field_carries_it_says_so_without_a_list_of_what_lacks_it():
    # "Are there any with proper university credit?": health informatics, $300, 26 weeks, 4 h a week
    slots = _person("healthcare", "health_informatics", 300, "USD", 26, 4, experience="new")
    d, running = _listed(slots, "are there any with proper university credit?", "ask_credit", ActionCredentialDetail())
    await running
    # nothing in the catalogue's health informatics carries credit: said, and no list of options without it
    assert not (d.messages[-1].get("custom") or {}).get("items")
    assert d.messages[-1]["text"].startswith("Got it: now showing only credit-bearing options.")
    assert "I found nothing in our catalogue for health informatics" in d.messages[-1]["text"]


@pytest.mark.parametrize("text", ["show me the second one", "can you show me the details of number 2"])
async def test_show_me_one_of_them_is_about_that_option_not_a_new_list(text):
    shown = ["ibm-technical-support", "cisco-ccst-it-support", "cisco-ccst-networking"]
    slots = _person("tech_it_support", "it_support", 300, "USD", 17, 15, shown_ids=shown)
    d, running = _listed(slots, text, "ask_details", ActionCredentialDetail())
    await running
    assert d.messages[0]["text"].startswith("Cisco Certified Support Technician (CCST) IT Support")
    assert not (d.messages[0].get("custom") or {}).get("items")


async def test_dropping_credit_after_an_empty_credit_list_shows_the_list_again():
    # "Are there any with proper university credit?" found nothing; "ok forget the credit"
    slots = _person("healthcare", "health_informatics", 300, "USD", 26, 4, experience="new", credit_required=True)
    d, running = _listed(dict(slots, shown_ids=[]), "ok forget the credit", "ask_credit", ActionCredentialDetail())
    events = slot_events(await running)
    assert events["credit_required"] is False
    assert d.messages[-1]["text"].startswith("Got it: credit no longer required.")
    assert d.messages[-1]["custom"]["items"]


async def test_other_options_after_everything_that_fits_do_not_say_nothing_fits():
    # data science, $300, 5 months at 10 h a week, new: options fit (a 22-week one within "5 months");
    # the next page says nothing *else* fits, not that nothing fits, which the first page would contradict
    slots = dict(
        FULL,
        career_aim=["tech_data"],
        fields=["data_science"],
        experience="new",
        budget={"kind": "limit", "amount": 300.0, "currency": "USD", "text": "$300"},
        weeks=5 * 52 / 12,
        hours_per_week=10.0,
    )
    d = CollectingDispatcher()
    first = slot_events(await ActionRecommend().run(d, tracker("$300, 5 months, 10 hours a week", slots=slots), DOMAIN))
    assert re.match(r"Here are \d options that fit", d.messages[0]["text"])
    assert "ibm-data-science" in first["shown_ids"]  # 22 weeks is within 5 months (shown as 22 weeks)
    d2 = CollectingDispatcher()
    await ActionRecommend().run(
        d2,
        tracker(
            "other options?",
            intent="show_more",
            slots=dict(slots, **{k: first[k] for k in ("shown_ids", "all_shown_ids", "last_constraints")}),
        ),
        DOMAIN,
    )
    text = d2.messages[0]["text"]
    assert text.startswith(
        (
            "Here are other options: Nothing else",
            "Here are other options: These others may fit",
            # what the first page named as breaking something is not listed again: the nearest related field's
            "Nothing more in data science fits what you told me, so these come from the nearest related field",
        )
    )
    assert "Nothing in our catalogue" not in text


async def test_an_aim_said_with_a_provider_in_it_is_taken_as_the_aim_not_as_a_question_about_that_provider():
    # "in the NHS" is where the nurse works: the aim is health data, not an NHS course's profile
    d = CollectingDispatcher()
    text = "hi, I'm a staff nurse in the NHS (8 years on wards) and I want to move into health data analysis"
    events = await ActionOutOfScope().run(d, tracker(text, intent="nlu_fallback"), DOMAIN)
    said = " ".join(m.get("text") or m.get("response") or "" for m in d.messages)
    assert "Statutory and Mandatory Training" not in said
    assert slot_events(events).get("fields") == ["health_informatics"]


async def test_a_question_naming_an_option_outside_the_list_is_answered_about_that_option():
    # the list shows CMI options; "the Wharton one" was shown earlier: the answer is about Wharton's, not CMI's
    slots = dict(FULL, shown_ids=["cmi-level5-management-leadership"], focus_id="cmi-level5-management-leadership")
    d = CollectingDispatcher()
    text = "what currency is the Wharton one in and what will it cost me?"
    await ActionOutOfScope().run(d, tracker(text, intent="out_of_scope", slots=slots), DOMAIN)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "Wharton" in said or "Business Foundations" in said
    assert "CMI" not in said


@pytest.mark.parametrize("text", ["what comes after CELTA?", "and after that, what's the next step?"])
async def test_what_comes_next_says_where_the_option_leads(text):
    # not a level-sorted list of what was shown: where CELTA leads, as the catalogue records it
    shown = ["cambridge-celta", "trinity-certtesol"]
    slots = dict(FULL, career_aim=["education"], shown_ids=shown, focus_id="cambridge-celta")
    d = CollectingDispatcher()
    await ActionCredentialDetail().run(d, tracker(text, intent="ask_details", slots=slots), DOMAIN)
    said = d.messages[0]["text"]
    assert said.startswith("After CELTA") or "DELTA" in said.split("\n")[0]
    assert "A sensible order" not in said


async def test_a_question_about_any_of_the_options_is_answered_for_each_of_them():
    shown = ["ucsd-data-science-micromasters", "ibm-data-science", "jhu-data-science-specialization"]
    slots = dict(FULL, career_aim=["tech_data"], shown_ids=shown, focus_id=shown[0])
    d = CollectingDispatcher()
    await ActionCredentialDetail().run(
        d, tracker("do any of these count as university credit?", intent="ask_credit", slots=slots), DOMAIN
    )
    said = d.messages[0]["text"]
    assert all(title in said for title in ("MicroMasters", "IBM Data Science", "Data Science Specialization"))


async def test_small_talk_with_a_time_word_in_it_is_not_read_as_a_question_about_an_option():
    # "last night" is not "the last one": no option's profile for a question about a football game
    slots = dict(FULL, shown_ids=["google-project-management", "pmi-capm"], fields=["project_management"])
    d = CollectingDispatcher()
    events = await ActionOutOfScope().run(d, tracker("thanks. btw who won the game last night?", slots=slots), DOMAIN)
    assert [m.get("response") for m in d.messages] == ["utter_out_of_scope"] and not slot_events(events)
    d = CollectingDispatcher()  # while "the last one" still names the last option shown
    await ActionOutOfScope().run(d, tracker("is the last one done online?", slots=slots), DOMAIN)
    assert "CAPM" in d.messages[0]["text"]


async def test_should_i_do_it_is_answered_yes_or_not_yet_first_then_against_the_budget_and_time():
    pm = {"career_aim": ["business_management"], "fields": ["project_management"], "experience": "new"}
    dollars = {"budget": {"kind": "limit", "amount": 600.0, "currency": "USD", "text": "$600"}}
    slots = {**FULL, **pm, **dollars, "shown_ids": ["google-project-management", "pmi-capm", "pmi-pmp"]}
    d = CollectingDispatcher()
    await ActionOutOfScope().run(d, tracker("should I do the PMP?", slots=slots), DOMAIN)
    lines = d.messages[0]["text"].split("\n")
    assert lines[0].startswith("Not yet, from what you told me: Project Management Professional (PMP)")
    assert any(line.startswith("What it requires: 35 hours") for line in lines)
    assert any(line.startswith("Against your budget and time:") for line in lines)


async def test_someone_new_asking_about_an_intermediate_exam_hears_it_usually_comes_after_an_introduction():
    slots = {**FULL, "career_aim": ["tech_it_support"], "experience": "new", "shown_ids": ["cisco-ccna"]}
    d = CollectingDispatcher()
    await ActionOutOfScope().run(d, tracker("should I do the CCNA?", slots=slots), DOMAIN)
    assert d.messages[0]["text"].startswith("You can (our data records no formal entry requirements), but Cisco")


async def test_an_unchecked_option_off_the_persons_level_is_named_not_listed(advisor):
    """An accountant who has never coded, after web development on $100: freeCodeCamp's beginner curriculum
    may fit and is listed; Helsinki's intermediate Full Stack Open (length not recorded either) is named in
    one line with why it is set apart, not listed beside it as an option."""
    from bot.model import Budget, Constraints

    c = Constraints(
        aims=("tech_software",),
        budget=Budget("limit", 100.0, "USD"),
        weeks=26.0,
        hours_per_week=10.0,
        fields=("web_development",),
        field_terms=("web develop", "full stack", "front-end"),
        experience="new",
    )
    rec = advisor.recommend(c)
    listed = [m.record.id for m in rec.shown]
    assert "freecodecamp-full-stack-developer" in listed
    assert "helsinki-full-stack-open" not in listed
    assert "Full Stack open (intermediate level, not suited to your experience in the field)" in rec.text()
    # someone with some experience sees it listed as an option that may fit
    rec = advisor.recommend(dataclasses.replace(c, experience="some"))
    assert "helsinki-full-stack-open" in [m.record.id for m in rec.shown]


async def test_a_question_about_an_option_shown_read_as_inform_is_answered_not_answered_with_the_list_again():
    """A graphic designer moving into UX, shown Google's UX certificate: "will the Google one be too basic?" is
    about that option's level, answered (with the options shown past the basics), not the same list again."""
    budget = {"kind": "limit", "amount": 450.0, "currency": "CAD", "text": "450 CAD"}
    slots = {**FULL, "career_aim": ["creative_digital"], "fields": ["ux_design"], "experience": "some"}
    slots.update(budget=budget, weeks=26.0, hours_per_week=10.0)
    d = CollectingDispatcher()
    first = slot_events(
        await ActionRecommend().run(d, tracker("About 450 CAD, 6 months, 10 hours a week", slots=slots), DOMAIN)
    )
    assert "google-ux-design" in first["shown_ids"]
    d2 = CollectingDispatcher()
    text = "I already know Figma and visual design, will the Google one be too basic?"
    state = dict(slots, **{k: first[k] for k in ("shown_ids", "all_shown_ids", "last_constraints")})
    await ActionRecommend().run(d2, tracker(text, intent="inform", slots=state), DOMAIN)
    said = d2.messages[0]["text"]
    assert said.startswith("Google UX Design Professional Certificate is beginner level")
    assert "Past the basics among the options shown:" in said and "(intermediate)" in said
    assert not d2.messages[0].get("custom") and not d2.messages[0].get("json_message")  # no list again


def test_two_options_with_the_same_title_are_told_apart_by_provider_in_an_order(advisor):
    from bot.advice.service import order_text

    records = advisor.details(["umgc-cybersecurity-micromasters", "ritx-cybersecurity-micromasters"])
    text = order_text(records)
    assert "MicroMasters Program in Cybersecurity, Rochester Institute of Technology (RIT) (advanced)" in text
    assert "MicroMasters Program in Cybersecurity, University of Maryland Global Campus (UMGC) (advanced)" in text


async def test_too_basic_from_someone_new_is_answered_no_not_yes():
    from actions.recommend import ActionCredentialDetail

    shown = ["google-data-analytics", "comptia-data-plus"]
    values = dict(FULL, career_aim=["tech_data"], experience="new", shown_ids=shown, all_shown_ids=shown)
    d = CollectingDispatcher()
    text = "will the Google one be too basic?"
    await ActionCredentialDetail().run(d, tracker(text, intent="ask_details", slots=values), DOMAIN)
    assert d.messages[0]["text"].startswith("No: Google Data Analytics Professional Certificate is beginner level")
