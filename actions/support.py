"""Hand over to a person, and start over."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import get_advisor, user_text
from actions.recommend import ActionRecommend
from bot.advice.service import earlier_list, region_named, say, working_adult

GO_BACK = re.compile(
    r"\b(go(?:ing)? back|back to (?:the )?(?:first|previous|earlier|last|original)|(?:first|previous|earlier|original) "
    r"(?:list|options|results)|(?:didn'?t|did not|don'?t|do not) (?:want|mean) to (?:start|begin) (?:over|again)|"
    r"not start (?:over|again)|undo)\b",
    re.I,
)


def aim_of_earlier_list(tracker: Tracker, text: str) -> list[EventType]:
    """Slot events that bring back the aim and field of the earlier list the person asks for (none when
    they ask for the list they are looking at, or name none)."""
    shown = [
        e.get("value")
        for e in tracker.events
        if e.get("event") == "slot" and e.get("name") == "last_constraints" and e.get("value")
    ]
    target = earlier_list(shown, text)
    if not target:
        return []
    aims, fields = list(target.get("aims") or []), list(target.get("fields") or [])
    held_aims = tracker.get_slot("career_aim") or []
    held_aims = [held_aims] if isinstance(held_aims, str) else list(held_aims)
    if set(aims) == set(held_aims) and set(fields) == set(tracker.get_slot("fields") or []):
        return []
    return [SlotSet("career_aim", aims), SlotSet("fields", fields)]


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        settings = get_advisor().settings
        said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"] + [user_text(tracker)]
        region = tracker.get_slot("region") or region_named(" ".join(said))
        contact, referral = settings.careers_contact, get_advisor().referral(region)
        if working_adult(said):  # the help for working adults first, the campus desk for those who studied here
            text = say("handoff.adviser_working", contact=contact, referral=referral)
        else:
            text = say("handoff.adviser", contact=contact, referral=referral)
        dispatcher.utter_message(text=text)
        return []


class ActionStartOver(Action):
    def name(self) -> str:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = user_text(tracker)
        if GO_BACK.search(text) and tracker.get_slot("last_constraints"):
            # "go back to the first list", "no, I didn't want to start over": nothing is forgotten;
            # "go back to the AI list": the aim and field of that list come back, the rest stays
            restore = aim_of_earlier_list(tracker, text)
            for event in restore:  # the list is made from the restored aim and field
                tracker.slots[event["name"]] = event["value"]
            dispatcher.utter_message(text=say("start_over.back_to_list" if restore else "start_over.kept"))
            return [ActiveLoop(None), *restore, *await ActionRecommend().run(dispatcher, tracker, domain)]
        dispatcher.utter_message(response="utter_start_over")
        return [ActiveLoop(None), AllSlotsReset()]
