"""The Rasa server's speed-ups keep Rasa's behaviour: an action server's reply is checked as strictly."""

from __future__ import annotations

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
