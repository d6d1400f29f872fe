"""NLU component: never guess at a message the assistant cannot read.

The assistant reads English, Arabizi and Arabic (Gulf and MSA, in Arabic script: the
classifier gives those to its multilingual model). An empty message, one made only of
emoji or symbols, or one written in another script (Persian or Urdu in Arabic script,
Cyrillic, CJK, ...) would otherwise still get the classifier's best guess, and the
assistant could answer it confidently with something unrelated. This component runs
after the classifiers and turns such messages into ``nlu_fallback``; the fallback
action (``actions/fallback.py``) then explains what it can read. Which messages those
are is :func:`clinic.fallback.script_of` (over :func:`clinic.language.detect`): its
``other`` and ``none``; digits alone (a phone number, Arabic-Indic digits too) pass.
A message called ``out_of_scope`` that is a clear request to book at the clinic
("mumkin maw3ed esteshara bukra sa3a 5?") becomes ``book_appointment``.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.booking.request import is_clear_booking_request
from clinic.fallback import FALLBACK_INTENT, script_of

# what script_of calls the messages the classifier cannot read
UNREADABLE = ("other", "none")
OUT_OF_SCOPE, BOOKING_INTENT = "out_of_scope", "book_appointment"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class MessageGuard(GraphComponent):
    """Sets ``nlu_fallback`` on messages with nothing to read or in a script it does not read."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageGuard":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if text is not None and text.startswith("/"):
                continue  # an "/intent" payload from a button
            if script_of(text or "") in UNREADABLE:
                self._force_fallback(message)
            elif (message.get(INTENT) or {}).get("name") == OUT_OF_SCOPE and is_clear_booking_request(
                    text or "", datetime.now(timezone.utc)):
                self._force_booking(message)
        return messages

    @staticmethod
    def _force_booking(message: Message) -> None:
        """"mumkin maw3ed esteshara bukra sa3a 5?" called off-topic: a clear booking request
        (:func:`clinic.booking.request.is_clear_booking_request` decides) starts the booking."""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != BOOKING_INTENT]
        booking = {"name": BOOKING_INTENT, "confidence": (message.get(INTENT) or {}).get("confidence") or 1.0}
        message.set(INTENT, booking, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [booking] + ranking, add_to_output=True)

    @staticmethod
    def _force_fallback(message: Message) -> None:
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT
        ]
        fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [fallback] + ranking, add_to_output=True)
