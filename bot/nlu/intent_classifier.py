"""A linear intent classifier for Rasa: a support-vector machine over the sparse sentence features.

``LinearIntentClassifier`` (config.yml: ``bot.nlu.intent_classifier.LinearIntentClassifier``) learns one
linear score per intent from the sentence features the featurizers produce (word and word-pair
counts, character n-grams, ``bot.nlu.features``). On this assistant's few thousand short examples it
classifies more accurately than DIET and trains in seconds instead of minutes (figures in README).

Confidences: the scores of a support-vector machine are not probabilities. They are turned into
probabilities by a softmax with one temperature, fitted on scores the classifier gives to examples it
was not trained on (k-fold, minimising the log-loss: "temperature scaling"), so a confidence of 0.5,
the FallbackClassifier's threshold, means roughly what it says.

The model is stored as plain arrays (``.npz``) and a JSON list of intents: no pickled code in a model.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)


def sentence_features(messages: List[Message], weights: Optional[Dict[str, float]] = None) -> scipy.sparse.csr_matrix:
    """One row per message: its sentence features, side by side, in a fixed order of featurizers.

    ``weights`` scales the features of a featurizer by its ``alias`` (config.yml): a linear model is
    regularised per weight, so a featurizer whose features count more gets a larger scale.
    """
    weights = weights or {}
    rows = []
    for message in messages:
        parts = [
            scipy.sparse.csr_matrix(f.features) * weights.get(f.origin, 1.0)
            for f in sorted(message.features, key=lambda f: (f.is_dense(), f.origin))
            if f.attribute == TEXT and f.type == "sentence"
        ]
        rows.append(scipy.sparse.hstack(parts).tocsr() if parts else scipy.sparse.csr_matrix((1, 0)))
    return scipy.sparse.vstack(rows).tocsr()


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, gold: np.ndarray) -> float:
    """The temperature whose softmax gives the held-out scores the least log-loss."""
    best, best_loss = 1.0, np.inf
    for t in np.geomspace(0.02, 5.0, 120):
        p = softmax(scores, t)[np.arange(len(gold)), gold]
        loss = -np.log(np.clip(p, 1e-12, None)).mean()
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Linear support-vector intent classifier with calibrated confidences (see the module docstring)."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 0.5,  # inverse regularisation strength
            "feature_weights": {},  # featurizer alias -> scale of its features
            "calibration_folds": 5,
            "ranking_length": 10,
            "random_seed": 42,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        intents: Optional[List[str]] = None,
        coef: Optional[np.ndarray] = None,
        intercept: Optional[np.ndarray] = None,
        temperature: float = 1.0,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.intents = intents or []
        self.coef = coef
        self.intercept = intercept
        self.temperature = temperature

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        # Rasa's training cache keys on the configuration; a change to this code must retrain too
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

    def _svm(self):
        from sklearn.svm import LinearSVC

        return LinearSVC(
            C=self.config["C"], class_weight="balanced", max_iter=20000, random_state=self.config["random_seed"]
        )

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: the linear intent classifier stays untrained.")
            return self._resource
        X = sentence_features(examples, self.config["feature_weights"])
        labels = [e.get(INTENT) for e in examples]
        self.intents = sorted(set(labels))
        y = np.array([self.intents.index(label) for label in labels])
        if len(self.intents) == 1:
            self.coef = np.zeros((1, X.shape[1]))
            self.intercept = np.zeros(1)
        else:
            svm = self._svm().fit(X, y)
            self.coef, self.intercept = self._as_matrix(svm.coef_), np.atleast_1d(svm.intercept_)
            self.temperature = self._calibrate(X, y)
        self.persist()
        return self._resource

    def _as_matrix(self, coef: np.ndarray) -> np.ndarray:
        return coef if coef.shape[0] == len(self.intents) else np.vstack([-coef, coef])

    def _calibrate(self, X, y: np.ndarray) -> float:
        from sklearn.model_selection import StratifiedKFold

        folds = min(self.config["calibration_folds"], int(np.bincount(y).min()))
        if folds < 2:
            return 1.0
        scores = np.zeros((X.shape[0], len(self.intents)))
        split = StratifiedKFold(folds, shuffle=True, random_state=self.config["random_seed"])
        for train, test in split.split(X, y):
            svm = self._svm().fit(X[train], y[train])
            fold_scores = np.full((len(test), len(self.intents)), -10.0)
            fold_scores[:, svm.classes_] = X[test] @ self._fold_matrix(svm).T + np.atleast_1d(svm.intercept_)
            scores[test] = fold_scores
        return fit_temperature(scores, y)

    @staticmethod
    def _fold_matrix(svm) -> np.ndarray:
        return svm.coef_ if svm.coef_.shape[0] == len(svm.classes_) else np.vstack([-svm.coef_, svm.coef_])

    def scores(self, X) -> np.ndarray:
        width = self.coef.shape[1]
        if X.shape[1] != width:  # features the model never saw carry no weight
            X = (
                X[:, :width]
                if X.shape[1] > width
                else scipy.sparse.hstack([X, scipy.sparse.csr_matrix((X.shape[0], width - X.shape[1]))]).tocsr()
            )
        return np.asarray(X @ self.coef.T) + self.intercept

    def process(self, messages: List[Message]) -> List[Message]:
        if self.coef is None or not messages:
            return messages
        probabilities = softmax(
            self.scores(sentence_features(messages, self.config["feature_weights"])), self.temperature
        )
        for message, row in zip(messages, probabilities):
            ranking = sorted(
                ({"name": name, "confidence": float(p)} for name, p in zip(self.intents, row)),
                key=lambda r: -r["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            if self.config["ranking_length"] > 0:
                ranking = ranking[: self.config["ranking_length"]]
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            np.savez_compressed(
                directory / "weights.npz",
                coef=self.coef,
                intercept=self.intercept,
                temperature=np.array([self.temperature]),
            )
            (directory / "intents.json").write_text(json.dumps(self.intents))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                weights = np.load(directory / "weights.npz", allow_pickle=False)
                intents = json.loads((directory / "intents.json").read_text())
                return cls(
                    config,
                    model_storage,
                    resource,
                    intents,
                    weights["coef"],
                    weights["intercept"],
                    float(weights["temperature"][0]),
                )
        except (ValueError, FileNotFoundError):
            logger.debug(f"No trained {cls.__name__} in '{resource.name}': starting untrained.")
            return cls.create(config, model_storage, resource, execution_context)
