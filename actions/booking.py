"""Booking actions: thin wrappers that call :mod:`clinic.booking.service`.

Every message is a response name (texts live in domain.yml); values such as the time
or the reference are passed as template values: ``{when}``, ``{reference}``,
``{service_name}``, ``{reason}``.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import booking_common as common
from clinic.booking import holds
from clinic.booking import service as booking
from clinic.booking.dates import DateQuery, describe, describe_window, resolve
from clinic.booking.slots import closure_reason
from clinic.booking.store import AppointmentView

log = logging.getLogger(__name__)
DEFAULT_SERVICE = "consultation"
RESET_FORM = ["service", "slot_start", "contact_consent", "held_reference"]
# Every response the booking actions and form validation send (all must be in domain.yml).
RESPONSES_USED = frozenset({
    "utter_ask_slot_start", "utter_ask_slot_start_again", "utter_booking_slots", "utter_booking_slot_free",
    "utter_booking_time_taken", "utter_booking_outside_hours", "utter_booking_closed_day", "utter_booking_holiday",
    "utter_booking_nothing_free", "utter_booking_no_slots_soon", "utter_booking_date_past",
    "utter_booking_date_invalid", "utter_booking_date_unknown", "utter_booking_confirm", "utter_booking_done",
    "utter_booking_needs_consent", "utter_booking_slot_taken", "utter_booking_slot_unavailable",
    "utter_booking_failed", "utter_booking_not_found", "utter_booking_cancelled", "utter_booking_rescheduled",
    "utter_booking_service_invalid", "utter_booking_name_invalid", "utter_booking_phone_invalid",
    "utter_booking_consent_unclear", "utter_booking_reference_invalid", "utter_booking_unavailable",
})

# Template values the booking actions pass with their responses (besides clinic facts).
RUNTIME_VALUES = frozenset({"when", "reference", "service_name", "patient_name", "reason"})


def _offer(dispatcher: CollectingDispatcher, response: str, slots, **values: Any) -> None:
    """Utter ``response`` with slot buttons, or the 'call us' answer when there are none."""
    if slots:
        dispatcher.utter_message(response=response, buttons=common.slot_buttons(slots), **values)
    else:
        dispatcher.utter_message(response="utter_booking_no_slots_soon")


def _same_hours_later(session, service_key: str, query: DateQuery, now, days: int = 14) -> list:
    """Free slots at the same time of day ("evening") on the days after a closed one."""
    if query.end - query.start >= timedelta(days=1):
        return []
    found: list = []
    for day in range(1, days + 1):
        shift = timedelta(days=day)
        found += booking.find_slots(session, service_key, (query.start + shift, query.end + shift), now,
                                    limit=common.MAX_BUTTONS - len(found))
        if len(found) >= common.MAX_BUTTONS:
            break
    return found


def check_availability(dispatcher: CollectingDispatcher, text: str, service_key: str, entities=()) -> None:
    """Answer a date/time question with up to 5 free slots or an explanation plus alternatives."""
    now = common.Clock.now()
    factory = common.session_factory()
    with factory() as session:
        rules = booking.current_rules(session)
        query: DateQuery = resolve(text, now, rules.opening, entities)
        if query.status in ("unknown", "invalid"):
            dispatcher.utter_message(response=f"utter_booking_date_{query.status}")
            return
        if query.status == "past":
            _offer(dispatcher, "utter_booking_date_past", booking.find_slots(session, service_key, now=now))
            return
        day = query.start.date()
        reason = closure_reason(rules, day) if query.end - query.start <= timedelta(days=1) else None
        if reason:
            later = _same_hours_later(session, service_key, query, now) or booking.find_slots(
                session, service_key, (query.start, query.start + timedelta(days=30)), now)
            response = "utter_booking_closed_day" if reason == "closed" else "utter_booking_holiday"
            _offer(dispatcher, response, later, when=describe(query.start).split(" at ")[0], reason=reason)
            return
        if query.exact:
            exact = booking.find_slots(session, service_key, (query.start, query.end), now, limit=1)
            nearby = booking.alternatives(session, service_key, query.start, now, limit=5)
            if exact:
                _offer(dispatcher, "utter_booking_slot_free", [exact[0]] + [s for s in nearby if s.start != exact[0].start][:4],
                       when=describe(exact[0].start))
                return
            opening = rules.opening.get(day.weekday())
            outside = not opening or not (opening[0] <= query.start.timetz().replace(tzinfo=None) < opening[1])
            response = "utter_booking_outside_hours" if outside else "utter_booking_time_taken"
            _offer(dispatcher, response, nearby, when=describe(query.start))
            return
        slots = booking.find_slots(session, service_key, (query.start, query.end), now, limit=5)
        if slots:
            dispatcher.utter_message(response="utter_booking_slots", buttons=common.slot_buttons(slots))
            return
        nearby = booking.alternatives(session, service_key, query.start, now, limit=5)
        if _outside_opening(rules, query):  # "Friday morning": the clinic opens at 14:00 on Fridays
            _offer(dispatcher, "utter_booking_outside_hours", nearby, when=describe_window(query.start, query.end))
            return
        _offer(dispatcher, "utter_booking_nothing_free", nearby)


def _outside_opening(rules, query: DateQuery) -> bool:
    """True when a window within one day misses that day's opening hours entirely."""
    if query.end - query.start > timedelta(days=1) or query.start.date() != (query.end - timedelta(seconds=1)).date():
        return False
    opening = rules.opening.get(query.start.weekday())
    if not opening:
        return False  # a closed weekday was answered above
    start, end = query.start.time(), (query.end - timedelta(seconds=1)).time()
    return end < opening[0] or start >= opening[1]


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
    """The form's question for ``slot_start``: the earliest free slots as buttons.

    For ``reschedule_form`` the slots are those of the booked service. When this turn
    already showed slot buttons (the patient typed a time and got alternatives), only
    the short question is asked.
    """

    def name(self) -> Text:
        return "action_ask_slot_start"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if common.buttons_shown_this_turn(tracker):
            dispatcher.utter_message(response="utter_ask_slot_start_again")
            return []
        with common.session_factory()() as session:
            key = None
            if (tracker.active_loop or {}).get("name") == "reschedule_form":
                key = booking.service_of(session, tracker.get_slot("booking_reference") or "")
            key = key or common.service_key(tracker.get_slot("service")) or DEFAULT_SERVICE
            slots = booking.find_slots(session, key, now=common.Clock.now(), limit=common.MAX_BUTTONS)
        _offer(dispatcher, "utter_ask_slot_start", slots)
        return []


class ActionResetBooking(Action):
    """Forget the booking being prepared and free its hold (the patient said no)."""

    def name(self) -> Text:
        return "action_reset_booking"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if tracker.get_slot("held_reference"):
            holds.release_hold(common.session_factory(), tracker.get_slot("held_reference"))
        return _reset()


def _reset() -> List[Dict]:
    return [SlotSet(s, None) for s in RESET_FORM]


def _place(dispatcher: CollectingDispatcher, tracker: Tracker, hold: bool) -> Optional[AppointmentView]:
    """Hold (``hold``) or book the form's slot; on failure utter why and return None."""
    start = common.parse_start(tracker.get_slot("slot_start"))
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


class ActionConfirmBooking(Action):
    """Hold the chosen slot for a few minutes and ask for a final yes/no."""

    def name(self) -> Text:
        return "action_confirm_booking"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        held = _place(dispatcher, tracker, hold=True)
        if held is None:
            return _after_failure(dispatcher)
        dispatcher.utter_message(response="utter_booking_confirm", when=describe(held.starts_at),
                                 service_name=held.service_name, patient_name=held.patient_name or "")
        return [SlotSet("held_reference", held.reference)]


class ActionBookAppointment(Action):
    """Confirm the hold (or book directly), show the reference; on a lost race offer the nearest."""

    def name(self) -> Text:
        return "action_book_appointment"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if not tracker.get_slot("slot_start") and not tracker.get_slot("held_reference"):
            # a "yes" after the chosen time was lost to someone else (its nearest free times
            # were offered): nothing failed, the form just needs a time again
            return [FollowupAction("booking_form")]
        booked = None
        if tracker.get_slot("held_reference") and tracker.get_slot("contact_consent") is True:
            try:
                booked = holds.confirm_hold(common.session_factory(), tracker.get_slot("held_reference"),
                                            common.Clock.now())
            except booking.NotFound:  # the hold lapsed and its time was needed: book afresh
                booked = None
        booked = booked or _place(dispatcher, tracker, hold=False)
        if booked is None:
            return _after_failure(dispatcher)
        dispatcher.utter_message(response="utter_booking_done", reference=booked.reference,
                                 when=describe(booked.starts_at), service_name=booked.service_name)
        return [SlotSet("booking_reference", booked.reference)] + _reset()


class ActionCancelAppointment(Action):
    def name(self) -> Text:
        return "action_cancel_appointment"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        reference = tracker.get_slot("booking_reference")
        phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker)
        try:
            cancelled = booking.cancel(common.session_factory(), reference or "", phone or "", now=common.Clock.now())
        except booking.NotFound:
            dispatcher.utter_message(response="utter_booking_not_found")
            return [SlotSet("booking_reference", None)]
        dispatcher.utter_message(response="utter_booking_cancelled", reference=cancelled.reference,
                                 when=describe(cancelled.starts_at))
        return [SlotSet("booking_reference", None)]


class ActionRescheduleAppointment(Action):
    def name(self) -> Text:
        return "action_reschedule_appointment"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        reference = tracker.get_slot("booking_reference")
        phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker)
        start = common.parse_start(tracker.get_slot("slot_start"))
        if not start:
            dispatcher.utter_message(response="utter_booking_failed")
            return [SlotSet("slot_start", None)]
        try:
            moved = booking.reschedule(common.session_factory(), reference or "", phone or "", start,
                                       now=common.Clock.now())
        except booking.NotFound:
            dispatcher.utter_message(response="utter_booking_not_found")
            return [SlotSet("booking_reference", None), SlotSet("slot_start", None)]
        except booking.SlotTaken as taken:
            _offer(dispatcher, "utter_booking_slot_taken", taken.alternatives)
            return [SlotSet("slot_start", None)]
        except booking.BookingError as error:
            _offer(dispatcher, "utter_booking_slot_unavailable", error.alternatives)
            return [SlotSet("slot_start", None)]
        dispatcher.utter_message(response="utter_booking_rescheduled", reference=moved.reference,
                                 when=describe(moved.starts_at))
        return [SlotSet("booking_reference", None), SlotSet("slot_start", None)]
