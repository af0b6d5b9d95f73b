"""A Rasa featurizer that tells the intent classifier what the project's own parsers recognise.

``DomainFeaturizer`` (config.yml: ``bot.nlu.features.DomainFeaturizer``) adds sparse features to each
message: whether it names a career aim (``bot.language.aims``), a budget, an amount of time or weekly hours,
an item of the list shown ("the third one"), a filter ("online only") (``bot.language.parsing``), and which
word families of ``bot.language.vocabulary`` it mentions. A word the classifier saw once, or never, is then
read through what it means: "bioinformatics" is an aim like "data science", "ECTS" is about credit
like "credit-bearing", "adios" is a farewell like "bye".

Sentence features carry one flag per signal (of value ``weight``); sequence features mark the tokens a word family
matched. Nothing is learned here, so nothing is stored; the fingerprint includes the sources it
reads, so Rasa's training cache is refreshed when the vocabulary or a parser changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.aims import detect_aims
from bot.language.filters import parse_filters, parse_ordinal
from bot.language.parsing import parse_budget, parse_time
from bot.language.vocabulary import FAMILIES

# A fixed date: "by June" is time whatever today is, and features must not change with the calendar.
_REFERENCE_DAY = dt.date(2026, 1, 1)
PARSER_SIGNALS = ("aim", "budget", "time", "list_item", "filter")
#: What this featurizer reads, relative to the ``bot`` package: a change to any of them retrains.
SOURCES = ("model.py", "language/aims.py", "language/parsing.py", "language/vocabulary.py", "nlu/features.py")


def _family_pattern(words: tuple[str, ...]) -> re.Pattern:
    alternatives = sorted({re.escape(w.lower()) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w'-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


FAMILY_PATTERNS: dict[str, re.Pattern] = {name: _family_pattern(words) for name, words in FAMILIES.items()}
SIGNALS: tuple[str, ...] = PARSER_SIGNALS + tuple(f"family:{name}" for name in FAMILIES)


def parser_signals(text: str) -> set[str]:
    """The parser signals present in ``text`` (a subset of PARSER_SIGNALS)."""
    found = set()
    if detect_aims(text):
        found.add("aim")
    if parse_budget(text) is not None:
        found.add("budget")
    when = parse_time(text, today=_REFERENCE_DAY)
    if when.weeks is not None or when.hours_per_week is not None:
        found.add("time")
    if parse_ordinal(text) is not None:
        found.add("list_item")
    if parse_filters(text):
        found.add("filter")
    return found


def family_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each word family mentioned in ``text``, the character spans of its words."""
    out = {}
    for name, pattern in FAMILY_PATTERNS.items():
        spans = [m.span() for m in pattern.finditer(text)]
        if spans:
            out[name] = spans
    return out


def signals(text: str) -> set[str]:
    """Every signal of ``text``: parser signals and ``family:<name>`` for the families it mentions."""
    return parser_signals(text) | {f"family:{name}" for name in family_spans(text)}


class _RuleFeaturizer(SparseFeaturizer, GraphComponent):
    """A featurizer that learns nothing: each message is featurized by ``_featurize`` alone."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        digest = hashlib.sha256()
        here = Path(__file__).parent.parent
        for name in SOURCES:
            digest.update((here / name).read_bytes())
        return digest.hexdigest()

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "_RuleFeaturizer":
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._featurize(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._featurize(message)
        return messages

    def _featurize(self, message: Message) -> None:
        raise NotImplementedError


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class DomainFeaturizer(_RuleFeaturizer):
    """Sparse features from the project's parsers and word families (see the module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # the value of a present signal: above the 1 of a single word count, so that the classifier
        # can lean on a signal without spreading its weight over many character n-grams
        return {**SparseFeaturizer.get_default_config(), "weight": 1.0}

    def _featurize(self, message: Message) -> None:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT], [])
        if not text or not tokens:
            return
        sentence = np.zeros((1, len(SIGNALS)))
        sequence = np.zeros((len(tokens), len(SIGNALS)))
        for name in parser_signals(text):
            sentence[0, SIGNALS.index(name)] = 1.0
        for name, spans in family_spans(text).items():
            column = SIGNALS.index(f"family:{name}")
            sentence[0, column] = 1.0
            for i, token in enumerate(tokens):
                if any(token.start < end and token.end > start for start, end in spans):
                    sequence[i, column] = 1.0
        weight = float(self._config.get("weight", 1.0))
        self.add_features_to_message(
            scipy.sparse.coo_matrix(sequence * weight), scipy.sparse.coo_matrix(sentence * weight), TEXT, message
        )


EDGE_BUCKETS = 4096
_EDGE_WORD = re.compile(r"[a-z0-9']+|\?")


def edge_keys(words: List[str]) -> List[tuple[int, str]]:
    """(token position, key) for the first word, the first two words and the last word (or "?")."""
    if not words:
        return []
    keys = [(0, f"first:{words[0]}"), (len(words) - 1, f"last:{words[-1]}")]
    if len(words) > 1:
        keys.append((0, f"first2:{words[0]} {words[1]}"))
    return keys


def edge_bucket(key: str) -> int:
    # a stable hash (Python's hash() changes between processes)
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big") % EDGE_BUCKETS


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class EdgeWordsFeaturizer(_RuleFeaturizer):
    """How a message begins and ends: its first word, first two words and last word (or "?").

    "hi, I need…" and "…, bye" are told apart from the same words in the middle of a sentence, and
    "what does … mean?" from "… please". The words are hashed into a fixed number of columns, so
    nothing is learned or stored here.
    """

    def _featurize(self, message: Message) -> None:
        tokens = message.get(TOKENS_NAMES[TEXT], [])
        if not message.get(TEXT) or not tokens:
            return
        # token index of each word, so that sequence features sit on the token they describe
        words, where = [], []
        for i, token in enumerate(tokens):
            for w in _EDGE_WORD.findall(token.text.lower()):
                words.append(w)
                where.append(i)
        sentence = np.zeros((1, EDGE_BUCKETS))
        sequence = np.zeros((len(tokens), EDGE_BUCKETS))
        for position, key in edge_keys(words):
            column = edge_bucket(key)
            sentence[0, column] = 1.0
            sequence[where[position], column] = 1.0
        self.add_features_to_message(
            scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence), TEXT, message
        )
