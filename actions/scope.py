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

from actions.common import constraints_from, get_advisor, has_rate, no_rate_message, off_loop, slots_in, user_text
from actions.fallback import ActionDefaultAskAffirmation
from actions.recommend import (
    ASKS_FOR_OPTIONS,
    ActionCredentialDetail,
    ActionRecommend,
    answer_about,
    apologise,
    relist_if_lifted,
)
from actions.support import GO_BACK, ActionHandoff, ActionStartOver
from bot.advice.service import (
    PRICE_WORDS,
    SUMMARY,
    other_language_note,
    question_kind,
    references,
    say,
    states_goal,
    summary_text,
    unmatched_name,
)
from bot.model import CatalogueUnavailable

ASPECTS = (
    (
        "provider",
        re.compile(
            r"\b(real (?:university|college|provider|school|company)|legit\w*|genuine|scam|heard of|reputable)\b", re.I
        ),
    ),
    ("recognition", re.compile(r"\b(recogni[sz]\w*|accepted|employers?|companies|value[ds]?|respected|known)\b", re.I)),
    ("accreditation", re.compile(r"\b(accredit\w*|legit\w*|real (?:university|provider)|quality assur\w*)\b", re.I)),
    ("credit", re.compile(r"\b(credits?|ects|cats|degree|masters?|stack\w*)\b", re.I)),
    ("price", PRICE_WORDS),
)
#: A question about the option in view ("how much is it?", "does it expire?", "is that $49 US or Canadian?").
ABOUT_IT = re.compile(r"\b(it|that|this|they|those|them|the (?:exam|course|certificate|one|price))\b[^.!]*\?", re.I)
#: Asking for a person in words the intent model may miss ("I'd rather talk this through with a real person").
#: a question written without its question mark: "what about comptia a+ my cousin says everyone wants that"
ASKS_ABOUT = re.compile(r"\s*(?:what|how) about\b", re.I)
WANTS_A_PERSON = re.compile(
    r"\b(?:real|actual|human) (?:person|adviser|advisor|human being)|\b(?:speak|talk)(?: this through)? (?:to|with) "
    r"(?:a |an |someone|somebody|a careers)|careers adviser\b",
    re.I,
)
#: What changes the list: a budget, a time, a filter or the credit wanted (kept before anything else).
CONSTRAINTS = ("budget", "weeks", "hours_per_week", "filters", "credit_required")
REQUIRED = ("career_aim", "budget", "weeks", "hours_per_week")


async def rated_slots_in(dispatcher, text: str, tracker: Tracker) -> dict[str, Any]:
    """:func:`slots_in`, without a budget in a currency the rate table lacks (which is said: "R$1500")."""
    found = slots_in(text, tracker)
    currency = (found.get("budget") or {}).get("currency")
    if not await has_rate(currency):
        dispatcher.utter_message(text=no_rate_message(currency))
        found.pop("budget")
    return found


async def kept_quietly(dispatcher, text: str, tracker: Tracker) -> list[EventType]:
    """What a message says about the person's aim, budget or time, kept without a word ("Hola, quiero un
    curso de ciberseguridad": the field is kept while the reply says the assistant works in English)."""
    found = await rated_slots_in(dispatcher, text, tracker)
    if "?" in text and tracker.get_slot("shown_ids"):
        # "Est-ce que ça donne des crédits ECTS ?" asks about an option shown; it asks for no credit-only list
        found = {name: value for name, value in found.items() if name not in ("credit_required", "filters")}
    return [SlotSet(name, value) for name, value in found.items() if value != tracker.get_slot(name)]


async def recap(dispatcher, tracker: Tracker) -> list[EventType]:
    advisor, c = get_advisor(), constraints_from(tracker)
    try:
        records = await off_loop(advisor.details, tracker.get_slot("shown_ids"))
        plans = [await off_loop(advisor.plan, r, c) for r in records]
    except CatalogueUnavailable as exc:
        return apologise(dispatcher, "action_out_of_scope", exc)
    dispatcher.utter_message(text=summary_text(plans))
    return []


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = user_text(tracker)
        note = other_language_note(text)
        if note:
            dispatcher.utter_message(text=note)
            return await kept_quietly(dispatcher, text, tracker)
        events = await self.triage(dispatcher, tracker, domain, text)
        if events is not None:
            return events
        dispatcher.utter_message(response="utter_out_of_scope")
        return []

    async def triage(self, dispatcher, tracker: Tracker, domain: DomainDict, text: str) -> list[EventType] | None:
        """A message the intent model could not place, read for what matters to the advice: a budget or
        a time (kept, and the questions go on), a question about an option, or an aim. None: nothing."""
        if WANTS_A_PERSON.search(text):
            return await ActionHandoff().run(dispatcher, tracker, domain)
        if GO_BACK.search(text) and tracker.get_slot("last_constraints"):
            return await ActionStartOver().run(dispatcher, tracker, domain)
        if SUMMARY.search(text) and tracker.get_slot("shown_ids"):  # "write me a summary": of the list shown
            return await recap(dispatcher, tracker)
        budget_said = "budget" in slots_in(text, tracker)
        found = await rated_slots_in(dispatcher, text, tracker)
        if budget_said and "budget" not in found:  # "20000 Kenyan shillings": no rate, said; the rest kept
            return [SlotSet(name, value) for name, value in found.items()]
        if question_kind(text) == "pace" and tracker.get_slot("shown_ids"):
            # "PL-300: how long to prepare at 6 h?" asks about an option at a pace; it changes no constraint
            try:
                answered = await self._about_credentials(dispatcher, tracker, text, lenient=True)
            except CatalogueUnavailable as exc:
                return apologise(dispatcher, self.name(), exc)
            if answered is not None:
                return answered
        if any(name in found for name in CONSTRAINTS):
            return await self._advice(dispatcher, tracker, domain, found)
        if {"career_aim", "fields"} & set(found) and "?" not in text and states_goal(text) and not question_kind(text):
            # "I'm a nurse in the NHS and want to move into health data": an aim, not a question about an NHS course
            return await self._advice(dispatcher, tracker, domain, found)
        try:
            answered = await self._about_credentials(dispatcher, tracker, text)
        except CatalogueUnavailable as exc:
            return apologise(dispatcher, self.name(), exc)
        if answered is not None:
            return answered
        if set(found) - {"region"}:  # a place alone ("the weather in Paris") is no reason to advise
            return await self._advice(dispatcher, tracker, domain, found)
        if "?" not in text and not ASKS_ABOUT.match(text):
            return None
        try:  # a question may name an option in lower case: "is the ccna exam done online?", "what about comptia a+"
            return await self._about_credentials(dispatcher, tracker, text, lenient=True)
        except CatalogueUnavailable as exc:
            return apologise(dispatcher, self.name(), exc)

    async def _about_credentials(
        self, dispatcher, tracker: Tracker, text: str, lenient: bool = False
    ) -> list[EventType] | None:
        """Answer a question about options shown or named; None when the message names none."""
        advisor = get_advisor()
        shown = tracker.get_slot("shown_ids") or []
        records = await off_loop(advisor.details, shown) if shown else []
        named_shown = references(text, records) if records else []
        if named_shown:  # "the harvard business school one" when the list has another Harvard course
            first = [r for r in records if r.id == named_shown[0]]
            pointed = await off_loop(advisor.pointed_at, text, first, tuple(tracker.get_slot("fields") or ()))
            if pointed and pointed[0].id not in shown:
                aspect = next((name for name, pattern in ASPECTS if pattern.search(text)), "all")
                return await answer_about(dispatcher, tracker, pointed[0], aspect, text)
        if records and not named_shown and not question_kind(text):
            # "what currency is the Wharton one in?" when no option shown is the Wharton one: the catalogue's
            outside = [r for r in await off_loop(advisor.named_in, text) if r.id not in shown]
            if outside and not unmatched_name(text, outside[0]):
                aspect = next((name for name, pattern in ASPECTS if pattern.search(text)), "all")
                return await answer_about(dispatcher, tracker, outside[0], aspect, text)
        if records and (named_shown or question_kind(text)):
            aspect = next((name for name, pattern in ASPECTS if pattern.search(text)), None)
            if aspect and not question_kind(text) and len(named_shown) == 1:
                record = next(r for r in records if r.id == named_shown[0])
                return await answer_about(dispatcher, tracker, record, aspect, text)
            return await ActionCredentialDetail().run(dispatcher, tracker, {})
        asks_aspect = "?" in text and any(pattern.search(text) for _name, pattern in ASPECTS)
        if records and (ABOUT_IT.search(text) or asks_aspect):
            focus = tracker.get_slot("focus_id")
            # the option last talked about, even when it was named from outside the list ("which first?")
            focused = [r for r in records if r.id == focus] or (
                await off_loop(advisor.details, [focus]) if focus else []
            )
            record = focused[0] if focused else records[0]
            aspect = next((name for name, pattern in ASPECTS if pattern.search(text)), "all")
            return await answer_about(dispatcher, tracker, record, aspect, text)
        named = await off_loop(advisor.named_in, text, lenient)
        if not named:
            return None
        asked = unmatched_name(text, named[0])
        if asked:  # "Harvard CS50 for Lawyers" is not CS50's AI course: never answer with another's profile
            nearest = named[0]
            dispatcher.utter_message(
                text=say("details.not_in_catalogue", asked=asked, nearest=nearest.title, provider=nearest.provider)
            )
            return []
        aspect = next((name for name, pattern in ASPECTS if pattern.search(text)), "all")
        events = await answer_about(dispatcher, tracker, named[0], aspect, text)
        if len(named) > 1:
            others = ", ".join(r.title for r in named[1:])
            dispatcher.utter_message(text=say("details.also_mean", others=others))
        return events

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
        note = other_language_note(user_text(tracker))
        if note:  # "Hola, quiero un curso…": say in that language that the assistant works in English
            dispatcher.utter_message(text=note)
            return await kept_quietly(dispatcher, user_text(tracker), tracker)
        found = await rated_slots_in(dispatcher, user_text(tracker), tracker)
        if not set(found) - {"region"}:
            dispatcher.utter_message(response="utter_greet")
            return []
        dispatcher.utter_message(text=say("greet.hello"))
        return await ActionOutOfScope()._advice(dispatcher, tracker, domain, found)


#: General questions that, asked about a named option, have an answer of that option's own.
SPECIFIC_ASPECT = {
    "faq/stacking": "credit",
    "faq/credit_general": "credit",
    "faq/employer_recognition": "recognition",
    "faq/check_provider": "accreditation",
    "faq/nanodegrees": "all",  # "the udacity devops nanodegree looks like what I want, why not that one?"
}
#: A message that points at one option ("the udacity devops nanodegree", "that one"): its words may name it
#: even in lower case.
POINTS_AT_ONE = re.compile(
    r"\b(?:the|that|this)\b(?: [\w+-]+){0,4} (?:one|course|programme|program|certificate|nanodegree|exam)\b", re.I
)


#: Frequent questions about micro-credentials in general: answered as they are, even when a name appears
#: ("what is a MOOC?" names no option).
GENERAL_ONLY = frozenset(
    {"faq/what_is_microcredential", "faq/vs_degree", "faq/vs_mooc", "faq/digital_badges", "faq/international_students"}
)
#: How sure the response selector must be of its answer for it to be said without doubt; below
#: :data:`FAQ_DOUBTFUL` it is guessing (a career story read as "do I need a degree?") and is never said.
FAQ_SURE, FAQ_DOUBTFUL = 0.5, 0.25


def faq_answer(tracker: Tracker) -> tuple[str | None, float]:
    """Which frequent question the response selector answered ("faq/stacking"), and how sure it is."""
    # keyed by the retrieval intent, or "default" when one selector serves them all (config.yml)
    # (beside them, "all_retrieval_intents" is a list of names)
    for selector in (tracker.latest_message.get("response_selector") or {}).values():
        if not isinstance(selector, dict):
            continue
        response = selector.get("response") or {}
        key = response.get("intent_response_key") or ""
        if key.startswith("faq/"):
            return key, float(response.get("confidence") or 0.0)
    return None, 0.0


class ActionKeepContext(Action):
    """A message read as a frequent question: its general answer, unless the message is something else
    that the answer would miss — a filter lifted ("I don't need credit anymore"), a search ("anything with
    university credit?"), a question about one named option ("does YC Startup School give a certificate?"),
    or a career story the selector is only guessing at. What it also says about the person is kept, and an
    aim told outside the questions goes on to the next question."""

    def name(self) -> str:
        return "action_keep_context"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = user_text(tracker)
        key, confidence = faq_answer(tracker)
        found = await rated_slots_in(dispatcher, text, tracker)
        relisted = await relist_if_lifted(dispatcher, tracker, domain, found)
        if relisted is not None:  # "any type is fine, not just micromasters", "I don't need credit anymore"
            return relisted
        if ASKS_FOR_OPTIONS.search(text) and tracker.get_slot("last_constraints"):
            # "ok, back to courses: anything with university credit, even if I have to travel?": a search
            updated = tracker.copy()
            updated.slots.update(found)
            return [SlotSet(k, v) for k, v in found.items()] + await ActionRecommend().run(dispatcher, updated, domain)
        aspect = SPECIFIC_ASPECT.get(key or "")
        try:
            record = None if key in GENERAL_ONLY else await self._named_option(tracker, text)
        except CatalogueUnavailable:
            record = None  # the general answer stands
        if record is not None and not aspect:  # "does YC Startup School give a certificate?": that one's answer
            if tracker.get_slot("shown_ids"):
                return await ActionCredentialDetail().run(dispatcher, tracker, domain)
            asked = next((name for name, pattern in ASPECTS if pattern.search(text)), "all")
            return await answer_about(dispatcher, tracker, record, asked, text)
        said = key is not None and (confidence >= FAQ_SURE or (confidence >= FAQ_DOUBTFUL and "?" in text))
        if said:
            dispatcher.utter_message(response=f"utter_{key}")
        events = [SlotSet(name, value) for name, value in found.items() if value != tracker.get_slot(name)]
        if record is not None:  # "how does the UC San Diego MicroMasters stack into a degree?": that one's answer too
            return events + await answer_about(dispatcher, tracker, record, aspect, text, named=aspect != "all")
        if {"career_aim", "fields"} & set(found) and not tracker.active_loop_name:
            # "doing an HNC, want to get into cyber security: what short courses would help?": the next question
            return await ActionOutOfScope()._advice(dispatcher, tracker, domain, found)
        if not said and not tracker.active_loop_name:  # nothing else to say
            if key is not None and confidence >= FAQ_DOUBTFUL:  # the selector's best guess
                dispatcher.utter_message(response=f"utter_{key}")
            else:  # a guess is no answer: read it as a message not understood is read, then offer meanings
                triaged = await ActionOutOfScope().triage(dispatcher, tracker, domain, text)
                if triaged is not None:
                    return triaged
                held = [tracker.get_slot(name) for name in REQUIRED]
                if held[0] and not all(held):  # an aim is known: the question it answers is asked again
                    return await ActionOutOfScope()._advice(dispatcher, tracker, domain, found)
                return events + await ActionDefaultAskAffirmation().run(dispatcher, tracker, domain)
        return events

    @staticmethod
    async def _named_option(tracker: Tracker, text: str):
        """The one option the message names: among those shown, else by a name written as a name."""
        advisor = get_advisor()
        shown = tracker.get_slot("shown_ids") or []
        records = await off_loop(advisor.details, shown) if shown else []
        ids = references(text, records)
        if ids:
            return next(r for r in records if r.id == ids[0])
        named = await off_loop(advisor.named_in, text, bool(POINTS_AT_ONE.search(text)))
        return named[0] if len(named) == 1 else None


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
