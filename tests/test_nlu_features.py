"""The domain featurizer reads messages through the project's parsers and word families."""

from __future__ import annotations

import pytest

from bot.language.vocabulary import FAMILIES
from bot.nlu.features import SIGNALS, DomainFeaturizer, family_spans, signals
from bot.nlu.training import TRAINING_INPUTS


@pytest.mark.parametrize(
    "text, expected",
    [
        ("bioinformatics", {"aim"}),  # an aim word, whatever intent examples contain it
        ("I want to go into nursing", {"aim", "family:goal"}),
        ("two hundred quid", {"budget"}),
        ("my employer pays", {"budget", "family:employer_value", "family:price"}),
        ("over the summer", {"time", "family:time"}),
        ("an hour a day", {"time", "family:time"}),
        ("tell me about the third one", {"list_item", "family:details"}),
        ("online only please", {"filter"}),
        ("adios", {"family:farewell"}),
        ("ciao", {"family:farewell", "family:salutation"}),  # both, honestly: the examples decide
        ("how many ECTS is it", {"family:academic_credit", "family:listed_item"}),
        ("is it legit or a scam", {"family:quality", "family:listed_item"}),
        ("can I speak to an adviser", {"family:person"}),
        ("cheers!", {"family:gratitude"}),
    ],
)
def test_signals_name_what_the_text_means(text, expected):
    assert expected <= signals(text)


def test_words_match_whole_words_only():
    assert "family:salutation" not in signals("this is history")  # "hi" inside a word
    assert "family:time" not in signals("weekly newsletter")
    assert family_spans("Is it CREDIT-bearing?")["academic_credit"] == [(6, 20)]


def test_nothing_for_a_message_outside_every_family():
    assert signals("zxcv qwerty") == set()


def test_every_family_is_a_feature_and_a_training_input():
    assert all(f"family:{name}" in SIGNALS for name in FAMILIES)
    # every module the NLU components read is a training input (itself, or the folder that holds it)
    read = (
        "bot/language/vocabulary.py",
        "bot/nlu/features.py",
        "bot/language/aims.py",
        "bot/language/parsing.py",
        "bot/nlu/intent_classifier.py",
        "bot/model.py",
    )
    assert [f for f in read if not any(f == i or f.startswith(i + "/") for i in TRAINING_INPUTS)] == []


def test_featurizer_adds_sentence_and_token_features():
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message

    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    message = Message(data={"text": "bye, see you on the third one"})
    tokenizer.process([message])
    featurizer = DomainFeaturizer({**DomainFeaturizer.get_default_config()}, "domain")
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features("text")
    assert sentence.features.shape == (1, len(SIGNALS))
    on = {SIGNALS[i] for i in sentence.features.tocoo().col}
    assert {"family:farewell", "list_item"} <= on
    tokens = [t.text for t in message.get("text_tokens")]
    farewell = SIGNALS.index("family:farewell")
    marked = [tokens[i] for i in sequence.features.tocoo().row[sequence.features.tocoo().col == farewell]]
    assert marked == ["bye", "see", "you"]


def test_fingerprint_changes_with_the_vocabulary(tmp_path, monkeypatch):
    before = DomainFeaturizer.fingerprint_addon({})
    assert before == DomainFeaturizer.fingerprint_addon({})
    import bot.nlu.features as module

    fake = tmp_path / "bot"
    for name in module.SOURCES:
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        (fake / name).write_text("changed")
    monkeypatch.setattr(module, "__file__", str(fake / "nlu" / "features.py"))
    assert DomainFeaturizer.fingerprint_addon({}) != before


def _edge_features(text):
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.features import EdgeWordsFeaturizer

    message = Message(data={"text": text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    EdgeWordsFeaturizer({**EdgeWordsFeaturizer.get_default_config(), "alias": "edges"}, "edges").process([message])
    sequence, sentence = message.get_sparse_features("text")
    return message, sequence.features.tocoo(), sentence.features.tocoo()


def test_edge_words_mark_how_a_message_begins_and_ends():
    from bot.nlu.features import EDGE_BUCKETS, edge_bucket, edge_keys

    assert edge_keys(["hi", "i", "need", "a", "course"]) == [(0, "first:hi"), (4, "last:course"), (0, "first2:hi i")]
    assert edge_keys(["what", "is", "it", "?"])[1] == (3, "last:?")  # spaCy's tokenizer keeps "?" as a token
    assert edge_keys([]) == []
    message, sequence, sentence = _edge_features("Hi, I need a course")
    assert sentence.shape == (1, EDGE_BUCKETS)
    assert set(sentence.col) == {edge_bucket("first:hi"), edge_bucket("first2:hi i"), edge_bucket("last:course")}
    tokens = [t.text for t in message.get("text_tokens")]
    # features sit on the first token and on the last
    assert {tokens[r] for r in sequence.row} == {tokens[0], tokens[-1]}
    # the same words in the middle of a sentence are other columns
    _, _, middle = _edge_features("so hi I need a course now")
    assert edge_bucket("first:hi") not in set(middle.col)
    assert edge_bucket("first:hi") == edge_bucket("first:hi")  # stable within and between processes
