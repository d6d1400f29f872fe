"""WhatsApp check-ins and reminders: the offer, the yes or no, "stop" and "all good" (issue 16).

Thin: the decisions are :mod:`clinic.aftercare.checkins`; the messages are sent by the worker
(:mod:`clinic.aftercare.worker`). Wiring (data/rules/aftercare_checkins.yml):

* ``action_aftercare_offer`` right after a session date is kept (``action_confirm_treatment_date``):
  on WhatsApp, to a patient never asked before, "Shall we message you on days 1, 3 and 7?"
  (slot ``aftercare_offer_pending`` = the date); anywhere else it says nothing.
* ``affirm`` / ``deny`` after it -> ``action_aftercare_optin``: yes opts in and plans the
  check-ins still ahead for that date; no records the no (never asked again).
* ``aftercare_stop`` ("stop", "توقف", "الغاء") -> ``action_aftercare_stop``: opt-out at once,
  every planned message cancelled.
* ``aftercare_all_good`` -> ``action_aftercare_all_good``: notes the answer on the last message
  sent (the console shows it) and thanks the patient; "I'll be there" after a reminder gets
  the reminder's answer.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Clock, latest_intent, session_factory

logger = logging.getLogger(__name__)

OFFER_SLOT = "aftercare_offer_pending"
OFFER_RESPONSE = "utter_aftercare_offer_checkins"
ON_RESPONSE = "utter_aftercare_checkins_on"
DECLINED_RESPONSE = "utter_aftercare_checkins_declined"
STOPPED_RESPONSE = "utter_aftercare_stopped"
ALL_GOOD_RESPONSE = "utter_aftercare_all_good"
REMINDER_CONFIRMED_RESPONSE = "utter_aftercare_reminder_confirmed"
NO_QUESTION_RESPONSE = "utter_anything_else"
RESPONSES_USED = (OFFER_RESPONSE, ON_RESPONSE, DECLINED_RESPONSE, STOPPED_RESPONSE, ALL_GOOD_RESPONSE,
                  REMINDER_CONFIRMED_RESPONSE, NO_QUESTION_RESPONSE)
RUNTIME_VALUES = ("days",)


def config():
    """The ``aftercare:`` block of clinic.yml (tests patch this)."""
    from clinic.aftercare.checkins import load_config

    return load_config()


def language(tracker: Tracker) -> str:
    """``en`` or ``ar``: the conversation's language (the templates are sent in it)."""
    from clinic.language import conversation_language

    return conversation_language(e.get("text") for e in tracker.events if e.get("event") == "user")


def days_text(days, lang: str) -> str:
    """``1, 3 and 7`` / ``1 و3 و7``."""
    from clinic.facts import human_list

    items = [str(d) for d in days]
    return " و".join(items) if lang == "ar" else human_list(items)


class ActionAftercareOffer(Action):
    def name(self) -> Text:
        return "action_aftercare_offer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        from clinic.aftercare.checkins import optin_status, sendable

        kept = tracker.get_slot("treatment_date")
        if not kept or not sendable(tracker.sender_id):
            return []
        try:
            with session_factory()() as session:
                if optin_status(session, tracker.sender_id) is not None:
                    return []  # asked before (or staff recorded the answer): never again
            days = config().checkin_days
        except Exception:  # noqa: BLE001 - no offer beats a broken turn
            logger.exception("could not read the check-in opt-in")
            return []
        dispatcher.utter_message(response=OFFER_RESPONSE, days=days_text(days, language(tracker)))
        return [SlotSet(OFFER_SLOT, str(kept))]


class ActionAftercareOptin(Action):
    def name(self) -> Text:
        return "action_aftercare_optin"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        from clinic.aftercare.checkins import opt_in, opt_out, schedule_for_date

        pending = tracker.get_slot(OFFER_SLOT)
        if not pending:
            dispatcher.utter_message(response=NO_QUESTION_RESPONSE)
            return []
        factory = session_factory()
        lang = language(tracker)
        try:
            if latest_intent(tracker) != "affirm":
                with factory.begin() as session:
                    opt_out(session, tracker.sender_id, "chat", Clock.now())
                dispatcher.utter_message(response=DECLINED_RESPONSE)
                return [SlotSet(OFFER_SLOT, None)]
            settings = config()
            with factory.begin() as session:
                opt_in(session, tracker.sender_id, "chat", lang, Clock.now())
            schedule_for_date(factory, tracker.sender_id, date.fromisoformat(str(pending)), None, settings,
                              Clock.now())
        except Exception:  # noqa: BLE001 - the patient hears the usual answer; staff see the log
            logger.exception("could not record the check-in answer")
            dispatcher.utter_message(response=NO_QUESTION_RESPONSE)
            return [SlotSet(OFFER_SLOT, None)]
        dispatcher.utter_message(response=ON_RESPONSE, days=days_text(settings.checkin_days, lang))
        return [SlotSet(OFFER_SLOT, None)]


class ActionAftercareStop(Action):
    def name(self) -> Text:
        return "action_aftercare_stop"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        from clinic.aftercare.checkins import opt_out, record_answer, sendable

        if sendable(tracker.sender_id):
            try:
                with session_factory().begin() as session:
                    record_answer(session, tracker.sender_id, "stopped", Clock.now())
                    cancelled = opt_out(session, tracker.sender_id, "chat", Clock.now())
                logger.info("aftercare: opted out, %d planned message(s) cancelled", cancelled)
            except Exception:  # noqa: BLE001 - still tell the patient; the log tells staff
                logger.exception("could not record the opt-out")
        dispatcher.utter_message(response=STOPPED_RESPONSE)
        return [SlotSet(OFFER_SLOT, None)]


class ActionAftercareAllGood(Action):
    def name(self) -> Text:
        return "action_aftercare_all_good"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        from clinic.aftercare.checkins import record_answer

        kind = None
        try:
            with session_factory().begin() as session:
                kind = record_answer(session, tracker.sender_id, "all_good", Clock.now())
        except Exception:  # noqa: BLE001 - the answer below is right either way
            logger.exception("could not note the check-in answer")
        dispatcher.utter_message(response=REMINDER_CONFIRMED_RESPONSE if kind == "booking_reminder"
                                 else ALL_GOOD_RESPONSE)
        return []
