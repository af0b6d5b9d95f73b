"""The words the assistant says (data/messages.yml) against the code that says them, and an edit of
the file reaching a real reply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDefaultAskAffirmation
from bot.language import messages
from bot.language.messages import MessagesError, check, code_uses, load, placeholders, read, say
from bot.model import Budget, Constraints
from bot.settings import DEFAULT_MESSAGES_FILE, PROJECT_ROOT, load_settings, messages_file


def edited(tmp_path: Path, key: str, words: str | None) -> Path:
    """A copy of the messages file with the message ``key`` changed to ``words`` (None: left out)."""
    data = yaml.safe_load(DEFAULT_MESSAGES_FILE.read_text(encoding="utf-8"))
    *groups, name = key.split(".")
    node = data
    for group in groups:
        node = node[group]
    if words is None:
        del node[name]
    else:
        node[name] = words
    path = tmp_path / "messages.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_every_message_the_code_says_is_in_the_file_and_every_message_in_it_is_said():
    check(read(DEFAULT_MESSAGES_FILE), code_uses(), "data/messages.yml", complete=True)


def test_the_code_says_its_messages_by_their_keys_written_out():
    uses = code_uses()
    assert len(uses) > 200
    assert uses["handoff.adviser"] == {"contact", "referral"}
    assert uses["list.heading.many_fit"] == {"n", "constraints"}


def test_each_message_takes_exactly_the_values_the_code_passes():
    table = read(DEFAULT_MESSAGES_FILE)
    for key, names in code_uses().items():
        assert placeholders(table[key]) == names, key
        words = say(key, **{name: f"<{name}>" for name in names})
        assert "{" not in words and "}" not in words, key
        assert all(f"<{name}>" in words for name in names), key


def test_the_messages_keep_the_words_the_replies_had():
    assert say("list.heading.many_fit", n=3, constraints="cloud computing, up to £200") == (
        "Here are 3 options that fit (cloud computing, up to £200):"
    )
    assert say("fallback.did_you_mean") == "Sorry, I'm not sure what you meant. Did you mean one of these?"
    assert say("list.changed", changes="budget set to up to £200") == (
        "Got it: budget set to up to £200. Here is the list for that."
    )


def test_a_message_that_lost_a_value_stops_with_its_key(tmp_path):
    path = edited(tmp_path, "handoff.adviser", "Ask the careers service: {contacts}.")
    with pytest.raises(MessagesError) as err:
        load(path)
    assert '"handoff.adviser" must hold {contact}, {referral}' in str(err.value)
    assert "it holds {contacts}" in str(err.value)


def test_a_missing_message_stops_with_its_key(tmp_path):
    with pytest.raises(MessagesError, match='"list.no_more" is missing'):
        load(edited(tmp_path, "list.no_more", None))


@pytest.mark.parametrize(
    "words, problem",
    [
        ("Price: {price:>10}", "is not a name in braces"),
        ("Price: {0}", "is not a name in braces"),
        ("Price: {price", "expected '}'"),
        ("", "must be a sentence in words"),
    ],
)
def test_a_message_that_is_not_a_template_of_names_stops_with_its_key(tmp_path, words, problem):
    with pytest.raises(MessagesError, match=problem) as err:
        read(edited(tmp_path, "details.price", words))
    assert '"details.price"' in str(err.value)


def test_yes_and_no_as_names_are_caught_because_yaml_reads_them_as_true_and_false(tmp_path):
    path = tmp_path / "messages.yml"
    path.write_text("accreditation:\n  yes: Yes, it is.\n", encoding="utf-8")
    with pytest.raises(MessagesError, match="not a name in words"):
        read(path)


def test_a_say_whose_key_is_not_written_out_is_caught(tmp_path):
    (tmp_path / "speaker.py").write_text('key = "greet.hello"\nsay(key)\n', encoding="utf-8")
    with pytest.raises(MessagesError, match=r"speaker.py:2: say\(\) takes its key written out"):
        code_uses((tmp_path,))


def test_a_broken_messages_file_stops_the_program_at_start_up(tmp_path):
    path = edited(tmp_path, "greet.hello", "Hello {name}!")
    done = subprocess.run(
        [sys.executable, "-c", "import bot.advice.service"],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "MESSAGES_FILE": str(path), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert '"greet.hello" must hold no {names}, the values the assistant fills in; it holds {name}.' in done.stderr


def test_the_messages_file_is_a_setting(tmp_path):
    assert messages_file({}) == DEFAULT_MESSAGES_FILE
    assert messages_file({"MESSAGES_FILE": str(tmp_path / "m.yml")}) == tmp_path / "m.yml"
    assert load_settings({"MESSAGES_FILE": str(tmp_path / "m.yml")}).messages_file == tmp_path / "m.yml"


def _tracker(text: str) -> Tracker:
    return Tracker(
        sender_id="test",
        slots={},
        latest_message={"text": text, "intent": {"name": "nlu_fallback"}, "intent_ranking": [{"name": "show_more"}]},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def test_an_edited_message_changes_what_the_assistant_says(tmp_path, monkeypatch, advisor):
    path = edited(tmp_path, "fallback.did_you_mean", "Hmm, which of these did you mean?")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Here are {n} options that fit ({constraints}):", "{n} options for you ({constraints}):"
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(messages, "TABLE", load(messages_file({"MESSAGES_FILE": str(path)})))

    d = CollectingDispatcher()
    await ActionDefaultAskAffirmation().run(d, _tracker("hmm"), {})
    assert d.messages[0]["text"] == "Hmm, which of these did you mean?"
    assert [b["title"] for b in d.messages[0]["buttons"]] == ["Show other options", "Something else"]

    c = Constraints(aims=("tech_cloud",), budget=Budget("unlimited"), weeks=52.0, hours_per_week=20.0)
    rec = advisor.recommend(c)
    assert len(rec.fitting) > 1
    assert rec.text().startswith(f"{len(rec.fitting)} options for you (cloud computing, no upper limit, 52 weeks")
