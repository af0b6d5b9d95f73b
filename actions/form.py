"""Reading aim, budget and time from what people say, in any order and several at once."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import get_advisor, latest_intent, user_text
from bot.aims import detect_aims
from bot.parsing import Budget, parse_budget, parse_time

# Intents whose text may carry an aim, a budget or a time. Any other intent during the form is an
# interruption (a question, a request for a person) that the rules answer before the form goes on.
ANSWER_INTENTS = {"inform", "request_advice", "nlu_fallback"}
HINTS = {
    "career_aim": "I didn't catch a career aim. You could say \"data science\", \"run my own startup\" or \"teaching\".",
    "budget": "I didn't catch a budget. You could say \"£200\", \"up to 300 euros\", \"free only\" or \"no limit\".",
    "weeks": "I didn't catch how long you have. You could say \"6 weeks\", \"3 months\" or \"over the summer\".",
    "hours_per_week": "I didn't catch your weekly hours. You could say \"5 hours a week\" or \"an hour a day\".",
}


def _credit_wanted(text: str) -> bool | None:
    low = text.lower()
    if any(p in low for p in ("with credit", "credit-bearing", "credit bearing", "carry credit", "carries credit", "academic credit", "ects", "for credit")):
        if any(n in low for n in ("don't need credit", "no need for credit", "credit doesn't matter", "without credit")):
            return False
        return True
    return None


class ValidateAdviceForm(FormValidationAction):
    def name(self) -> str:
        return "validate_advice_form"

    def _text(self, tracker: Tracker) -> str | None:
        if latest_intent(tracker) not in ANSWER_INTENTS:
            return None
        return user_text(tracker)

    async def extract_career_aim(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = self._text(tracker)
        if text is None:
            return {}
        aims = detect_aims(text)
        return {"career_aim": aims} if aims else {}

    async def extract_budget(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = self._text(tracker)
        if text is None:
            return {}
        budget = parse_budget(text, expect_money=tracker.get_slot("requested_slot") == "budget")
        if budget is None:
            return {}
        value = budget.as_dict()
        if budget.kind == "limit" and not budget.currency:
            default = get_advisor().settings.default_currency
            value = Budget("limit", budget.amount, default, budget.text).as_dict()
            value["assumed_currency"] = True
        return {"budget": value}

    async def extract_weeks(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = self._text(tracker)
        if text is None:
            return {}
        expect = tracker.get_slot("requested_slot")
        if expect == "budget":
            expect = None
        t = parse_time(text, expect=expect if expect in {"weeks", "hours_per_week"} else None)
        out: dict[str, Any] = {}
        if t.weeks:
            out["weeks"] = float(t.weeks)
        if t.hours_per_week:
            out["hours_per_week"] = float(t.hours_per_week)
        return out

    async def validate_weeks(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None or value > 520:
            dispatcher.utter_message(text="That is more than ten years; tell me the time you have in weeks or months.")
            return {"weeks": None}
        return {"weeks": value}

    async def validate_hours_per_week(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None or value > 80:
            dispatcher.utter_message(text="That is more hours than a week allows for study; how many hours a week can you really give?")
            return {"hours_per_week": None}
        return {"hours_per_week": value}

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        text = self._text(tracker)
        credit = _credit_wanted(text) if text else None
        if credit is not None and credit != tracker.get_slot("credit_required"):
            events.append(SlotSet("credit_required", credit))
        requested = tracker.get_slot("requested_slot")
        filled = [e for e in events if e.get("event") == "slot" and e.get("name") not in {"requested_slot", "credit_required"}]
        if requested and not filled and latest_intent(tracker) in ANSWER_INTENTS:
            # An answer we could not read: say what would work and ask again, rather than
            # letting the form be rejected and the question dropped.
            dispatcher.utter_message(text=HINTS.get(requested, "Sorry, I didn't catch that."))
            events.append(SlotSet(requested, None))
        return events
