"""The training data and the held-out evaluation file stay apart, and labels do not conflict."""

from __future__ import annotations

import re
from collections import defaultdict

from rasa.shared.nlu.training_data.loading import load_data

from bot.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "nlu_heldout"  # every file in it is read


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9£$€₹ ]", "", text.lower()).strip()


def test_no_held_out_text_is_in_the_training_data():
    training = {_norm(m.get("text")) for m in load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples}
    heldout = [m.get("text") for m in load_data(str(HELDOUT)).intent_examples]
    assert len(heldout) >= 400
    leaked = [t for t in heldout if _norm(t) in training]
    assert leaked == []


def test_no_training_text_has_two_labels():
    labels = defaultdict(set)
    for m in load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples:
        labels[_norm(m.get("text"))].add(m.get_full_intent())
    assert {t: ls for t, ls in labels.items() if len(ls) > 1} == {}


def test_out_of_scope_evaluation_texts_are_not_in_the_training_data():
    import json

    clinc = PROJECT_ROOT.parent / "shared" / "data" / "out-of-scope" / "clinc150-dev.json"
    if not clinc.exists():
        import pytest

        pytest.skip("../shared/data is not beside the project")
    training = {_norm(m.get("text")) for m in load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples}
    texts = [e["text"] for e in json.loads(clinc.read_text())["examples"]]
    assert [t for t in texts if _norm(t) in training] == []


def _near_copies(training: list[str], evaluation: list[str], threshold: float = 0.8) -> list[tuple[str, str]]:
    """Pairs whose word sets overlap by ``threshold`` or more (Jaccard): the same sentence reworded."""
    from collections import defaultdict

    index = defaultdict(set)
    eval_words = [set(_norm(t).split()) for t in evaluation]
    for i, words in enumerate(eval_words):
        for w in words:
            index[w].add(i)
    pairs = []
    for text in training:
        words = set(_norm(text).split())
        if len(words) < 2:
            continue
        for i in set().union(*(index[w] for w in words)):
            other = eval_words[i]
            if len(words & other) / len(words | other) >= threshold:
                pairs.append((text, evaluation[i]))
    return pairs


def test_no_training_text_is_a_reworded_copy_of_an_evaluation_text():
    """Reordering the words of a held-out or CLINC150 text does not make it new training data."""
    import json

    training = [m.get("text") for m in load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples]
    evaluation = [m.get("text") for m in load_data(str(HELDOUT)).intent_examples]
    clinc = PROJECT_ROOT.parent / "shared" / "data" / "out-of-scope" / "clinc150-dev.json"
    if clinc.exists():
        evaluation += [e["text"] for e in json.loads(clinc.read_text())["examples"]]
    assert _near_copies(training, evaluation) == []
    assert _near_copies(["what is a MOOC exactly"], ["what exactly is a MOOC"]) != []  # the check itself bites


def test_advice_evaluation_texts_are_not_in_the_training_data():
    import yaml

    folder = PROJECT_ROOT / "tests" / "advice_eval"
    said = [
        turn["user"]
        for path in sorted(folder.glob("*.yml"))
        for conv in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("conversations") or []
        for turn in conv["turns"]
    ]
    assert len(said) >= 100
    training = {_norm(m.get("text")) for m in load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples}
    # a stock phrase of three words or fewer ("cheaper ones?", "other options?") is everyone's, not a leak
    assert [t for t in said if _norm(t) in training and len(_norm(t).split()) > 3] == []
