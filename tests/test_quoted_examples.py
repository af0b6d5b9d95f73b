"""Each failure quoted in the advice-quality issue, held again as a conversation with the real servers.

The words are the ones the evaluators used; every test checks what the person would see: the list, the
answer's first words, what the assistant still holds.
"""

from __future__ import annotations

import pytest

from bench.advice_eval import slots_of
from tests.test_e2e import Conversation

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ADVANCED_EXAMS = {"isc2-cissp", "isaca-cism", "pmi-pmp", "google-cloud-professional-cloud-security-engineer"}


class Chat(Conversation):
    """A conversation that also reads what the assistant holds after each turn."""

    def __init__(self, stack):
        super().__init__(stack.rasa_url)
        self.db = stack.log_dir / "conversations.db"  # the var dir: logs and the tracker store
        self.items: list[dict] = []

    def say(self, text: str) -> str:
        out, customs = super().say(text)
        lists = [c for c in customs if c.get("type") == "credential_list"]
        if lists:
            self.items = lists[-1]["items"]
        return out

    def ids(self) -> list[str]:
        return [i["id"] for i in self.items]

    def fitting(self) -> list[str]:
        return [i["id"] for i in self.items if not i.get("breaks") and not i.get("unknown")]

    @property
    def slots(self) -> dict:
        return slots_of(self.db, self.sender)


def advise(stack, *turns: str) -> Chat:
    chat = Chat(stack)
    for turn in turns:
        chat.say(turn)
    return chat


# --- the field is not lost in a broad aim ---------------------------------------------------------


def test_human_resources_gets_hr_credentials_not_cissp_pmp_or_cism(stack):
    chat = advise(stack, "I work in retail and want to get into HR", "£1500", "9 months", "5 hours a week")
    assert chat.slots["fields"] == ["human_resources"]
    # someone moving into HR from retail is new to it: the CIPD's foundation level comes first, the
    # postgraduate Level 7 is not offered ahead of it
    assert chat.slots["experience"] == "new"
    assert chat.ids()[0] == "cipd-l3-foundation-people-practice"
    assert not set(chat.ids()) & ADVANCED_EXAMS


def test_bioinformatics_is_not_a_medical_education_certificate(stack):
    chat = advise(stack, "I'm a biology PhD wanting to move into bioinformatics", "€400", "12 weeks", "6 hours a week")
    assert "cambridge-ice-pgcert-medical-education" not in chat.ids()
    assert "bioinformatic" in chat.items[0]["title"].lower()


@pytest.mark.parametrize("aim", ["graphic designer here, moving into UX design", "I want to get into graphic design"])
def test_design_is_not_analytics_or_marketing_badges(stack, aim):
    chat = advise(stack, aim, "450 CAD", "6 months", "10 hours a week")
    assert chat.items
    assert not [i for i in chat.ids()[:3] if i.startswith(("hubspot-", "google-analytics"))]


def test_instructional_design_is_not_a_reggio_emilia_teaching_course(stack):
    chat = advise(
        stack, "I'm a teacher and want to become an instructional designer", "£500", "6 months", "4 hours a week"
    )
    assert chat.items
    assert not [i for i in chat.items if "reggio" in i["title"].lower()]


def test_data_science_does_not_open_with_google_analytics(stack):
    chat = advise(stack, "I want to get into data science", "$300", "5 months", "10 hours a week")
    assert chat.ids()[0] != "google-analytics-certification"
    assert not [i for i in chat.ids()[:3] if "marketing" in i]


def test_a_field_with_few_options_says_how_many_and_names_the_nearest_field(stack):
    chat = Chat(stack)
    for turn in ("I want to get into HR", "£300", "3 months"):
        chat.say(turn)
    text = chat.say("3 hours a week")
    assert "for human resources (HR) known to fit what you said" in text
    assert "The nearest related fields are leadership and management and business foundations" in text


# --- level and prerequisites ----------------------------------------------------------------------


def test_a_retail_worker_new_to_security_is_not_offered_cissp_or_cism_as_fitting(stack):
    chat = advise(
        stack,
        "I work in retail and I'm new to IT, I want to get into cybersecurity",
        "$3000",
        "a year",
        "10 hours a week",
    )
    assert chat.slots["experience"] == "new"
    assert not set(chat.fitting()) & ADVANCED_EXAMS


def test_a_fresher_with_no_experience_is_not_offered_a_professional_cloud_security_exam(stack):
    chat = advise(
        stack,
        "hello sir, I am a btech graduate looking for a cybersecurity course",
        "I am fresher sir, no experience. Budget 20k rupees, 3 months, I can study 10 hours a week",
    )
    assert chat.items and not set(chat.fitting()) & ADVANCED_EXAMS


def test_a_developer_with_ten_years_is_not_offered_elements_of_ai(stack):
    chat = advise(
        stack,
        "I'm a backend developer with ten years' experience (Java, Python) and want to move into AI/ML. "
        "Budget $500, about 4 months, 6 hours a week.",
    )
    assert chat.slots["fields"] == ["machine_learning"]
    assert chat.items and "elements-of-ai" not in chat.fitting()


# --- unknown is not "fits" ------------------------------------------------------------------------


def test_unknown_workload_and_open_subscriptions_are_never_listed_as_fitting(stack):
    chat = advise(stack, "I want to get into networking", "£600", "6 months", "10 hours a week")
    assert chat.items
    for item in chat.items:
        if item["id"] in chat.fitting():
            assert item["duration_weeks"] and item["hours_per_week"] and item["price"] is not None
        else:
            assert item.get("unknown") or item.get("breaks")


# --- time read as said ----------------------------------------------------------------------------


def test_weekday_evenings_are_a_weekly_total_and_a_correction_keeps_the_weeks(stack):
    chat = Chat(stack)
    chat.say("I want to get into cloud computing")
    chat.say("budget $150, I have 3 months and 1-2 hours on weekday evenings")
    assert chat.slots["hours_per_week"] == pytest.approx(7.5) and chat.slots["weeks"] == pytest.approx(13, abs=0.1)
    chat.say("sorry, I meant 1-2 hours per evening, so like 8 hours a week")
    assert chat.slots["hours_per_week"] == 8 and chat.slots["weeks"] == pytest.approx(13, abs=0.1)


# --- a conversation that keeps its memory ---------------------------------------------------------


def test_go_back_and_not_starting_over_keep_everything(stack):
    chat = advise(stack, "I want to get into data analysis", "CHF 1000", "6 months", "4 hours a week")
    first = chat.ids()
    chat.say("other options?")
    text = chat.say("ok, go back to the first list please")
    assert "kept everything" in text and chat.ids() == first
    text = chat.say("no, I didn't want to start over")
    assert chat.slots["budget"]["amount"] == 1000 and chat.ids() == first


def test_type_and_credit_filters_are_lifted_in_the_persons_words(stack):
    chat = advise(stack, "I want a MicroMasters in data science", "up to $1000", "about a year", "10 hours a week")
    assert chat.slots["credential_type"] == "micromasters"
    chat.say("any type is fine, not just micromasters")
    assert chat.slots["credential_type"] is None
    assert [i for i in chat.ids() if "micromasters" not in i]
    chat.say("I only want options with academic credit")
    assert chat.slots["credit_required"] is True
    chat.say("I don't need credit anymore")
    assert chat.slots["credit_required"] is False


def test_the_power_bi_one_is_the_power_bi_item(stack):
    chat = advise(
        stack,
        "hi, I'm a staff nurse in the NHS (8 years on wards) and I want to move into health data analysis",
        "I can spend about £500, I have 3 months and maybe 5 hrs a week. I'm OK with Excel but nothing more",
    )
    text = chat.say("is the power bi one recognised by NHS employers?")
    assert "Power BI" in text.splitlines()[0]


def test_an_aim_in_the_opening_message_is_used(stack):
    chat = Chat(stack)
    text = chat.say("hello sir, I am a btech graduate looking for a cybersecurity course")
    assert chat.slots["career_aim"] == ["tech_cybersecurity"]
    assert "budget" in text.lower()


def test_a_currency_alone_answers_the_currency_question(stack):
    # (here the assumed currency is pounds, so "bucks" is asked about; "rupees" is checked in test_actions)
    chat = Chat(stack)
    chat.say("I want to become a data analyst")
    text = chat.say("200 bucks")
    assert "Which currency" in text
    chat.say("aussie dollars")
    assert chat.slots["budget"]["currency"] == "AUD" and chat.slots["budget"]["amount"] == 200


# --- ordinary questions are answered --------------------------------------------------------------


def test_ordinary_questions_about_options_are_answered_not_refused(stack):
    chat = advise(
        stack,
        "I'm deciding between CAPM and PRINCE2 Foundation for project management jobs",
        "£400",
        "4 months",
        "6 hours a week",
    )
    refusals = ("Sorry, I can't help", "Sorry, I didn't understand")
    for question, expected in [
        ("how do these stack into a degree?", "counts towards"),
        ("is CAPM recognised in Australia?", "CAPM"),
        ("compare CAPM and PRINCE2", "PRINCE2"),
        ("how long would the first one take me at 3 hours a week and what would it cost in total?", "3 h a week"),
        ("which dollar is that price in?", "dollars"),
    ]:
        text = chat.say(question)
        assert not text.startswith(refusals), question
        assert expected in text, (question, text)


# --- no contradictions ----------------------------------------------------------------------------


def test_is_it_accredited_is_answered_yes_or_no_first(stack):
    chat = advise(stack, "I want to get into data analysis", "$500", "6 months", "8 hours a week")
    text = chat.say("is the first one accredited?")
    assert text.startswith(("Yes", "No"))


def test_credit_answers_never_say_no_credit_and_pathway_credit_together(stack):
    chat = advise(stack, "I want a MicroMasters in data science", "$2000", "a year", "10 hours a week")
    text = chat.say("does the first one carry credit?")
    assert not text.startswith("No:") or "pathway" not in text.lower()
    assert text.startswith(("Yes", "No", "Not by itself", "Only on a pathway", "Not as such"))


def test_credit_bearing_only_leaves_out_recommended_credit(stack):
    chat = advise(
        stack,
        "I want to learn AI basics and I only want options with academic credit",
        "£100",
        "3 months",
        "5 hours a week",
    )
    assert "elements-of-ai" in chat.fitting()
    assert all(i["credit"] for i in chat.items if i["id"] in chat.fitting())


def test_a_retail_worker_is_not_only_sent_to_a_university_careers_service(stack):
    chat = Chat(stack)
    chat.say("I work in a shop and want to get into HR")
    text = chat.say("can I talk to a careers adviser?")
    assert "If you are not a student or graduate of this university" in text


@pytest.mark.parametrize(
    "text, start",
    [
        ("Hola, quiero un curso de ciberseguridad", "Lo siento"),
        ("Bonjour, je cherche une formation en données", "Désolé"),
    ],
)
def test_spanish_and_french_are_told_the_assistant_works_in_english(stack, text, start):
    reply = Chat(stack).say(text)
    assert reply.startswith(start)


# --- comparisons end with a verdict; a request for a person stops the questions ----------------------


def test_which_one_for_a_beginner_gets_a_verdict_not_only_facts(stack):
    chat = advise(stack, "I want to get into project management, never done it, £400, 6 months, 5 hours a week")
    said = chat.say("which one for a beginner, CAPM or PMP?")
    assert said.startswith("Side by side, from our data:")
    assert (
        "For a beginner: Certified Associate in Project Management (CAPM) (beginner level) is the easier start" in said
    )
    assert "I'd lean towards Certified Associate in Project Management (CAPM)" in said


def test_which_is_better_for_jobs_answers_about_employers_from_the_data(stack):
    chat = advise(stack, "I want to get into project management, never done it, £400, 6 months, 5 hours a week")
    said = chat.say("compare the first two, which is better for getting a job?")
    assert "For jobs: our data records employer recognition for neither" in said
    assert "Both fit what you told me" not in said  # neither states its length: not called fitting
    assert "lean towards" in said or "neither is clearly better" in said


def test_asking_for_a_person_during_the_questions_asks_nothing_more(stack):
    chat = Chat(stack)
    chat.say("I want to work in HR")
    said = chat.say("can I talk to a real person instead?")
    assert "careers adviser can help you in person" in said
    assert "budget" not in said.lower()
    assert chat.slots["fields"] == ["human_resources"]  # nothing said is forgotten
    assert "How long do you have" in chat.say("ok, my budget is £800")  # the questions go on from there


def test_write_me_a_summary_recaps_the_list_instead_of_offering_a_writing_course(stack):
    chat = advise(stack, "I'm a nurse and want to move into leadership in nursing, £1000, 6 months, 4 hours a week")
    shown = [i["title"] for i in chat.items]
    said = chat.say("write me a summary")
    assert said.startswith("In short, the options in front of you:")
    assert all(title in said for title in shown)
    assert "writing" not in said.lower() and "Sorry" not in said


def test_a_course_the_catalogue_does_not_hold_is_not_answered_with_another_ones_profile(stack):
    chat = advise(stack, "I want to get into data analysis, £200, 3 months, 5 hours a week")
    said = chat.say("what about the Harvard CS50 for Lawyers course?")
    assert said.startswith('"Harvard CS50 for Lawyers" is not in our catalogue')
    assert "Price:" not in said  # no profile of CS50's AI course passed off as the one asked about
    said = chat.say("is the Coursera Excel Skills for Business one any good?")
    assert '"Coursera Excel Skills for Business" is not in our catalogue' in said
    assert "Qlik" not in said.split("The nearest")[0]


def test_an_exam_code_names_its_exam_not_the_employer_mentioned(stack):
    chat = advise(stack, "I want to get into data analysis, £200, 3 months, 5 hours a week")
    said = chat.say("is PL-300 recognised by NHS employers?")
    assert "PL-300" in said.split("\n")[0] or "Power BI" in said.split("\n")[0]
    assert "Statutory and Mandatory Training" not in said


def test_a_named_option_outside_the_list_is_the_one_answered_and_stays_in_focus(stack):
    chat = advise(stack, "I'm a nurse with zero data skills wanting health data work, £500, 6 months, 6 hours a week")
    said = chat.say("how long would the Google Data Analytics Professional Certificate take at 6 hours a week?")
    assert said.startswith("Google Data Analytics Professional Certificate at your 6 h a week")
    said = chat.say("and is it accredited?")
    assert "Google Data Analytics" in said and "Power BI" not in said


def test_can_i_do_the_pmp_as_a_beginner_gets_not_yet_and_what_it_requires(stack):
    chat = advise(stack, "I want to get into project management, never done it, £400, 6 months, 5 hours a week")
    said = chat.say("can I do the PMP one? is it ok for a beginner?")
    assert said.startswith("Not yet, from what you told me: Project Management Professional (PMP)")
    assert "What it requires:" in said and "36 months" in said
    said = chat.say("is the CAPM ok for a beginner?")
    assert said.startswith(
        "Yes: Certified Associate in Project Management (CAPM) is beginner level"
    ) or said.startswith("It depends on your background: Certified Associate in Project Management (CAPM)")


def test_a_question_about_one_options_credit_changes_no_filter_and_typos_in_units_are_read(stack):
    chat = advise(stack, "I want to get into digital marketing", "£100")
    assert "Sorry" not in chat.say("dunno, like 6 monts?")
    assert 25 <= chat.slots["weeks"] <= 27
    chat.say("5 hours a week")
    said = chat.say("is that one uni credit since its a university?")
    assert "only credit-bearing" not in said and not chat.slots.get("credit_required")
