"""The Rasa server's speed-ups keep Rasa's behaviour: an action server's reply is checked as strictly."""

from __future__ import annotations

import json

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import cached_event_classes, compiled_reply_check

GOOD = {
    "events": [{"event": "slot", "name": "budget", "value": {"kind": "free"}}, {"event": "active_loop", "name": None}],
    "responses": [{"text": "Here are 3 options that fit", "custom": {"items": []}}],
}
BAD = [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [{"event": "slot", "value": 3}], "responses": []},  # a slot event without the slot's name
    {"events": "slot", "responses": []},
    {"events": [], "responses": ["Here are 3 options"]},  # a response must be an object
]


@pytest.fixture
def action():
    return RemoteAction("action_recommend", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_a_valid_reply_passes_both_checks(action):
    assert RemoteAction._validate_action_result(action, GOOD) is True
    assert compiled_reply_check()(action, GOOD) is True


@pytest.mark.parametrize("reply", BAD)
def test_an_invalid_reply_is_refused_with_rasas_own_error(action, reply):
    with pytest.raises(ValidationError) as rasas:
        RemoteAction._validate_action_result(action, reply)
    with pytest.raises(ValidationError) as ours:
        compiled_reply_check()(action, reply)
    assert ours.value.message == rasas.value.message
    assert "Failed to validate Action server response from API" in ours.value.message


def test_event_classes_are_found_as_rasa_finds_them():
    from rasa.shared.core import events

    resolve = cached_event_classes()
    for name in ("user", "bot", "action", "slot", "active_loop", "session_started", "followup", "restart"):
        assert resolve(name) is events.Event.resolve_by_type(name)
        assert resolve(name) is resolve(name)
    assert resolve("no_such_event", events.ActionExecuted) is events.ActionExecuted
    assert resolve("topic") is None  # (Rasa reads old TopicSet events as nothing)
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        resolve("no_such_event")


def test_states_are_copied_for_the_debug_log_only_when_it_is_kept(monkeypatch):
    import logging

    import structlog

    from bot.rasa_server import DebugOnlyCopy

    states = [{"user": {"intent": "greet"}}]
    debug = DebugOnlyCopy("rasa.core.policies.memoization")
    monkeypatch.setattr(structlog, "is_configured", lambda: True)
    monkeypatch.setattr(debug.logger, "isEnabledFor", lambda level: level > logging.DEBUG)
    assert debug.deepcopy(states) is states
    monkeypatch.setattr(debug.logger, "isEnabledFor", lambda level: True)
    copied = debug.deepcopy(states)
    assert copied == states and copied is not states and copied[0]["user"] is not states[0]["user"]
    assert debug.copy is __import__("copy").copy


def test_json_for_the_action_server_reads_back_the_same():
    import json

    from bot.rasa_server import fast_json

    body = {"tracker": {"events": [{"event": "user", "text": "£300 / month", "timestamp": 1764806400.123456}]}}
    assert json.loads(fast_json(body)) == body
    assert json.loads(fast_json({"x": float("nan")}))["x"] != json.loads(fast_json({"x": float("nan")}))["x"]  # NaN
    assert json.loads(fast_json({"n": 2**70})) == {"n": 2**70}  # (too big for ujson: json.dumps)
    assert json.loads(fast_json({1: "a"})) == {"1": "a"}


async def test_calls_to_the_action_server_reuse_one_connection():
    # Rasa opens (and closes) a client session for every call; a kept session reuses its connection
    from aiohttp import web

    from bot.rasa_server import kept_sessions, session_with_fast_json

    peers = []

    async def webhook(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    endpoint.session = kept_sessions(session_with_fast_json(EndpointConfig.session)).__get__(endpoint)
    try:
        for _ in range(3):
            assert await endpoint.request(json={"next_action": "action_recommend"}, method="post") == {
                "events": [],
                "responses": [],
            }
        assert len(peers) == 3 and len(set(peers)) == 1  # one connection, three calls
    finally:
        for client in endpoint.__dict__.get("_kept_sessions", {}).values():
            await client.close()
        await runner.cleanup()


def test_the_action_server_warms_up_on_every_aim_and_says_when_the_catalogue_is_missing(advisor, tmp_path, caplog):
    from bot.action_server import warm_up
    from bot.advice import service
    from bot.catalogue.models import make_engine
    from bot.catalogue.reader import SqlCatalogue
    from bot.model import CatalogueUnavailable

    assert warm_up(advisor) >= 0  # a list, cheaper options, details and a plan for each broad aim
    empty = service.Advisor(SqlCatalogue(make_engine(f"sqlite:///{tmp_path / 'none.db'}")), advisor.settings)
    with pytest.raises(CatalogueUnavailable):
        warm_up(empty)  # (the server logs this and starts: the first person gets the apology)


def test_earlier_events_reach_the_action_server_without_what_no_action_reads():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        DefinePrevUserUtteredFeaturization,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.rasa_server import slim_action_calls

    parse = {
        "intent": {"name": "inform", "confidence": 0.9},
        "entities": [],
        "intent_ranking": [{"name": "inform", "confidence": 0.9}, {"name": "greet", "confidence": 0.1}],
        "response_selector": {"faq": {"ranking": [1, 2, 3]}},
    }
    events = [
        ActionExecuted("action_listen"),
        UserUttered("£300", parse["intent"], [], parse),
        DefinePrevUserUtteredFeaturization(False),
        BotUttered("Here are 3 options", {"custom": {"type": "credential_list", "items": [{"id": "x"}]}}),
        ActionExecuted("action_listen"),
        UserUttered("cheaper ones", parse["intent"], [], parse),
    ]
    tracker = DialogueStateTracker.from_events("someone", events)
    action = RemoteAction("action_recommend", EndpointConfig("http://127.0.0.1:1/webhook"))
    whole = RemoteAction._action_call_format(action, tracker, Domain.empty())
    slim = slim_action_calls(RemoteAction._action_call_format)(action, tracker, Domain.empty())
    before, after = whole["tracker"]["events"], slim["tracker"]["events"]
    # how a message was featurised is left out; every other event is there, in order
    assert [e["event"] for e in after] == [e["event"] for e in before if e["event"] != "user_featurization"]
    assert "user_featurization" in [e["event"] for e in before]
    # the person's words and the actions run are there; what the assistant said is not (no action reads it)
    assert [e.get("text") for e in after if e["event"] == "user"] == ["£300", "cheaper ones"]
    assert [e["name"] for e in after if e["event"] == "action"] == ["action_listen", "action_listen"]
    assert next(e for e in after if e["event"] == "bot") == {"event": "bot", "timestamp": events[3].timestamp}
    users = [e for e in after if e["event"] == "user"]
    assert all("intent_ranking" not in e["parse_data"] and e["parse_data"]["intent"]["name"] == "inform" for e in users)
    # the last message goes whole, as the actions read it
    assert slim["tracker"]["latest_message"]["intent_ranking"] == parse["intent_ranking"]
    assert slim["tracker"]["latest_message"]["response_selector"] == parse["response_selector"]
    assert len(json.dumps(slim)) < len(json.dumps(whole))


async def test_an_action_is_given_the_tracker_itself_only_when_a_copy_would_change_nothing():
    from rasa.core.actions.forms import FormAction
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.rasa_server import copy_unless_shared, shared_when_unchanged

    original_copy = DialogueStateTracker.copy
    DialogueStateTracker.copy = copy_unless_shared(original_copy)
    try:

        async def rasas_first_step(self, action, tracker, output_channel, nlg, prediction):
            temporary = tracker.copy()  # as MessageProcessor._run_action begins
            return temporary is tracker

        run = shared_when_unchanged(rasas_first_step)
        tracker = DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen"), UserUttered("hi")])
        remote = RemoteAction("action_recommend", EndpointConfig("http://127.0.0.1:1/webhook"))
        plain = PolicyPrediction([1.0], "RulePolicy")
        assert await run(None, remote, tracker, None, None, plain) is True
        assert tracker.copy() is not tracker  # only that one copy, and only during that run
        with_events = PolicyPrediction([1.0], "RulePolicy", events=[SlotSet("x", 1)])
        assert await run(None, remote, tracker, None, None, with_events) is False
        form = FormAction("advice_form", None)
        assert await run(None, form, tracker, None, None, plain) is False
    finally:
        DialogueStateTracker.copy = original_copy
