"""``action_handoff`` and ``action_session_start``: hand a conversation to a person.

``action_handoff`` records the handoff (clinic.handoff.service.open_handoff), tells the
patient honestly what happens next and pauses the conversation, so the bot stays
silent until staff hand it back from the console; a handoff the assistant opened because
it did not understand twice leaves it answering (``service.bot_stays_on``: the patient is
told so) until a member of staff takes over, and a later failure while that one waits says
the team already has the conversation. ``action_session_start`` replaces
Rasa's default: it carries slots over as the domain asks and, when the conversation
was paused, pauses the new session too (a session start would otherwise silently
end the pause).
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.aftercare import treatment_events
from actions.booking_common import release_held_slot
from actions.privacy import is_first_session
from clinic.facts import ClinicFacts, load_facts
from clinic.handoff import service
from clinic.handoff.hours import describe_opening, is_open, next_opening
from clinic.handoff.models import REASONS

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)

REASON_SLOT = "handoff_reason"
RESPONSES = {
    "open": "utter_handoff_open_hours",
    "closed": "utter_handoff_closed",
    "closed_unknown": "utter_handoff_closed_no_hours",
    "urgent": "utter_handoff_urgent",
    "unavailable": "utter_handoff_unavailable",
    # after the above when the bot stays on (not understood), or alone when that handoff already waits
    "keep_asking": "utter_handoff_keep_asking",
    "already_waiting": "utter_handoff_already_waiting",
}
# the console sends this one while a patient waits (clinic/handoff/acknowledge.py)
WAITING_RESPONSE = "utter_handoff_waiting"
RESPONSES_USED = tuple(RESPONSES.values()) + (WAITING_RESPONSE, "utter_privacy_notice")
# placeholders these responses get at run time, besides the clinic facts
RUNTIME_VALUES = ("next_opening",)
REASON_FOR_INTENT = {
    "human_handoff": "asked",
    "nlu_fallback": "not_understood",
    "out_of_scope": "not_understood",
    "urgent_symptom": "urgent",
    "book_appointment": "booking",
    "check_availability": "booking",
    "cancel_appointment": "booking",
    "reschedule_appointment": "booking",
    "frustrated": "frustration",
}
CARRY_OVER_EXCLUDED = {"requested_slot", "session_started_metadata", REASON_SLOT}


def handoff_reason(tracker: Tracker) -> str:
    """The slot ``handoff_reason`` if valid, else from the latest intent, else ``asked``."""
    slot = (tracker.slots or {}).get(REASON_SLOT)
    if slot in REASONS:
        return slot
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
    return REASON_FOR_INTENT.get(intent, "asked")


def channel_of(tracker: Tracker) -> str:
    """``whatsapp``/``twilio`` from message metadata, else Rasa's input channel name."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    channel = metadata.get("channel") if isinstance(metadata, dict) else None
    return str(channel or tracker.get_latest_input_channel() or "unknown")[:32]


def _default_facts() -> ClinicFacts:
    from clinic.settings import get_settings

    return load_facts(get_settings().clinic_file)


def _default_factory() -> "sessionmaker":
    from clinic.db import default_session_factory

    return default_session_factory()


class ActionHandoff(Action):
    """Record a handoff, tell the patient what happens next, pause the bot."""

    def __init__(self, session_factory: Optional["sessionmaker"] = None,
                 facts: Optional[ClinicFacts] = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self._session_factory = session_factory
        self._facts = facts
        self._clock = clock

    def name(self) -> Text:
        return "action_handoff"

    def _record(self, tracker: Tracker, reason: str) -> Optional[bool]:
        """Open (or find) the conversation's handoff: True if new, False if one was open, None on failure."""
        try:
            factory = self._session_factory or _default_factory()
            with factory.begin() as session:
                was_open = service.find_open(session, tracker.sender_id) is not None
                handoff = service.open_handoff(
                    session, conversation_id=tracker.sender_id, channel=channel_of(tracker),
                    reason=reason, priority="urgent" if reason == "urgent" else "normal")
                logger.info("handoff %s %s (%s, %s)", handoff.id, "still open" if was_open else "opened",
                            handoff.reason, handoff.priority)
            return not was_open
        except Exception as error:  # the database is down: say so honestly, do not pause
            logger.error("handoff could not be recorded: %s", type(error).__name__)
            return None

    def what_happens_next(self, reason: str) -> Tuple[str, Dict[str, str]]:
        """The response name (and its values) for this reason at this time."""
        if reason == "urgent":
            return RESPONSES["urgent"], {}
        facts = self._facts or _default_facts()
        now = self._clock()
        if is_open(facts, now):
            return RESPONSES["open"], {}
        opening = next_opening(facts, now)
        if opening is None:
            return RESPONSES["closed_unknown"], {}
        return RESPONSES["closed"], {"next_opening": describe_opening(opening, now)}

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return self.hand_off(dispatcher, tracker, handoff_reason(tracker))

    def hand_off(self, dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[Dict[Text, Any]]:
        """Record the handoff for ``reason``, say what happens next; the events to return.

        Also called by ``action_did_you_mean`` after two failures, within its own turn: a
        follow-up action would leave the dialogue policies to predict what comes after a
        handoff that does not pause, and no rule says."""
        released = release_held_slot(tracker, self._session_factory)  # a time held for a yes is freed now
        new = self._record(tracker, reason)
        if new is None:
            dispatcher.utter_message(response=RESPONSES["unavailable"])
            return [SlotSet(REASON_SLOT, None)] + released
        stays_on = reason != "urgent" and service.bot_stays_on(reason)  # urgent: actions/urgent.py decides
        if stays_on and not new:
            dispatcher.utter_message(response=RESPONSES["already_waiting"])
            return [SlotSet(REASON_SLOT, None)] + released
        response, values = self.what_happens_next(reason)
        dispatcher.utter_message(response=response, **values)
        if stays_on:
            dispatcher.utter_message(response=RESPONSES["keep_asking"])
            return [SlotSet(REASON_SLOT, None)] + released
        return [SlotSet(REASON_SLOT, None)] + released + [ConversationPaused()]


class ActionSessionStart(Action):
    """Start a session, carry slots over, and stay paused if the conversation was.

    The very first session of a conversation opens with the short privacy notice."""

    def name(self) -> Text:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if is_first_session(tracker):
            dispatcher.utter_message(response="utter_privacy_notice")
        events: List[Dict[Text, Any]] = [SessionStarted()]
        carry_over = ((domain or {}).get("session_config") or {}).get("carry_over_slots_to_new_session", True)
        if carry_over:
            events += [SlotSet(name, value) for name, value in (tracker.slots or {}).items()
                       if value is not None and name not in CARRY_OVER_EXCLUDED]
        metadata = (tracker.slots or {}).get("session_started_metadata")
        if metadata is not None:
            events.append(SlotSet("session_started_metadata", metadata))
        if not (tracker.slots or {}).get("treatment_date"):
            events += treatment_events(tracker.sender_id)  # a session staff recorded
        if tracker.is_paused():
            events.append(ConversationPaused())
        events.append(ActionExecuted("action_listen"))
        return events
