"""Validation of the booking forms (rasa-sdk FormValidationAction).

``validate_booking_form``: service, slot_start, patient_name, patient_phone,
contact_consent. ``validate_cancel_form``: booking_reference, patient_phone.
``validate_reschedule_form``: booking_reference, patient_phone, slot_start.
On WhatsApp/Twilio the phone number comes from the channel's metadata and is not asked.
A rejected value is re-asked (slot set to None) and nothing is stored.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy.exc import SQLAlchemyError
from rasa_sdk.executor import CollectingDispatcher

from actions import booking_common as common
from actions import booking_lookup as lookup
from actions.booking import asks_a_question, faq_answer, say_offer
from clinic.booking import choice, corrections, existing, offer, request
from clinic.booking import service as booking
from clinic.booking.dates import describe
from clinic.booking.errors import BookingError
from clinic.booking.phone import normalise_name
from clinic.booking.deferral import Leaving, leaving_form
from clinic.booking.references import normalise_reference
from clinic.booking.request import BookingRequest, read_request
from clinic.booking.replies import Reply, acknowledges, changes_the_time, read_reply, wants_to_stop
from clinic.booking.store import DUBAI
from clinic.nlu.parts import booking_request
from clinic.privacy.consent import record_consent

if TYPE_CHECKING:  # the mixins below are only ever used with FormValidationAction (their super())
    from rasa_sdk import FormValidationAction as _Form
else:
    _Form = object

log = logging.getLogger(__name__)
# PhoneAnswer.problem -> the re-ask that explains it
PHONE_PROBLEMS = {"invalid": "utter_booking_phone_invalid", "two": "utter_booking_phone_two",
                  "foreign": "utter_booking_phone_foreign"}

Result = Dict[Text, Any]
# intents whose rules must win over reading the message as a name
NOT_A_NAME_INTENTS = {"urgent_symptom", "human_handoff", "frustrated", "request_erasure",
                      "cancel_appointment", "reschedule_appointment", "check_availability", "defer"}
# what extract_contact_consent leaves to the rules (and markers it hands to validation)
CONSENT_LEFT_TO_RULES = NOT_A_NAME_INTENTS | {"faq", "out_of_scope", "aftercare_stop", "bot_challenge"}
CONSENT_QUESTION, CONSENT_UNCLEAR = "question", "unclear"
QUESTION_WORDS = {"what", "how", "when", "where", "why", "who", "which", "is", "are", "do", "does",
                  "can", "could", "will", "should", "would", "am", "may"}


def looks_like_question(text: str) -> bool:
    """"how much is it", "is it safe?": questions, not names."""
    words = text.lower().split()
    return "?" in text or (bool(words) and words[0] in QUESTION_WORDS)


def is_time_change(tracker: Tracker, value: Any) -> bool:
    """The value is the latest message and that message changes the time, not a detail."""
    text = common.latest_text(tracker)[:200]
    return (isinstance(value, str) and value.strip() == text.strip()
            and (request.about_the_time(text, common.Clock.now()) or later_pick(tracker) is not None))


def later_pick(tracker: Tracker) -> Optional[datetime]:
    """"actually make it the 2nd one" once a time was chosen, while the name or number is asked:
    that one of the times offered earlier (:func:`clinic.booking.choice.later_pick`), else None."""
    if (tracker.get_slot("requested_slot") not in ("patient_name", "patient_phone")
            or not tracker.get_slot("slot_start")):
        return None
    text = common.latest_text(tracker)
    return choice.later_pick(text, common.offered_earlier(tracker)) if text and not text.startswith("/") else None


def opening_request(tracker: Tracker) -> Optional[BookingRequest]:
    """What the message that started the form already says (service, day and time, name,
    number), or None once the form has asked its first question."""
    if tracker.get_slot("requested_slot"):
        return None
    text = common.latest_text(tracker)
    if text.startswith("/"):  # "Book a consultation" tapped under "Did you mean...?"
        text = words_before(tracker, "action_did_you_mean")
    if not text or text.startswith("/") or wants_to_stop(text):
        return None
    # "how much is a session? and i want a consultation tuesday": the booking part's service and day
    return booking_request(text, common.Clock.now())


def words_before(tracker: Tracker, answered_by: str) -> str:
    """The message before this one when the bot's last action on it was ``answered_by``, else "".

    "consultation tmrw 5pm" not understood -> "Did you mean...?" -> "Book a consultation"
    tapped (``action_did_you_mean``): the words typed before the tap are what the patient
    asked for; "3ndkom maw3ed bukra?" -> the free times (``action_check_availability``) ->
    "esteshara": the day asked about is the day to book."""
    users = 0
    answered = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                text = event.get("text") or ""
                return text if answered and isinstance(text, str) else ""
        elif users == 1 and event.get("event") == "action" and event.get("name") not in (None, "action_listen"):
            answered = answered or event.get("name") == answered_by
            if not answered:
                return ""
    return ""


# the actions that answered details given when nothing was asked: the rule's action, and the
# response it replaced there (utter_inform_no_context), in conversations recorded before
DETAILS_UNASKED = frozenset({"action_details_without_question", "utter_inform_no_context"})


def number_given_before(tracker: Tracker, uae_only: bool = False) -> Optional[str]:
    """The mobile number a patient sent before anything was asked ("0521234567" as the first
    message, answered "I haven't asked for any details yet"), for the booking that follows:
    the last such message that gives one number, else None. The confirmation reads it back."""
    found: Optional[str] = None
    text: Optional[str] = None
    for event in tracker.events or []:
        if event.get("event") == "user":
            text = event.get("text") if isinstance(event.get("text"), str) else None
        elif event.get("event") == "action" and event.get("name") in DETAILS_UNASKED and text:
            said = request.read_phone(text, uae_only) if request.find_phones(text) else None
            found = said.phone if said and said.phone else found
            text = None
    return found


def day_asked_before(tracker: Tracker) -> Optional[BookingRequest]:
    """The day and time of the availability question this booking follows ("any slot
    tomorrow?" answered with the free times, then "consultation"), or None."""
    asked = words_before(tracker, "action_check_availability")
    if not asked or asked.startswith("/") or wants_to_stop(asked):
        return None
    said = read_request(asked, common.Clock.now())
    return said if said.has_time else None


def previous_user_text(tracker: Tracker) -> str:
    """The patient's message before the latest one ("" when there is none or it was a button)."""
    texts = [e.get("text") or "" for e in tracker.events or [] if e.get("event") == "user"]
    previous = texts[-2] if len(texts) > 1 else ""
    return previous if isinstance(previous, str) and not previous.startswith("/") else ""


def earlier_time(tracker: Tracker) -> Optional[str]:
    """The day and time said or chosen before this message in the current booking: the wish
    kept (``time_wish``) or the last time chosen (``slot_start``, cleared by a change at the
    confirmation); None once a booking was made (its reference set) or when none was said."""
    wish = tracker.get_slot("time_wish")
    if isinstance(wish, str) and wish:
        return wish
    for event in reversed(tracker.events or []):
        if event.get("event") != "slot":
            continue
        if event.get("name") == "booking_reference" and event.get("value"):
            return None
        if event.get("name") == "slot_start" and common.parse_start(event.get("value")):
            return str(event.get("value"))
    return None


class _PhoneAndSlot(_Form):
    """Slot extraction and validation shared by the three forms.

    The message that starts a form is read whole (:func:`opening_request`): the number in
    it fills ``patient_phone`` and its day and time are kept in ``time_wish`` until the form
    asks for the time (action_ask_slot_start offers that day and time, not the earliest)."""

    keeps_time_wish = True
    # the exact time of the opening message is taken at once when it is free ("consultation
    # tomorrow 5pm"); the reschedule form does not know the booked service yet at that point
    takes_exact_opening_time = False
    # only UAE mobile numbers are taken for a new booking (foreign ones are asked again)
    uae_only = False
    # a bare yes to several offered times: "Shall I book <the first>?" ("move" when moving)
    take_first_response = "utter_booking_take_first"
    # a number sent before anything was asked is taken for the booking that follows (a new booking only)
    number_given_first = False

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict):
        events = await super().run(dispatcher, tracker, domain)
        wish = opening_request(tracker) if self.keeps_time_wish else None
        if wish and not wish.has_time:  # "esteshara" after the free times for "bukra?": that day
            wish = day_asked_before(tracker) or wish
        answered = any(m.get("buttons") for m in dispatcher.messages)  # times already offered this turn
        if wish and wish.has_time and not answered and not tracker.get_slot("slot_start") and not any(
                e.get("name") == "slot_start" and e.get("value") for e in events if isinstance(e, dict)):
            exact = self._free_exact_time(tracker, events, wish) if self.takes_exact_opening_time else None
            start = common.parse_start(exact) if exact else None  # exact: an ISO time this form chose
            if start is not None:  # said before the next question ("What name should I make the booking under?")
                dispatcher.utter_message(response="utter_booking_time_noted", when=describe(start))
            events.append(SlotSet("slot_start", exact) if exact else SlotSet("time_wish", wish.when_text))
        return events

    def _free_exact_time(self, tracker: Tracker, events, wish: BookingRequest) -> Optional[str]:
        """The exact time the opening message asks for, when it is free (local ISO), else None."""
        if not (wish.when and wish.when.exact):
            return None
        said = [e.get("value") for e in events if isinstance(e, dict) and e.get("name") == "service"]
        key = common.service_key(said[-1] if said and said[-1] else None) or self.service_for(tracker)
        try:
            with common.session_factory()() as session:
                found = offer.find_offer(session, key, wish.when_text or "", common.Clock.now())
        except (SQLAlchemyError, BookingError) as error:  # the time is then offered when asked, as before
            log.warning("booking: opening time not checked (%s)", type(error).__name__)
            return None
        return found.exact.start.astimezone(DUBAI).isoformat() if found.exact else None

    async def extract_patient_phone(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict) -> Result:
        phone = common.channel_phone(tracker)
        if phone and not tracker.get_slot("patient_phone"):
            return {"patient_phone": phone}
        if tracker.get_slot("patient_phone"):
            return {}
        wish = opening_request(tracker)
        if wish:
            phone = wish.phone or (number_given_before(tracker, self.uae_only) if self.number_given_first else None)
            return {"patient_phone": phone} if phone else {}
        text = common.latest_text(tracker)
        if not text or text.startswith("/"):
            return {}
        if tracker.get_slot("requested_slot") == "patient_phone":
            # a number read as small talk ("+44 7911 123456") is still the answer: validated below
            return {"patient_phone": text} if request.has_digits_of_a_number(text) else {}
        # "thursday 11am, priya nair 050 987 6543" while the time is asked: the number is kept
        said = request.read_phone(text, self.uae_only) if request.find_phones(text) else None
        return {"patient_phone": said.phone} if said and said.phone else {}

    def validate_patient_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict) -> Result:
        if is_time_change(tracker, value) or said_service_change(tracker, value) or (
                value == common.latest_text(tracker) and corrections.new_name(value, None)):
            # (a name corrected while the number is asked: taken by extract_patient_name)
            return {"patient_phone": None}  # asked again once the new time is chosen
        # "050 123 4567" or "my no. is 0501234567" (one number in the message)
        said = request.read_phone(value if isinstance(value, str) else "", self.uae_only)
        if not said.phone:
            dispatcher.utter_message(response=PHONE_PROBLEMS[said.problem or "invalid"])
        return {"patient_phone": said.phone}

    def knows_service(self, tracker: Tracker) -> bool:
        """Whether the service is known, so a typed exact time can be taken at once."""
        return True

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
        if (tracker.get_slot("requested_slot") == "slot_start" and not tracker.get_slot("slot_start")
                and text and not text.startswith("/")
                and choice.choose(text, common.offered_times(tracker)).kind != "none"):
            return {"slot_start": text}  # "10 30 is ok", "2nd one", "yes thats fine" at the offered times
        if later_pick(tracker) is not None:  # "actually make it the 2nd one" at the name question
            return {"slot_start": text}
        if not text or text.startswith("/") or not request.says_a_time(text, common.Clock.now()):
            return {}  # ("do you have anything after 5?" says a time: resolve() alone reads no day in it)
        if opening_request(tracker) and not changes_the_time(text):
            return {}  # the opening message: kept in time_wish until the time is asked (see run)
        requested = tracker.get_slot("requested_slot")
        if requested == "service" and not common.service_key(tracker.get_slot("service")):
            return {}  # "no, make it monday" before the service is chosen: kept by validate_service
        asked = requested == "slot_start" and not tracker.get_slot("slot_start")
        # "wait sorry, can we make it saturday morning instead?" later in the form, or "any
        # evening" typed when the name is asked: the new time replaces the chosen one (checked
        # and offered as buttons by validate_slot_start)
        if asked or changes_the_time(text) or (
                requested in ("patient_name", "patient_phone") and request.about_the_time(text, common.Clock.now())):
            return {"slot_start": text}
        return {}

    @common.answer_failures({"slot_start": None})
    def validate_slot_start(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: Dict) -> Result:
        """Accept a free slot (button payload or typed time); otherwise show what is free."""
        key = self.service_for(tracker)
        start = common.parse_start(value)
        chosen = choice.choose(value, common.offered_times(tracker)) if start is None and isinstance(
            value, str) else choice.NONE
        again = later_pick(tracker) if start is None and chosen.kind == "none" else None
        if again is not None:  # "can we do the second time instead": read back as a typed choice
            chosen = choice.Choice("picked", again)
        # a bare yes to several times: "Shall I book <the first>?"
        if chosen.kind == "ask_first" and chosen.start is not None:
            dispatcher.utter_message(response=self.take_first_response, when=describe(chosen.start),
                                     buttons=common.slot_buttons([chosen.start]))
            return {"slot_start": None}
        if chosen.kind == "which_day":  # "2pm" offered on two days: which day, not a guess
            dispatcher.utter_message(response="utter_booking_which_day",
                                     buttons=common.slot_buttons(list(chosen.options)))
            return {"slot_start": None}
        typed = chosen.kind == "picked"
        start = chosen.start if typed else start
        if start is None:
            # "tomorrow 5pm", "thursday 11am, priya nair ...": an exact free time is taken (the
            # patient confirms it at the read-back); otherwise the matching free times are offered
            # and the wish is kept, so a question asked meanwhile does not lose it
            # "do you have anything after 5?" after "consultation tuesday", "can we make it 12
            # instead" once saturday 10:00 was chosen: the new time on the day said before
            # "actually make it tuesday" after "monday evening": tuesday evening
            earlier = earlier_time(tracker)
            text = request.on_the_day_of(value if isinstance(value, str) else "", earlier, common.Clock.now())
            text = request.at_the_time_of(text, earlier, common.Clock.now())
            with common.session_factory()() as session:
                found = offer.find_offer(session, key, text, common.Clock.now())
            if found.exact and self.knows_service(tracker):
                dispatcher.utter_message(response="utter_booking_time_noted", when=describe(found.exact.start))
                return {"slot_start": found.exact.start.astimezone(DUBAI).isoformat(), "time_wish": None}
            say_offer(dispatcher, found)
            return {"slot_start": None, "time_wish": offer.wish_after(found, text, common.Clock.now())}
        now = common.Clock.now()
        with common.session_factory()() as session:
            if offer.still_free(session, key, start, now):
                if typed:  # read back which of the offered times was taken
                    dispatcher.utter_message(response="utter_booking_time_noted", when=describe(start))
                return {"slot_start": start.astimezone(DUBAI).isoformat(), "time_wish": None}
            nearby = booking.alternatives(session, key, start, now, limit=5)
        if nearby:
            dispatcher.utter_message(response="utter_booking_time_taken", when=describe(start),
                                     buttons=common.slot_buttons(nearby))
        else:
            dispatcher.utter_message(response="utter_booking_no_slots_soon")
        return {"slot_start": None}


class _LeaveOnStop(_Form):
    """"stop", "never mind", "start again" and a deferral ("let me check with my husband
    first") end the form at once (requested_slot None ends a form in Rasa), as
    :func:`clinic.booking.deferral.leaving_form` decides; the action that follows a filled
    form (action_confirm_booking, action_reschedule_appointment) sees the same message and
    says nothing was booked or changed. The consent question keeps its own yes/no (a deferral
    still leaves). ``after_stop``: a response said instead of the form's usual next step (the
    cancel form would ask "Shall I cancel ...?")."""

    after_stop: Optional[str] = None
    new_booking = False  # the booking form: "cancel it" drops the booking being made

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict):
        requested = tracker.get_slot("requested_slot")
        intent = common.latest_intent(tracker)
        if leaving_form(common.latest_text(tracker), intent, requested, self.new_booking) is not Leaving.STAY:
            # the message is not the detail asked for ("never mind" is no name); clearing that
            # slot also keeps Rasa from rejecting the form for an unfilled slot
            events = [SlotSet(requested, None), SlotSet("requested_slot", None)]
            if self.after_stop:
                events += [SlotSet("booking_reference", None), FollowupAction(self.after_stop)]
            return events
        return await super().run(dispatcher, tracker, domain)


def changed_service(tracker: Tracker) -> Optional[str]:
    """"actually make it a session not a consultation" once a service is chosen: the new one."""
    text = common.latest_text(tracker)
    if text.startswith("/"):
        return None
    return request.new_service_said(text, common.service_key(tracker.get_slot("service")))


def said_service_change(tracker: Tracker, value: Any) -> bool:
    """The value is the latest message and it changes the service, not a detail asked."""
    text = common.latest_text(tracker)
    return (isinstance(value, str) and value.strip() == text.strip() and not text.startswith("/")
            and request.service_change_said(text) is not None)


def keep_time_for(service_key: str, start_value: Any) -> Result:
    """After a change of service: keep the chosen time if it is free for the new service,
    else offer that time's nearest free ones when the time is asked again (``time_wish``)."""
    start = common.parse_start(start_value)
    if not start:
        return {}
    with common.session_factory()() as session:
        if offer.still_free(session, service_key, start, common.Clock.now()):
            return {}
    return {"slot_start": None, "time_wish": describe(start)}


class ValidateBookingForm(_LeaveOnStop, _PhoneAndSlot, FormValidationAction):
    takes_exact_opening_time = True
    uae_only = True
    new_booking = True
    number_given_first = True

    def name(self) -> Text:
        return "validate_booking_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict):
        # "me and my sister tmrw": one person per booking, said once, before the next question
        if (request.for_more_than_one(common.latest_text(tracker))
                and not common.times_asked(tracker, "utter_booking_one_person")):
            dispatcher.utter_message(response="utter_booking_one_person")
        return await super().run(dispatcher, tracker, domain)

    async def extract_service(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict) -> Result:
        """"I'd like to book a consultation": the service named in the opening message;
        "actually make it a session instead" later: the new service."""
        wish = opening_request(tracker)
        if wish and wish.service and not tracker.get_slot("service"):
            return {"service": wish.service}
        if wish and not tracker.get_slot("service") and (
                common.latest_intent(tracker) == "check_availability"
                or request.asks_for_free_times(common.latest_text(tracker), common.Clock.now())):
            # "is saturday available?", "any slots tmrw evening?": the free times are offered at
            # once, for the consultation (where every new patient starts), and said to be for it;
            # "make it a session" changes it. Asking which appointment first hid the answer.
            dispatcher.utter_message(response="utter_booking_times_for_consultation")
            return {"service": request.ASSUMED_SERVICE}
        if wish and not tracker.get_slot("service"):  # "ok book one friday 7pm" after "how much is a session?"
            referred = request.service_referred_to(common.latest_text(tracker), previous_user_text(tracker))
            if referred:
                return {"service": referred}
        if tracker.get_slot("requested_slot") == "service" and not tracker.get_slot("service"):
            # "استشارة", "jalsa": the answer, even when a FAQ rule answered it as a question first
            text = common.latest_text(tracker)
            named = request.service_answer(text)
            if named:
                return {"service": named}
            # "no change it to monday" (read as a move of a booking): a day for this booking,
            # kept by validate_service until the service is chosen, not a move's questions
            intent = common.latest_intent(tracker)
            if intent == "reschedule_appointment" and request.time_before_service(
                    text, tracker.get_slot("time_wish"), common.Clock.now()):
                return {"service": text}
        new = changed_service(tracker) if tracker.get_slot("requested_slot") else None
        return {"service": new} if new else {}

    @common.answer_failures({"service": None})
    def validate_service(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: Dict) -> Result:
        key = common.service_key(value)
        if not key:
            # "tmrw", "4pm ok" typed at this question: kept for the time question, not refused
            text = common.latest_text(tracker)
            wish = request.time_before_service(text, tracker.get_slot("time_wish"), common.Clock.now())
            asked = tracker.get_slot("requested_slot") == "service"
            # asked twice and answered with a day, a name or "ok" again: the consultation, said
            assumed = request.assumed_service(common.times_asked(tracker, "utter_ask_service")) if asked else None
            if assumed:
                dispatcher.utter_message(response="utter_booking_service_assumed")
                return {"service": assumed, **({"time_wish": wish} if wish else {})}
            if wish and asked:
                dispatcher.utter_message(response="utter_booking_time_kept")
                return {"service": None, "time_wish": wish}
            dispatcher.utter_message(response="utter_booking_service_invalid")
            return {"service": None}
        # "actually make it a session instead" later in the form (the tracker already holds the
        # new value here, so the words say whether it changed)
        text = common.latest_text(tracker)
        if tracker.get_slot("requested_slot") and not text.startswith("/") and request.service_change_said(text) == key:
            with common.session_factory()() as session:
                name = booking.get_service(session, key).name
            dispatcher.utter_message(response="utter_booking_service_changed", service_name=name.lower())
            if tracker.get_slot("slot_start"):
                return {"service": key, **keep_time_for(key, tracker.get_slot("slot_start"))}
        return {"service": key}

    async def extract_patient_name(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: Dict) -> Result:
        """A name typed when the form asks for it is taken whatever intent the classifier
        guessed for it (names such as "Amal Haddad" look like nothing it was trained on),
        unless the message is clearly a question or a request that other rules answer.
        A name corrected later ("sorry spelling wrong, its Fatima Al Zaabi") replaces it."""
        if tracker.get_slot("patient_name"):
            corrected = corrections.new_name(common.latest_text(tracker), tracker.get_slot("patient_name"))
            if corrected and tracker.get_slot("requested_slot"):
                dispatcher.utter_message(response="utter_booking_detail_corrected")
                return {"patient_name": corrected}
            return {}
        wish = opening_request(tracker)
        if wish:  # "book a consultation for Priya Nair 050 987 6543"
            return {"patient_name": wish.name} if wish.name else {}
        text = common.latest_text(tracker).strip()
        intent = common.latest_intent(tracker)
        if tracker.get_slot("requested_slot") != "patient_name":
            return self._name_not_asked(tracker, text, intent)
        if (not text or text.startswith("/") or looks_like_question(text)
                or intent in NOT_A_NAME_INTENTS or normalise_name(text) is None):
            return {}
        return {"patient_name": text}

    @staticmethod
    def _name_not_asked(tracker: Tracker, text: str, intent: Optional[str]) -> Result:
        """A name given while the form asks something else: "thursday 11am, priya nair 050
        987 6543" (next to the number, or after "my name is"), or "Priya Nair" on its own
        (read as a detail by the classifier) while the time is asked."""
        if not text or text.startswith("/") or not tracker.get_slot("requested_slot"):
            return {}
        said = read_request(text, common.Clock.now())
        if said.name and (said.phone or "name" in text.lower()):
            return {"patient_name": said.name}
        if intent in ("inform", "nlu_fallback") and tracker.get_slot("requested_slot") in ("slot_start", "service"):
            # "sara" alone: one word only when the classifier read a detail (inform, above the
            # fallback threshold), not when it was unsure (nlu_fallback)
            name = request.lone_name(text, common.Clock.now(), single=intent == "inform")
            return {"patient_name": name} if name else {}
        return {}

    def validate_patient_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict) -> Result:
        if is_time_change(tracker, value) or said_service_change(tracker, value):
            return {"patient_name": None}  # asked again once the new time or service is taken
        if isinstance(value, str) and acknowledges(value):  # "perfect", "great thanks": no name
            dispatcher.utter_message(response="utter_booking_name_invalid")
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

    async def extract_patient_phone(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict) -> Result:
        """A number typed once one was given, while the form asks something else ("sorry
        wrong number its 0502223388" at the consent question), replaces it."""
        current = tracker.get_slot("patient_phone")
        if current and tracker.get_slot("requested_slot") not in (None, "patient_phone"):
            corrected = corrections.new_phone(common.latest_text(tracker), current, self.uae_only)
            if corrected:
                dispatcher.utter_message(response="utter_booking_detail_corrected")
                return {"patient_phone": corrected}
        return await super().extract_patient_phone(dispatcher, tracker, domain)

    async def extract_contact_consent(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: Dict) -> Result:
        """A typed answer to the consent question read in words ("yes thats fine", "تمام",
        "no i'd rather not"), and a question about it ("why do you need my number?") kept for
        validate_contact_consent to answer; messages other rules answer (a FAQ, a warning
        sign, a person) are left to them."""
        if tracker.get_slot("requested_slot") != "contact_consent" or tracker.get_slot("contact_consent") is not None:
            return {}
        text = common.latest_text(tracker)
        intent = common.latest_intent(tracker)
        if not text or text.startswith("/") or intent in CONSENT_LEFT_TO_RULES:
            return {}
        if request.find_phones(text) or corrections.new_name(text, None):
            return {}  # a number or name corrected (taken above): the consent is asked again
        reply = read_reply(text, intent, "book")
        if reply is not Reply.UNSURE:
            return {"contact_consent": reply is Reply.YES}
        return {"contact_consent": CONSENT_QUESTION if looks_like_question(text) else CONSENT_UNCLEAR}

    def validate_contact_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: Dict) -> Result:
        if value == CONSENT_QUESTION:  # "why do you need my number?": answered, then asked again
            dispatcher.utter_message(response="utter_booking_consent_why")
            return {"contact_consent": None}
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


def _value(tracker: Tracker, events, name: str) -> Any:
    """A slot's value once ``events`` (this run's, not yet on the tracker) are applied."""
    for event in reversed(events):
        if isinstance(event, dict) and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return tracker.get_slot(name)


def _request(events, slot: Optional[str]) -> list:
    """``events`` asking for ``slot`` next (Rasa asks the first requested_slot set, and ends
    the form on the last one being None: only one may be there)."""
    kept = [e for e in events if not (isinstance(e, dict) and e.get("event") == "slot"
                                      and e.get("name") == "requested_slot")]
    return kept + [SlotSet("requested_slot", slot)]


def _stopped(events) -> bool:
    return any(isinstance(e, dict) and e.get("event") == "slot" and e.get("name") == "requested_slot"
               and e.get("value") is None for e in events) or any(
        isinstance(e, dict) and e.get("event") == "followup" for e in events)


GAVE_UP = "gave_up"  # lookup_failed: a second look-up failed, the form ends (see _FindsTheBooking.run)


class _FindsTheBooking(_Form):
    """The cancel and reschedule forms find the booking as a receptionist would: by its
    reference, or by the mobile number it was made with (typed, or the WhatsApp/Twilio
    sender's) and the day said ("my thursday session"); several bookings on the number are
    offered as buttons (action_ask_booking_reference). Once found, ``booking_summary`` says
    it (service, day, time) for the confirmation; a failed look-up is asked again once with
    "reference or number", a second one ends the form with a way to reach the clinic."""

    kind = "cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict):
        opening = not tracker.get_slot("requested_slot")
        text = common.latest_text(tracker)
        known = tracker.get_slot("booking_reference")  # before this message (the run updates the tracker)
        events = list(await super().run(dispatcher, tracker, domain))
        if _stopped(events):
            return events
        if opening and text and not text.startswith("/"):
            # a new cancel or move: what the message says is kept, the last one's look-up forgotten
            fresh = [SlotSet("change_request", text[:existing.MAX_TEXT]), SlotSet("lookup_failed", None),
                     SlotSet("booking_summary", None)]
            if self.kind == "reschedule":  # a day wished in an earlier, unfinished booking is not this one's
                fresh.append(SlotSet("time_wish", None))
            events = fresh + events
        if _value(tracker, events, "lookup_failed") == GAVE_UP:
            dispatcher.utter_message(response="utter_booking_lookup_failed")
            return _request(events, None) + [SlotSet(s, None) for s in (*lookup.LOOKUP_SLOTS, "booking_reference")] + [
                FollowupAction("action_listen")]
        return self._identify(dispatcher, tracker, events, opening, known)

    def _identify(self, dispatcher: CollectingDispatcher, tracker: Tracker, events: list, opening: bool,
                  known: Optional[str] = None) -> list:
        reference = _value(tracker, events, "booking_reference")
        if reference and reference == known and _value(tracker, events, "booking_summary"):
            return events  # found on an earlier turn
        typed = _value(tracker, events, "patient_phone")
        phone = typed or common.channel_phone(tracker)
        change = lookup.change_of(tracker, self.kind, _value(tracker, events, "change_request"))
        if not reference and lookup.reference_needed(tracker):
            # the public website: a number alone does not open anyone's bookings
            if typed or (opening and change.no_reference):
                return _request(events + [SlotSet("lookup_failed", lookup.REFERENCE_ONLY),
                                          SlotSet("booking_reference", None)], "booking_reference")
            return events
        if not phone:
            if not reference and opening and change.no_reference:  # "i don't have the reference"
                return _request(events, "patient_phone")
            return events
        found = lookup.look_up(phone, change, reference)
        booking = found.booking
        if found.kind == "one" and booking is not None:  # "one": the booking is set
            events += [SlotSet("booking_reference", booking.reference), SlotSet("booking_summary", booking.describe()),
                       SlotSet("lookup_failed", None)]
            if not typed:
                events.append(SlotSet("patient_phone", phone))
            events = [e for e in events if not (isinstance(e, dict) and e.get("name") == "requested_slot")]
            return events + self._found(dispatcher, tracker, booking, change)
        if found.kind == "several":
            return _request(events + [SlotSet("booking_reference", None)], "booking_reference")
        if _value(tracker, events, "lookup_failed"):
            dispatcher.utter_message(response="utter_booking_lookup_failed")
            return _request(events, None) + [SlotSet(s, None) for s in (*lookup.LOOKUP_SLOTS, "booking_reference")] + [
                FollowupAction("action_listen")]
        events += [SlotSet("lookup_failed", found.kind), SlotSet("booking_reference", None)]
        if typed:
            events.append(SlotSet("patient_phone", None))
        return _request(events, "booking_reference")

    def _found(self, dispatcher: CollectingDispatcher, tracker: Tracker, booking: existing.BookingSummary,
               change: existing.ChangeRequest) -> list:
        """What else follows from finding the booking (a move: the new time asked for)."""
        return []

    async def extract_booking_reference(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: Dict) -> Result:
        """A reference anywhere in a message ("cancel NS-7K3W please"), or the booking picked
        among the patient's ("the thursday one", a button)."""
        text = common.latest_text(tracker)
        found = normalise_reference(text)
        if found and not text.startswith("/"):
            return {"booking_reference": found}  # (only the form's own slots are kept from here)
        phone = lookup.phone_of(tracker)
        if tracker.get_slot("requested_slot") != "booking_reference" or not phone or tracker.get_slot("lookup_failed"):
            return {}
        found_all = lookup.look_up(phone, lookup.change_of(tracker, self.kind))
        if found_all.kind != "several":
            return {}
        picked = existing.choose(found_all.bookings, text, common.Clock.now())
        return {"booking_reference": picked.reference} if picked else {}  # read back once found (_identify)

    def validate_booking_reference(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: Dict) -> Result:
        text = value if isinstance(value, str) else ""
        reference = normalise_reference(text)
        if reference:
            return {"booking_reference": reference}
        latest = common.latest_text(tracker)
        if request.find_phones(latest):
            return {"booking_reference": None}  # the number was given instead: the booking is found by it
        intent = common.latest_intent(tracker)
        if asks_a_question(tracker, latest, intent) and faq_answer(dispatcher, tracker):
            return {"booking_reference": None}  # answered; the form asks again
        if existing.looks_like_a_reference(text) or existing.looks_like_a_reference(latest):
            dispatcher.utter_message(response="utter_booking_reference_invalid")
            return {"booking_reference": None}
        if tracker.get_slot("lookup_failed"):
            return {"booking_reference": None, "lookup_failed": GAVE_UP}  # "i don't have it" after a failed look-up
        if lookup.phone_of(tracker):
            return {"booking_reference": None}  # several bookings and no clear pick: offered again
        # "i don't have it", "no idea": the mobile number the booking was made with
        return {"booking_reference": None, "requested_slot": "patient_phone"}

    def validate_patient_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict) -> Result:
        """A question asked instead of the number ("is there a fee if i cancel late?", read as
        something else than a FAQ question) is answered; the form then asks for the number again."""
        latest = common.latest_text(tracker)
        intent = common.latest_intent(tracker)
        if (not request.has_digits_of_a_number(latest) and asks_a_question(tracker, latest, intent)
                and faq_answer(dispatcher, tracker)):
            return {"patient_phone": None}
        return super().validate_patient_phone(value, dispatcher, tracker, domain)

    async def extract_patient_phone(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict) -> Result:
        """A number typed anywhere in the form (the one the booking was made with) wins over
        the channel's; else the WhatsApp/Twilio sender's number."""
        text = common.latest_text(tracker)
        if text and not text.startswith("/"):
            phones = request.find_phones(text)
            if len(phones) == 1:
                return {"patient_phone": phones[0][0]} if phones[0][0] != tracker.get_slot("patient_phone") else {}
            if len(phones) > 1:
                return {"patient_phone": text}  # validated: "which one?"
            if tracker.get_slot("requested_slot") == "patient_phone" and request.has_digits_of_a_number(text):
                return {"patient_phone": text}
        phone = common.channel_phone(tracker)
        return {"patient_phone": phone} if phone and not tracker.get_slot("patient_phone") else {}


class ValidateCancelForm(_FindsTheBooking, _LeaveOnStop, _PhoneAndSlot, FormValidationAction):
    """"stop" / "never mind" leaves the form with "nothing was cancelled"."""

    after_stop: Optional[str] = "utter_cancel_stopped"
    keeps_time_wish = False

    def name(self) -> Text:
        return "validate_cancel_form"


class ValidateRescheduleForm(ValidateCancelForm):
    """Reference and phone first (or the phone alone), then the new time (for the booked
    service); the new time said in the opening message ("to next week", "monday instead of
    saturday", "same time next week") is offered once the booking is found. A stop is
    answered by action_reschedule_appointment, which can say the booked time."""

    after_stop = None
    kind = "reschedule"
    keeps_time_wish = False  # the opening's new time is kept by _found, apart from the booked day
    take_first_response = "utter_reschedule_take_first"

    def name(self) -> Text:
        return "validate_reschedule_form"

    def knows_service(self, tracker: Tracker) -> bool:
        return bool(tracker.get_slot("booking_reference"))  # the booked service, once it is found

    def service_for(self, tracker: Tracker) -> str:
        with common.session_factory()() as session:
            key = booking.service_of(session, tracker.get_slot("booking_reference") or "")
        return key or super().service_for(tracker)

    async def extract_slot_start(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: Dict) -> Result:
        """The opening message's times are read apart (the booked day, the new one), and no
        time is taken before the booking is found."""
        if not tracker.get_slot("requested_slot") or not tracker.get_slot("booking_summary"):
            return {}
        if tracker.get_slot("requested_slot") == "slot_start" and not tracker.get_slot("slot_start"):
            same = self._same_time(tracker)  # "same time" at the offered day's times
            if same:
                return {"slot_start": same}
        return await super().extract_slot_start(dispatcher, tracker, domain)

    @staticmethod
    def _same_time(tracker: Tracker) -> Optional[str]:
        text = common.latest_text(tracker)
        offered = common.offered_times(tracker)
        if not text or text.startswith("/") or not offered or not existing.says_only_same_time(text):
            return None  # the booking is looked up only for "same time"
        phone = tracker.get_slot("patient_phone") or common.channel_phone(tracker)
        try:
            booked = booking.upcoming(common.session_factory(), tracker.get_slot("booking_reference") or "", phone,
                                      now=common.Clock.now())
        except (SQLAlchemyError, BookingError):
            return None
        return existing.same_time_on_offered_day(text, booked.starts_at, offered)

    def _found(self, dispatcher: CollectingDispatcher, tracker: Tracker, booking_found: existing.BookingSummary,
               change: existing.ChangeRequest) -> list:
        """The new time the opening asked for: "same time next week" (the booked time moved),
        "tuesday same time" (that day at the booked time), "to friday evening" (kept in
        time_wish and offered when the time is asked); an exact
        free time is taken at once (the patient still confirms the move)."""
        wish = existing.new_time_wish(booking_found, change)
        if not wish:
            return []
        try:
            with common.session_factory()() as session:
                found = offer.find_offer(session, booking_found.service_key, wish, common.Clock.now())
        except (SQLAlchemyError, BookingError) as error:
            log.warning("booking: new time not checked (%s)", type(error).__name__)
            return [SlotSet("time_wish", wish)]
        if found.exact and found.exact.start != booking_found.starts_at:
            return [SlotSet("slot_start", found.exact.start.astimezone(DUBAI).isoformat()), SlotSet("time_wish", None)]
        return [SlotSet("time_wish", wish)]
