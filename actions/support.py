"""Hand over to a person, and start over."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import get_advisor


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        settings = get_advisor().settings
        contact = settings.careers_contact
        dispatcher.utter_message(
            text=(
                f"A careers adviser can help you in person: contact {contact}. {settings.referral} "
                "You don't need to share anything from this chat unless you want to. "
                "I'm still here if you want to keep looking at options."
            )
        )
        return []


class ActionStartOver(Action):
    def name(self) -> str:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return [ActiveLoop(None), AllSlotsReset()]
