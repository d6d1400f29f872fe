"""NLU component: intents and FAQ keys from sentence embeddings + TF-IDF.

Replaces DIET and the ResponseSelector in ``config.yml``: on real questions written
outside the team it is more accurate, and it trains in about a minute (README,
"Understanding on real text").
The model is :class:`clinic.nlu.classifier.TextClassifier`; this component only feeds it
Rasa's training data and writes its predictions the way Rasa's own components do:
``intent`` and ``intent_ranking`` as DIET would, and for every retrieval intent
(``faq``, ``out_of_scope``) the ``response_selector`` entry the ResponseSelector would
write, so ``utter_faq`` and ``utter_out_of_scope`` pick the key's response.

The sentence encoder is loaded once per process and shared by every graph node and
model that uses it (``SentenceEncoder.load``).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.nlu.classifier import ClassifierConfig, Ranking, TextClassifier, rank_intents

logger = logging.getLogger(__name__)

STATE_FILE = "classifier.joblib"
RANKING_LENGTH = 10


def _embed(texts: Sequence[str]) -> np.ndarray:
    """Sentence embeddings (the encoder is loaded on first use, once per process)."""
    from clinic.nlu.encoder import SentenceEncoder

    return SentenceEncoder.load().encode(texts)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class ClinicIntentClassifier(GraphComponent, IntentClassifier):
    """Trains and runs :class:`TextClassifier` inside Rasa's NLU pipeline."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        defaults = ClassifierConfig()
        return {"embedding_weight": defaults.embedding_weight, "C": defaults.C,
                "word_ngrams": list(defaults.word_ngrams), "char_ngrams": list(defaults.char_ngrams)}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: Optional[TextClassifier] = None,
                 responses: Optional[Dict[Text, List[Dict[Text, Any]]]] = None) -> None:
        self._config = ClassifierConfig.from_dict(config)
        self._storage = model_storage
        self._resource = resource
        self._classifier = classifier
        self._responses = responses or {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ClinicIntentClassifier":
        return cls(config, model_storage, resource)

    def _embedder(self):
        return _embed if self._config.embedding_weight > 0 else None

    def train(self, training_data: TrainingData) -> Resource:
        texts: List[str] = []
        labels: List[str] = []
        for example in training_data.intent_examples:
            text = example.get(TEXT)
            label = example.get(INTENT_RESPONSE_KEY) or example.get(INTENT)
            if text and label:
                texts.append(text)
                labels.append(label)
        if len(set(labels)) < 2:
            logger.warning("ClinicIntentClassifier: fewer than two intents, nothing trained")
            return self._resource
        self._classifier = TextClassifier(config=self._config, embed=self._embedder()).fit(texts, labels)
        # the responses of retrieval keys, reported in response_selector as the ResponseSelector does
        self._responses = {name: list(values) for name, values in (training_data.responses or {}).items()
                           if "/" in name}
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self._classifier is None:
            return
        with self._storage.write_to(self._resource) as directory:
            joblib.dump({"classifier": self._classifier.state(), "responses": self._responses},
                        Path(directory) / STATE_FILE)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ClinicIntentClassifier":
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                saved = joblib.load(Path(directory) / STATE_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("ClinicIntentClassifier: no trained model found; it will predict nothing")
            return component
        component._classifier = TextClassifier.from_state(saved["classifier"], component._embedder())
        component._responses = saved["responses"]
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        if self._classifier is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        probabilities = self._classifier.predict_proba(texts)
        for message, row in zip(messages, probabilities):
            self._annotate(message, rank_intents(self._classifier.labels, row))
        return messages

    def _annotate(self, message: Message, ranking: Ranking) -> None:
        name, confidence = ranking.top
        message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence},
                    add_to_output=True)
        message.set(INTENT_RANKING_KEY,
                    [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: c}
                     for n, c in ranking.intents[:RANKING_LENGTH]],
                    add_to_output=True)
        selectors: Dict[Text, Any] = {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: sorted(ranking.keys)}
        for intent, keys in ranking.keys.items():
            key, key_confidence = keys[0]
            template = f"utter_{key}"
            selectors[intent] = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self._responses.get(template, [{TEXT: key}]),
                    PREDICTED_CONFIDENCE_KEY: key_confidence,
                    INTENT_RESPONSE_KEY: key,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: template,
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {PREDICTED_CONFIDENCE_KEY: c, INTENT_RESPONSE_KEY: k}
                    for k, c in keys[:RANKING_LENGTH]],
            }
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selectors, add_to_output=True)
