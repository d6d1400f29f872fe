"""Privacy actions: "delete my data", consent to the privacy notice, the first-reply notice.

``action_erase_my_data`` confirms at once and erases the conversation a few seconds
later, in the background: Rasa saves the tracker after this action returns, and an
erasure before that save would be undone (Rasa re-inserts every event it no longer
finds in the store). A second pass later catches anything saved in between.
``action_record_consent`` records consent (version, time) before the booking form
asks for contact details or a photo is kept.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import channel_of, session_factory

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)

ERASURE_DONE_RESPONSE = "utter_erasure_done"
ERASURE_FAILED_RESPONSE = "utter_erasure_failed"
PRIVACY_NOTICE_RESPONSE = "utter_privacy_notice"
RESPONSES_USED = (ERASURE_DONE_RESPONSE, ERASURE_FAILED_RESPONSE)
CONSENT_SLOT = "privacy_consent"
ERASE_DELAYS = (5.0, 60.0)  # seconds after the request: after Rasa saved this turn, and once more


def is_first_session(tracker: Tracker) -> bool:
    """True while the conversation has no earlier user message: the notice goes with the first reply.

    For ``action_session_start`` (actions/handoff.py): utter ``utter_privacy_notice``
    when this is True.
    """
    return not any(event.get("event") == "user" for event in tracker.events)


def _ref(conversation_id: str) -> str:
    return hashlib.sha256(conversation_id.encode()).hexdigest()[:12]


def _erase(conversation_id: str) -> None:
    from clinic.privacy.erasure import erase_conversation_data

    try:
        erase_conversation_data(conversation_id, reason="request")
    except Exception as error:  # logged without the conversation id; staff can run `clinic erase`
        logger.error("erasure of conversation ref %s failed: %s", _ref(conversation_id), type(error).__name__)


def schedule_erasure(conversation_id: str, delays: Sequence[float] = ERASE_DELAYS,
                     erase: Callable[[str], None] = _erase) -> List[threading.Timer]:
    """Erase the conversation after each of ``delays`` seconds, in daemon timers."""
    timers = []
    for delay in delays:
        timer = threading.Timer(delay, erase, args=(conversation_id,))
        timer.daemon = True
        timer.start()
        timers.append(timer)
    return timers


class ActionEraseMyData(Action):
    """The patient asked us to delete their conversation and data."""

    def __init__(self, scheduler: Callable[[str], Any] = schedule_erasure) -> None:
        self._schedule = scheduler

    def name(self) -> Text:
        return "action_erase_my_data"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        try:
            self._schedule(tracker.sender_id)
        except Exception as error:
            logger.error("erasure could not be scheduled: %s", type(error).__name__)
            dispatcher.utter_message(response=ERASURE_FAILED_RESPONSE)
            return []
        logger.info("erasure requested for conversation ref %s", _ref(tracker.sender_id))
        dispatcher.utter_message(response=ERASURE_DONE_RESPONSE)
        return []


class ActionRecordConsent(Action):
    """Record consent to the current privacy notice for this conversation."""

    def __init__(self, session_factory: Optional["sessionmaker"] = None) -> None:
        self._session_factory = session_factory

    def name(self) -> Text:
        return "action_record_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        from clinic.privacy.consent import record_consent

        try:
            factory = self._session_factory or session_factory()
            with factory.begin() as session:
                record_consent(session, tracker.sender_id,
                               channel=channel_of(tracker))
        except Exception as error:
            logger.error("consent could not be recorded: %s", type(error).__name__)
            return [SlotSet(CONSENT_SLOT, False)]
        return [SlotSet(CONSENT_SLOT, True)]
