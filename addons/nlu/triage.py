"""NLU component: a warning sign after treatment always becomes ``urgent_symptom``.

Listed in ``config.yml`` after the classifiers and after ``MessageGuard``. It reads the
spaCy ``Doc`` that ``SpacyNLP`` already made and runs the deterministic patterns of
:mod:`clinic.triage` (English, plus Arabic and Arabizi from the raw text). When they
find a warning sign the intent becomes ``urgent_symptom`` with confidence 1.0, whatever
the classifier said (``nlu_fallback`` included); the classifier's ranking is kept below
it. Every message gets a ``triage`` entry: ``{"urgent": bool, "categories": [...],
"emergency": bool}``, plus ``"language": "ar"`` for Arabic and Arabizi messages.

A learned second opinion (:mod:`clinic.triage.learned`: logistic regression over the
sentence embeddings of the message and its sentences plus TF-IDF) looks at every English
message the rules did not flag that :func:`clinic.triage.needs_learned` hands it (not a
general question, not the expected course told in its own words), whatever the intent
classifier said: out of fold on dev that caught more at the same false alarms than asking it
only when the classifier ranks ``urgent_symptom`` high (``scripts/cv_triage.py``). One
sentence-encoder call at most per such message: the whole text's embedding is the intent
classifier's (``SENTENCE_VECTOR`` on the message), so only a story's sentences are embedded
(batched; the process's shared encoder); a message of one sentence needs no call. The
component is trainable: :meth:`WarningSignTriage.train` fits the signal on
``data/triage/reports.tsv`` and the NLU examples when the model is trained, and its weights
are persisted in the model (``warning_signs.joblib``). Set ``learned: false`` in the
component's config to turn it off (nothing is fitted then).
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import joblib

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.nlu.intent_classifier import SENTENCE_VECTOR
from clinic.triage import TriageResult, needs_learned, overrules_classifier, triage_for, with_learned
from clinic.triage.signal import WarningSignModel

logger = logging.getLogger(__name__)

URGENT_INTENT = "urgent_symptom"
TRIAGE_KEY = "triage"
STATE_FILE = "warning_signs.joblib"


@lru_cache(maxsize=1)
def _blank_english():
    import spacy

    logger.warning("triage: no spaCy doc on the message; put SpacyNLP before this component")
    return spacy.blank("en")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class WarningSignTriage(GraphComponent):
    """Overrides the intent with ``urgent_symptom`` when a message describes a warning sign."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"learned": True}

    def __init__(self, config: Optional[Dict[Text, Any]] = None, model_storage: Optional[ModelStorage] = None,
                 resource: Optional[Resource] = None, model: Optional[WarningSignModel] = None) -> None:
        self._learned = bool((config or {}).get("learned", True))
        self._storage = model_storage
        self._resource = resource
        self._model = model  # the learned signal; None: the rules alone

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "WarningSignTriage":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the learned signal (``data/triage/reports.tsv`` and the NLU examples) and persist it."""
        assert self._resource is not None
        if not self._learned:
            return self._resource
        from clinic.triage import learned

        examples = [((m.get(INTENT) or ""), m.get(TEXT) or "") for m in training_data.intent_examples]
        self._model = learned.fit(learned.training_rows(examples), learned.training_embed())
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self._model is None or self._storage is None or self._resource is None:
            return
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(self._model.state(), Path(directory) / STATE_FILE)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "WarningSignTriage":
        component = cls(config, model_storage, resource)
        if not component._learned:
            return component
        try:
            with model_storage.read_from(resource) as directory:
                component._model = WarningSignModel.from_state(joblib.load(Path(directory) / STATE_FILE))
        except (ValueError, FileNotFoundError):
            logger.warning("WarningSignTriage: no learned signal in the model; the rules alone")
        return component

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            result = self._assess(message)
            if self._learned and self._model is not None:
                result = self._second_opinion(message, result)
            message.set(TRIAGE_KEY, result.as_dict(), add_to_output=True)
            if not result.urgent:
                self._calm_overrules_classifier(message, result)
            if result.urgent:
                self._force_urgent(message)
                logger.info("triage: urgent message, categories=%s emergency=%s learned=%s",
                            ",".join(result.categories), result.emergency, result.learned)
        return messages

    @staticmethod
    def _assess(message: Message) -> TriageResult:
        text: Optional[str] = message.get(TEXT)
        if not text or text.startswith("/"):
            return TriageResult(urgent=False)  # empty, or an "/intent" payload from a button
        doc = message.get(SPACY_DOCS[TEXT])
        if doc is None:  # no SpacyNLP before us: tokens and the lexicon, without lemmas
            doc = _blank_english()(text.lower())
        return triage_for(doc.vocab).assess(doc)

    def _second_opinion(self, message: Message, result: TriageResult) -> TriageResult:
        """Rules missed it: ask the learned signal (English messages ``needs_learned`` hands it)."""
        from clinic.triage import learned

        text = message.get(TEXT) or ""
        if self._model is None or not needs_learned(text, result):
            return result
        vector = message.get(SENTENCE_VECTOR)  # the intent classifier's embedding of this text
        try:
            judgement = learned.judge(self._model, [text], whole=None if vector is None else [vector])[0]
        except Exception:  # the encoder is missing or broken: the rules' verdict stands
            logger.exception("triage: learned signal unavailable")
            return result
        return with_learned(result, judgement)

    @staticmethod
    def _calm_overrules_classifier(message: Message, result: TriageResult) -> None:
        """The classifier said urgent_symptom, the rules found the expected course told in the message's own
        words ("the bumps went away after a few hours"): the side-effects answer, not a paused conversation."""
        intent = (message.get(INTENT) or {}).get("name")
        faq_key = ((message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}).get("faq") or {}).get("response", {}) \
            .get("intent_response_key") or ""
        if intent != URGENT_INTENT or not faq_key.startswith("faq/side_effects") \
                or not overrules_classifier(message.get(TEXT) or "", result):
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != URGENT_INTENT]
        faq = next((r for r in ranking if r.get("name") == "faq"), {"name": "faq", "confidence": 0.0})
        message.set(INTENT, faq, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [faq] + [r for r in ranking if r is not faq], add_to_output=True)
        logger.info("triage: calm report, classifier's urgent_symptom overruled (%s)", faq_key)

    @staticmethod
    def _force_urgent(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != URGENT_INTENT]
        urgent = {"name": URGENT_INTENT, "confidence": 1.0}
        message.set(INTENT, urgent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [urgent] + ranking, add_to_output=True)
