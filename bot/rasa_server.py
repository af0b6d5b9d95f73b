"""Rasa's own command line (``python -m bot.rasa_server run --model …`` is ``rasa run --model …``), with the
project's speed-ups applied first. ``make run``, the end-to-end tests and the benchmarks start Rasa this way.

- **The action server's reply is checked with a validator compiled once.** Rasa checks every reply
  against its response schema with ``jsonschema.validate``, which builds a new validator and re-checks
  the schema itself on every call. Under ``make bench`` that was two thirds of the Rasa server's CPU
  time (``make profile``). The same schema, validator class and best-match error are kept, and the
  same message is added to the error, so a bad reply is refused exactly as before.
- **An event's class is looked up once per event name.** Reading a conversation, Rasa finds each
  event's class by listing every subclass of ``Event`` again; the class found for a name is kept.
- **A conversation's dialogue states are carried on, not replayed** (:mod:`bot.dialogue_states`): the
  policies' states of a longer conversation no longer cost more per message.
- **What is copied for Rasa's debug log is copied only when that log is on.** The memoization and rule
  policies deep-copy the dialogue states (and the rule policy formats all of them) on every prediction
  just to pass them to a debug message that is dropped unless ``--debug`` is given.
- **The tracker sent to the action server is encoded with ujson** (already installed with Rasa), twice
  as fast as ``json.dumps`` on a long conversation's events; whatever ujson cannot encode as
  ``json.dumps`` would goes through ``json.dumps``.
- **Earlier events go to the action server without what no action reads**: what the assistant said, how a
  message was featurised, a user message's intent and answer rankings and an action's policy (the last
  message is sent whole): about a fifth of the tracker of a long conversation is sent.
- **An action is given the tracker itself, not a replayed copy**, when the policy added no events and the
  action is no form or loop (:func:`shared_when_unchanged`): Rasa copied the whole conversation, replaying
  every event, before each action, only to be able to drop the policy's events.
- **The loaded model is left out of Python's garbage collection.** A full collection walks every object
  the process holds, over 600,000 once the model (TensorFlow, spaCy) is loaded: a pause of half a second
  or more now and then, on whatever message triggers it. Once a model is loaded, what is alive is
  collected once and then frozen (``gc.freeze``), so later collections walk only what messages create.
- **The model reads a few messages before the server listens** (:func:`warm_up`): the first calls into
  the NLU pipeline and the policies cost several times a later one, and without it the first person after
  a start-up paid for them (about 10 ms on each of their first messages). Nothing of it is saved.

And what it does when something it depends on fails (:mod:`bot.channels.faults`): an apology with the
careers contact when the action servers are down, an error (not a copy in memory) when the conversation
cannot be saved, and a retried message answered from the record.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import gc
import json
import logging
import sys
import time
from typing import Any

from bot import dialogue_states
from bot.channels import faults


def compiled_reply_check():
    """Rasa's ``RemoteAction._validate_action_result``, with the validator built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        assert isinstance(error, ValidationError)
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    return _validate_action_result


#: what the actions never read of earlier events: a bot message's payload (the cards), and the rankings
#: of a user message's intents and answers (the last message's are sent whole as ``latest_message``)
#: what the action server is sent of earlier events: an action reads the person's words, the slots set and
#: the actions run (forms look back to the last action), never what the assistant said nor how the words
#: were featurised, so a bot message keeps its time only and ``user_featurization`` events are left out
_USER_PARSE = ("intent", "entities", "text")


def _slim(event: dict) -> dict | None:
    kind = event.get("event")
    if kind == "bot":
        return {"event": "bot", "timestamp": event.get("timestamp")}
    if kind == "user_featurization":
        return None
    if kind == "action":
        return {"event": "action", "name": event.get("name"), "timestamp": event.get("timestamp")}
    if kind == "user" and event.get("parse_data"):
        parse = {k: event["parse_data"][k] for k in _USER_PARSE if k in event["parse_data"]}
        return {k: v for k, v in event.items() if k != "metadata"} | {"parse_data": parse}
    return event


#: the slimmed dicts of the events last sent, by the event's id (with the event, so that the id is not
#: reused while it is kept); emptied when it holds more than :data:`KEPT_EVENTS`
_SENT: dict[int, tuple[Any, dict | None]] = {}
KEPT_EVENTS = 20_000


def _slim_of(event) -> dict | None:
    kept = _SENT.get(id(event))
    if kept is not None and kept[0] is event:
        return kept[1]
    if len(_SENT) >= KEPT_EVENTS:
        _SENT.clear()
    slim = _slim(event.as_dict())
    _SENT[id(event)] = (event, slim)
    return slim


def slim_action_calls(call_format):
    """Rasa's request to the action server, with earlier events' parts no action reads left out (at turn 50 of
    the benchmark's conversation, 49 of 360 KB of events are sent), so a call costs less as the conversation
    grows. An event's slimmed dict is made once and kept: the conversation's tracker, handed back by the
    tracker store, holds the same events at the next message."""
    if getattr(call_format, "slims", False):
        return call_format
    from rasa.shared.core.trackers import EventVerbosity

    class WithoutEvents:
        """The tracker, whose state is read without turning every event into a dict again."""

        def __init__(self, tracker) -> None:
            self.tracker = tracker

        def __getattr__(self, name: str) -> Any:
            return getattr(self.tracker, name)

        def current_state(self, _verbosity=None) -> dict:
            return self.tracker.current_state(EventVerbosity.NONE)

    def action_call_format(self, tracker, domain):
        result = call_format(self, WithoutEvents(tracker), domain)
        result["tracker"]["events"] = [slim for slim in map(_slim_of, tracker.events) if slim is not None]
        return result

    action_call_format.slims = True
    return action_call_format


#: the tracker whose next copy is itself: set for one action run (:func:`shared_when_unchanged`)
_SHARED: contextvars.ContextVar = contextvars.ContextVar("shared_tracker", default=None)


def copy_unless_shared(copy_tracker):
    """``DialogueStateTracker.copy``, except for the one copy :func:`shared_when_unchanged` allows to be
    the tracker itself."""
    if getattr(copy_tracker, "shares", False):
        return copy_tracker

    def tracker_copy(self):
        if _SHARED.get() is self:
            _SHARED.set(None)  # only the first copy, the processor's temporary tracker
            return self
        return copy_tracker(self)

    tracker_copy.shares = True
    return tracker_copy


def shared_when_unchanged(run_action):
    """Rasa's ``MessageProcessor._run_action``, which first copies the whole tracker (replaying every event
    of the conversation, so a message costs more the longer it is) to apply the policy's events to the copy
    and drop them if the action is rejected. When the policy added no events and the action is not a form
    or loop (which update the tracker they are given), the copy would equal the tracker and nothing would
    be dropped: the action is given the tracker itself."""
    if getattr(run_action, "shares", False):
        return run_action
    from rasa.core.actions.loops import LoopAction

    async def _run_action(self, action, tracker, output_channel, nlg, prediction):
        token = None
        if not prediction.events and not isinstance(action, LoopAction):
            token = _SHARED.set(tracker)
        try:
            return await run_action(self, action, tracker, output_channel, nlg, prediction)
        finally:
            if token is not None:
                _SHARED.reset(token)

    _run_action.shares = True
    return _run_action


def cached_event_classes():
    """Rasa's ``Event.resolve_by_type``, remembering each event name's class: Rasa looks it up among all
    the subclasses of ``Event`` for every event of a conversation it reads, on every message."""
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    known: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        cls = known.get(type_name)
        if cls is None:
            cls = original(type_name, default)
            if cls is not None and getattr(cls, "type_name", None) == type_name:
                known[type_name] = cls  # (a default given for an unknown name is never remembered)
        return cls

    return resolve_by_type


class DebugOnlyCopy:
    """The ``copy`` module for a Rasa module that deep-copies only what it logs at debug level: the copy
    is made when that module's debug messages are kept (``--debug``, or structlog left unconfigured)."""

    def __init__(self, module_name: str) -> None:
        self.logger = logging.getLogger(module_name)

    def debug_on(self) -> bool:
        import structlog

        return not structlog.is_configured() or self.logger.isEnabledFor(logging.DEBUG)

    def deepcopy(self, x: Any, memo: dict | None = None) -> Any:
        return copy.deepcopy(x, memo) if self.debug_on() else x

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def formatted_for_debug_only(format_tracker_states, debug: DebugOnlyCopy):
    """``Policy.format_tracker_states`` (a text for the rule policy's debug message), empty when that
    message is dropped."""

    def format_states(states: list[dict]) -> str:
        return format_tracker_states(states) if debug.debug_on() else ""

    return staticmethod(format_states)


def fast_json(obj: Any) -> str:
    """JSON of ``obj`` by ujson; by ``json.dumps`` for what ujson refuses (a NaN, a huge integer, a key
    that is not a string, an object neither knows)."""
    import ujson

    try:
        return ujson.dumps(obj, escape_forward_slashes=False)
    except (TypeError, ValueError, OverflowError):
        return json.dumps(obj)


def session_with_fast_json(session):
    """Rasa's ``EndpointConfig.session`` (the action server's client), encoding JSON bodies with
    :func:`fast_json`."""

    def fast_session(self):
        client = session(self)
        client._json_serialize = fast_json
        return client

    return fast_session


class _Kept:
    """``async with`` over a client session that stays open afterwards, for the next request."""

    def __init__(self, client) -> None:
        self.client = client

    async def __aenter__(self):
        return self.client

    async def __aexit__(self, *exc) -> bool:
        return False


def kept_sessions(session):
    """Rasa's ``EndpointConfig.session``, made once per endpoint and event loop and kept open: Rasa opens a
    session (and so a new connection) for every call to the action server and closes it after; a kept
    session reuses its connections (keep-alive), which saves a connection set-up on every action call."""

    def kept_session(self):
        loop = asyncio.get_running_loop()
        kept = self.__dict__.setdefault("_kept_sessions", {})
        client = kept.get(loop)
        if client is None or client.closed:
            client = kept[loop] = session(self)
        return _Kept(client)

    kept_session.keeps = True
    return kept_session


#: what people say in their first turns (not the benchmark's script): each is read and answered once
#: before the server listens (nothing is saved), so the first person does not pay for first calls into the model
WARM_UP_MESSAGES = (
    "hello",
    "I'd like to work in cybersecurity",
    "up to $500",
    "6 months",
    "10 hours a week",
    "tell me about the first one",
    "would employers recognise it?",
    "anything cheaper?",
    "does it give academic credit?",
    "I want to speak to an adviser",
)


def warm_up(processor) -> float:
    """Each of :data:`WARM_UP_MESSAGES` read by the model and the next action predicted, on a conversation
    of its own in memory (no tracker store, no action server): seconds taken."""
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    started = time.perf_counter()
    for text in WARM_UP_MESSAGES:
        tracker = DialogueStateTracker.from_events(
            "warm-up",
            [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
            processor.domain.slots,
        )
        parsed = processor._parse_message_with_graph(UserMessage(text, sender_id="warm-up"), tracker)
        tracker.update(UserUttered(text, parsed.get("intent"), parsed.get("entities"), parsed))
        processor._predict_next_with_tracker(tracker)
    return time.perf_counter() - started


def frozen_after_loading(load_model):
    """Rasa's ``Agent.load_model``, then the model warmed up (:func:`warm_up`) and the objects alive (the
    model's) frozen out of garbage collection; a model loaded again unfreezes them first, so the model it
    replaces can be collected."""
    if getattr(load_model, "freezes", False):
        return load_model

    def load_and_freeze(self, *args, **kwargs):
        gc.unfreeze()
        try:
            loaded = load_model(self, *args, **kwargs)
            try:
                logging.getLogger(__name__).info("warmed up in %.2f s", warm_up(self.processor))
            except Exception:  # a model without NLU or policies, say: it still serves
                logging.getLogger(__name__).warning("not warmed up", exc_info=True)
            return loaded
        finally:
            gc.collect()
            gc.freeze()

    load_and_freeze.freezes = True
    return load_and_freeze


def apply_speedups() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent
    from rasa.core.policies import memoization, rule_policy
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    RemoteAction._validate_action_result = compiled_reply_check()
    RemoteAction._action_call_format = slim_action_calls(RemoteAction._action_call_format)
    MessageProcessor._run_action = shared_when_unchanged(MessageProcessor._run_action)
    DialogueStateTracker.copy = copy_unless_shared(DialogueStateTracker.copy)
    Agent.load_model = frozen_after_loading(Agent.load_model)
    for module in (memoization, rule_policy):
        if not isinstance(module.copy, DebugOnlyCopy):
            module.copy = DebugOnlyCopy(module.__name__)
    if getattr(rule_policy.RulePolicy.format_tracker_states, "__name__", "") != "format_states":
        rule_policy.RulePolicy.format_tracker_states = formatted_for_debug_only(
            rule_policy.RulePolicy.format_tracker_states, rule_policy.copy
        )
    if not getattr(EndpointConfig.session, "keeps", False):
        EndpointConfig.session = kept_sessions(session_with_fast_json(EndpointConfig.session))
    dialogue_states.install()
    Event.resolve_by_type = staticmethod(cached_event_classes())


def main(argv: list[str] | None = None) -> int:
    apply_speedups()
    faults.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
