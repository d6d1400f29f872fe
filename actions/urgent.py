"""``action_urgent_care`` and ``action_urgent_stand_down``: a warning sign after
treatment gets a person at once, and a patient who says it was not meant is not stranded.

The NLU component ``addons.nlu.triage`` sets ``urgent_symptom`` and records the
triage under ``triage`` in the message (``urgent``, ``categories``, ``emergency`` and,
for Arabic or Arabizi, ``language``). ``action_urgent_care`` answers at once, never
with treatment advice:

* emergency tier (vision change, blue or grey lips, breathing or swallowing difficulty,
  throat or tongue swelling, fainting): ``utter_urgent_emergency`` ({emergency_number}
  first, then the clinic's phone), then ``utter_urgent_emergency_alerted`` (staff know);
* otherwise ``utter_urgent_care`` (the clinic's phone, 998 for the emergency signs),
  then ``utter_urgent_nurse_alerted``.

The Arabic variations are picked by the response generator from the message's triage
(:mod:`addons.nlg`), so the names here do not change. The action opens (or upgrades)
an urgent handoff, first in the nurses' queue, and does **not** pause the bot: the
patient keeps getting answers, and the conversation is paused when a member of staff
takes it over (console). So "no no, I'm fine, I was asking in general" (``deny`` right
after, data/rules/safety.yml) gets ``action_urgent_stand_down``: staff will still check
in, the handoff stays open and urgent, marked "patient says not meant" for the queue.
When the handoff cannot be recorded (database down) the patient still gets the numbers
and the warning sign waits in the durable outbox (:mod:`clinic.handoff.outbox`) until
the database is back.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import channel_of, session_factory

logger = logging.getLogger(__name__)

URGENT_RESPONSE = "utter_urgent_care"
EMERGENCY_RESPONSE = "utter_urgent_emergency"
NURSE_ALERTED_RESPONSE = "utter_urgent_nurse_alerted"
EMERGENCY_ALERTED_RESPONSE = "utter_urgent_emergency_alerted"
STAND_DOWN_RESPONSE = "utter_urgent_stand_down"
RESPONSES_USED = (URGENT_RESPONSE, EMERGENCY_RESPONSE, NURSE_ALERTED_RESPONSE, EMERGENCY_ALERTED_RESPONSE,
                  STAND_DOWN_RESPONSE)


def triage_of(tracker: Tracker) -> Dict[str, Any]:
    """The ``triage`` entry the NLU component put into the latest message."""
    triage = (tracker.latest_message or {}).get("triage")
    return triage if isinstance(triage, dict) else {}



def replies_for(triage: Dict[str, Any], staff_alerted: bool) -> List[str]:
    """The responses, in order: the emergency tier puts 998 first, staff come last."""
    if triage.get("emergency"):
        return [EMERGENCY_RESPONSE] + ([EMERGENCY_ALERTED_RESPONSE] if staff_alerted else [])
    return [URGENT_RESPONSE] + ([NURSE_ALERTED_RESPONSE] if staff_alerted else [])


def _ref(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode()).hexdigest()[:12]


class _WithDatabase:
    def __init__(self, session_factory: Optional[Callable] = None, outbox: Any = None) -> None:
        self._session_factory = session_factory
        self._outbox = outbox

    @property
    def factory(self):
        return self._session_factory or session_factory()

    @property
    def outbox(self):
        if self._outbox is None:
            from clinic.handoff.outbox import default_outbox

            self._outbox = default_outbox()
        return self._outbox


class ActionUrgentCare(_WithDatabase, Action):
    """The numbers now (998 first for an emergency), then an urgent handoff; no pause."""

    def name(self) -> Text:
        return "action_urgent_care"

    def _open_handoff(self, tracker: Tracker) -> bool:
        try:
            from clinic.handoff.service import open_urgent

            with self.factory.begin() as session:
                open_urgent(session, conversation_id=tracker.sender_id, channel=channel_of(tracker))
            return True
        except Exception as error:  # never let a database problem hide the phone number
            logger.error("urgent handoff could not be recorded (conversation ref %s): %s",
                         _ref(tracker.sender_id), type(error).__name__)
            return False

    def _keep_for_later(self, tracker: Tracker, triage: Dict[str, Any]) -> None:
        from clinic.handoff.outbox import PendingUrgent

        try:
            self.outbox.put(PendingUrgent(
                conversation_id=tracker.sender_id, channel=channel_of(tracker),
                text=str((tracker.latest_message or {}).get("text") or ""),
                categories=[str(c) for c in triage.get("categories") or []],
                emergency=bool(triage.get("emergency"))))
            self.outbox.drain_soon()
        except Exception as error:
            logger.error("urgent outbox unavailable too (conversation ref %s): %s",
                         _ref(tracker.sender_id), type(error).__name__)

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        triage = triage_of(tracker)
        first, *_ = replies_for(triage, staff_alerted=False)
        dispatcher.utter_message(response=first)
        logger.info("urgent care answered: categories=%s emergency=%s language=%s",
                    ",".join(triage.get("categories") or []) or "none", bool(triage.get("emergency")),
                    triage.get("language") or "en")
        if self._open_handoff(tracker):
            for name in replies_for(triage, staff_alerted=True)[1:]:
                dispatcher.utter_message(response=name)
            self.outbox.drain_if_pending()  # the database is back: earlier warning signs too
        else:
            self._keep_for_later(tracker, triage)
        from actions.booking_common import release_held_slot  # a time held for a yes is freed now

        return release_held_slot(tracker, self._session_factory)


class ActionUrgentStandDown(_WithDatabase, Action):
    """"No no, I'm fine": staff will still check in; the bot goes on answering."""

    def name(self) -> Text:
        return "action_urgent_stand_down"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=STAND_DOWN_RESPONSE)
        try:
            from clinic.handoff.service import note_stood_down

            with self.factory.begin() as session:
                noted = note_stood_down(session, tracker.sender_id) is not None
            logger.info("urgent stand-down: %s", "noted on the handoff" if noted else "no open urgent handoff")
        except Exception as error:  # the handoff stays urgent anyway
            logger.error("urgent stand-down could not be noted (conversation ref %s): %s",
                         _ref(tracker.sender_id), type(error).__name__)
        return []
