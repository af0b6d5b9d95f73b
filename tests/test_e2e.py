"""A whole advising conversation over REST against the real Rasa and action servers."""

from __future__ import annotations

import json
import math
import sqlite3
import urllib.request
import uuid

import pytest

from bot.catalogue.loading import load_catalog  # noqa: F401  (the stack fixture seeds with it)
from bot.catalogue.models import make_engine
from bot.catalogue.repository import exchange_rates
from bot.settings import load_settings

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


class Conversation:
    def __init__(self, rasa_url: str):
        self.url = rasa_url + "/webhooks/rest/webhook"
        self.sender = uuid.uuid4().hex

    def say(self, text: str) -> tuple[str, list[dict]]:
        req = urllib.request.Request(
            self.url,
            data=json.dumps({"sender": self.sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            replies = json.loads(resp.read())
        text_out = "\n".join(r["text"] for r in replies if r.get("text"))
        customs = [r["custom"] for r in replies if r.get("custom")]
        return text_out, customs


def test_whole_advising_conversation(stack):
    c = Conversation(stack.rasa_url)
    text, _ = c.say("hi")
    assert "personal details" in text

    text, _ = c.say("I want to become a data analyst")
    assert "budget" in text.lower()
    text, _ = c.say("£300")
    assert "how long" in text.lower()
    text, _ = c.say("4 months")
    assert "hours a week" in text.lower()
    text, customs = c.say("6 hours a week")
    assert text.startswith(
        ("Here ", "Nothing in our catalogue", "These may fit what you told me", "The options closest to data analysis")
    )
    [payload] = customs
    assert payload["type"] == "credential_list" and 1 <= len(payload["items"]) <= 5
    assert_items_honest(payload["items"], stack, budget_gbp=300, weeks=4 * 4.345, hours=6)
    items = payload["items"]

    text, _ = c.say("tell me more about the second one")
    assert text.startswith(items[1]["title"])
    assert "Source: " in text
    text, _ = c.say("is it accredited?")
    assert "quality assurance" in text.lower() or "accreditation" in text.lower()
    text, _ = c.say("will employers recognise it?")
    assert "recognition" in text.lower()
    text, _ = c.say("does it carry credit?")
    assert "credit" in text.lower()

    text, customs = c.say("show me other options")
    if customs:
        assert not {i["id"] for i in customs[0]["items"]} & {i["id"] for i in items}
    text, _ = c.say("anything cheaper?")
    assert "cheaper" in text.lower()

    text, customs = c.say("actually my budget is £1000")
    assert "budget changed from up to £300 to up to £1,000" in text
    assert_items_honest(customs[0]["items"], stack, budget_gbp=1000, weeks=4 * 4.345, hours=6)

    text, _ = c.say("can I talk to a careers adviser?")
    assert "Careers Hub" in text
    text, _ = c.say("what is a micro-credential?")
    assert "learning outcomes" in text
    text, _ = c.say("what's the weather like tomorrow")
    assert "can't help with that" in text
    text, _ = c.say("start over")
    assert "start again" in text.lower()
    text, _ = c.say("is it accredited?")
    assert "Office for Students" in text and "Once I've suggested some options" in text

    # The conversation is in the SQL tracker store, so a restart loses nothing.
    db = stack.log_dir / "conversations.db"
    with sqlite3.connect(db) as conn:
        n = conn.execute(
            "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'", (c.sender,)
        ).fetchone()[0]
    assert n == 17


def test_several_constraints_in_one_message_and_nothing_fits(stack):
    c = Conversation(stack.rasa_url)
    text, customs = c.say("I want to work in data science, it must be free, I have 1 week at 1 hour a week")
    assert text.startswith(("Nothing in our catalogue", "Here ", "These may fit what you told me"))
    assert_items_honest(customs[0]["items"], stack, budget_gbp=0, weeks=1, hours=1)
    if not text.startswith("Here "):  # each one breaks something, or could not be checked, and says which
        assert all(i["breaks"] or i["unknown"] for i in customs[0]["items"])


def assert_items_honest(items: list[dict], stack, budget_gbp: float, weeks: float, hours: float) -> None:
    """Each item meets the budget and time given, or its `breaks` names what it does not meet."""
    settings = load_settings({"ADVISOR_VAR_DIR": str(stack.log_dir)})
    eng = make_engine(settings.database_url)
    rates = exchange_rates(eng)
    eng.dispose()
    for item in items:
        price = item["price"]
        if price is not None:
            cost = price["amount"]
            if price.get("basis") == "per_month":
                dur = item["duration_weeks"] or 4.345
                taken = dur
                if item["hours_per_week"] and item["hours_per_week"] > hours:
                    taken = dur * item["hours_per_week"] / hours
                cost = price["amount"] * max(1, math.ceil(taken / 4.345 - 1e-9))
            in_gbp = rates.convert(cost, price["currency"], "GBP")
            over = in_gbp is not None and in_gbp > budget_gbp + 0.01
            assert over == ("budget" in item["breaks"]), (item["title"], in_gbp, item["breaks"])
        if item["duration_weeks"] and item["hours_per_week"]:
            total = item["duration_weeks"] * item["hours_per_week"]
            if total > weeks * hours + 0.01:
                assert {"time", "weekly_hours"} & set(item["breaks"]), (item["title"], total, item["breaks"])
        if not item["breaks"]:
            assert any(f.startswith("Aim:") for f in item["fit"])


def test_the_model_reads_its_first_messages_before_the_server_listens_and_keeps_nothing_of_them(stack):
    # the first person after a start-up does not wait for the model's first calls (bot.rasa_server.warm_up)
    log = (stack.log_dir / "rasa.log").read_text(errors="replace")
    assert "warmed up in" in log and "not warmed up" not in log
    reply, _ = Conversation(stack.rasa_url).say("hi")
    assert reply
    with sqlite3.connect(stack.log_dir / "conversations.db") as conn:
        senders = {row[0] for row in conn.execute("SELECT DISTINCT sender_id FROM events")}
    assert "warm-up" not in senders and senders
