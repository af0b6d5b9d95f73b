"""The dialogue states worked out incrementally (bot.dialogue_states) are Rasa's own, turn by turn."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionReverted, ActiveLoop, UserUtteranceReverted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue_states import StatesCache, applied_events
from bot.settings import PROJECT_ROOT

# A real conversation (make bench's adviser, Rasa's own events): a greeting, a form begun and cut short
# by a restart, a new session, the form filled in, a recommendation, another session start, a second
# form. Long texts are shortened; nothing a state depends on is.
EVENTS = json.loads((Path(__file__).parent / "fixtures" / "conversation_events.json").read_text())
ASKS = [
    {},  # the rule policy
    {"ignore_rule_only_turns": True, "rule_only_data": {"rule_only_slots": [], "rule_only_loops": []}},  # memoization
    {"ignore_rule_only_turns": True, "rule_only_data": {"rule_only_slots": ["budget"], "rule_only_loops": []}},
    {"omit_unset_slots": True},
]
RASA = Domain.states_for_tracker_history
RASA_APPLIED = DialogueStateTracker.applied_events


@pytest.fixture(scope="module")
def domain() -> Domain:
    with warnings.catch_warnings():  # (Rasa warns of a slot option that 3.x ignores)
        warnings.simplefilter("ignore", UserWarning)
        return Domain.load(PROJECT_ROOT / "domain.yml")


def tracker(domain: Domain, events: list[dict], sender: str = "someone") -> DialogueStateTracker:
    return DialogueStateTracker.from_dict(sender, events, domain.slots)


def test_the_conversation_has_a_form_a_restart_and_session_starts():
    kinds = [e["event"] for e in EVENTS]
    assert {"restart", "active_loop", "slot", "user", "bot"} <= set(kinds)
    assert kinds.count("session_started") >= 2
    assert any(e["event"] == "active_loop" and e["name"] is None for e in EVENTS)  # a form completed


@pytest.mark.parametrize("ask", ASKS)
def test_each_turn_reloaded_gives_rasas_states(domain, ask):
    """Each prefix of the conversation read afresh, as the tracker store gives it at each message."""
    cache = StatesCache(RASA)
    for n in range(1, len(EVENTS) + 1):
        t = tracker(domain, EVENTS[:n])
        assert cache.states_for_tracker_history(domain, t, **ask) == RASA(domain, t, **ask), n
    assert cache.resumed > cache.started  # (it did carry on: restarts and session starts start afresh)


@pytest.mark.parametrize("ask", ASKS)
def test_one_tracker_growing_gives_rasas_states(domain, ask):
    """The same tracker with events added, as during one message (a prediction after each action)."""
    cache = StatesCache(RASA)
    t = tracker(domain, EVENTS[:1])
    for event in tracker(domain, EVENTS).events:
        t.update(event)
        assert cache.states_for_tracker_history(domain, t, **ask) == RASA(domain, t, **ask)


def test_states_are_shared_as_rasas_are_and_never_reach_the_cache(domain):
    ask = ASKS[1]
    cache = StatesCache(RASA)
    t = tracker(domain, EVENTS[:120])
    cache.states_for_tracker_history(domain, t, **ask)
    ours, rasas = cache.states_for_tracker_history(domain, t, **ask), RASA(domain, t, **ask)

    def sharing(states):
        return [[a.get(k) is b.get(k) for k in ("user", "prev_action")] for a, b in zip(states, states[1:])]

    assert sharing(ours) == sharing(rasas)
    for state in ours:  # what a policy may do to them (Rasa removes text, intents, entities)
        state.get("user", {}).clear()
        state.clear()
    assert cache.states_for_tracker_history(domain, t, **ask) == rasas


def test_a_rewind_and_another_conversation_are_worked_out_afresh(domain):
    cache = StatesCache(RASA)
    t = tracker(domain, EVENTS[:140])
    cache.states_for_tracker_history(domain, t)
    t.update(UserUtteranceReverted())
    assert cache.states_for_tracker_history(domain, t) == RASA(domain, t)
    started = cache.started
    other = tracker(domain, EVENTS[29:77])  # the same sender, another session: not taken for a continuation
    assert cache.states_for_tracker_history(domain, other) == RASA(domain, other)
    assert cache.started == started + 1


def test_conversations_kept_are_bounded(domain):
    cache = StatesCache(RASA, size=2)
    for sender in ("a", "b", "c"):
        cache.states_for_tracker_history(domain, tracker(domain, EVENTS[:40], sender))
    assert [key[0] for key in cache.replays] == ["b", "c"]


def test_applied_events_carried_on_are_rasas():
    """As one tracker grows (the form's runs undone, a restart, session starts, a rewind, an action
    reverted, a loop named only later), and for the same events read afresh."""
    t = DialogueStateTracker.from_dict("someone", EVENTS[:1], [])
    more = [*DialogueStateTracker.from_dict("someone", EVENTS, []).events]
    more[120:120] = [UserUtteranceReverted(), ActionReverted()]
    more += [ActionExecuted("some_loop"), ActionExecuted("action_listen"), ActiveLoop("some_loop")]
    for event in more:
        t.update(event)
        ours = applied_events(t)
        assert ours == RASA_APPLIED(t)
        assert all(a is b for a, b in zip(ours, RASA_APPLIED(t)))
        assert applied_events(t) is not ours  # a new list each time
        fresh = DialogueStateTracker.from_dict("someone", [e.as_dict() for e in t.events], [])
        assert applied_events(fresh) == RASA_APPLIED(fresh)
