"""More table-driven parser cases: budgets and times as people say them, and what must be refused or asked."""

import datetime as dt

import pytest

from bot.language.parsing import parse_budget, parse_time

TODAY = dt.date(2026, 11, 23)

# (text, kind, amount, currency); currency None means "ask which currency"
BUDGETS = [
    ("two hundred quid", "limit", 200, "GBP"),
    ("fifty pounds", "limit", 50, "GBP"),
    ("a hundred and fifty pounds", "limit", 150, "GBP"),
    ("one thousand five hundred dollars", "limit", 1500, "USD"),
    ("twenty-five euros", "limit", 25, "EUR"),
    ("three hundred euros tops", "limit", 300, "EUR"),
    ("1.5k dollars", "limit", 1500, "USD"),
    ("2k", None, None, None),
    ("£2k", "limit", 2000, "GBP"),
    ("€1.2k", "limit", 1200, "EUR"),
    ("$3k max", "limit", 3000, "USD"),
    ("5 grand", "limit", 5000, None),
    ("£5 grand", "limit", 5000, "GBP"),
    ("under £100", "limit", 100, "GBP"),
    ("up to $250", "limit", 250, "USD"),
    ("no more than 80 euros", "limit", 80, "EUR"),
    ("around 400 pounds", "limit", 400, "GBP"),
    ("about €75", "limit", 75, "EUR"),
    ("less than 60 quid", "limit", 60, "GBP"),
    ("max 900 AUD", "limit", 900, "AUD"),
    ("between 100 and 300 euros", "limit", 300, "EUR"),
    ("between £100 and £300", "limit", 300, "GBP"),
    ("£100-£200", "limit", 200, "GBP"),
    ("somewhere from 50 to 150 dollars", "limit", 150, "USD"),
    ("GBP 450", "limit", 450, "GBP"),
    ("450 GBP", "limit", 450, "GBP"),
    ("USD 99", "limit", 99, "USD"),
    ("99 usd", "limit", 99, "USD"),
    ("EUR 60", "limit", 60, "EUR"),
    ("INR 20000", "limit", 20000, "INR"),
    ("20000 rupees", "limit", 20000, "INR"),
    ("₹15,000", "limit", 15000, "INR"),
    ("50,000 INR", "limit", 50000, "INR"),
    ("A$300", "limit", 300, "AUD"),
    ("AU$300", "limit", 300, "AUD"),
    ("C$250", "limit", 250, "CAD"),
    ("CAD 250", "limit", 250, "CAD"),
    ("CHF 500", "limit", 500, "CHF"),
    ("500 francs", "limit", 500, "CHF"),
    ("NZ$400", "limit", 400, "NZD"),
    ("US$120", "limit", 120, "USD"),
    ("£1,250.50", "limit", 1250.5, "GBP"),
    ("$49.99", "limit", 49.99, "USD"),
    ("200 bucks", "limit", 200, None),
    ("a couple hundred bucks", "limit", 200, None),
    ("my budget is 300 pounds", "limit", 300, "GBP"),
    ("I could stretch to £750", "limit", 750, "GBP"),
    ("I have £500 and 3 months", "limit", 500, "GBP"),
    ("£40 a month", "limit", 40, "GBP"),
    ("free", "free", 0, None),
    ("free please", "free", 0, None),
    ("only free ones", "free", 0, None),
    ("nothing", "free", 0, None),
    ("nothing, I'm a student", "free", 0, None),
    ("I can't afford anything", "free", 0, None),
    ("I cannot pay", "free", 0, None),
    ("zero", "free", 0, None),
    ("£0", "free", 0, "GBP"),
    ("$0", "free", 0, "USD"),
    ("0 euros", "free", 0, "EUR"),
    ("I'm broke", "free", 0, None),
    ("no budget at all", "free", 0, None),
    ("no limit", "unlimited", None, None),
    ("there's no upper limit", "unlimited", None, None),
    ("money is no object", "unlimited", None, None),
    ("my employer pays", "unlimited", None, None),
    ("my company will pay", "unlimited", None, None),
    ("work is paying for it", "unlimited", None, None),
    ("price doesn't matter", "unlimited", None, None),
    ("any budget", "unlimited", None, None),
    ("my union will pay for the course", "unlimited", None, None),
    ("the council is paying for it", "unlimited", None, None),
    ("it's paid for by my employer", "unlimited", None, None),
    ("my department is funding it", "unlimited", None, None),
    ("the price isn't an issue", "unlimited", None, None),
    ("cost is not a problem", "unlimited", None, None),
    ("money's no object", "unlimited", None, None),
    ("I don't care about the price", "unlimited", None, None),
    # an amount said with a payer is the limit, not "no limit"
    ("my employer pays up to £500", "limit", 500, "GBP"),
    ("my scholarship gives me 250 dollars for courses", "limit", 250, "USD"),
    ("work will cover 1,000 euros", "limit", 1000, "EUR"),
    ("a couple of hundred pounds at most", "limit", 200, "GBP"),
    ("my employer pays up to 300", "limit", 300, None),  # a limit, but in which currency? asked
    ("my employer pays for 2 courses", "unlimited", None, None),
    ("a few hundred euros", "limit", 300, "EUR"),
    ("a few thousand dollars", "limit", 3000, "USD"),
]


@pytest.mark.parametrize("text,kind,amount,currency", BUDGETS)
def test_budget_table(text, kind, amount, currency):
    b = parse_budget(text)
    if kind is None:
        assert b is None or b.currency is None, text
        return
    assert b is not None, text
    assert b.kind == kind, text
    if amount is None:
        assert b.amount is None
    else:
        assert b.amount == pytest.approx(amount), text
    assert b.currency == currency, text


@pytest.mark.parametrize(
    "text",
    [
        "-50 pounds",
        "minus £20",
        "tell me more about the second one",
        "is it accredited?",
        "I have 3 weeks",
        "10 hours a week",
        "the third one",
        "level 7",
        "ISO 17024",
        "AZ-900",
        "data science",
        "a MicroMasters",
        "the price is an issue",
        "cost is a problem for me",
    ],
)
def test_texts_that_are_not_budgets(text):
    b = parse_budget(text)
    assert b is None, (text, b)


# (text, weeks, hours per week, a stated assumption expected)
TIMES = [
    ("6 weeks", 6, None, False),
    ("six weeks", 6, None, False),
    ("a week", 1, None, False),
    ("a fortnight", None, None, False),
    ("2-3 months", 13.0, None, False),
    ("3 months", 13.0, None, False),
    ("three months", 13.0, None, False),
    ("a couple of months", 8.7, None, False),
    ("a few months", 13.0, None, False),
    ("half a year", 26, None, False),
    ("a year", 52, None, False),
    ("2 years", 104, None, False),
    ("10 days", 10 / 7, None, False),
    ("a semester", 15, None, False),
    ("one term", 15, None, False),
    ("over the summer", 12, None, False),
    ("this summer", 12, None, False),
    ("by June", 27.1, None, False),
    ("by the end of March", 18.3, None, False),
    ("until Christmas", 4.6, None, False),
    ("before Easter", 17.9, None, False),
    ("by September", 40.4, None, False),
    ("5 hours a week", None, 5, False),
    ("5 hrs/week", None, 5, False),
    ("5h a week", None, 5, False),
    ("10 hours per week", None, 10, False),
    ("ten hours a week", None, 10, False),
    ("an hour a day", None, 7, False),
    ("one hour a day", None, 7, False),
    ("2 hours a day", None, 14, False),
    ("2 hours every weekday", None, 10, False),
    ("1-2 hours on weekday evenings", None, 7.5, True),
    # the person's past is not the time they have
    ("I'm a developer with ten years' experience", None, None, False),
    ("Security engineer, 8 years in SOC and security architecture", None, None, False),
    ("primary teacher, 10 years in, up to £4000 over two years, about 5 hours a week", 104, 5, False),
    ("I've done lab demonstrating for 3 years", None, None, False),
    ("I have been a nurse for 8 years", None, None, False),
    ("network administrator (4 years)", None, None, False),
    ("in person is fine if it's a few days at a time", None, None, False),
    ("I have 2 years to study", 104, None, False),
    ("2 hours every evening", None, 14, True),
    ("3 hours on weekdays", None, 15, False),
    ("sorry, I meant 1-2 hours per evening, so like 8 hours a week", None, 8, False),
    ("I have 26 weeks, about 1-2 hours on weekday evenings", 26, 7.5, True),
    ("30 minutes a day", None, 3.5, False),
    ("half an hour each day", None, 3.5, False),
    ("3 to 4 hours a week", None, 3.5, False),
    ("about 8 hours weekly", None, 8, False),
    ("20 hours a month", None, 20 / 4.345, False),
    ("4 hours every weekend", None, 4, False),
    ("2 evenings a week", None, 5, True),
    ("two evenings a week", None, 5, True),
    ("three nights a week", None, 7.5, True),
    ("a couple of evenings per week", None, 5, True),
    ("3 months at 5 hours a week", 13.0, 5, False),
    ("I have 12 weeks and 6 hours a week", 12, 6, False),
    ("two months, four hours a week", 8.7, 4, False),
    ("10 weeks, 2 evenings a week", 10, 5, True),
    ("by June, an hour a day", 27.1, 7, False),
    ("no, 10 hours", None, 10, False),
    ("actually 8 weeks", 8, None, False),
    ("make it 3 hours a week", None, 3, False),
    ("tell me more about the second one", None, None, False),
    ("is it accredited", None, None, False),
    ("£300", None, None, False),
    ("data science", None, None, False),
    ("by the end of the year", 5.4, None, False),
    ("until the end of this year", 5.4, None, False),
    ("over Easter", 2, None, True),
    ("during the Christmas holidays", 2, None, True),
    ("over the winter break, 5 hours a week", 2, 5, True),
    ("over the winter", 12, None, False),
    ("in the spring", None, None, False),
    # no fixed deadline: up to a year, said back
    ("there's no deadline", 104, None, True),
    ("no rush, any time is fine", 104, None, True),
    ("I'm flexible on time", 104, None, True),
    ("any length is fine", 104, None, True),
    ("time isn't a problem", 104, None, True),
    ("2 evenings a week, no deadline", 104, 5, True),
    ("how flexible is the second one", None, None, False),
]


@pytest.mark.parametrize("text,weeks,hours,assumed", TIMES)
def test_time_table(text, weeks, hours, assumed):
    t = parse_time(text, today=TODAY)
    if weeks is None:
        assert t.weeks is None, (text, t)
    else:
        assert t.weeks == pytest.approx(weeks, abs=0.15), (text, t)
    if hours is None:
        assert t.hours_per_week is None, (text, t)
    else:
        assert t.hours_per_week == pytest.approx(hours, abs=0.05), (text, t)
    assert (t.note is not None) == assumed, (text, t)
