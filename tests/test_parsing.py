"""Table-driven tests for the budget and time parsers."""

import pytest

from bot.language.filters import parse_filters, parse_ordinal
from bot.language.parsing import describe_budget, format_money, parse_budget, parse_time
from bot.model import Budget

BUDGETS = [
    ("my budget is £200", ("limit", 200, "GBP")),
    ("£300", ("limit", 300, "GBP")),
    ("500 dollars", ("limit", 500, "USD")),
    ("up to 1000 euros", ("limit", 1000, "EUR")),
    ("around 150 pounds", ("limit", 150, "GBP")),
    ("I can spend 2000 AUD", ("limit", 2000, "AUD")),
    ("A$500", ("limit", 500, "AUD")),
    ("under $100", ("limit", 100, "USD")),
    ("1.5k dollars", ("limit", 1500, "USD")),
    ("$1,200", ("limit", 1200, "USD")),
    ("between 100 and 300 euros", ("limit", 300, "EUR")),
    ("₹5000", ("limit", 5000, "INR")),
    ("50,000 INR", ("limit", 50000, "INR")),
    ("50 quid", ("limit", 50, "GBP")),
    ("CHF 400", ("limit", 400, "CHF")),
    ("free", ("free", 0, None)),
    ("only free courses", ("free", 0, None)),
    ("nothing, I'm a student", ("free", 0, None)),
    ("£0", ("free", 0, "GBP")),
    ("no limit", ("unlimited", None, None)),
    ("my employer pays", ("unlimited", None, None)),
    ("money is no object", ("unlimited", None, None)),
]


@pytest.mark.parametrize("text,expected", BUDGETS)
def test_budget(text, expected):
    b = parse_budget(text)
    assert b is not None, text
    assert (b.kind, b.amount if b.amount is None else round(b.amount), b.currency) == expected


@pytest.mark.parametrize(
    "text", ["5 hours a week", "I have 6 weeks", "tell me more about the second one", "data science"]
)
def test_no_budget_in_text_without_money(text):
    assert parse_budget(text) is None


def test_bare_number_is_a_budget_only_when_asked():
    assert parse_budget("200") is None
    b = parse_budget("200", expect_money=True)
    assert b == Budget("limit", 200.0, None, "200")


def test_money_next_to_time_is_not_confused():
    b = parse_budget("I have £500 and 3 months at 5 hours a week")
    assert (b.kind, b.amount, b.currency) == ("limit", 500.0, "GBP")


TIMES = [
    ("I have 6 weeks", (6, None)),
    ("3 months", (13.0, None)),
    ("10 days", (10 / 7, None)),
    ("a year", (52, None)),
    ("a semester", (15, None)),
    ("over the summer", (12, None)),
    ("5 hours a week", (None, 5)),
    ("10 hours per week", (None, 10)),
    ("an hour a day", (None, 7)),
    ("2 hours a day", (None, 14)),
    ("3 h/week", (None, 3)),
    ("maybe 8 hours weekly", (None, 8)),
    ("30 minutes a day", (None, 3.5)),
    ("3 months at 5 hours a week", (13.0, 5)),
    ("I have 12 weeks and 6 hours a week", (12, 6)),
    ("two months, four hours a week", (8.7, 4)),
    ("I can study evenings, around 6 hours a week, for 10 weeks", (10, 6)),
]


@pytest.mark.parametrize("text,expected", TIMES)
def test_time(text, expected):
    t = parse_time(text)
    weeks, hours = expected
    assert t.weeks == pytest.approx(weeks, abs=0.05) if weeks else t.weeks is None
    assert t.hours_per_week == pytest.approx(hours, abs=0.05) if hours else t.hours_per_week is None


def test_bare_number_answers_the_question_asked():
    assert parse_time("5", expect="hours_per_week").hours_per_week == 5
    assert parse_time("5", expect="weeks").weeks == 5
    assert parse_time("5") == parse_time("nothing here")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("tell me more about the second one", 2),
        ("the first", 1),
        ("number 3", 3),
        ("the last one", -1),
        ("option #4", 4),
        ("is it accredited", None),
    ],
)
def test_ordinal(text, expected):
    assert parse_ordinal(text) == expected


def test_money_formatting_and_description():
    assert format_money(1200, "GBP") == "£1,200"
    assert format_money(49.99, "USD") == "$49.99"
    assert format_money(10, "CHF") == "10 CHF"
    assert describe_budget(Budget("free", 0.0)) == "free only"
    assert describe_budget(Budget("unlimited")) == "no upper limit"
    assert describe_budget(Budget("limit", 300.0, "EUR")) == "up to €300"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("only online courses please", {"online_only": True}),
        ("I can't travel, so fully online", {"online_only": True}),
        ("in person is fine", {"online_only": False}),
        ("I'm a complete beginner", {}),  # about the person (their experience), not a filter
        ("which cloud certification is best for a beginner like me?", {}),
        ("beginner courses only please", {"level": "beginner"}),
        # relative to a beginner's level: said of what the person is past (experience_in), not "advanced only"
        ("I don't want beginner stuff. What's more advanced?", {}),
        ("advanced courses only", {"level": "advanced"}),
        ("something intermediate", {"level": "intermediate"}),
        ("any level is fine", {"level": None}),
        ("from a university, online only", {"online_only": True, "provider_kinds": ["university"]}),
        ("vendor certifications please", {"provider_kinds": ["company"]}),
        ("any provider", {"provider_kinds": []}),
        ("beginner or advanced, not sure", {}),  # two levels at once: not a filter
        ("I want to work in cloud computing with £500", {}),
        ("industry-recognised ones", {}),  # about recognition, not who provides it
    ],
)
def test_filters_people_ask_for(text, expected):
    assert parse_filters(text) == expected


@pytest.mark.parametrize(
    "text, wanted",
    [
        ("credit-bearing only please", True),
        ("I want academic credit", True),
        ("it has to count towards my degree", True),
        ("I don't need credit anymore", False),
        ("credit doesn't matter", False),
        ("forget the credit", False),
        ("no need for credit", False),
        ("show me cloud courses", None),
        ("Are there any with proper university credit?", True),
        ("with real college credits", True),
        ("something with no credit is fine", None),
        ("what about credit cards", None),
    ],
)
def test_credit_wishes_are_read_both_ways(text, wanted):
    from bot.language.filters import credit_wanted

    assert credit_wanted(text) is wanted


@pytest.mark.parametrize(
    "text, lifted",
    [
        ("any type is fine, not just micromasters", True),
        ("doesn't have to be a micromasters", True),
        ("any kind of course is ok", True),
        ("show me a micromasters", False),
        ("not just data, also AI", False),
    ],
)
def test_a_type_filter_is_lifted_in_plain_words(text, lifted):
    from bot.language.filters import any_type_will_do

    assert any_type_will_do(text) is lifted


@pytest.mark.parametrize(
    "text, budget, weeks, hours",
    [
        # questions about an option's price or length state nothing of the person's own
        ("wait, is that $49 US or Canadian?", None, None, None),
        ("and is it 49 pounds a month?", None, None, None),
        ("is CS50 free? what's the 219?", None, None, None),
        ("Does the UNC course give a certificate for free?", None, None, None),
        ("where do I get the 23 hours for CAPM?", None, None, None),
        ("oh. so nothing on clinical trials at all? what's the closest then", None, None, None),
        ("Hmm. OK, in person is fine too actually if it's only a few days", None, None, None),
        # what the person says of their own stays theirs, questions and all
        ("is 200 pounds enough for a good one?", ("limit", 200, "GBP"), None, None),
        ("I have 3 months, is that enough?", None, 13.0, None),
        ("$100 max, 6 months, 10 hours a week. is CS50 free?", ("limit", 100, "USD"), 26.1, 10.0),
        ("I could put aside around 800 Canadian, probably 8 hours a week", ("limit", 800, "CAD"), None, 8.0),
        ("like 300 bucks, im in austin so USD. 10 hrs a week for 3 months", ("limit", 300, "USD"), 13.0, 10.0),
        ("Around a grand (GBP). 8 hours a week, over 6 months.", ("limit", 1000, "GBP"), 26.1, 8.0),
        ("3 months, 5", None, 13.0, 5.0),  # both questions answered at once
    ],
)
def test_questions_about_options_are_not_the_persons_budget_or_time(text, budget, weeks, hours):
    b = parse_budget(text)
    assert (None if b is None else (b.kind, b.amount, b.currency)) == budget
    t = parse_time(text)
    assert (t.weeks, t.hours_per_week) == (weeks, hours)


@pytest.mark.parametrize(
    "text, amount, currency",
    [
        ("those cipd ones are like £2k arent they? i really cant go over 300", 300, "GBP"),
        ("they cost £2k but my max is £300", 300, "GBP"),
        ("£300 max, the £2000 one is too much", 300, "GBP"),
        ("I can't go over 300", 300, None),  # a limit without a currency: the currency is asked
        ("between 100 and 300 euros", 300, "EUR"),  # a range: up to its top
        ("I have £500 but the course is £300", 500, "GBP"),
    ],
)
def test_the_limit_said_wins_over_a_price_mentioned(text, amount, currency):
    budget = parse_budget(text)
    assert (budget.amount, budget.currency) == (amount, currency)
