"""``action_urgent_care``: a warning sign after treatment gets a person at once.

The NLU component ``addons.nlu.triage`` sets ``urgent_symptom`` and records the
categories under ``triage`` in the message. This action answers at once with the
clinic's phone (and 998 for breathing difficulty, throat or tongue swelling,
fainting), never with treatment advice; it opens an urgent handoff so a nurse sees
the conversation first in the console, and pauses the bot. When the handoff cannot be
recorded (database down) the patient still gets the numbers, and the bot is not
paused, so nobody is left waiting for a reply that cannot come.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

logger = logging.getLogger(__name__)

URGENT_RESPONSE = "utter_urgent_care"
EMERGENCY_RESPONSE = "utter_urgent_emergency"
NURSE_ALERTED_RESPONSE = "utter_urgent_nurse_alerted"
RESPONSES_USED = (URGENT_RESPONSE, EMERGENCY_RESPONSE, NURSE_ALERTED_RESPONSE)


def triage_of(tracker: Tracker) -> Dict[str, Any]:
    """The ``triage`` entry the NLU component put into the latest message."""
    triage = (tracker.latest_message or {}).get("triage")
    return triage if isinstance(triage, dict) else {}


def channel_of(tracker: Tracker) -> str:
    """``whatsapp``/``twilio`` from the message metadata, else Rasa's input channel."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    channel = metadata.get("channel") if isinstance(metadata, dict) else None
    return str(channel or tracker.get_latest_input_channel() or "unknown")[:32]


def _default_factory():
    from clinic.db import default_session_factory

    return default_session_factory()


class ActionUrgentCare(Action):
    """Phone number (and 998) now, an urgent handoff, and a paused bot."""

    def __init__(self, session_factory: Optional[Callable] = None) -> None:
        self._session_factory = session_factory

    def name(self) -> Text:
        return "action_urgent_care"

    def _open_handoff(self, tracker: Tracker) -> bool:
        try:
            from clinic.handoff.service import open_handoff

            factory = self._session_factory or _default_factory()
            with factory.begin() as session:
                open_handoff(session, conversation_id=tracker.sender_id, channel=channel_of(tracker),
                             reason="urgent", priority="urgent")
            return True
        except Exception as error:  # never let a database problem hide the phone number
            ref = hashlib.sha256(tracker.sender_id.encode()).hexdigest()[:12]
            logger.error("urgent handoff could not be recorded (conversation ref %s): %s",
                         ref, type(error).__name__)
            return False

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        triage = triage_of(tracker)
        emergency = bool(triage.get("emergency"))
        dispatcher.utter_message(response=EMERGENCY_RESPONSE if emergency else URGENT_RESPONSE)
        logger.info("urgent care answered: categories=%s emergency=%s",
                    ",".join(triage.get("categories") or []) or "none", emergency)
        if not self._open_handoff(tracker):
            return []
        dispatcher.utter_message(response=NURSE_ALERTED_RESPONSE)
        return [ConversationPaused()]
