"""Booking actions: thin wrappers that call :mod:`clinic.booking.service`.

Every message is a response name (texts live in domain.yml); values such as the time
or the reference are passed as template values: ``{when}``, ``{reference}``,
``{service_name}``, ``{reason}``.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import booking_common as common
from clinic.booking import checkin_offer, corrections, holds, offer, request
from clinic.booking import service as booking
from clinic.booking.dates import describe
from clinic.booking.deferral import DEFERRED, left_the_booking, not_booked_response
from clinic.booking.replies import Reply, Step, changes_the_time, consents_after_refusing, next_step, read_reply
from clinic.booking.store import DUBAI, AppointmentView
from clinic.privacy.consent import record_consent

log = logging.getLogger(__name__)
DEFAULT_SERVICE = "consultation"
RESET_FORM = ["service", "slot_start", "contact_consent", "held_reference", "confirming", "confirm_asked_again",
              "time_wish"]
# the actions after which the patient's next message answers a pending yes/no question
QUESTION_ACTIONS = {"action_confirm_booking": "book", "utter_confirm_cancel": "cancel",
                    "action_reschedule_appointment": "reschedule", "action_confirm_reply": None,
                    "action_book_appointment": None, "action_cancel_appointment": None}
# what a message that answers no pending question gets (see ActionConfirmReply)
PLAIN_ANSWERS = {"greet": "utter_greet", "goodbye": "utter_goodbye", "thank": "utter_thank",
                 "bot_challenge": "utter_iamabot", "inform": "utter_inform_no_context", "defer": DEFERRED}
FOLLOWUPS = {"book_appointment": "booking_form", "cancel_appointment": "cancel_form",
             "reschedule_appointment": "reschedule_form", "check_availability": "booking_form",
             "out_of_scope": "utter_out_of_scope", "nlu_fallback": "action_did_you_mean"}
# Every response the booking actions and form validation send (all must be in domain.yml).
RESPONSES_USED = frozenset({
    "utter_ask_slot_start", "utter_booking_slots", "utter_booking_slot_free",
    "utter_booking_time_taken", "utter_booking_outside_hours", "utter_booking_closed_day", "utter_booking_holiday",
    "utter_booking_nothing_free", "utter_booking_no_slots_soon", "utter_booking_date_past",
    "utter_booking_date_invalid", "utter_booking_date_unknown", "utter_booking_confirm", "utter_booking_done",
    "utter_booking_needs_consent", "utter_booking_slot_taken", "utter_booking_slot_unavailable",
    "utter_booking_failed", "utter_booking_not_found", "utter_booking_cancelled", "utter_booking_rescheduled",
    "utter_booking_service_invalid", "utter_booking_name_invalid", "utter_booking_phone_invalid",
    "utter_booking_phone_two", "utter_booking_phone_foreign", "utter_booking_time_noted", "utter_booking_take_first",
    "utter_booking_which_day", "utter_reschedule_take_first", "utter_booking_time_kept", "utter_booking_details_noted",
    "utter_booking_service_changed", "utter_booking_service_assumed", "utter_booking_times_for_consultation",
    "utter_booking_one_person",
    "utter_booking_consent_unclear", "utter_booking_consent_why", "utter_booking_reference_invalid",
    "utter_booking_unavailable", "utter_booking_detail_corrected",
    "utter_booking_not_booked", "utter_booking_not_booked_no_hold", "utter_booking_deferred",
    "utter_booking_deferred_no_hold", "utter_deferred", "utter_cancel_kept", "utter_cancel_stopped",
    "utter_confirm_reschedule", "utter_reschedule_kept", "utter_reschedule_stopped", "utter_booking_lookup_failed",
    "utter_confirm_again_book", "utter_confirm_again_cancel", "utter_confirm_again_reschedule",
    "utter_anything_else", "utter_greet", "utter_goodbye", "utter_thank", "utter_iamabot",
    "utter_inform_no_context", "utter_aftercare_offer_checkins", "utter_aftercare_checkins_on",
    "utter_aftercare_checkins_declined",
})

# Template values the booking actions pass with their responses (besides clinic facts).
RUNTIME_VALUES = frozenset({"when", "old_when", "reference", "service_name", "patient_name", "patient_phone",
                            "reason", "days"})
# the check-in offer made at the booking confirmation on WhatsApp (clinic/booking/checkin_offer.py)
CHECKIN_SLOT = "checkin_offer"
AFTER_BOOKING = ("action_book_appointment", "action_confirm_reply")


def _offer(dispatcher: CollectingDispatcher, response: str, slots, **values: Any) -> None:
    """Utter ``response`` with slot buttons, or the 'call us' answer when there are none."""
    if slots:
        dispatcher.utter_message(response=response, buttons=common.slot_buttons(slots), **values)
    else:
        dispatcher.utter_message(response="utter_booking_no_slots_soon")


# Offer.kind -> the response that says it (clinic.booking.offer)
OFFER_RESPONSES = {"slots": "utter_booking_slots", "slot_free": "utter_booking_slot_free",
                   "time_taken": "utter_booking_time_taken", "outside_hours": "utter_booking_outside_hours",
                   "closed_day": "utter_booking_closed_day", "holiday": "utter_booking_holiday",
                   "nothing_free": "utter_booking_nothing_free", "date_past": "utter_booking_date_past",
                   "date_invalid": "utter_booking_date_invalid", "date_unknown": "utter_booking_date_unknown"}


def say_offer(dispatcher: CollectingDispatcher, found: offer.Offer) -> None:
    """Turn an :class:`clinic.booking.offer.Offer` into its response (with slot buttons)."""
    response = OFFER_RESPONSES[found.kind]
    if found.kind in ("date_unknown", "date_invalid"):
        dispatcher.utter_message(response=response)
        return
    values = {k: v for k, v in (("when", found.when), ("reason", found.reason)) if v}
    _offer(dispatcher, response, found.slots, **values)


def check_availability(dispatcher: CollectingDispatcher, text: str, service_key: str,
                       entities=()) -> offer.Offer:
    """Answer a date/time question with up to 5 free slots or an explanation plus alternatives."""
    with common.session_factory()() as session:
        found = offer.find_offer(session, service_key, text, common.Clock.now(), entities)
    say_offer(dispatcher, found)
    return found


class ActionCheckAvailability(Action):
    def name(self) -> Text:
        return "action_check_availability"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        service_key = common.service_key(tracker.get_slot("service")) or DEFAULT_SERVICE
        entities = [e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                    if e.get("entity") in ("DATE", "TIME") and isinstance(e.get("value"), str)]
        check_availability(dispatcher, common.latest_text(tracker), service_key, entities)
        return []


class ActionAskSlotStart(Action):
    """The form's question for ``slot_start``: the earliest free slots as buttons, or the
    free slots for the day and time the patient already asked for (slot ``time_wish``, kept
    until a time is chosen so that asking again offers the same; "any evening", "mornings only").

    For ``reschedule_form`` the slots are those of the booked service. When this turn
    already showed slot buttons (the patient typed a time and got "Good news: ... is
    free" or the nearest free times), nothing more is said: the buttons stay on the last
    message of the turn, which is the only one the web widget shows buttons for.
    """

    def name(self) -> Text:
        return "action_ask_slot_start"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if common.buttons_shown_this_turn(tracker):
            return []
        if common.details_instead_of_a_time(tracker):  # "her name is Aisha Khan" at the times
            dispatcher.utter_message(response="utter_booking_details_noted")
        wish = tracker.get_slot("time_wish")
        with common.session_factory()() as session:
            key = None
            if (tracker.active_loop or {}).get("name") == "reschedule_form":
                key = booking.service_of(session, tracker.get_slot("booking_reference") or "")
            key = key or common.service_key(tracker.get_slot("service")) or DEFAULT_SERVICE
            if not wish:
                slots = booking.find_slots(session, key, now=common.Clock.now(), limit=common.MAX_BUTTONS)
        if wish:  # the day and time said before ("consultation tomorrow 5pm", "any evening"):
            # kept until a time is chosen, so asking again (after a question) offers the same
            found = check_availability(dispatcher, wish, key)
            # a preference that matched ("any evening") is offered again if the time is asked
            # again; of a time that could not be had ("sorry, 5pm isn't available") only its day
            # is kept, so the complaint is said once (clinic.booking.offer.wish_after)
            kept = offer.wish_after(found, wish, common.Clock.now())
            return [] if kept == wish else [SlotSet("time_wish", kept)]
        _offer(dispatcher, "utter_ask_slot_start", slots)
        return []


class ActionResetBooking(Action):
    """Forget the booking being prepared and free its hold (the patient said no)."""

    def name(self) -> Text:
        return "action_reset_booking"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        released = bool(tracker.get_slot("held_reference")) and holds.release_hold(
            common.session_factory(), tracker.get_slot("held_reference"))
        # utter_booking_not_booked (next in the rule) mentions the freed time only if there was one
        return _reset() + [SlotSet("hold_released", released)]


def _reset() -> List[Dict]:
    return [SlotSet(s, None) for s in RESET_FORM]


def _place(dispatcher: CollectingDispatcher, tracker: Tracker, hold: bool,
           start: Optional[datetime] = None) -> Optional[AppointmentView]:
    """Hold (``hold``) or book the form's slot (or ``start``); on failure utter why and return None."""
    start = start or common.parse_start(tracker.get_slot("slot_start"))
    key = common.service_key(tracker.get_slot("service"))
    if tracker.get_slot("contact_consent") is not True:
        dispatcher.utter_message(response="utter_booking_needs_consent")
        return None
    if not start or not key:
        dispatcher.utter_message(response="utter_booking_failed")
        return None
    try:
        return booking.book(
            common.session_factory(), service_key=key, start=start, name=tracker.get_slot("patient_name") or "",
            phone=tracker.get_slot("patient_phone") or common.channel_phone(tracker) or "",
            channel=common.channel_name(tracker), conversation_id=tracker.sender_id,
            idempotency_key=common.idempotency_key(tracker, "hold" if hold else "book", key, start.isoformat()),
            now=common.Clock.now(), hold_minutes=holds.HOLD_MINUTES if hold else None)
    except booking.SlotTaken as taken:
        _offer(dispatcher, "utter_booking_slot_taken", taken.alternatives)
    except booking.NotBookable as error:
        _offer(dispatcher, "utter_booking_slot_unavailable", error.alternatives)
    except booking.BookingError:
        log.warning("booking failed")
        dispatcher.utter_message(response="utter_booking_failed")
    return None


def _after_failure(dispatcher: CollectingDispatcher) -> List[Dict]:
    """Keep the patient's details when only the time failed (they pick another one)."""
    offered = any(m.get("buttons") for m in dispatcher.messages)
    if offered:
        return [SlotSet("slot_start", None), SlotSet("held_reference", None)]
    if any(m.get("response") == "utter_booking_failed" for m in dispatcher.messages):
        # a booking the bot cannot complete goes to a person
        return _reset() + [SlotSet("handoff_reason", "booking"), FollowupAction("action_handoff")]
    return _reset()


def _latest(tracker: Tracker):
    """(text, intent) of the message being answered."""
    return common.latest_text(tracker), common.latest_intent(tracker)


def _previous_action(tracker: Tracker) -> Optional[str]:
    """The last action before the patient's latest message (what the message answers)."""
    seen_user = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def pending_confirmation(tracker: Tracker) -> Optional[str]:
    """'book', 'cancel' or 'reschedule' when the latest message answers that yes/no question."""
    previous = _previous_action(tracker)
    if previous not in QUESTION_ACTIONS:
        return None
    kind = QUESTION_ACTIONS[previous] if previous == "utter_confirm_cancel" else tracker.get_slot("confirming")
    if kind == "book" and not tracker.get_slot("held_reference"):
        return None  # the time was lost before the question was asked: nothing to confirm
    return kind if kind in ("book", "cancel", "reschedule") else None


def _typed(text: str) -> bool:
    return bool(text.strip()) and not text.strip().startswith("/")


def answer_confirmation(kind: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
    """The patient's reply to "Shall I book / cancel / move it?" -> done, kept or asked again.

    The decision is :func:`clinic.booking.replies.next_step`; every branch ends with a
    message that states what happened to the appointment (or hold).
    """
    text, intent = _latest(tracker)
    reply = read_reply(text, intent, kind)
    asked_again = tracker.get_slot("confirm_asked_again") is True
    step = next_step(reply, asked_again)
    # "wait the number is wrong, it should be 0509876534": the detail is corrected and read back
    corrected = _corrected_details(tracker, text) if kind == "book" and _typed(text) else {}
    if corrected:
        dispatcher.utter_message(response="utter_booking_detail_corrected")
        return _correct_details(tracker, corrected)
    # "ok but can we make it a session instead?" at "Shall I book it?": the change wins over the "ok"
    if kind == "book" and _says_a_change(kind, tracker, text):
        new_service = _new_service(kind, tracker, text)
        return _change_service(tracker, new_service) if new_service else _change_time(kind, tracker, dispatcher)
    if step is Step.DO:
        return DO[kind](dispatcher, tracker)
    if kind in CHANGE_FORMS and _time_change(text):
        return _change_time(kind, tracker, dispatcher)
    if reply is Reply.UNSURE and asks_a_question(tracker, text, intent) and faq_answer(dispatcher, tracker):
        _ask_after_answer(kind, dispatcher, tracker)  # a question answered is not a re-ask
        return [SlotSet("confirming", kind), SlotSet("confirm_asked_again", asked_again)]
    if step is Step.ASK_AGAIN:
        _ask_again(kind, dispatcher, tracker)
        return [SlotSet("confirming", kind), SlotSet("confirm_asked_again", True)]
    return KEEP[kind](dispatcher, tracker)


CHANGE_FORMS = {"book": "booking_form", "reschedule": "reschedule_form"}


def _change_time(kind: str, tracker: Tracker, dispatcher: Optional[CollectingDispatcher] = None) -> List[Dict]:
    """"wait sorry, can we make it saturday morning instead?" at the confirmation: the
    held time is freed and the same form takes the new time (its other details kept). A
    booking's new exact time that is free ("can we make it 12 instead": on the same day) is
    held at once and read back for a yes (the new time held before the old one is freed)."""
    if kind == "book" and dispatcher is not None:
        moved = _hold_new_time(dispatcher, tracker)
        if moved is not None:
            return moved
    if tracker.get_slot("held_reference"):
        holds.release_hold(common.session_factory(), tracker.get_slot("held_reference"))
    return [SlotSet("slot_start", None), SlotSet("held_reference", None), *_done(),
            FollowupAction(CHANGE_FORMS[kind])]


def _hold_new_time(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict]]:
    """The new exact time of a booking being confirmed, held and read back; None when the
    message names no free exact time (the form then offers times as usual)."""
    old = common.parse_start(tracker.get_slot("slot_start"))
    key = common.service_key(tracker.get_slot("service"))
    held_before = tracker.get_slot("held_reference")
    if not old or not key or not held_before:
        return None
    now = common.Clock.now()
    wish = request.on_the_day_of(common.latest_text(tracker), old.isoformat(), now)
    with common.session_factory()() as session:
        found = offer.find_offer(session, key, wish, now)
    if not found.exact or found.exact.start == old:
        return None
    held = _place(CollectingDispatcher(), tracker, hold=True, start=found.exact.start)
    if held is None:
        return None
    holds.release_hold(common.session_factory(), held_before)
    phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker) or ""
    dispatcher.utter_message(response="utter_booking_time_noted", when=describe(held.starts_at))
    dispatcher.utter_message(response="utter_booking_confirm", when=describe(held.starts_at),
                             service_name=held.service_name, patient_name=held.patient_name or "",
                             patient_phone=phone)
    return [SlotSet("slot_start", found.exact.start.astimezone(DUBAI).isoformat()), SlotSet("time_wish", None),
            SlotSet("held_reference", held.reference), SlotSet("confirming", "book"),
            SlotSet("confirm_asked_again", None)]


def _corrected_details(tracker: Tracker, text: str) -> Dict[str, str]:
    """The name and number a reply at the confirmation corrects (clinic/booking/corrections.py)."""
    found = {"patient_phone": corrections.new_phone(text, tracker.get_slot("patient_phone")),
             "patient_name": corrections.new_name(text, tracker.get_slot("patient_name"))}
    return {slot: value for slot, value in found.items() if value}


def _correct_details(tracker: Tracker, corrected: Dict[str, str]) -> List[Dict]:
    """The held time is freed and the booking form, already complete, hands over to the
    confirmation again, which holds the time anew with the corrected details and reads them back."""
    if tracker.get_slot("held_reference"):
        holds.release_hold(common.session_factory(), tracker.get_slot("held_reference"))
    return [*(SlotSet(slot, value) for slot, value in corrected.items()), SlotSet("held_reference", None),
            *_done(), FollowupAction("booking_form")]


def resume_after_consent(tracker: Tracker) -> Optional[List[Dict]]:
    """"ok fine u can keep my number, book it" right after the consent was refused: the consent
    is recorded and the booking let go just before goes on (its service and time, the name and
    number still kept) to the read-back; None when the message is no such change of mind."""
    text, _ = _latest(tracker)
    if common.last_response(tracker) != "utter_booking_needs_consent" or not consents_after_refusing(text):
        return None
    service, start = common.last_value(tracker, "service"), common.last_value(tracker, "slot_start")
    if not service or not common.parse_start(start):
        return None
    try:
        with common.session_factory().begin() as session:
            record_consent(session, tracker.sender_id, channel=common.channel_name(tracker))
    except SQLAlchemyError:
        log.warning("booking: consent could not be recorded (database unavailable)")
        return None
    return [SlotSet("service", service), SlotSet("slot_start", start), SlotSet("contact_consent", True),
            *_done(), FollowupAction("booking_form")]


def _time_change(text: str) -> bool:
    return changes_the_time(text) and request.says_a_time(text, common.Clock.now())


def _says_a_change(kind: str, tracker: Tracker, text: str) -> bool:
    """A typed reply that changes the time or the service of the booking being confirmed."""
    return _typed(text) and (_time_change(text) or _new_service(kind, tracker, text) is not None)


def _new_service(kind: str, tracker: Tracker, text: str) -> Optional[str]:
    """"actually make it a session not a consultation" at "Shall I book it?": the new service."""
    return request.new_service_said(text, common.service_key(tracker.get_slot("service"))) if kind == "book" else None


def _change_service(tracker: Tracker, service_key: str) -> List[Dict]:
    """The held time is freed and the booking form goes on with the new service: the same
    time when it is free for it (read back again), else that time's nearest free ones."""
    if tracker.get_slot("held_reference"):
        holds.release_hold(common.session_factory(), tracker.get_slot("held_reference"))
    events: List[Dict] = [SlotSet("service", service_key), SlotSet("held_reference", None), *_done()]
    start = common.parse_start(tracker.get_slot("slot_start"))
    if start:
        with common.session_factory()() as session:
            free = offer.still_free(session, service_key, start, common.Clock.now())
        if not free:
            events += [SlotSet("slot_start", None), SlotSet("time_wish", describe(start))]
    return events + [FollowupAction("booking_form")]


# a question the classifier put elsewhere ("is there a fee if i cancel this late?" read as
# cancel_appointment) is still answered when the FAQ is among its likeliest readings
FAQ_RANK_CONFIDENCE = 0.2
_QUESTION_START = ("what", "how", "when", "where", "why", "who", "which", "is", "are", "do", "does", "can",
                   "could", "will", "would", "should", "am", "may", "if")


def asks_a_question(tracker: Tracker, text: str, intent: Optional[str]) -> bool:
    """The message is a question for the FAQ answers (not a reply, a reference or a number)."""
    if intent == "faq":
        return True
    words = text.lower().split()
    if not ("?" in text or (words and words[0] in _QUESTION_START)):
        return False
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    return any(r.get("name") == "faq" and float(r.get("confidence") or 0) >= FAQ_RANK_CONFIDENCE
               for r in ranking[:3])


def faq_answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """A FAQ asked at a confirmation is answered (then the question is asked again)."""
    selector = ((tracker.latest_message or {}).get("response_selector") or {}).get("faq") or {}
    response = (selector.get("response") or {})
    name = response.get("utter_action") or (
        f"utter_{response['intent_response_key']}" if response.get("intent_response_key") else None)
    if not name:
        return False
    dispatcher.utter_message(response=name)
    return True


def _ask_again(kind: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    values: Dict[str, Any] = {}
    if kind == "reschedule":
        start = common.parse_start(tracker.get_slot("slot_start"))
        values["when"] = describe(start) if start else ""
    dispatcher.utter_message(response=f"utter_confirm_again_{kind}", **values)


def _ask_after_answer(kind: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After answering a question asked at a confirmation, the same confirmation again (not
    "just to be sure", which is for a reply that was not understood)."""
    if kind == "cancel" and tracker.get_slot("booking_summary"):
        dispatcher.utter_message(response="utter_confirm_cancel")
        return
    start = common.parse_start(tracker.get_slot("slot_start"))
    if kind == "reschedule" and start:
        try:
            current = booking.upcoming(common.session_factory(), tracker.get_slot("booking_reference") or "",
                                       tracker.get_slot("patient_phone") or common.channel_phone(tracker) or "",
                                       now=common.Clock.now())
        except booking.NotFound:
            current = None
        if current is not None:
            dispatcher.utter_message(response="utter_confirm_reschedule", reference=current.reference,
                                     old_when=describe(current.starts_at), when=describe(start))
            return
    _ask_again(kind, dispatcher, tracker)


def _done() -> List[Dict]:
    return [SlotSet("confirming", None), SlotSet("confirm_asked_again", None)]


def _keep_booking(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
    """Declined, abandoned, put off or still unclear: free the hold now and say nothing was
    booked (with "message us when you're ready" when it was put off)."""
    released = bool(tracker.get_slot("held_reference")) and holds.release_hold(
        common.session_factory(), tracker.get_slot("held_reference"))
    text, intent = _latest(tracker)
    dispatcher.utter_message(response=not_booked_response(text, intent, released))
    return _reset()


def _forget_lookup() -> List[Dict]:
    """The cancel or move is over: the booking found and what started it are forgotten."""
    return [SlotSet(name, None) for name in ("booking_summary", "change_request", "lookup_failed", "time_wish")]


def _keep_cancel(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
    dispatcher.utter_message(response="utter_cancel_kept")
    return _done() + _forget_lookup()


def _keep_reschedule(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
    reference = tracker.get_slot("booking_reference") or ""
    phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker) or ""
    try:
        kept = booking.upcoming(common.session_factory(), reference, phone, now=common.Clock.now())
        dispatcher.utter_message(response="utter_reschedule_kept", reference=kept.reference,
                                 when=describe(kept.starts_at))
    except booking.NotFound:
        dispatcher.utter_message(response="utter_booking_not_found")
    return [SlotSet("booking_reference", None), SlotSet("slot_start", None)] + _done() + _forget_lookup()


class ActionConfirmBooking(Action):
    """Hold the chosen slot for a few minutes and ask for a final yes/no."""

    def name(self) -> Text:
        return "action_confirm_booking"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        # the form was left ("never mind", "let me think about it", "too expensive, cancel it")
        text, intent = _latest(tracker)
        if left_the_booking(text, intent, new_booking=True):
            return _keep_booking(dispatcher, tracker)
        held = _place(dispatcher, tracker, hold=True)
        if held is None:
            return _done() + _after_failure(dispatcher)
        phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker) or ""
        dispatcher.utter_message(response="utter_booking_confirm", when=describe(held.starts_at),
                                 service_name=held.service_name, patient_name=held.patient_name or "",
                                 patient_phone=phone)
        return [SlotSet("held_reference", held.reference), SlotSet("confirming", "book"),
                SlotSet("confirm_asked_again", None), SlotSet("hold_released", None)]


def _book(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
    """Confirm the hold (or book directly), show the reference; on a lost race offer the nearest."""
    if not tracker.get_slot("slot_start") and not tracker.get_slot("held_reference"):
        if not tracker.get_slot("service"):
            # a "yes" after the booking was left or the consent refused (everything reset):
            # nothing to book, and the form does not start again from the service question
            dispatcher.utter_message(response="utter_booking_not_booked_no_hold")
            return _done()
        # a "yes" after the chosen time was lost to someone else (its nearest free times
        # were offered): nothing failed, the form just needs a time again
        return _done() + [FollowupAction("booking_form")]
    booked = None
    if tracker.get_slot("held_reference") and tracker.get_slot("contact_consent") is True:
        try:
            booked = holds.confirm_hold(common.session_factory(), tracker.get_slot("held_reference"),
                                        common.Clock.now())
        except booking.NotFound:  # the hold lapsed and its time was needed: book afresh
            booked = None
    booked = booked or _place(dispatcher, tracker, hold=False)
    if booked is None:
        return _done() + _after_failure(dispatcher)
    dispatcher.utter_message(response="utter_booking_done", reference=booked.reference,
                             when=describe(booked.starts_at), service_name=booked.service_name,
                             patient_name=booked.patient_name or "",
                             patient_phone=tracker.get_slot("patient_phone") or common.channel_phone(tracker) or "")
    return [SlotSet("booking_reference", booked.reference)] + _reset() + _offer_checkins(dispatcher, tracker)


def _offer_checkins(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
    """On WhatsApp, to a patient never asked: "Would you like a check-in after your session?"
    (optional; the booking is made whatever the answer). Nothing on the website."""
    from actions.aftercare_checkins import days_text, language
    from clinic.aftercare.checkins import load_config

    try:
        with common.session_factory()() as session:
            if not checkin_offer.offer_at_booking(session, tracker.sender_id):
                return []
        days = load_config().checkin_days
    except Exception as error:  # noqa: BLE001 - the booking is made; no offer beats a broken turn
        log.warning("booking: check-in offer not made (%s)", type(error).__name__)  # no ids: they are numbers
        return []
    dispatcher.utter_message(response="utter_aftercare_offer_checkins", days=days_text(days, language(tracker)))
    return [SlotSet(CHECKIN_SLOT, True)]


def _answers_offer(tracker: Tracker) -> bool:
    """Whether the latest message is the first one since the offer was made (a "yes" to some
    later question is not an opt-in)."""
    users = 0
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            users += 1
        elif event.get("event") == "slot" and event.get("name") == CHECKIN_SLOT:
            return bool(event.get("value")) and users == 1
    return False


def answer_checkin_offer(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict]]:
    """The reply right after the check-in offer: a yes or no is recorded and answered (events
    returned); anything else returns None and gets its ordinary answer (nothing recorded)."""
    if (not tracker.get_slot(CHECKIN_SLOT) or _previous_action(tracker) not in AFTER_BOOKING
            or not _answers_offer(tracker)):
        return None
    from actions.aftercare_checkins import days_text, language
    from clinic.aftercare.checkins import load_config

    text, intent = _latest(tracker)
    reply = checkin_offer.reading(text, intent)
    if reply is Reply.UNSURE:
        return None
    lang = language(tracker)
    try:
        with common.session_factory().begin() as session:
            recorded = checkin_offer.record_reply(session, tracker.sender_id, reply, lang, common.Clock.now())
        days = load_config().checkin_days
    except Exception as error:  # noqa: BLE001 - the patient hears the usual answer; staff see the log
        log.warning("booking: check-in answer not recorded (%s)", type(error).__name__)
        return None
    if recorded is None:
        return None
    if recorded:
        dispatcher.utter_message(response="utter_aftercare_checkins_on", days=days_text(days, lang))
    else:
        dispatcher.utter_message(response="utter_aftercare_checkins_declined")
    return [SlotSet(CHECKIN_SLOT, None)]


class ActionBookAppointment(Action):
    """The rule for a yes (affirm) at the confirmation: books only when the words agree."""

    def name(self) -> Text:
        return "action_book_appointment"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text, intent = _latest(tracker)
        if _typed(text) and tracker.get_slot("held_reference") and (
                read_reply(text, intent, "book") is not Reply.YES or _says_a_change("book", tracker, text)):
            return answer_confirmation("book", dispatcher, tracker)
        return _book(dispatcher, tracker)


def _cancel(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
    reference = tracker.get_slot("booking_reference")
    phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker)
    try:
        cancelled = booking.cancel(common.session_factory(), reference or "", phone or "", now=common.Clock.now())
    except booking.NotFound:
        dispatcher.utter_message(response="utter_booking_not_found")
        return [SlotSet("booking_reference", None)] + _done()
    dispatcher.utter_message(response="utter_booking_cancelled", reference=cancelled.reference,
                             when=describe(cancelled.starts_at))
    return [SlotSet("booking_reference", None)] + _done() + _forget_lookup()


class ActionCancelAppointment(Action):
    """The rule for a yes (affirm) to "Shall I cancel ...?": cancels only when the words agree."""

    def name(self) -> Text:
        return "action_cancel_appointment"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text, intent = _latest(tracker)
        if _typed(text) and read_reply(text, intent, "cancel") is not Reply.YES:
            return answer_confirmation("cancel", dispatcher, tracker)
        return _cancel(dispatcher, tracker)


class ActionRescheduleAppointment(Action):
    """The reschedule form is filled: read back the move and ask for a yes (nothing moves yet)."""

    def name(self) -> Text:
        return "action_reschedule_appointment"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        reference = tracker.get_slot("booking_reference")
        phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker)
        if left_the_booking(*_latest(tracker)):  # the form was left ("never mind", "not now")
            if reference and phone:
                return _keep_reschedule(dispatcher, tracker)
            dispatcher.utter_message(response="utter_reschedule_stopped")
            return [SlotSet("booking_reference", None), SlotSet("slot_start", None)] + _done() + _forget_lookup()
        start = common.parse_start(tracker.get_slot("slot_start"))
        if not start:
            dispatcher.utter_message(response="utter_booking_failed")
            return [SlotSet("slot_start", None)] + _done()
        try:
            current = booking.upcoming(common.session_factory(), reference or "", phone or "",
                                       now=common.Clock.now())
        except booking.NotFound:
            dispatcher.utter_message(response="utter_booking_not_found")
            return [SlotSet("booking_reference", None), SlotSet("slot_start", None)] + _done()
        dispatcher.utter_message(response="utter_confirm_reschedule", reference=current.reference,
                                 old_when=describe(current.starts_at), when=describe(start))
        return [SlotSet("confirming", "reschedule"), SlotSet("confirm_asked_again", None)]


def _move(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
    reference = tracker.get_slot("booking_reference")
    phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker)
    start = common.parse_start(tracker.get_slot("slot_start"))
    if not start:
        dispatcher.utter_message(response="utter_booking_failed")
        return [SlotSet("slot_start", None)] + _done()
    try:
        moved = booking.reschedule(common.session_factory(), reference or "", phone or "", start,
                                   now=common.Clock.now())
    except booking.NotFound:
        dispatcher.utter_message(response="utter_booking_not_found")
        return [SlotSet("booking_reference", None), SlotSet("slot_start", None)] + _done()
    except booking.SlotTaken as taken:
        _offer(dispatcher, "utter_booking_slot_taken", taken.alternatives)
        return [SlotSet("slot_start", None)] + _done()
    except booking.BookingError as error:
        _offer(dispatcher, "utter_booking_slot_unavailable", error.alternatives)
        return [SlotSet("slot_start", None)] + _done()
    dispatcher.utter_message(response="utter_booking_rescheduled", reference=moved.reference,
                             when=describe(moved.starts_at))
    return [SlotSet("booking_reference", None), SlotSet("slot_start", None)] + _done() + _forget_lookup()


DO = {"book": _book, "cancel": _cancel, "reschedule": _move}
KEEP = {"book": _keep_booking, "cancel": _keep_cancel, "reschedule": _keep_reschedule}


class ActionDetailsWithoutQuestion(Action):
    """Details given when nothing was asked. "salam, ismi Maryam Al Falasi, ra8mi 0561239876, abi
    esteshara bukra" (read as ``inform``) asks to book: the booking form starts and takes the name,
    number, service and day from the same message. Anything else gets "I haven't asked for any
    details yet"."""

    def name(self) -> Text:
        return "action_details_without_question"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if request.is_booking_request(common.latest_text(tracker), common.Clock.now()):
            return [FollowupAction("booking_form")]
        dispatcher.utter_message(response="utter_inform_no_context")
        return []


class ActionConfirmReply(Action):
    """Any reply to a pending "Shall I book / cancel / move it?" that the affirm/deny rules
    did not take ("yes cancel it", "go ahead", "not now", "thanks", a FAQ question): read
    in words by :mod:`clinic.booking.replies`, so no reply is silently dropped."""

    def name(self) -> Text:
        return "action_confirm_reply"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        kind = pending_confirmation(tracker)
        if kind:
            return answer_confirmation(kind, dispatcher, tracker)
        answered = answer_checkin_offer(dispatcher, tracker)  # "yes please" to the check-in offer
        if answered is not None:
            return answered
        return self._no_question(dispatcher, tracker)

    @staticmethod
    def _no_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict]:
        """The question was left behind (a person was asked for, a warning sign...): the
        hold it kept is freed, and the message gets its ordinary answer."""
        resumed = resume_after_consent(tracker)  # "ok fine u can keep my number, book it"
        if resumed is not None:
            return resumed
        events = _done()
        if tracker.get_slot("held_reference"):
            holds.release_hold(common.session_factory(), tracker.get_slot("held_reference"))
            events = _reset()
        _, intent = _latest(tracker)
        if intent in FOLLOWUPS:
            return events + [FollowupAction(FOLLOWUPS[intent])]
        if intent == "faq" and faq_answer(dispatcher, tracker):
            return events
        dispatcher.utter_message(response=PLAIN_ANSWERS.get(intent or "", "utter_anything_else"))
        return events
