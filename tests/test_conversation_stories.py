"""Training data validation and the conversation test stories, on the trained model."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from bot.nlu.training import rasa_bin
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow
STORIES = PROJECT_ROOT / "tests" / "test_stories.yml"


def test_rasa_data_validate_is_clean():
    proc = subprocess.run(
        [rasa_bin(), "data", "validate", "--fail-on-warnings"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "No story structure conflicts found" in proc.stdout + proc.stderr


def test_there_are_enough_conversation_tests_for_every_follow_up():
    stories = yaml.safe_load(STORIES.read_text())["stories"]
    assert len(stories) >= 15
    intents = {step.get("intent", "").split("/")[0] for s in stories for step in s["steps"]}
    for needed in (
        "greet",
        "inform",
        "request_advice",
        "ask_details",
        "ask_accreditation",
        "ask_recognition",
        "ask_credit",
        "show_more",
        "ask_cheaper",
        "start_over",
        "human_handoff",
        "faq",
        "out_of_scope",
    ):
        assert needed in intents, needed


def test_conversation_stories_pass(trained_model, tmp_path):
    """Every intent and every action of tests/test_stories.yml is predicted as written."""
    proc = subprocess.run(
        [
            rasa_bin(),
            "test",
            "core",
            "--e2e",
            "--model",
            str(trained_model),
            "--stories",
            str(STORIES),
            "--fail-on-prediction-errors",
            "--out",
            str(tmp_path),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    output = proc.stdout + proc.stderr
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else output[-4000:]
    assert proc.returncode == 0, detail
    m = re.search(r"Correct:\s+(\d+) / (\d+)", output)
    assert m and m.group(1) == m.group(2) and int(m.group(2)) >= 15, output[-2000:]
