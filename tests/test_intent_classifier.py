"""The linear intent classifier: trains, ranks intents with confidences, and survives a save and load."""

from __future__ import annotations

import numpy as np
import pytest

from bot.nlu.intent_classifier import LinearIntentClassifier, fit_temperature, softmax

EXAMPLES = {
    "greet": ["hi", "hello", "hey there", "good morning", "hiya", "hello again", "morning", "hi hi"],
    "goodbye": ["bye", "goodbye", "see you", "bye for now", "see ya later", "farewell", "cheerio", "bye bye"],
    "ask_cheaper": [
        "anything cheaper",
        "too expensive",
        "something cheaper please",
        "lower price",
        "is there a cheaper one",
        "that costs too much",
        "cheaper options",
        "too pricey",
    ],
}


def _pipeline(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), node_name="classifier")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        storage,
        Resource("cvf"),
        ExecutionContext(GraphSchema({}), node_name="cvf"),
    )
    resource = Resource("classifier")
    return storage, context, resource, tokenizer, featurizer


def _messages(texts, tokenizer, featurizer):
    from rasa.shared.nlu.training_data.message import Message

    messages = [Message(data={"text": t}) for t in texts]
    tokenizer.process(messages)
    featurizer.process(messages)
    return messages


@pytest.fixture()
def trained(tmp_path):
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    storage, context, resource, tokenizer, featurizer = _pipeline(tmp_path)
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in EXAMPLES.items() for t in texts])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    classifier = LinearIntentClassifier.create({}, storage, resource, context)
    classifier.train(data)
    return storage, context, resource, tokenizer, featurizer, classifier


def test_classifies_unseen_texts_with_a_ranking_of_confidences(trained):
    *_, tokenizer, featurizer, classifier = trained
    texts = ["hello there", "see you soon, bye", "anything less expensive and cheaper"]
    messages = classifier.process(_messages(texts, tokenizer, featurizer))
    assert [m.get("intent")["name"] for m in messages] == ["greet", "goodbye", "ask_cheaper"]
    for m in messages:
        ranking = m.get("intent_ranking")
        assert [r["name"] for r in ranking][0] == m.get("intent")["name"]
        assert sorted(r["name"] for r in ranking) == sorted(EXAMPLES)
        assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
        assert ranking == sorted(ranking, key=lambda r: -r["confidence"])


def test_confidences_are_calibrated_not_certain(trained):
    """A text that belongs to no intent gets no confident answer (the fallback can catch it)."""
    *_, tokenizer, featurizer, classifier = trained
    assert classifier.temperature != 1.0
    [message] = classifier.process(_messages(["zq"], tokenizer, featurizer))
    assert message.get("intent")["confidence"] < 0.9


def test_saved_model_loads_and_answers_the_same(trained):
    storage, context, resource, tokenizer, featurizer, classifier = trained
    texts = ["hi", "bye then", "cheaper please", "what"]
    before = [m.get("intent_ranking") for m in classifier.process(_messages(texts, tokenizer, featurizer))]
    loaded = LinearIntentClassifier.load({}, storage, resource, context)
    after = [m.get("intent_ranking") for m in loaded.process(_messages(texts, tokenizer, featurizer))]
    assert after == before
    files = sorted(p.name for p in (storage._storage_path / resource.name).iterdir())
    assert files == ["intents.json", "weights.npz"]  # plain arrays, nothing pickled


def test_untrained_classifier_leaves_messages_alone(tmp_path):
    storage, context, resource, tokenizer, featurizer = _pipeline(tmp_path)
    classifier = LinearIntentClassifier.load({}, storage, resource, context)
    [message] = classifier.process(_messages(["hello"], tokenizer, featurizer))
    assert message.get("intent") is None


def test_temperature_fitting_prefers_the_scale_that_matches_the_errors():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 600)
    scores = rng.normal(0, 1, (600, 3))
    scores[np.arange(600), gold] += 1.0  # informative but noisy scores
    t = fit_temperature(scores, gold)
    nll = lambda temp: -np.log(softmax(scores, temp)[np.arange(600), gold]).mean()  # noqa: E731
    assert nll(t) <= min(nll(0.1), nll(1.0), nll(4.0)) + 1e-9


def test_feature_weights_scale_one_featurizer_by_its_alias(tmp_path):
    from bot.nlu.features import DomainFeaturizer
    from bot.nlu.intent_classifier import sentence_features

    _storage, _context, _resource, tokenizer, featurizer = _pipeline(tmp_path)
    featurizer.train(
        __import__("rasa.shared.nlu.training_data.training_data", fromlist=["TrainingData"]).TrainingData(
            _messages(["bye for now"], tokenizer, featurizer)
        )
    )
    messages = _messages(["bye for now"], tokenizer, featurizer)
    DomainFeaturizer({**DomainFeaturizer.get_default_config(), "alias": "domain"}, "domain").process(messages)
    plain = sentence_features(messages).toarray()
    scaled = sentence_features(messages, {"domain": 3.0}).toarray()
    changed = plain != scaled
    assert changed.any()
    assert np.allclose(scaled[changed], 3 * plain[changed])
    # the same columns in the same order whatever the weights
    assert plain.shape == scaled.shape and ((plain != 0) == (scaled != 0)).all()
