"""The first stage of the two-stage fallback: offer the likeliest meanings as buttons."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import user_text
from bot.advice.service import other_language_note, say


def meanings() -> dict[str, str]:
    """What each intent means, in the person's words, for the buttons."""
    return {
        "request_advice": say("fallback.meaning.request_advice"),
        "inform": say("fallback.meaning.inform"),
        "ask_details": say("fallback.meaning.ask_details"),
        "ask_accreditation": say("fallback.meaning.ask_accreditation"),
        "ask_recognition": say("fallback.meaning.ask_recognition"),
        "ask_credit": say("fallback.meaning.ask_credit"),
        "show_more": say("fallback.meaning.show_more"),
        "ask_cheaper": say("fallback.meaning.ask_cheaper"),
        "start_over": say("fallback.meaning.start_over"),
        "human_handoff": say("fallback.meaning.human_handoff"),
        "greet": say("fallback.meaning.greet"),
        "thank": say("fallback.meaning.thank"),
        "goodbye": say("fallback.meaning.goodbye"),
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
        meaning = meanings()
        buttons = []
        for entry in ranking:
            name = entry.get("name")
            if name in meaning and len(buttons) < 3:
                buttons.append({"title": meaning[name], "payload": f"/{name}"})
        buttons.append({"title": say("fallback.meaning.something_else"), "payload": "/out_of_scope"})
        dispatcher.utter_message(text=say("fallback.did_you_mean"), buttons=buttons)
        return []
