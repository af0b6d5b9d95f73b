"""What the language model calls out of scope is checked against the domain before the person is told
"Sorry, I can't help with that": a message that names a credential ("is CAPM recognised in Australia?"),
refers to an option shown ("compare the Harvard and IBM ones"), or tells an aim, a field, a budget or a
time is answered as what it is. Only what is left gets the out-of-scope answer; a message in another
language is told, in that language, that the assistant works in English."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import get_advisor, off_loop, user_text
from actions.recommend import ActionCredentialDetail, ActionRecommend, apologise
from bot.advice.service import (
    aim_change,
    detail_text,
    experience_in,
    other_language_note,
    parse_budget,
    parse_time,
    question_kind,
    references,
)
from bot.model import CatalogueUnavailable

ASPECTS = (
    ("recognition", re.compile(r"\b(recogni[sz]\w*|accepted|employers?|companies|value[ds]?|respected|known)\b", re.I)),
    ("accreditation", re.compile(r"\b(accredit\w*|legit\w*|real (?:university|provider)|quality assur\w*)\b", re.I)),
    ("credit", re.compile(r"\b(credits?|ects|cats|degree|masters?|stack\w*)\b", re.I)),
)
REQUIRED = ("career_aim", "budget", "weeks", "hours_per_week")


def slots_in(text: str, tracker: Tracker) -> dict[str, Any]:
    """Aim, field, budget (with its currency), time and experience that ``text`` states (an aim or field
    held is changed only by a message that says what the person is after)."""
    out: dict[str, Any] = {}
    aims, fields = aim_change(text, tracker.get_slot("career_aim") or [], tracker.get_slot("fields") or [])
    if aims:
        out["career_aim"] = aims
    if fields:
        out["fields"] = fields
    budget = parse_budget(text)
    if budget and (budget.kind != "limit" or budget.currency):
        out["budget"] = budget.as_dict()
    time = parse_time(text)
    if time.weeks:
        out["weeks"] = float(time.weeks)
    if time.hours_per_week:
        out["hours_per_week"] = float(time.hours_per_week)
    experience = experience_in(text)
    if experience:
        out["experience"] = experience
    return out


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = user_text(tracker)
        note = other_language_note(text)
        if note:
            dispatcher.utter_message(text=note)
            return []
        events = await self.triage(dispatcher, tracker, domain, text)
        if events is not None:
            return events
        dispatcher.utter_message(response="utter_out_of_scope")
        return []

    async def triage(self, dispatcher, tracker: Tracker, domain: DomainDict, text: str) -> list[EventType] | None:
        """A message the intent model could not place, read for what matters to the advice: a budget or
        a time (kept, and the questions go on), a question about an option, or an aim. None: nothing."""
        found = slots_in(text, tracker)
        if any(name in found for name in ("budget", "weeks", "hours_per_week")):
            return await self._advice(dispatcher, tracker, domain, found)
        try:
            answered = await self._about_credentials(dispatcher, tracker, text)
        except CatalogueUnavailable as exc:
            return apologise(dispatcher, self.name(), exc)
        if answered is not None:
            return answered
        if found:
            return await self._advice(dispatcher, tracker, domain, found)
        return None

    async def _about_credentials(self, dispatcher, tracker: Tracker, text: str) -> list[EventType] | None:
        """Answer a question about options shown or named; None when the message names none."""
        advisor = get_advisor()
        shown = tracker.get_slot("shown_ids") or []
        records = await off_loop(advisor.details, shown) if shown else []
        named_shown = references(text, records) if records else []
        if records and (named_shown or question_kind(text)):
            return await ActionCredentialDetail().run(dispatcher, tracker, {})
        named = await off_loop(advisor.named_in, text)
        if not named:
            return None
        aspect = next((name for name, pattern in ASPECTS if pattern.search(text)), "all")
        dispatcher.utter_message(text=detail_text(named[0], aspect))
        if len(named) > 1:
            others = ", ".join(r.title for r in named[1:])
            dispatcher.utter_message(text=f"You may also mean: {others}. Ask me about it by name.")
        return [SlotSet("focus_id", named[0].id)]

    async def _advice(self, dispatcher, tracker: Tracker, domain: DomainDict, found: dict) -> list[EventType]:
        """The message told an aim, a budget or a time: keep them, and go on as the questions would."""
        events: list[EventType] = [SlotSet(name, value) for name, value in found.items()]
        if tracker.active_loop_name:  # the questions go on by themselves after this action
            return events
        held = {**{name: tracker.get_slot(name) for name in REQUIRED}, **found}
        missing = [name for name in REQUIRED if held.get(name) in (None, [], "")]
        if missing:
            dispatcher.utter_message(response=f"utter_ask_{missing[0]}")
            return events
        updated = tracker.copy()
        for name, value in found.items():
            updated.slots[name] = value
        return events + await ActionRecommend().run(dispatcher, updated, domain)


class ActionGreet(Action):
    """A greeting; one that also tells an aim, a field, a budget or a time ("hello sir, I am a fresher
    looking for a cybersecurity course") keeps them and goes on with the questions."""

    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        found = slots_in(user_text(tracker), tracker)
        if not found:
            dispatcher.utter_message(response="utter_greet")
            return []
        dispatcher.utter_message(text="Hello!")
        return await ActionOutOfScope()._advice(dispatcher, tracker, domain, found)


class ActionKeepContext(Action):
    """After a frequent question is answered, keep what the message also said about the person
    ("doing an HNC, want to get into cyber security: what short courses would help?"): silently."""

    def name(self) -> str:
        return "action_keep_context"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        found = slots_in(user_text(tracker), tracker)
        return [SlotSet(name, value) for name, value in found.items() if value != tracker.get_slot(name)]


class ActionUnsure(Action):
    """A message the intent model is unsure of: what it says about the person's aim, budget or time, or
    about an option, is used as the out-of-scope check would; only otherwise the two-stage fallback asks
    what was meant."""

    def name(self) -> str:
        return "action_unsure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = user_text(tracker)
        if not other_language_note(text):
            events = await ActionOutOfScope().triage(dispatcher, tracker, domain, text)
            if events is not None:
                return events
        return [FollowupAction("action_two_stage_fallback")]
