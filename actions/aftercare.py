"""Aftercare actions: the session date a patient tells us, and answers for the day (issue 16).

Wiring (data/rules/aftercare.yml):

* ``tell_treatment_date`` ("I had my session on Tuesday") -> ``action_treatment_date``:
  reads the date (:func:`clinic.aftercare.course.read_treatment_date`, the clinic's time
  zone) and asks once to confirm it (slot ``treatment_date_pending``, yes/no buttons), or
  asks which day when it cannot tell (no date, a future one, more than a year ago).
* ``affirm`` / ``deny`` while ``treatment_date_pending`` is set ->
  ``action_confirm_treatment_date``: yes keeps the date for the conversation (slot
  ``treatment_date``, ISO), no drops it. Either way the question is not asked again.
* ``faq`` while ``treatment_date`` is set -> ``action_answer_for_the_day``: a question about
  side effects, downtime or aftercare in general (``faq/side_effects*``, ``faq/downtime*``,
  ``faq/aftercare``) is answered for the day (``data/aftercare/course.yml``); every other
  FAQ key gets its usual answer ``utter_faq/<key>``, exactly as the plain FAQ rule would.

Why a rule with a slot condition rather than one action in front of every FAQ answer: a
patient with no known date (nearly everyone, and every website visitor) keeps the plain
FAQ rule, which needs no action server; only a conversation that knows a date pays the
round trip. Warning signs never get here: the triage turns them into ``urgent_symptom``.

A treatment recorded by staff (``python -m clinic treatments record``) reaches the slot
through :func:`treatment_events`, which ``action_session_start`` adds to a new session's
events; ``action_answer_for_the_day`` also reads the record itself and uses the newer date.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Clock, latest_intent, session_factory

logger = logging.getLogger(__name__)

DATE_SLOT = "treatment_date"
PENDING_SLOT = "treatment_date_pending"
CONFIRM_RESPONSE = "utter_aftercare_confirm_date"
KEPT_RESPONSE = "utter_aftercare_date_kept"
NOT_KEPT_RESPONSE = "utter_aftercare_date_not_kept"
UNCLEAR_RESPONSE = "utter_aftercare_date_unclear"
DAY_RESPONSES = ("utter_aftercare_day_first", "utter_aftercare_day_settling", "utter_aftercare_day_fading",
                 "utter_aftercare_day_after_week")
RESPONSES_USED = (CONFIRM_RESPONSE, KEPT_RESPONSE, NOT_KEPT_RESPONSE, UNCLEAR_RESPONSE) + DAY_RESPONSES
RUNTIME_VALUES = ("day", "session_date")
DAY_KEYS = ("faq/side_effects", "faq/downtime")  # and their sub-topics
DAY_EXACT_KEYS = ("faq/aftercare",)  # the general answer only: aftercare_makeup etc. stay specific


def describe_day(day: date) -> str:
    """``Tuesday 1 December`` (with the year when it is not this year's)."""
    from clinic.aftercare.course import clinic_today

    text = f"{day:%A} {day.day} {day:%B}"
    return text if day.year == clinic_today(Clock.now()).year else f"{text} {day.year}"


def parse_iso(value: Any) -> Optional[date]:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def recorded_date(conversation_id: str) -> Optional[date]:
    """The newest recorded treatment of the conversation (None when none, or the database is down)."""
    from clinic.aftercare.service import latest_treatment_date

    try:
        with session_factory()() as session:
            return latest_treatment_date(session, conversation_id, now=Clock.now())
    except Exception:  # noqa: BLE001 - an answer without the record beats no answer
        logger.exception("could not read the treatment record")
        return None


def treatment_events(conversation_id: str) -> List[Dict[Text, Any]]:
    """``[SlotSet("treatment_date", ...)]`` when staff recorded a session for this conversation.

    For ``action_session_start`` (actions/handoff.py) to add to a new session's events, so
    "still swollen, is that ok?" from a recorded patient is answered for the day.
    """
    found = recorded_date(conversation_id)
    return [SlotSet(DATE_SLOT, found.isoformat())] if found else []


def faq_key(tracker: Tracker) -> Optional[str]:
    """The FAQ key the classifier chose for the latest message (``faq/side_effects``)."""
    selector = ((tracker.latest_message or {}).get("response_selector") or {}).get("faq") or {}
    key = (selector.get("response") or {}).get("intent_response_key")
    return str(key) if key else None


def answers_for_the_day(key: Optional[str]) -> bool:
    if not key:
        return False
    return key in DAY_EXACT_KEYS or any(key == k or key.startswith(k + "_") for k in DAY_KEYS)


class ActionTreatmentDate(Action):
    def name(self) -> Text:
        return "action_treatment_date"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        from clinic.aftercare.course import read_treatment_date

        reading = read_treatment_date((tracker.latest_message or {}).get("text") or "", Clock.now())
        day = reading.day if reading.ok else None  # set when the reading is ok
        if day is None:
            dispatcher.utter_message(response=UNCLEAR_RESPONSE)
            return [SlotSet(PENDING_SLOT, None)]
        dispatcher.utter_message(response=CONFIRM_RESPONSE, session_date=describe_day(day))
        return [SlotSet(PENDING_SLOT, day.isoformat())]


class ActionConfirmTreatmentDate(Action):
    def name(self) -> Text:
        return "action_confirm_treatment_date"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        pending = parse_iso(tracker.get_slot(PENDING_SLOT))
        if pending is None or latest_intent(tracker) != "affirm":
            dispatcher.utter_message(response=NOT_KEPT_RESPONSE)
            return [SlotSet(PENDING_SLOT, None)]
        dispatcher.utter_message(response=KEPT_RESPONSE, session_date=describe_day(pending))
        return [SlotSet(DATE_SLOT, pending.isoformat()), SlotSet(PENDING_SLOT, None)]


class ActionAnswerForTheDay(Action):
    def name(self) -> Text:
        return "action_answer_for_the_day"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        from clinic.aftercare.course import answer_for, clinic_today

        key = faq_key(tracker)
        today = clinic_today(Clock.now())
        known = [d for d in (parse_iso(tracker.get_slot(DATE_SLOT)), recorded_date(tracker.sender_id))
                 if d is not None and d <= today] if answers_for_the_day(key) else []
        answer = answer_for(max(known), today) if known else None
        if answer is not None:
            dispatcher.utter_message(response=answer.response, day=str(answer.day))
        elif key:
            dispatcher.utter_message(response=f"utter_{key}")  # the usual FAQ answer
        else:
            dispatcher.utter_message(response="utter_default")
        return []
