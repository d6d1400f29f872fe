"""Validation of the booking forms (rasa-sdk FormValidationAction).

``validate_booking_form``: service, slot_start, patient_name, patient_phone,
contact_consent. ``validate_cancel_form``: booking_reference, patient_phone.
``validate_reschedule_form``: booking_reference, patient_phone, slot_start.
On WhatsApp/Twilio the phone number comes from the channel's metadata and is not asked.
A rejected value is re-asked (slot set to None) and nothing is stored.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy.exc import SQLAlchemyError
from rasa_sdk.executor import CollectingDispatcher

from actions import booking_common as common
from actions.booking import check_availability
from clinic.booking import service as booking
from clinic.booking.dates import describe, resolve
from clinic.booking.phone import normalise_name
from clinic.booking.references import normalise_reference
from clinic.booking.request import BookingRequest, find_phone, read_request
from clinic.booking.replies import changes_the_time, wants_to_stop
from clinic.privacy.consent import record_consent

log = logging.getLogger(__name__)

Result = Dict[Text, Any]
# intents whose rules must win over reading the message as a name
NOT_A_NAME_INTENTS = {"urgent_symptom", "human_handoff", "frustrated", "request_erasure",
                      "cancel_appointment", "reschedule_appointment", "check_availability"}
QUESTION_WORDS = {"what", "how", "when", "where", "why", "who", "which", "is", "are", "do", "does",
                  "can", "could", "will", "should", "would", "am", "may"}


def looks_like_question(text: str) -> bool:
    """"how much is it", "is it safe?": questions, not names."""
    words = text.lower().split()
    return "?" in text or (bool(words) and words[0] in QUESTION_WORDS)


def is_time_change(tracker: Tracker, value: Any) -> bool:
    """The value is the latest message and that message changes the time, not a detail."""
    text = common.latest_text(tracker)[:200]
    return (isinstance(value, str) and value.strip() == text.strip() and changes_the_time(text)
            and resolve(text, common.Clock.now()).status != "unknown")


def opening_request(tracker: Tracker) -> Optional[BookingRequest]:
    """What the message that started the form already says (service, day and time, name,
    number), or None once the form has asked its first question."""
    if tracker.get_slot("requested_slot"):
        return None
    text = common.latest_text(tracker)
    if text.startswith("/"):  # "Book a consultation" tapped under "Did you mean...?"
        text = _words_before_did_you_mean(tracker)
    if not text or text.startswith("/") or wants_to_stop(text):
        return None
    return read_request(text, common.Clock.now())


def _words_before_did_you_mean(tracker: Tracker) -> str:
    """"consultation tmrw 5pm" not understood -> "Did you mean...?" -> "Book a consultation"
    tapped: the words typed before the tap are what the patient asked for."""
    users = 0
    offered = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                text = event.get("text") or ""
                return text if offered and isinstance(text, str) else ""
        elif users == 1 and event.get("event") == "action" and event.get("name") not in (None, "action_listen"):
            offered = offered or event.get("name") == "action_did_you_mean"
            if not offered:
                return ""
    return ""


class _PhoneAndSlot:
    """Slot extraction and validation shared by the three forms.

    The message that starts a form is read whole (:func:`opening_request`): the number in
    it fills ``patient_phone`` and its day and time are kept in ``time_wish`` until the form
    asks for the time (action_ask_slot_start offers that day and time, not the earliest)."""

    keeps_time_wish = True

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict):
        events = await super().run(dispatcher, tracker, domain)
        wish = opening_request(tracker) if self.keeps_time_wish else None
        answered = any(m.get("buttons") for m in dispatcher.messages)  # times already offered this turn
        if wish and wish.has_time and not answered and not tracker.get_slot("slot_start") and not any(
                e.get("name") == "slot_start" and e.get("value") for e in events if isinstance(e, dict)):
            events.append(SlotSet("time_wish", wish.when_text))
        return events

    async def extract_patient_phone(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict) -> Result:
        phone = common.channel_phone(tracker)
        if phone and not tracker.get_slot("patient_phone"):
            return {"patient_phone": phone}
        wish = opening_request(tracker)
        if wish and wish.phone and not tracker.get_slot("patient_phone"):
            return {"patient_phone": wish.phone}
        return {}

    def validate_patient_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict) -> Result:
        if is_time_change(tracker, value):
            return {"patient_phone": None}  # asked again once the new time is chosen
        # "050 123 4567" or "my no. is 0501234567" (one number in the message)
        phone = find_phone(value) if isinstance(value, str) else None
        if not phone:
            dispatcher.utter_message(response="utter_booking_phone_invalid")
        return {"patient_phone": phone}

    def service_for(self, tracker: Tracker) -> str:
        """The service whose free slots a time is checked against."""
        return common.service_key(tracker.get_slot("service")) or "consultation"

    async def extract_slot_start(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: Dict) -> Result:
        """A time typed while the form asks for one ("tomorrow at 5"), or a change of time
        later in the form ("can we make it saturday instead?"), is kept for validation.

        Text that names no date or time at all (a FAQ question asked mid-form) is left
        alone, so the form simply asks again after the answer.
        """
        text = common.latest_text(tracker)[:200]
        if not text or text.startswith("/") or resolve(text, common.Clock.now()).status == "unknown":
            return {}
        if opening_request(tracker) and not changes_the_time(text):
            return {}  # the opening message: kept in time_wish until the time is asked (see run)
        asked = tracker.get_slot("requested_slot") == "slot_start" and not tracker.get_slot("slot_start")
        # "wait sorry, can we make it saturday morning instead?" later in the form: the new
        # time replaces the chosen one (checked and offered as buttons by validate_slot_start)
        if asked or changes_the_time(text):
            return {"slot_start": text}
        return {}

    @common.answer_failures({"slot_start": None})
    def validate_slot_start(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: Dict) -> Result:
        """Accept a free slot (button payload or typed time); otherwise show what is free."""
        key = self.service_for(tracker)
        start = common.parse_start(value)
        if start is None:
            check_availability(dispatcher, value if isinstance(value, str) else "", key)
            return {"slot_start": None}
        now = common.Clock.now()
        with common.session_factory()() as session:
            free = booking.find_slots(session, key, (start, start + timedelta(seconds=1)), now, limit=1)
            if free and free[0].start == start:
                return {"slot_start": start.isoformat()}
            nearby = booking.alternatives(session, key, start, now, limit=5)
        if nearby:
            dispatcher.utter_message(response="utter_booking_time_taken", when=describe(start),
                                     buttons=common.slot_buttons(nearby))
        else:
            dispatcher.utter_message(response="utter_booking_no_slots_soon")
        return {"slot_start": None}


class _LeaveOnStop:
    """"stop", "never mind", "start again" end the form at once (requested_slot None ends a
    form in Rasa); the action that follows a filled form (action_confirm_booking,
    action_reschedule_appointment) sees the same message and says nothing was booked or
    changed. The consent question keeps its own yes/no. ``after_stop``: a response said
    instead of the form's usual next step (the cancel form would ask "Shall I cancel ...?")."""

    after_stop: Optional[str] = None

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict):
        requested = tracker.get_slot("requested_slot")
        if requested and requested != "contact_consent" and wants_to_stop(common.latest_text(tracker)):
            # the message is not the detail asked for ("never mind" is no name); clearing that
            # slot also keeps Rasa from rejecting the form for an unfilled slot
            events = [SlotSet(requested, None), SlotSet("requested_slot", None)]
            if self.after_stop:
                events += [SlotSet("booking_reference", None), FollowupAction(self.after_stop)]
            return events
        return await super().run(dispatcher, tracker, domain)


class ValidateBookingForm(_LeaveOnStop, _PhoneAndSlot, FormValidationAction):
    def name(self) -> Text:
        return "validate_booking_form"

    async def extract_service(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict) -> Result:
        """"I'd like to book a consultation": the service named in the opening message."""
        wish = opening_request(tracker)
        if wish and wish.service and not tracker.get_slot("service"):
            return {"service": wish.service}
        return {}

    def validate_service(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: Dict) -> Result:
        key = common.service_key(value)
        if not key:
            dispatcher.utter_message(response="utter_booking_service_invalid")
        return {"service": key}

    async def extract_patient_name(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: Dict) -> Result:
        """A name typed when the form asks for it is taken whatever intent the classifier
        guessed for it (names such as "Amal Haddad" look like nothing it was trained on),
        unless the message is clearly a question or a request that other rules answer."""
        if tracker.get_slot("patient_name"):
            return {}
        wish = opening_request(tracker)
        if wish:  # "book a consultation for Priya Nair 050 987 6543"
            return {"patient_name": wish.name} if wish.name else {}
        if tracker.get_slot("requested_slot") != "patient_name":
            return {}
        text = common.latest_text(tracker).strip()
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if (not text or text.startswith("/") or looks_like_question(text)
                or intent in NOT_A_NAME_INTENTS or normalise_name(text) is None):
            return {}
        return {"patient_name": text}

    def validate_patient_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict) -> Result:
        if is_time_change(tracker, value):
            return {"patient_name": None}
        name = normalise_name(value if isinstance(value, str) else None)
        if not name and isinstance(value, str):
            # "Priya Nair 050 987 6543": the name, and the number too when it is still missing
            said = read_request(value, common.Clock.now())
            if said.name:
                extra = {"patient_phone": said.phone} if said.phone and not tracker.get_slot("patient_phone") else {}
                return {"patient_name": said.name, **extra}
        if not name:
            dispatcher.utter_message(response="utter_booking_name_invalid")
        return {"patient_name": name}

    def validate_contact_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: Dict) -> Result:
        if value is True:
            # the consent is recorded (with the notice version) before any contact detail is stored
            try:
                with common.session_factory().begin() as session:
                    record_consent(session, tracker.sender_id, channel=common.channel_name(tracker))
            except SQLAlchemyError:
                log.warning("booking: consent could not be recorded (database unavailable)")
                dispatcher.utter_message(response="utter_booking_unavailable")
                return {"contact_consent": None}
            return {"contact_consent": True}
        if value is False:
            return {"contact_consent": False}
        dispatcher.utter_message(response="utter_booking_consent_unclear")
        return {"contact_consent": None}


class ValidateCancelForm(_LeaveOnStop, _PhoneAndSlot, FormValidationAction):
    """"stop" / "never mind" leaves the form with "nothing was cancelled"."""

    after_stop = "utter_cancel_stopped"
    keeps_time_wish = False

    def name(self) -> Text:
        return "validate_cancel_form"

    async def extract_booking_reference(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: Dict) -> Result:
        """A reference anywhere in a message ("cancel NS-7K3W please") fills the slot."""
        found = normalise_reference(common.latest_text(tracker))
        return {"booking_reference": found} if found and not tracker.get_slot("booking_reference") else {}

    def validate_booking_reference(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: Dict) -> Result:
        reference = normalise_reference(value if isinstance(value, str) else None)
        if not reference:
            dispatcher.utter_message(response="utter_booking_reference_invalid")
        return {"booking_reference": reference}


class ValidateRescheduleForm(ValidateCancelForm):
    """Reference and phone first, then the new time (for the booked service); a stop is
    answered by action_reschedule_appointment, which can say the booked time."""

    after_stop = None
    keeps_time_wish = True

    def name(self) -> Text:
        return "validate_reschedule_form"

    def service_for(self, tracker: Tracker) -> str:
        with common.session_factory()() as session:
            key = booking.service_of(session, tracker.get_slot("booking_reference") or "")
        return key or super().service_for(tracker)
