"""Rasa's dialogue states of a conversation, worked out once per event instead of once per prediction.

Before each prediction, the memoization and rule policies turn the conversation into its list of states:
Rasa replays every event of the session from the start (``Domain.states_for_tracker_history``), several
times per message, so a message costs more the longer the conversation. :class:`StatesCache` keeps, per
conversation and per way of asking, the replayed tracker and the states worked out so far, and goes on
from there when the conversation it is given is the same one with events added.

It is only a cache, checked against the conversation actually given: the events it replayed must be, one
for one, the first of that conversation's applied events (same kind, same time, same content as far as a
state can depend on it). Otherwise (a rewind, a restart, a new session, a conversation another server
changed, an unknown kind of tracker) the states are worked out from the start, as Rasa does, and kept
for next time. The states returned are fresh copies, shared the way Rasa's own are shared, so whatever a
policy does to them never reaches the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from itertools import islice
from operator import attrgetter, is_
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

#: conversations whose states are kept (least recently used forgotten first)
DEFAULT_SIZE = 2000


_attributes = attrgetter("__dict__")


def same_event(kept: Event, given: Event) -> bool:
    """Whether two events leave a replayed tracker in the same state: the same kind of event at the same
    time and, for a user message, the same text, intent, entities and featurisation; for any other
    event, the same attributes."""
    if kept is given:
        return True
    if type(kept) is not type(given) or kept.timestamp != given.timestamp:
        return False
    if isinstance(kept, UserUttered):
        return (
            kept.text == given.text
            and kept.intent == given.intent
            and kept.entities == given.entities
            and kept.use_text_for_featurization == given.use_text_for_featurization
        )
    return kept.__dict__ == given.__dict__


def copy_states(states: list[State]) -> list[State]:
    """The states and their parts copied, a part shared by two states (Rasa shares the user's part with
    the next state in some turns) still shared by their copies."""
    copies: dict[int, dict] = {}

    def part(sub: Any) -> Any:
        if not isinstance(sub, dict):
            return sub
        copied = copies.get(id(sub))
        if copied is None:
            copied = copies[id(sub)] = dict(sub)
        return copied

    return [{name: part(sub) for name, sub in state.items()} for state in states]


class _Replay:
    """A conversation's events replayed so far, for one way of asking, and the states met on the way."""

    __slots__ = ("domain", "events", "tracker", "states", "last_ml_action", "turn_was_hidden")

    def __init__(self, domain: Domain, tracker: DialogueStateTracker) -> None:
        self.domain = domain
        self.events: list[Event] = []
        self.tracker = tracker.init_copy()
        self.states: list[State] = []
        self.last_ml_action: dict | None = None
        self.turn_was_hidden = False

    def follows(self, domain: Domain, applied: list[Event]) -> bool:
        """Whether ``applied`` begins with the events replayed here (checked one by one)."""
        kept = self.events
        if domain is not self.domain or len(kept) > len(applied):
            return False
        given = applied[: len(kept)]
        if (
            all(map(is_, kept, given))
            # (the same kinds with the same attributes, compared without a Python call per event)
            or (
                list(map(type, kept)) == list(map(type, given))
                and list(map(_attributes, kept)) == list(map(_attributes, given))
            )
            or all(map(same_event, kept, given))
        ):
            self.events = given  # the given objects: the next check is by identity
            return True
        return False

    def step(self, hide_rule_turn: bool, ask: tuple, keep: bool) -> State | None:
        """One turn of Rasa's ``Domain.states_for_tracker_history`` loop on the tracker as replayed so far:
        the state before the next action, or ``None`` for a turn left out. Remembered if ``keep``."""
        domain, tr = self.domain, self.tracker
        omit_unset_slots, ignore_rule_only_turns, rule_only_data = ask
        last_ml_action, turn_was_hidden = self.last_ml_action, self.turn_was_hidden
        if ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action = domain._get_prev_action_sub_state(tr)
            if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
                turn_was_hidden = hide_rule_turn
            if keep:
                self.last_ml_action, self.turn_was_hidden = last_ml_action, turn_was_hidden
            if turn_was_hidden:
                return None
        state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
        if ignore_rule_only_turns:
            domain._remove_rule_only_features(state, rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if last_ml_action:
                state[PREVIOUS_ACTION] = last_ml_action
        state = domain._clean_state(state)
        if keep:
            self.states.append(state)
        return state

    def advance(self, events: list[Event], ask: tuple) -> None:
        for event in events:
            if isinstance(event, ActionExecuted):
                self.step(event.hide_rule_turn, ask, keep=True)
            self.tracker.update(event)
            self.events.append(event)

    def all_states(self, ask: tuple) -> list[State]:
        """The states so far and the current one, as fresh copies."""
        last = self.step(False, ask, keep=False)
        return copy_states(self.states if last is None else [*self.states, last])


class _Applied:
    """What ``applied_events`` found so far for one tracker: the events it read and the loops they name."""

    __slots__ = ("read", "loop_names", "applied")

    def __init__(self) -> None:
        self.read: list[Event] = []
        self.loop_names: set[str] = set()
        self.applied: list[Event] = []


def applied_events(tracker: DialogueStateTracker) -> list[Event]:
    """Rasa's ``DialogueStateTracker.applied_events``, carried on from the events this tracker had at the
    last call when it still begins with them (the same objects) and they name no new loop; otherwise
    worked out from the start, as Rasa does. A new list each time, as Rasa's."""
    events = tracker.events
    so_far: _Applied | None = tracker.__dict__.get("_applied_so_far")
    if so_far is None or len(so_far.read) > len(events) or not all(map(is_, so_far.read, events)):
        so_far = _Applied()
    new = list(islice(events, len(so_far.read), None))
    names = {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
    if not names <= so_far.loop_names:  # (an earlier run of a loop action may read otherwise now)
        so_far = _Applied()
        new = list(events)
        names = {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
    so_far.loop_names |= names
    _apply(tracker, new, so_far.loop_names, so_far.applied)
    so_far.read.extend(new)
    tracker.__dict__["_applied_so_far"] = so_far
    return list(so_far.applied)


def _apply(tracker: DialogueStateTracker, events: list[Event], loop_names: set[str], applied: list[Event]) -> None:
    """The loop of Rasa's ``applied_events`` over ``events``, on ``applied`` in place."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


class StatesCache:
    """``Domain.states_for_tracker_history`` carried on from where the same conversation was left."""

    def __init__(self, original, size: int = DEFAULT_SIZE) -> None:
        self.original = original
        self.size = size
        self.replays: OrderedDict[tuple, _Replay] = OrderedDict()
        self.lock = threading.Lock()
        self.resumed = self.started = 0

    def states_for_tracker_history(
        self,
        domain: Domain,
        tracker: DialogueStateTracker,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        if type(tracker) is not DialogueStateTracker or not tracker.sender_id:
            return self.original(domain, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        ask = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        key = (
            tracker.sender_id,
            tracker.is_rule_tracker,
            omit_unset_slots,
            ignore_rule_only_turns,
            repr(sorted((rule_only_data or {}).items())),
        )
        applied = tracker.applied_events()
        with self.lock:  # (taken out while in use: a second caller for the same key starts afresh)
            replay = self.replays.pop(key, None)
        if replay is not None and replay.follows(domain, applied):
            self.resumed += 1
        else:
            replay = _Replay(domain, tracker)
            self.started += 1
        replay.advance(applied[len(replay.events) :], ask)
        states = replay.all_states(ask)
        with self.lock:
            self.replays[key] = replay
            while len(self.replays) > self.size:
                self.replays.popitem(last=False)
        return states


def install(size: int = DEFAULT_SIZE) -> StatesCache:
    """Puts a :class:`StatesCache` in place of Rasa's ``Domain.states_for_tracker_history``, and
    :func:`applied_events` in place of Rasa's ``DialogueStateTracker.applied_events``."""
    DialogueStateTracker.applied_events = applied_events
    original = Domain.states_for_tracker_history
    original = getattr(original, "original", original)
    cache = StatesCache(original, size)

    def states_for_tracker_history(
        self, tracker, omit_unset_slots=False, ignore_rule_only_turns=False, rule_only_data=None
    ):
        return cache.states_for_tracker_history(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)

    states_for_tracker_history.original = original
    states_for_tracker_history.cache = cache
    Domain.states_for_tracker_history = states_for_tracker_history
    return cache
