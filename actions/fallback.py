"""The first stage of the two-stage fallback: offer the likeliest meanings as buttons."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import user_text
from bot.advice.service import other_language_note

# What each intent means, in the person's words, for the buttons.
MEANINGS = {
    "request_advice": "Get course suggestions",
    "inform": "Tell you my aim, budget or time",
    "ask_details": "More about one of the options",
    "ask_accreditation": "Is it accredited?",
    "ask_recognition": "Will employers recognise it?",
    "ask_credit": "Does it carry academic credit?",
    "show_more": "Show other options",
    "ask_cheaper": "Show cheaper options",
    "start_over": "Start over",
    "human_handoff": "Talk to a careers adviser",
    "greet": "Say hello",
    "thank": "Say thanks",
    "goodbye": "End the chat",
}


class ActionDefaultAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        note = other_language_note(user_text(tracker))
        if note:  # no guessing at meanings in a language the assistant does not speak
            dispatcher.utter_message(text=note)
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        buttons = []
        for entry in ranking:
            name = entry.get("name")
            if name in MEANINGS and len(buttons) < 3:
                buttons.append({"title": MEANINGS[name], "payload": f"/{name}"})
        buttons.append({"title": "Something else", "payload": "/out_of_scope"})
        dispatcher.utter_message(text="Sorry, I'm not sure what you meant. Did you mean one of these?", buttons=buttons)
        return []
