"""Issue 14, second slice: the forms take what the opening message says (service, day and
time, name, number) and ask only for the rest; the leftovers of the first slice (holds freed
at a handoff or warning sign, stop in the cancel form, replies that are not names, the
"nothing booked" text without a hold)."""
from zoneinfo import ZoneInfo

import pytest

from actions.booking import ActionAskSlotStart, ActionBookAppointment, ActionConfirmBooking, ActionResetBooking
from actions.booking_form import ValidateBookingForm, ValidateCancelForm, ValidateRescheduleForm
from actions.handoff import ActionHandoff
from actions.urgent import ActionUrgentCare
from clinic.facts import load_facts
from tests.actions.booking_fixtures import clinic_db, run, slot_values, starts, statuses, tracker  # noqa: F401
from tests.conftest import ROOT

DUBAI = ZoneInfo("Asia/Dubai")
PHONE = "+971501234567"
BOOKED = {"service": "consultation", "slot_start": "2026-11-26T14:00:00+04:00", "patient_name": "Amal Test",
          "patient_phone": PHONE, "contact_consent": True}


def opening(action, text, intent="book_appointment", **slots):
    """The form's first run on the message that started it (nothing asked yet)."""
    events, messages = run(action, tracker(text, slots={"requested_slot": None, **slots}, intent=intent,
                                           active_loop=action.form_name()))
    return slot_values(events), messages


def ask_time(slots, active_loop="booking_form"):
    events, messages = run(ActionAskSlotStart(), tracker("", slots=slots, active_loop=active_loop))
    return slot_values(events), messages


def test_the_service_said_is_not_asked_again(clinic_db):
    values, messages = opening(ValidateBookingForm(), "I'd like to book a consultation")
    assert values == {"service": "consultation"} and messages == []


def test_an_exact_free_time_said_first_is_taken_and_read_back_later(clinic_db):
    # issue 14 (a): "consultation tomorrow 5pm" when 5pm is free: no buttons, the time is chosen
    values, [noted] = opening(ValidateBookingForm(), "consultation tomorrow 5pm")
    assert values == {"service": "consultation", "slot_start": "2026-11-27T17:00:00+04:00"}
    assert noted["response"] == "utter_booking_time_noted" and noted["when"] == "Friday 27 November at 5:00 pm"
    assert not noted["buttons"]  # the form's next question follows in the same turn


def test_an_exact_time_said_first_that_is_not_free_is_offered_with_the_nearest(clinic_db):
    values, messages = opening(ValidateBookingForm(), "consultation sunday 5pm")  # closed on Sunday
    assert values == {"service": "consultation", "time_wish": "consultation sunday 5pm"} and messages == []
    cleared, [offer] = ask_time(values)
    assert offer["response"] == "utter_booking_closed_day" and offer["buttons"]


def test_a_day_and_time_said_first_in_the_reschedule_form_are_taken_once_the_booking_is_found(clinic_db):
    # nothing is read as the new time before the booking is known (its service decides what is free)
    values, messages = opening(ValidateRescheduleForm(), "reschedule to tomorrow 5pm", intent="reschedule_appointment")
    assert not values.get("time_wish") and "slot_start" not in values and messages == []
    _, [done] = run(ActionBookAppointment(), tracker("yes", slots=BOOKED))
    text = f"reschedule {done['reference']} to tomorrow 5pm, 050 123 4567"
    values, messages = opening(ValidateRescheduleForm(), text, intent="reschedule_appointment")
    assert values["booking_reference"] == done["reference"] and values["slot_start"] == "2026-11-27T17:00:00+04:00"
    assert messages == []


def test_a_part_of_the_day_is_offered_not_the_earliest_slots(clinic_db):
    values, _ = opening(ValidateBookingForm(), "session on monday afternoon")
    assert values["service"] == "mesotherapy_session"
    _, [offer] = ask_time(values)
    assert offer["response"] == "utter_booking_slots" and offer["buttons"]
    assert all(s.date().isoformat() == "2026-11-30" and 12 <= s.hour < 17 for s in starts(offer))


def test_a_closed_day_asked_first_is_explained_with_the_same_hours_later(clinic_db):
    values, _ = opening(ValidateBookingForm(), "session on wednesday afternoon")  # 2 December: National Day
    _, [offer] = ask_time(values)
    assert offer["response"] == "utter_booking_holiday" and offer["buttons"]
    assert all(12 <= s.hour < 17 for s in starts(offer))


def test_after_work_offers_only_times_after_the_patient_finishes(clinic_db):
    text = "hi, can I come thursday after work for a consultation? I finish at 5:30"
    values, _ = opening(ValidateBookingForm(), text, intent="check_availability")
    _, [offer] = ask_time(values)
    assert offer["buttons"] and all((s.hour, s.minute) >= (17, 30) for s in starts(offer))


def test_without_a_time_the_earliest_slots_are_offered_as_before(clinic_db):
    values, _ = opening(ValidateBookingForm(), "i want to book a consultation")
    assert "time_wish" not in values
    _, [offer] = ask_time(values)
    assert offer["response"] == "utter_ask_slot_start"


def test_name_and_number_in_the_opening_message_fill_both(clinic_db):
    values, _ = opening(ValidateBookingForm(), "book a consultation for Priya Nair 050 987 6543")
    assert values == {"service": "consultation", "patient_name": "Priya Nair", "patient_phone": "+971509876543"}


def _after_a_number_sent_first(text, first="0521234567", answered_by="action_details_without_question", form=None):
    """The form's first run on ``text`` after the patient sent ``first`` alone, answered ``answered_by``."""
    action = form or ValidateBookingForm()
    t = tracker(text, slots={"requested_slot": None}, intent="book_appointment", active_loop=action.form_name())
    t.events[:0] = [{"event": "user", "text": first}, {"event": "action", "name": answered_by},
                    {"event": "action", "name": "action_listen"}]
    events, _ = run(action, t)
    return slot_values(events)


def test_a_number_sent_before_anything_was_asked_is_taken_for_the_booking(clinic_db):
    # helper tries6: "0521234567" as the first message ("I haven't asked for any details yet"),
    # then "i want to book consultation": the number is not asked again (the confirmation reads it back)
    values = _after_a_number_sent_first("i want to book consultation")
    assert values == {"service": "consultation", "patient_phone": "+971521234567"}
    # a number the opening message gives wins; a number that answered something else is not taken
    assert _after_a_number_sent_first("book a consultation 050 987 6543")["patient_phone"] == "+971509876543"
    assert "patient_phone" not in _after_a_number_sent_first("i want to book consultation",
                                                             answered_by="utter_faq")
    # a foreign number is no number for a new booking; a cancel asks for its own number
    assert "patient_phone" not in _after_a_number_sent_first("i want to book consultation", first="+44 7911 123456")
    assert "patient_phone" not in _after_a_number_sent_first("cancel my appointment", form=ValidateCancelForm())


def test_name_and_number_typed_together_when_the_name_is_asked(clinic_db):
    t = tracker("Priya Nair 050 987 6543", slots={"requested_slot": "patient_name", "service": "consultation"},
                slot_events={"patient_name": "Priya Nair 050 987 6543"}, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events) == {"patient_name": "Priya Nair", "patient_phone": "+971509876543"}
    assert messages == []


@pytest.mark.parametrize("text", ["my no. is 0501234567", "it's 050-123-4567", "٠٥٠١٢٣٤٥٦٧"])
def test_a_number_in_words_is_taken(clinic_db, text):
    t = tracker(text, slots={"requested_slot": "patient_phone"}, slot_events={"patient_phone": text},
                active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["patient_phone"] == PHONE and messages == []


@pytest.mark.parametrize("text", ["yes ok", "nope", "no", "ok", "thanks", "i want to book it for tomorrow please"])
def test_a_reply_is_not_taken_for_a_name_and_is_asked_once_more(clinic_db, text):
    t = tracker(text, slots={"requested_slot": "patient_name"}, slot_events={"patient_name": text},
                active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["patient_name"] is None
    assert [m["response"] for m in messages] == ["utter_booking_name_invalid"]


def test_reschedule_keeps_the_new_day_until_the_time_is_asked(clinic_db):
    _, [done] = run(ActionBookAppointment(), tracker("yes", slots=BOOKED))
    events, messages = run(ValidateRescheduleForm(), tracker(
        "reschedule to next monday afternoon", slots={"requested_slot": None}, intent="reschedule_appointment",
        metadata={"channel": "whatsapp", "phone": PHONE}, active_loop="reschedule_form"))
    values = slot_values(events)
    assert values["time_wish"] == "next monday afternoon" and messages == []
    slots = {**values, "booking_reference": done["reference"], "patient_phone": PHONE}
    _, [offer] = ask_time(slots, active_loop="reschedule_form")
    assert offer["buttons"] and all(s.date().isoformat() == "2026-11-30" and 12 <= s.hour < 17
                                    for s in starts(offer))


def test_the_cancel_form_keeps_no_time_wish(clinic_db):
    values, _ = opening(ValidateCancelForm(), "cancel my appointment tomorrow", intent="cancel_appointment")
    assert "time_wish" not in values


@pytest.mark.parametrize("text", ["stop", "never mind", "forget it"])
def test_stop_in_the_cancel_form_says_nothing_was_cancelled(clinic_db, text):
    _, [done] = run(ActionBookAppointment(), tracker("yes", slots=BOOKED))
    slots = {"booking_reference": done["reference"], "requested_slot": "patient_phone"}
    events, messages = run(ValidateCancelForm(), tracker(text, slots=slots, intent="deny", active_loop="cancel_form"))
    assert slot_values(events) == {"patient_phone": None, "requested_slot": None, "booking_reference": None}
    assert [e["name"] for e in events if e["event"] == "followup"] == ["utter_cancel_stopped"] and messages == []
    assert statuses(clinic_db) == ["confirmed"]


def held(clinic_db):
    events, _ = run(ActionConfirmBooking(), tracker("/affirm", slots=BOOKED))
    assert statuses(clinic_db) == ["held"]
    return {**BOOKED, **slot_values(events)}


def test_a_person_asked_for_at_the_confirmation_frees_the_held_time_at_once(clinic_db):
    slots = held(clinic_db)
    action = ActionHandoff(session_factory=clinic_db, facts=load_facts(ROOT / "clinic.yml"))
    events, _ = run(action, tracker("can i talk to a person", slots=slots, intent="human_handoff"))
    assert statuses(clinic_db) == []
    assert slot_values(events)["held_reference"] is None and slot_values(events)["confirming"] is None


class Outbox:
    def __init__(self):
        self.kept = []

    def put(self, item):
        self.kept.append(item)

    def drain_soon(self):
        pass

    def drain_if_pending(self):
        pass


def test_a_warning_sign_at_the_confirmation_frees_the_held_time_and_still_answers(clinic_db):
    slots = held(clinic_db)
    t = tracker("my face is very swollen and hot", slots=slots, intent="urgent_symptom")
    t.latest_message["triage"] = {"urgent": True, "categories": ["infection"]}
    events, messages = run(ActionUrgentCare(clinic_db, Outbox()), t)
    assert messages[0]["response"] == "utter_urgent_care"
    assert statuses(clinic_db) == [] and slot_values(events)["held_reference"] is None


def test_no_hold_no_slot_events_for_a_plain_handoff(clinic_db):
    action = ActionHandoff(session_factory=clinic_db, facts=load_facts(ROOT / "clinic.yml"))
    events, _ = run(action, tracker("a person please", intent="human_handoff"))
    assert "held_reference" not in slot_values(events)


def test_nothing_booked_mentions_a_freed_time_only_when_one_was_held(clinic_db):
    slots = held(clinic_db)
    events, _ = run(ActionResetBooking(), tracker("no", slots=slots, intent="deny"))
    assert slot_values(events)["hold_released"] is True and statuses(clinic_db) == []
    events, _ = run(ActionResetBooking(), tracker("no", slots=BOOKED, intent="deny"))
    assert slot_values(events)["hold_released"] is False
    _, [told] = run(ActionConfirmBooking(), tracker("never mind", slots=BOOKED))
    assert told["response"] == "utter_booking_not_booked_no_hold"


def test_the_two_nothing_booked_texts(domain):
    """The rule's utter_booking_not_booked follows action_reset_booking, which sets hold_released;
    a time held by action_confirm_booking clears the slot (so the default, freed text is used)."""
    variations = domain["responses"]["utter_booking_not_booked"]
    no_hold = next(v["text"] for v in variations if v.get("condition"))
    assert variations[0]["condition"] == [{"type": "slot", "name": "hold_released", "value": False}]
    freed = [v["text"] for v in variations if not v.get("condition")]
    assert "free again" not in no_hold and "keeping" not in no_hold and freed and all("free again" in t for t in freed)
    assert "keeping" not in domain["responses"]["utter_booking_not_booked_no_hold"][0]["text"]


def test_holding_a_time_clears_a_stale_hold_released(clinic_db):
    events, _ = run(ActionConfirmBooking(), tracker("/affirm", slots={**BOOKED, "hold_released": False}))
    assert slot_values(events)["hold_released"] is None and statuses(clinic_db) == ["held"]


def test_words_typed_before_a_did_you_mean_tap_are_kept(clinic_db):
    def tapped(after):
        t = tracker("/book_appointment", slots={"requested_slot": None}, intent="book_appointment",
                    active_loop="booking_form")
        t.events[:0] = [{"event": "user", "text": "consultation tmrw 5pm", "parse_data": {}},
                        {"event": "action", "name": after}, {"event": "action", "name": "action_listen"}]
        return slot_values(run(ValidateBookingForm(), t)[0])

    assert tapped("action_did_you_mean") == {"service": "consultation", "slot_start": "2026-11-27T17:00:00+04:00"}
    assert tapped("utter_greet") == {}  # not a did-you-mean: the payload alone says nothing


def test_the_day_of_an_availability_question_is_kept_when_the_booking_starts_after_it(clinic_db):
    # "3ndkom maw3ed bukra?" -> the free times -> "esteshara": tomorrow's times, not the earliest
    def started(after, asked="3ndkom maw3ed bukra?", text="esteshara", intent="inform"):
        t = tracker(text, slots={"requested_slot": None}, intent=intent, active_loop="booking_form")
        t.events[:0] = [{"event": "user", "text": asked, "parse_data": {}},
                        {"event": "action", "name": after}, {"event": "action", "name": "action_listen"}]
        return slot_values(run(ValidateBookingForm(), t)[0])

    values = started("action_check_availability")
    assert values == {"service": "consultation", "time_wish": values.get("time_wish")} and values["time_wish"]
    _, [offer] = ask_time(values)
    assert offer["buttons"] and {s.date().isoformat() for s in starts(offer)} == {"2026-11-27"}
    # an exact time asked about is taken when it is free, as if said in the booking message
    assert started("action_check_availability", asked="any slot tomorrow 5pm?", text="consultation",
                   intent="book_appointment") == {"service": "consultation", "slot_start": "2026-11-27T17:00:00+04:00"}
    assert "time_wish" not in started("utter_greet")  # no availability question before: nothing kept
    assert started("action_check_availability", text="consultation friday",
                   intent="book_appointment")["time_wish"] == "consultation friday"  # its own day wins


def test_an_availability_question_opens_the_booking_at_the_times_for_a_consultation(clinic_db):
    # "is saturday available?" then "morning", "ok 10am", "the 2nd one" or a name: the form asks
    # for the time at once (what was asked), for the consultation unless a service is named
    values, [assumed] = opening(ValidateBookingForm(), "any slots tmrw evening?", intent="check_availability")
    assert values == {"service": "consultation", "time_wish": "any slots tmrw evening?"}
    assert assumed["response"] == "utter_booking_times_for_consultation"
    _, [offer] = ask_time(values)
    assert offer["buttons"] and {s.strftime("%d %H") for s in starts(offer)} <= {"27 17", "27 18", "27 19"}
    values, messages = opening(ValidateBookingForm(), "any free time wednesday for a meso session?",
                               intent="check_availability")
    assert values["service"] == "mesotherapy_session" and messages == []  # named: nothing assumed
    # a booking request still asks which appointment
    values, messages = opening(ValidateBookingForm(), "can i book tmrw evening")
    assert "service" not in values and messages == []


@pytest.mark.parametrize("asked, text", [("patient_name", "actually make it the 2nd one"),
                                         ("patient_phone", "sorry can we do the second time instead")])
def test_another_offered_time_by_its_place_once_one_was_chosen(clinic_db, asked, text):
    first, second = "2026-11-27T15:00:00+04:00", "2026-11-27T15:30:00+04:00"  # Friday
    slots = {"service": "consultation", "slot_start": first, "requested_slot": asked}
    if asked == "patient_phone":
        slots["patient_name"] = "Lina Haddad"
    t = tracker(text, slots=slots, active_loop="booking_form")
    buttons = [{"title": "a", "payload": f'/inform{{"slot_start": "{first}"}}'},
               {"title": "b", "payload": f'/inform{{"slot_start": "{second}"}}'}]
    t.events[:0] = [{"event": "bot", "text": "Here are the free times", "data": {"buttons": buttons}},
                    {"event": "user", "text": f'/inform{{"slot_start": "{first}"}}'},
                    {"event": "bot", "text": "What name?"}]
    events, messages = run(ValidateBookingForm(), t)
    values = slot_values(events)
    assert values["slot_start"] == second
    assert values.get(asked) is None  # the name or number is asked again, after the time is read back
    assert messages[0]["response"] == "utter_booking_time_noted"


def test_details_given_unasked_start_the_booking_when_they_ask_for_one(clinic_db):
    # "ismi ..., ra8mi ..., abi esteshara bukra" read as inform: the booking form, which takes them
    from actions.booking import ActionDetailsWithoutQuestion

    text = "salam, ismi Maryam Al Falasi, ra8mi 0561239876, abi esteshara bukra"
    events, messages = run(ActionDetailsWithoutQuestion(), tracker(text))
    assert events == [{"event": "followup", "timestamp": None, "name": "booking_form"}] and messages == []
    values, _ = opening(ValidateBookingForm(), text, intent="inform")
    assert values["patient_name"] == "Maryam Al Falasi" and values["patient_phone"] == "+971561239876"
    assert values["service"] == "consultation"
    # details that ask for nothing: the bot says it asked for none
    events, [said] = run(ActionDetailsWithoutQuestion(), tracker("my name is Sara 0501234567"))
    assert events == [] and said["response"] == "utter_inform_no_context"
