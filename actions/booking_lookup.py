"""Finding the booking a patient wants to cancel or move without its reference (issue 14).

Thin: :mod:`clinic.booking.existing` decides (which booking, several to choose from,
none on that number); this module reads the tracker and turns the answers into
responses. ``action_ask_booking_reference`` is the forms' question for the booking:
its reference *or* the mobile number it was made with; with several upcoming bookings on
the number they are offered as buttons (day, time and service only).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import booking_common as common
from clinic.booking import existing

# the slots a cancel or move keeps while it finds the booking (cleared when it ends)
LOOKUP_SLOTS = ("booking_summary", "change_request", "lookup_failed")
# (utter_ask_<form>_patient_phone: the forms' own question for the number the booking was made with)
RESPONSES_USED = frozenset({
    "utter_ask_booking_reference", "utter_booking_choose", "utter_booking_lookup_retry",
    "utter_ask_cancel_form_patient_phone", "utter_ask_reschedule_form_patient_phone",
    "utter_booking_reference_needed",
})
RUNTIME_VALUES = frozenset({"booking_summary"})
KIND_OF_FORM = {"cancel_form": "cancel", "reschedule_form": "reschedule"}


REFERENCE_ONLY = "reference_only"  # lookup_failed: on the public website the reference is needed


def phone_of(tracker: Tracker, slots: Optional[Dict[str, Any]] = None) -> Optional[str]:
    """The number the bookings may be looked up by without their reference: typed (slot)
    where a typed number may do that (not on the public website channels:
    :func:`clinic.booking.existing.typed_number_finds_bookings`), or the WhatsApp/Twilio
    sender's."""
    typed = (slots or {}).get("patient_phone", tracker.get_slot("patient_phone"))
    if typed and existing.typed_number_finds_bookings(tracker.sender_id):
        return typed
    return common.channel_phone(tracker)


def reference_needed(tracker: Tracker) -> bool:
    """On the public website with no number vouched for: only the reference finds a booking."""
    return not existing.typed_number_finds_bookings(tracker.sender_id) and not common.channel_phone(tracker)


def change_of(tracker: Tracker, kind: str, text: Optional[str] = None) -> existing.ChangeRequest:
    """What the message that started the cancel or move said (slot ``change_request``)."""
    said = text if text is not None else tracker.get_slot("change_request")
    return existing.read_change(said or "", common.Clock.now(), kind)


def look_up(phone: Optional[str], change: existing.ChangeRequest,
            reference: Optional[str] = None) -> existing.Lookup:
    with common.session_factory()() as session:
        return existing.find_booking(session, phone=phone, now=common.Clock.now(), reference=reference,
                                     booked=change.booked, service=change.service)


class ActionAskBookingReference(Action):
    """The cancel and reschedule forms' question for the booking: the choice among the
    patient's bookings, the re-ask after a failed look-up, or "reference or number?"."""

    def name(self) -> Text:
        return "action_ask_booking_reference"

    @common.answer_failures()
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if reference_needed(tracker):
            dispatcher.utter_message(response="utter_booking_reference_needed")
            return []
        if tracker.get_slot("lookup_failed"):
            dispatcher.utter_message(response="utter_booking_lookup_retry")
            return []
        phone = phone_of(tracker)
        if phone:
            kind = KIND_OF_FORM.get((tracker.active_loop or {}).get("name") or "", "cancel")
            found = look_up(phone, change_of(tracker, kind))
            if found.kind == "several":
                dispatcher.utter_message(response="utter_booking_choose",
                                         buttons=[b.button() for b in found.bookings])
                return []
        dispatcher.utter_message(response="utter_ask_booking_reference")
        return []
