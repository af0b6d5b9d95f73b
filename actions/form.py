"""Reading aim, budget and time from what people say, in any order and several at once."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import get_advisor, has_rate, latest_intent, no_rate_message, user_text
from bot.advice.service import (
    aim_change,
    any_type_will_do,
    credential_type_named,
    credit_wanted,
    currency_named,
    experience_in,
    format_money,
    parse_budget,
    parse_filters,
    parse_time,
    region_currency,
    region_named,
    say,
    wants_broader,
)
from bot.model import Budget

# Intents whose text may carry an aim, a budget or a time. Any other intent during the form is an
# interruption (a question, a request for a person) that the rules answer before the form goes on.
ANSWER_INTENTS = {"inform", "request_advice", "nlu_fallback"}


def hint(slot: str) -> str:
    """What to say when the answer to the question for ``slot`` could not be read: what would work."""
    hints = {
        "career_aim": say("form.hint.career_aim"),
        "budget": say("form.hint.budget"),
        "weeks": say("form.hint.weeks"),
        "hours_per_week": say("form.hint.hours_per_week"),
    }
    return hints.get(slot) or say("form.hint.other")


DOLLAR_CURRENCIES = ("USD", "AUD", "CAD", "NZD")
UNSURE_RE = re.compile(
    r"\b(don'?t know|do not know|not sure|no idea|unsure|undecided|haven'?t decided|no clue)\b", re.I
)


class ValidateAdviceForm(FormValidationAction):
    def name(self) -> str:
        return "validate_advice_form"

    def _text(self, tracker: Tracker) -> str | None:
        if latest_intent(tracker) not in ANSWER_INTENTS:
            return None
        return user_text(tracker)

    async def extract_career_aim(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = self._text(tracker)
        if text is None:
            return {}
        # a field names its aim too: "instructional design" is education, "health informatics" healthcare
        aims, _fields = self._aim_change(tracker, text)
        return {"career_aim": aims} if aims else {}

    @staticmethod
    def _aim_change(tracker: Tracker, text: str) -> tuple[list[str], list[str]]:
        """The aims and fields the message sets: "I'm OK with Excel" or "no IT background" leave them."""
        return aim_change(
            text,
            tracker.get_slot("career_aim") or [],
            tracker.get_slot("fields") or [],
            asked=tracker.get_slot("requested_slot") == "career_aim",
        )

    def _read_budget(self, tracker: Tracker) -> tuple[dict | None, dict | None]:
        """(budget slot value, pending amount whose currency must be asked), from the latest message."""
        text = self._text(tracker)
        if text is None:
            return None, None
        # a bare number answers the budget question, unless the message tells a time ("3 months, 5")
        said_time = parse_time(text)
        asked = tracker.get_slot("requested_slot") == "budget" and not (said_time.weeks or said_time.hours_per_week)
        budget = parse_budget(text, expect_money=asked)
        pending = tracker.get_slot("budget_pending") or {}
        if budget is None and pending.get("amount") is not None:
            # the answer to "Which currency is 200 in?" may be the currency alone: "rupees", "aussie dollars"
            currency = currency_named(text)
            if currency:
                budget = Budget("limit", float(pending["amount"]), currency, text)
        held = tracker.get_slot("budget") or {}
        if budget is None and held.get("assumed_currency") and held.get("amount") is not None:
            # "rupees" after "I took your budget as ₹25,000; say so if you meant another currency"
            currency = currency_named(text)
            if currency:
                return Budget("limit", float(held["amount"]), currency, held.get("text") or "").as_dict(), None
        if budget is None:
            return None, None
        value = budget.as_dict()
        if budget.kind == "limit" and not budget.currency:
            # where the person said they are sets the currency of a bare amount (said back), before the default
            default = region_currency(region_named(text) or tracker.get_slot("region"))
            default = default or get_advisor().settings.default_currency
            dollars = bool(re.search(r"\bbucks\b", text, re.I))
            if dollars and not default:
                default = "USD"  # "bucks" with nothing else to go by: US dollars, said back to be corrected
            if not default or (dollars and default not in DOLLAR_CURRENCIES):
                # Which currency? Ask with buttons (action_ask_budget) rather than guess.
                return None, {"amount": budget.amount, "dollars": dollars}
            value = Budget("limit", budget.amount, default, budget.text).as_dict()
            value["assumed_currency"] = True
        return value, None

    async def extract_budget(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        value, _pending = self._read_budget(tracker)
        if value and not await has_rate(value.get("currency")):
            # "R$1500": no rate for it in our data, so no price could be checked against it; say so, ask again
            dispatcher.utter_message(text=no_rate_message(value["currency"]))
            return {}
        return {"budget": value} if value else {}

    async def extract_weeks(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = self._text(tracker)
        if text is None:
            return {}
        expect = tracker.get_slot("requested_slot")
        if expect == "budget":
            expect = None
        t = parse_time(text, expect=expect if expect in {"weeks", "hours_per_week"} else None)
        if t.note:
            dispatcher.utter_message(text=t.note)
        out: dict[str, Any] = {}
        if t.weeks:
            out["weeks"] = float(t.weeks)
        if t.hours_per_week:
            out["hours_per_week"] = float(t.hours_per_week)
        return out

    async def validate_weeks(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None or value > 520:
            dispatcher.utter_message(text=say("form.too_many_weeks"))
            return {"weeks": None}
        return {"weeks": value}

    async def validate_hours_per_week(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None or value > 80:
            dispatcher.utter_message(text=say("form.too_many_hours"))
            return {"hours_per_week": None}
        return {"hours_per_week": value}

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        held_aims = set(tracker.get_slot("career_aim") or [])  # (before this message's aims are extracted)
        events = await super().run(dispatcher, tracker, domain)
        text = self._text(tracker)
        credit = credit_wanted(text) if text else None
        if credit is not None and credit != tracker.get_slot("credit_required"):
            events.append(SlotSet("credit_required", credit))
        value, pending = self._read_budget(tracker)
        if pending or (value and tracker.get_slot("budget_pending")):
            events.append(SlotSet("budget_pending", pending))
        named = [
            str(e.get("value", ""))
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == "credential_type"
        ]
        wanted_type = credential_type_named(named) if text else None
        if text and any_type_will_do(text):
            wanted_type = None
            if tracker.get_slot("credential_type"):
                events.append(SlotSet("credential_type", None))
        elif wanted_type and wanted_type != tracker.get_slot("credential_type"):
            events.append(SlotSet("credential_type", wanted_type))
        region = region_named(text) if text else None
        if region and region != tracker.get_slot("region"):
            events.append(SlotSet("region", region))
        aims, fields = self._aim_change(tracker, text) if text else ([], [])
        experience = experience_in(text, fields or tracker.get_slot("fields") or []) if text else None
        if experience and experience != tracker.get_slot("experience"):
            events.append(SlotSet("experience", experience))
        if fields and fields != (tracker.get_slot("fields") or []):
            events.append(SlotSet("fields", fields))
        elif text and not fields and (wants_broader(text) or set(aims) - held_aims) and tracker.get_slot("fields"):
            # a new broad aim, or "broaden my search": the narrower field no longer holds (the same broad aim
            # said again, "before I apply for a health protection role", leaves the field as it was)
            events.append(SlotSet("fields", []))
        current = tracker.get_slot("filters") or {}
        filters = {**current, **parse_filters(text)} if text else current
        if filters != current:
            events.append(SlotSet("filters", filters))
        requested = tracker.get_slot("requested_slot")
        filled = [
            e
            for e in events
            if e.get("event") == "slot"
            and e.get("name") not in {"requested_slot", "credit_required", "credential_type", "filters"}
            and not (e.get("name") == "budget_pending" and e.get("value") is None)
        ]
        if requested and not filled and latest_intent(tracker) in ANSWER_INTENTS:
            if requested == "career_aim" and UNSURE_RE.search(text or ""):
                # action_ask_career_aim offers exploratory choices instead of a hint
                events.append(SlotSet(requested, None))
                return events
            # An answer we could not read: say what would work and ask again, rather than
            # letting the form be rejected and the question dropped.
            dispatcher.utter_message(text=hint(requested))
            events.append(SlotSet(requested, None))
        return events


def aim_choices() -> list[tuple[str, str]]:
    """(button title, what the button says for the person: read as their aim) for someone who doesn't know yet."""
    return [
        (say("form.aim_choice.data"), "data science, AI or software development"),
        (say("form.aim_choice.cloud"), "cloud computing, IT support or cybersecurity"),
        (say("form.aim_choice.business"), "business and management"),
        (say("form.aim_choice.venture"), "entrepreneurship, starting my own business"),
        (say("form.aim_choice.research"), "an academic research career"),
        (say("form.aim_choice.lab"), "bioinformatics and lab science"),
        (say("form.aim_choice.science_communication"), "science communication"),
        (say("form.aim_choice.health"), "healthcare"),
        (say("form.aim_choice.teaching"), "teaching and education"),
        (say("form.aim_choice.design"), "design and digital marketing"),
    ]


class ActionAskCareerAim(Action):
    """Ask for the career aim; someone who doesn't know yet gets a few choices to explore."""

    def name(self) -> str:
        return "action_ask_career_aim"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if UNSURE_RE.search(user_text(tracker)):
            dispatcher.utter_message(
                text=say("form.unsure_aim"),
                buttons=[{"title": title, "payload": payload} for title, payload in aim_choices()],
            )
        else:
            dispatcher.utter_message(response="utter_ask_career_aim")
        return []


class ActionAskBudget(Action):
    """Ask for the budget; an amount without a currency gets a question with buttons."""

    def name(self) -> str:
        return "action_ask_budget"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        pending = tracker.get_slot("budget_pending")
        if pending and pending.get("amount") is not None:
            amount = pending["amount"]
            currencies = DOLLAR_CURRENCIES if pending.get("dollars") else ("GBP", "EUR", "USD", "AUD", "INR")
            dispatcher.utter_message(
                text=say("form.which_currency", amount=f"{amount:g}"),
                buttons=[
                    {"title": f"{format_money(amount, c)} ({c})", "payload": f"{amount:g} {c}"} for c in currencies
                ],
            )
        else:
            dispatcher.utter_message(response="utter_ask_budget")
        return []
