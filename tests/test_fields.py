"""Fields and roles under the broad aims: read from people's words, and used to narrow the list."""

from __future__ import annotations

import dataclasses
import re

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.common import set_advisor
from actions.form import ValidateAdviceForm
from actions.recommend import ActionRecommend
from bot.language.aims import AIM_CODES
from bot.language.fields import (
    FIELD_BY_CODE,
    FIELDS,
    aims_of_fields,
    describe_fields,
    detect_fields,
    field_terms,
    related_fields,
)
from bot.model import Budget, Constraints
from tests.test_actions import DOMAIN, FULL, slot_events, tracker


@pytest.fixture(autouse=True)
def use_test_advisor(advisor):
    set_advisor(advisor)
    yield
    set_advisor(None)


def test_the_taxonomy_has_forty_fields_each_under_a_known_aim_with_known_relations():
    assert len(FIELDS) >= 40
    assert len({f.code for f in FIELDS}) == len(FIELDS)
    assert [f.code for f in FIELDS if f.aim not in AIM_CODES] == []
    assert [(f.code, r) for f in FIELDS for r in f.related if r not in FIELD_BY_CODE] == []
    assert [f.code for f in FIELDS if not f.words or not f.terms] == []


@pytest.mark.parametrize(
    "text, fields",
    [
        ("hi, I'm a nurse looking to get into health data analysis", ["health_informatics"]),
        ("I work in retail and want to get into HR", ["human_resources"]),
        ("I'm a teacher and want to become an instructional designer", ["instructional_design"]),
        ("I'm a biology PhD wanting to move into bioinformatics", ["bioinformatics"]),
        ("graphic designer here, moving into UX design", ["ux_design"]),
        ("data science, not marketing analytics", ["data_science"]),
        ("hello sir, I am a btech graduate looking for a cybersecurity course", ["cybersecurity"]),
        ("developer with ten years' experience, want to move into machine learning", ["machine_learning"]),
        ("something in business", []),
        ("600 quid, 10 hrs a week, 6 months", []),
        ("move into hr, 4 hr a week", ["human_resources"]),
        # a lecturer asking about teaching online wants course design for distance learning, not school teaching
        ("anything on teaching online, for a distance course?", ["instructional_design"]),
        # a doctor curious about AI in healthcare: AI for non-specialists as well as health data
        ("junior doctor, curious about AI in healthcare, no coding", ["ai_literacy", "health_informatics"]),
        # school leadership is a school's, not leadership and management in general (CMI, Deakin)
        ("primary teacher in Glasgow hoping to move into school leadership", ["educational_leadership"]),
    ],
)
def test_fields_are_read_from_what_people_say(text, fields):
    assert detect_fields(text) == fields


async def test_an_hr_aim_gets_hr_options_not_every_business_course(advisor):
    slots = dict(
        FULL,
        career_aim=["business_management"],
        fields=["human_resources"],
        budget={"kind": "unlimited"},
        weeks=52.0,
        hours_per_week=10.0,
    )
    d = CollectingDispatcher()
    shown = slot_events(await ActionRecommend().run(d, tracker(slots=slots), DOMAIN))["shown_ids"]
    text = d.messages[0]["text"]
    hr = {
        "cipd-level5-associate-diploma",
        "cipd-l3-foundation-people-practice",
        "cipd-level7-advanced-diploma",
        "ou-pgdip-human-resource-management",
        "shrm-cp",
    }
    assert len(shown) >= 3 and all(cid in hr for cid in shown[:3]), shown
    for banned in ("isc2-cissp", "pmi-pmp", "isaca-cism"):
        assert banned not in shown
    assert "human resources" in text.splitlines()[0]


async def test_a_field_named_in_the_form_is_kept_and_names_its_aim():
    events = await ValidateAdviceForm().run(
        CollectingDispatcher(),
        tracker("I'm a teacher and want to become an instructional designer", slots={}, active_loop="advice_form"),
        DOMAIN,
    )
    slots = slot_events(events)
    assert slots["fields"] == ["instructional_design"] and "education" in slots["career_aim"]


async def test_broadening_lifts_the_field():
    events = await ValidateAdviceForm().run(
        CollectingDispatcher(), tracker("ok, broaden my search", slots=dict(FULL, fields=["human_resources"])), DOMAIN
    )
    assert slot_events(events)["fields"] == []


def test_field_terms_are_lower_case_words_of_titles_or_topics():
    assert all(term == term.lower() for term in field_terms([f.code for f in FIELDS]))


@pytest.mark.parametrize(
    "field, budget, weeks, hours, unchecked_first",
    [
        # the networking exams (no preparation time stated) are the field's own; what fits is IT support
        ("networking", Budget("limit", 600, "GBP"), 26.0, 10.0, True),
        # cloud courses that fit are as much about cloud as the exams that could not be checked
        ("cloud_computing", Budget("limit", 200, "GBP"), 13.0, 5.0, False),
    ],
)
def test_unchecked_options_come_first_only_when_closer_to_the_field(
    advisor, field, budget, weeks, hours, unchecked_first
):
    c = Constraints(
        aims=tuple(aims_of_fields([field])),
        budget=budget,
        weeks=weeks,
        hours_per_week=hours,
        fields=(field,),
        field_terms=field_terms((field,)),
    )
    payload = advisor.recommend(c).payload()
    first = payload["items"][0]
    assert bool(first["unknown"]) is unchecked_first
    assert ("closest to" in payload["intro"]) is unchecked_first
    assert all(not item["breaks"] for item in payload["items"][:2])


def test_a_workload_gap_is_not_claimed_for_options_whose_workload_is_unknown(advisor):
    # project management in 26 weeks at 5 h: the exams state no preparation time, so nothing is said of them
    c = Constraints(
        aims=("business_management",),
        budget=Budget("limit", 500, "GBP"),
        weeks=26.1,
        hours_per_week=5.0,
        fields=("project_management",),
        field_terms=field_terms(("project_management",)),
    )
    rec = advisor.recommend(c)
    assert not rec.fitting and any(m.unknown for m in rec.near)
    # a note on the hours needed speaks only of options whose workload is stated (none here: no note at all)
    stated = [m for m in rec.near if m.record.duration_weeks and m.record.hours_per_week]
    note = rec.gap_note()
    if stated:
        assert note.startswith("Of the options whose workload our data states, the smallest credential needs")
    else:
        assert note is None


def test_an_option_is_named_by_its_provider_short_name(advisor):
    # "is the RIT one accredited?": RIT is in the provider's name, not in the title
    assert [r.id for r in advisor.named_in("is the RIT one accredited?")] == ["ritx-cybersecurity-micromasters"]
    assert [r.id for r in advisor.named_in("Does the UNC course give a certificate for free?")] == [
        "unc-research-data-management-sharing"
    ]


@pytest.mark.parametrize(
    "text, ids",
    [
        ("what currency is the Wharton one in and what will it cost me?", {"wharton-business-foundations"}),
        ("The Deakin one - what do I actually have to do?", {"deakin-professional-practice-credentials"}),
        ("what about the Otago one, does it lead to a master's?", {"otago-pgcert-science-communication"}),
    ],
)
def test_an_option_is_named_by_a_word_of_its_provider_when_pointed_at(advisor, text, ids):
    # "the Wharton one": a word of the provider's name that the person points with names its options
    assert ids <= {r.id for r in advisor.named_in(text, True)}
    assert advisor.named_in(text, True)[0].id in ids | {"wharton-entrepreneurship-specialization"}
    # a place in passing names nothing: "the weather in Paris"
    assert advisor.named_in("what's the weather in Paris", True) == []


async def test_other_options_after_the_field_runs_out_come_from_the_nearest_related_field_and_say_so(advisor):
    from actions.common import constraints_from
    from bot.advice.service import constraints_snapshot

    slots = dict(
        FULL,
        career_aim=["tech_data"],
        fields=["data_science"],
        budget={"kind": "limit", "amount": 300.0, "currency": "USD", "text": "$300"},
        weeks=22.0,
        hours_per_week=10.0,
    )
    c = constraints_from(tracker(slots=slots))
    seen: list[str] = []
    while True:  # everything in data science that fits or may fit
        rec = advisor.recommend(c, exclude=seen)
        may_fit = rec.fitting + [m for m in rec.near if not m.breaks]
        if not may_fit:
            break
        seen += [m.record.id for m in may_fit]
    slots.update(all_shown_ids=seen, shown_ids=seen[-3:], last_constraints=constraints_snapshot(c))
    d = CollectingDispatcher()
    events = await ActionRecommend().run(d, tracker("other options?", intent="show_more", slots=slots), DOMAIN)
    text = d.messages[0]["text"]
    assert text.startswith("Nothing more in data science fits what you told me, so these come from")
    named = [code for code in related_fields(["data_science"]) if f"related field, {describe_fields([code])}." in text]
    shown = slot_events(events)["shown_ids"]
    assert len(named) == 1 and shown and not set(shown) & set(seen)
    assert all(named[0] in r.fields for r in advisor.details(shown))


async def test_a_field_the_catalogue_lacks_is_said_plainly_with_the_nearest_fields():
    # "wanna get into audio engineering / music production": only the field's few options, never filled
    slots = dict(FULL, career_aim=["creative_digital"], fields=detect_fields("audio engineering / music production"))
    d = CollectingDispatcher()
    await ActionRecommend().run(d, tracker(slots=slots), DOMAIN)
    text = d.messages[0]["text"]
    # what there is for the field (little, and none within the defaults), never the broad aim's other courses
    assert text.startswith(
        (
            "Nothing in our catalogue fits all of that (audio engineering and music production",
            "These may fit what you told me (audio engineering and music production",
        )
    )
    assert "Try a broader aim" not in text and "video and digital media" in text
    audio = {
        "berklee-online-music-production-101",
        "tweed-audio-production-certificate",
        "upf-stanford-audio-signal-processing-music",
    }
    items = [i["id"] for i in d.messages[0]["custom"]["items"]]
    assert items and set(items) <= audio, items


def test_what_the_person_named_comes_before_what_fits_without_naming_it(advisor):
    # "I want AWS certification", ¥30,000, 2 months at 5 h: AWS options first, even those that could not be
    # checked; the free Azure course that fits is named apart as not being AWS, not listed
    c = Constraints(
        aims=("tech_cloud",),
        budget=Budget("limit", 30000, "JPY"),
        weeks=8.7,
        hours_per_week=5.0,
        fields=("cloud_computing",),
        field_terms=field_terms(("cloud_computing",)),
        focus_terms=("aws",),
        experience="some",
    )
    rec = advisor.recommend(c)
    ordered = rec.shown
    assert ordered and all("aws" in m.record.title.lower() for m in ordered), [m.record.id for m in ordered]
    assert "Not listed because you asked about AWS: Microsoft Azure Fundamentals" in rec.text()
    # a word the person used that names no rival product (epidemiology) orders the list; it leaves nothing out
    wider = advisor.recommend(dataclasses.replace(c, focus_terms=("cloud engineer",)))
    assert any("aws" not in m.record.title.lower() for m in wider.shown)


async def test_a_person_abroad_who_asks_for_a_person_is_not_sent_to_britains_careers_services():
    from actions.support import ActionHandoff

    d = CollectingDispatcher()
    text = "I'm in Auckland. can I talk to someone at the careers service about funding?"
    await ActionHandoff().run(d, tracker(text, intent="human_handoff"), DOMAIN)
    said = d.messages[0]["text"]
    assert "public careers or employment service in New Zealand" in said
    assert "National Careers Service" not in said and "Skills Development Scotland" not in said
    d = CollectingDispatcher()  # someone in England still gets the examples that fit them
    await ActionHandoff().run(
        d, tracker("can I talk to a person?", intent="human_handoff", slots={"region": "uk"}), DOMAIN
    )
    assert "National Careers Service in England" in d.messages[0]["text"]


async def credit_bearing_list(aim: str, field: str) -> str:
    """The list for someone after ``field`` with credit, on €300, 5 hours a week for 5 months."""
    budget = {"kind": "limit", "amount": 300.0, "currency": "EUR", "text": "€300"}
    slots = {**FULL, "career_aim": [aim], "fields": [field], "credit_required": True}
    slots.update(budget=budget, weeks=22.0, hours_per_week=5.0)
    d = CollectingDispatcher()
    await ActionRecommend().run(d, tracker("300 euro, 5 hours a week, 5 months", slots=slots), DOMAIN)
    return d.messages[0]["text"]


async def test_a_credit_bearing_list_never_says_a_pathway_programme_has_no_credit():
    text = await credit_bearing_list("tech_data", "data_science")
    assert "MicroMasters" in text
    options = re.split(r"\n(?=\d+\. )", text)
    for option in options:
        if "MicroMasters" in option:
            assert "No academic credit" not in option and "Credit only through a pathway" in option


async def test_a_related_fields_list_ends_with_the_fields_own_nearest_misses_only():
    """Machine learning with credit on €300: nothing in the field fits, so the nearest related field's options
    come first; a data-science MicroMasters (machine learning is not its main field) is not offered as the
    nearest machine-learning option."""
    text = await credit_bearing_list("tech_ai", "machine_learning")
    assert "nearest related field, AI for non-specialists" in text
    assert "Elements of AI" in text and "Ethics of AI" in text
    assert "MicroMasters" not in text
