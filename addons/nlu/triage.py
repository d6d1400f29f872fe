"""NLU component: a warning sign after treatment always becomes ``urgent_symptom``.

Listed in ``config.yml`` after the classifiers and after ``MessageGuard``. It reads the
spaCy ``Doc`` that ``SpacyNLP`` already made and runs the deterministic patterns of
:mod:`clinic.triage` (English, plus Arabic and Arabizi from the raw text). When they
find a warning sign the intent becomes ``urgent_symptom`` with confidence 1.0, whatever
the classifier said (``nlu_fallback`` included); the classifier's ranking is kept below
it. Every message gets a ``triage`` entry: ``{"urgent": bool, "categories": [...],
"emergency": bool}``, plus ``"language": "ar"`` for Arabic and Arabizi messages.

A learned second opinion (:mod:`clinic.triage.learned`) looks at what the rules did not
flag, only when the intent classifier itself ranked ``urgent_symptom`` at least
``CLASSIFIER_CONFIDENCE``: then similarity to the example reports must agree (one
sentence-encoder pass, the process's shared encoder). Set ``learned: false`` in the
component's config to turn it off.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.triage import TriageResult, needs_learned, overrules_classifier, triage_for, with_learned

logger = logging.getLogger(__name__)

URGENT_INTENT = "urgent_symptom"
TRIAGE_KEY = "triage"


@lru_cache(maxsize=1)
def _blank_english():
    import spacy

    logger.warning("triage: no spaCy doc on the message; put SpacyNLP before this component")
    return spacy.blank("en")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class WarningSignTriage(GraphComponent):
    """Overrides the intent with ``urgent_symptom`` when a message describes a warning sign."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"learned": True}

    def __init__(self, config: Optional[Dict[Text, Any]] = None) -> None:
        self._learned = bool((config or {}).get("learned", True))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "WarningSignTriage":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            result = self._assess(message)
            if self._learned:
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

    @staticmethod
    def _classifier_confidence(message: Message) -> float:
        for entry in message.get(INTENT_RANKING_KEY) or []:
            if entry.get("name") == URGENT_INTENT:
                return float(entry.get("confidence") or 0.0)
        return 0.0

    def _second_opinion(self, message: Message, result: TriageResult) -> TriageResult:
        """Rules missed it but the classifier thinks urgent: ask the similarity signal."""
        from clinic.triage import learned as L

        text = message.get(TEXT) or ""
        if not needs_learned(text, result) or self._classifier_confidence(message) < L.CLASSIFIER_CONFIDENCE:
            return result
        try:
            judgement = L.judge(L.embed([text]), threshold=L.CLASSIFIER_THRESHOLD,
                                margin=L.CLASSIFIER_MARGIN)[0]
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
