"""``action_handoff``, ``action_greet`` and ``action_session_start``: hand a conversation to a person.

``action_handoff`` records the handoff (clinic.handoff.service.open_handoff) and sends
what :func:`clinic.handoff.reply.handoff_reply` decides: when a person will reply, and
either a pause until staff hand the conversation back from the console or, for a handoff
the assistant opened because it did not understand twice, "ask me anything meanwhile"
until a member of staff takes over. ``action_greet`` answers a greeting, with "the team already
has your conversation" while its handoff waits (:func:`clinic.handoff.reply.greeting`).
``action_session_start`` replaces
Rasa's default: it carries slots over as the domain asks and, when the conversation
was paused, pauses the new session too (a session start would otherwise silently
end the pause).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Clock, channel_of, latest_intent, session_factory
from actions.aftercare import treatment_events
from actions.booking_common import release_held_slot
from actions.privacy import is_first_session
from clinic.facts import ClinicFacts, load_facts
from clinic.handoff import service
from clinic.handoff.reply import GREETING, RESPONSES, greeting, handoff_reply
from clinic.handoff.models import REASONS

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)

REASON_SLOT = "handoff_reason"
# the console sends this one while a patient waits (clinic/handoff/acknowledge.py)
WAITING_RESPONSE = "utter_handoff_waiting"
RESPONSES_USED = tuple(RESPONSES.values()) + (WAITING_RESPONSE, GREETING, "utter_privacy_notice")
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
    return REASON_FOR_INTENT.get(latest_intent(tracker), "asked")



def _default_facts() -> ClinicFacts:
    from clinic.settings import get_settings

    return load_facts(get_settings().clinic_file)


class ActionHandoff(Action):
    """Record a handoff, tell the patient what happens next, pause the bot."""

    def __init__(self, session_factory: Optional["sessionmaker"] = None,
                 facts: Optional[ClinicFacts] = None,
                 clock: Callable[[], datetime] = Clock.now) -> None:
        self._session_factory = session_factory
        self._facts = facts
        self._clock = clock

    def name(self) -> Text:
        return "action_handoff"

    def _record(self, tracker: Tracker, reason: str) -> Optional[bool]:
        """Open (or find) the conversation's handoff: True if new, False if one was open, None on failure."""
        try:
            factory = self._session_factory or session_factory()
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

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return self.hand_off(dispatcher, tracker, handoff_reason(tracker))

    def hand_off(self, dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[Dict[Text, Any]]:
        """Record the handoff for ``reason``, say what happens next; the events to return.

        Also called by ``action_did_you_mean`` after two failures, within its own turn: a
        follow-up action would leave the dialogue policies to predict what comes after a
        handoff that does not pause, and no rule says."""
        released = release_held_slot(tracker, self._session_factory)  # a time held for a yes is freed now
        reply = handoff_reply(reason, self._record(tracker, reason), self._facts or _default_facts(), self._clock())
        for response, values in reply.messages:
            dispatcher.utter_message(response=response, **values)
        return [SlotSet(REASON_SLOT, None)] + released + ([ConversationPaused()] if reply.pause else [])


class ActionGreet(Action):
    """A greeting: the welcome, or "the team already has your conversation" while its handoff
    waits (the bot stays on while the clinic is closed: "hello??" at night is that patient
    checking, not a new visitor)."""

    def __init__(self, session_factory: Optional["sessionmaker"] = None) -> None:
        self._session_factory = session_factory

    def name(self) -> Text:
        return "action_greet"

    def _handoff_waiting(self, tracker: Tracker) -> bool:
        try:
            factory = self._session_factory or session_factory()
            with factory() as session:
                return service.find_open(session, tracker.sender_id) is not None
        except Exception as error:  # the database is down: the welcome, as without a handoff
            logger.error("handoff state could not be read: %s", type(error).__name__)
            return False

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=greeting(self._handoff_waiting(tracker)))
        return []


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
