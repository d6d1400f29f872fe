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
A message called ``out_of_scope``, or a cancel or a move with no word asking for one, that is
a clear request to book at the clinic ("mumkin maw3ed esteshara bukra sa3a 5?") becomes
``book_appointment``; a complaint or a
strong feeling said in earnest that the classifier read as a question or was unsure of ("I AM
VERY DISAPPOINTED NO RESULTS AFTER 3 SESSIONS", "i feel cheated") becomes ``frustrated``
(:func:`clinic.nlu.complaint.is_complaint` decides; not where the classifier called it
off-topic, and a warning sign still wins: the triage runs after this component).
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

from clinic.booking.existing import CHANGE_INTENTS, says_a_change
from clinic.booking.request import is_clear_booking_request
from clinic.fallback import FALLBACK_INTENT, script_of
from clinic.nlu.complaint import is_complaint

# what script_of calls the messages the classifier cannot read
UNREADABLE = ("other", "none")
OUT_OF_SCOPE, BOOKING_INTENT, COMPLAINT_INTENT = "out_of_scope", "book_appointment", "frustrated"
# intents a complaint's words do not override: a person is already on the way, or the
# message asks for something its own rule does
KEEPS_ITS_INTENT = {OUT_OF_SCOPE, "human_handoff", "urgent_symptom", "request_erasure",
                    "cancel_appointment", "reschedule_appointment"}


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
            elif self._booking_misread(message, text or ""):
                # "mumkin maw3ed esteshara bukra sa3a 5?" called off-topic or a move: a clear booking request
                self._force(message, BOOKING_INTENT)
            elif ((message.get(INTENT) or {}).get("name") != COMPLAINT_INTENT
                  and self._read_as(message) not in KEEPS_ITS_INTENT and is_complaint(text or "")):
                self._force(message, COMPLAINT_INTENT)
        return messages

    @staticmethod
    def _booking_misread(message: Message, text: str) -> bool:
        """A clear request for a new appointment called off-topic, or called a cancel or a move
        although no word asks for one (the Arabizi "mumkin esteshara bukra el sa3a 4?")."""
        intent = (message.get(INTENT) or {}).get("name")
        if intent not in (OUT_OF_SCOPE, *CHANGE_INTENTS) or (intent in CHANGE_INTENTS and says_a_change(text)):
            return False
        return is_clear_booking_request(text, datetime.now(timezone.utc))

    @staticmethod
    def _read_as(message: Message) -> Optional[str]:
        """The classifier's reading: its top intent, the one under ``nlu_fallback`` if declined."""
        ranking = [r.get("name") for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT]
        return ranking[0] if ranking else (message.get(INTENT) or {}).get("name")

    @staticmethod
    def _force(message: Message, intent: str) -> None:
        """``intent`` on top, at the confidence the classifier gave its own reading."""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in (intent, FALLBACK_INTENT)]
        forced = {"name": intent, "confidence": (message.get(INTENT) or {}).get("confidence") or 1.0}
        message.set(INTENT, forced, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [forced] + ranking, add_to_output=True)

    @staticmethod
    def _force_fallback(message: Message) -> None:
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT
        ]
        fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [fallback] + ranking, add_to_output=True)
