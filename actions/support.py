"""Hand over to a person, and start over."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import get_advisor, user_text
from actions.recommend import ActionRecommend
from bot.advice.service import say

GO_BACK = re.compile(
    r"\b(go(?:ing)? back|back to (?:the )?(?:first|previous|earlier|last|original)|(?:first|previous|earlier|original) "
    r"(?:list|options|results)|(?:didn'?t|did not|don'?t|do not) (?:want|mean) to (?:start|begin) (?:over|again)|"
    r"not start (?:over|again)|undo)\b",
    re.I,
)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        settings = get_advisor().settings
        dispatcher.utter_message(
            text=say("handoff.adviser", contact=settings.careers_contact, referral=settings.referral)
        )
        return []


class ActionStartOver(Action):
    def name(self) -> str:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if GO_BACK.search(user_text(tracker)) and tracker.get_slot("last_constraints"):
            # "go back to the first list", "no, I didn't want to start over": nothing is forgotten
            dispatcher.utter_message(text=say("start_over.kept"))
            return [ActiveLoop(None), *await ActionRecommend().run(dispatcher, tracker, domain)]
        dispatcher.utter_message(response="utter_start_over")
        return [ActiveLoop(None), AllSlotsReset()]
