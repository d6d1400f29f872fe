"""validate_booking_form / validate_cancel_form / validate_reschedule_form."""
import pytest
from sqlalchemy import func, select

from actions.booking import ActionBookAppointment
from actions.booking_form import ValidateBookingForm, ValidateCancelForm, ValidateRescheduleForm
from clinic.booking.models import Appointment, Patient
from tests.actions.booking_fixtures import clinic_db, run, slot_values, tracker  # noqa: F401

INJECTIONS = ["'; DROP TABLE booking_patients; --", "1' OR '1'='1", "<script>alert(1)</script>",
              "Robert'); DELETE FROM booking_appointments;--"]
FREE = "2026-11-26T14:00:00+04:00"


def validate(action, requested=None, slots=None, **slot_events):
    t = tracker("", slots={"requested_slot": requested, **(slots or {})}, slot_events=slot_events,
                active_loop=action.form_name())
    events, messages = run(action, t)
    return slot_values(events), [m["response"] for m in messages], messages


@pytest.mark.parametrize("value, key", [("consultation", "consultation"), ("the free consultation", "consultation"),
                                        ("a mesotherapy session", "mesotherapy_session")])
def test_service_is_mapped_to_a_key(clinic_db, value, key):
    values, responses, _ = validate(ValidateBookingForm(), "service", service=value)
    assert values["service"] == key and responses == []


@pytest.mark.parametrize("value", ["pizza", "", "x" * 300] + INJECTIONS)
def test_unknown_service_is_reasked(clinic_db, value):
    values, responses, _ = validate(ValidateBookingForm(), "service", service=value)
    assert values["service"] is None and responses == ["utter_booking_service_invalid"]


def test_a_day_typed_at_the_service_question_is_kept_for_the_time_question(clinic_db):
    # "tmrw" when asked which appointment: no "didn't catch which appointment", the day is kept
    t = tracker("tmrw", slots={"requested_slot": "service"}, slot_events={"service": "tmrw"},
                active_loop="booking_form", intent="inform")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["service"] is None and slot_values(events)["time_wish"] == "tmrw"
    assert [m["response"] for m in messages] == ["utter_booking_time_kept"]
    # then "4pm ok": on the day said before
    t = tracker("4pm ok", slots={"requested_slot": "service", "time_wish": "tmrw"}, slot_events={"service": "4pm ok"},
                active_loop="booking_form", intent="inform")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["time_wish"] == "2026-11-27 4pm ok"


def asked_service(t, times: int):
    """``t`` after the form began and asked "Which appointment would you like?" ``times`` times."""
    ask = {"event": "bot", "text": "Which appointment would you like?",
           "metadata": {"utter_action": "utter_ask_service"}}
    t.events[:0] = [{"event": "active_loop", "name": "booking_form"}] + [ask] * times
    return t


@pytest.mark.parametrize("text, wish", [("monday", "monday"), ("Rahul", None), ("ok", None), ("0521112233", None)])
def test_the_service_question_unanswered_twice_books_a_consultation_and_says_so(clinic_db, text, wish):
    # "book appointment", "sunday", then the day again, a name or "ok": no third "which appointment"
    t = asked_service(tracker(text, slots={"requested_slot": "service", "time_wish": "sunday"},
                              slot_events={"service": text}, active_loop="booking_form"), 2)
    events, messages = run(ValidateBookingForm(), t)
    values = slot_values(events)
    assert values["service"] == "consultation"
    assert [m["response"] for m in messages] == ["utter_booking_service_assumed"]
    if wish:  # the new day replaces the one kept
        assert wish in values["time_wish"] and "sunday" not in values["time_wish"]
    else:  # the day kept before stays for the time question
        assert "time_wish" not in values


def test_the_service_question_unanswered_once_is_asked_again(clinic_db):
    t = asked_service(tracker("ok", slots={"requested_slot": "service"}, slot_events={"service": "ok"},
                              active_loop="booking_form"), 1)
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["service"] is None
    assert [m["response"] for m in messages] == ["utter_booking_service_invalid"]


def test_only_this_forms_questions_are_counted(clinic_db):
    # two service questions of an earlier booking, then a new booking that asked once
    t = asked_service(tracker("ok", slots={"requested_slot": "service"}, slot_events={"service": "ok"},
                              active_loop="booking_form"), 1)
    ask = {"event": "bot", "metadata": {"utter_action": "utter_ask_service"}}
    t.events[:0] = [{"event": "active_loop", "name": "booking_form"}, ask, ask, {"event": "active_loop", "name": None}]
    _, messages = run(ValidateBookingForm(), t)
    assert [m["response"] for m in messages] == ["utter_booking_service_invalid"]


def test_a_change_of_day_before_the_service_is_chosen_offers_no_times(clinic_db):
    # "sunday", then "no change it to monday" while the service is asked: no times for an
    # appointment not chosen yet; the new day is kept for the time question
    t = asked_service(tracker("no change it to monday", slots={"requested_slot": "service", "time_wish": "sunday"},
                              slot_events={"service": "no change it to monday"}, active_loop="booking_form"), 1)
    events, messages = run(ValidateBookingForm(), t)
    values = slot_values(events)
    assert [m["response"] for m in messages] == ["utter_booking_time_kept"]
    assert "slot_start" not in values or values["slot_start"] is None
    assert "monday" in values["time_wish"] and "sunday" not in values["time_wish"]


@pytest.mark.parametrize("text, key", [("استشارة", "consultation"), ("jalsa", "mesotherapy_session")])
def test_a_service_read_as_a_faq_question_is_still_the_answer(clinic_db, text, key):
    # the FAQ rule answers "استشارة" first; the form then takes it as the service
    t = tracker(text, slots={"requested_slot": "service"}, active_loop="booking_form", intent="faq")
    events, _ = run(ValidateBookingForm(), t)
    assert slot_values(events)["service"] == key


def test_a_question_about_a_service_is_not_taken_as_the_answer(clinic_db):
    t = tracker("is the consultation free?", slots={"requested_slot": "service"}, active_loop="booking_form",
                intent="faq")
    events, _ = run(ValidateBookingForm(), t)
    assert "service" not in slot_values(events)


def test_free_slot_is_accepted(clinic_db):
    values, responses, _ = validate(ValidateBookingForm(), "slot_start", slot_start=FREE)
    assert values["slot_start"] == FREE and responses == []


def test_a_typed_exact_time_that_is_free_is_taken_at_once(clinic_db):
    # issue 14: "tomorrow at 5" when it is free is chosen (read back at "Shall I book it?")
    t = tracker("tomorrow at 5", slots={"requested_slot": "slot_start"}, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["slot_start"] == "2026-11-27T17:00:00+04:00"
    assert [m["response"] for m in messages] == ["utter_booking_time_noted"]


def test_a_typed_part_of_the_day_gets_buttons_and_stays_unset(clinic_db):
    t = tracker("tomorrow afternoon", slots={"requested_slot": "slot_start"}, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["slot_start"] is None and slot_values(events)["time_wish"] == "tomorrow afternoon"
    assert messages[0]["response"] == "utter_booking_slots" and messages[0]["buttons"]


def test_a_faq_question_mid_form_is_not_taken_for_a_time(clinic_db):
    t = tracker("how much does a session cost?", slots={"requested_slot": "slot_start"}, active_loop="booking_form",
                intent="faq")
    events, messages = run(ValidateBookingForm(), t)
    assert "slot_start" not in slot_values(events) and messages == []


@pytest.mark.parametrize("value", ["2026-11-26T13:15:00+04:00", "2026-11-29T11:00:00+04:00",
                                   "2020-01-01T10:00:00+04:00"])
def test_unavailable_slot_is_reasked_with_alternatives(clinic_db, value):
    values, responses, messages = validate(ValidateBookingForm(), "slot_start", slot_start=value)
    assert values["slot_start"] is None and responses == ["utter_booking_time_taken"] and messages[0]["buttons"]


@pytest.mark.parametrize("value", ["31st of February", "yesterday", "gibberish"] + INJECTIONS)
def test_nonsense_dates_are_reasked(clinic_db, value):
    values, responses, _ = validate(ValidateBookingForm(), "slot_start", slot_start=value)
    assert values["slot_start"] is None and len(responses) == 1


def test_name_is_trimmed(clinic_db):
    values, responses, _ = validate(ValidateBookingForm(), "patient_name", patient_name="  Amal   Haddad ")
    assert values["patient_name"] == "Amal Haddad" and responses == []


@pytest.mark.parametrize("value", ["a" * 300, "12345", "", "\U0001F600"] + INJECTIONS)
def test_bad_names_are_reasked(clinic_db, value):
    values, responses, _ = validate(ValidateBookingForm(), "patient_name", patient_name=value)
    assert values["patient_name"] is None and responses == ["utter_booking_name_invalid"]


@pytest.mark.parametrize("value", ["050 123 4567", "+971 50 123 4567", "00971501234567"])
def test_phone_becomes_e164(clinic_db, value):
    values, responses, _ = validate(ValidateBookingForm(), "patient_phone", patient_phone=value)
    assert values["patient_phone"] == "+971501234567" and responses == []


@pytest.mark.parametrize("value", ["050-abc-4567", "call me maybe", "123"] + INJECTIONS)
def test_bad_phones_are_reasked(clinic_db, value):
    values, responses, _ = validate(ValidateBookingForm(), "patient_phone", patient_phone=value)
    assert values["patient_phone"] is None and responses == ["utter_booking_phone_invalid"]


def test_whatsapp_phone_is_taken_from_metadata_and_not_asked(clinic_db):
    t = tracker("Amal Haddad", slots={"requested_slot": "patient_name"}, slot_events={"patient_name": "Amal Haddad"},
                metadata={"channel": "whatsapp", "phone": "+971501234567"}, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["patient_phone"] == "+971501234567" and messages == []


def test_web_metadata_phone_is_not_trusted(clinic_db):
    t = tracker("hi", slots={"requested_slot": "patient_name"}, metadata={"channel": "web", "phone": "+971501234567"},
                active_loop="booking_form")
    events, _ = run(ValidateBookingForm(), t)
    assert "patient_phone" not in slot_values(events)


@pytest.mark.parametrize("value, accepted", [(True, True), (False, False), ("maybe", None)])
def test_consent(clinic_db, value, accepted):
    from clinic.privacy.models import ConsentRecord

    values, _, _ = validate(ValidateBookingForm(), "contact_consent", contact_consent=value)
    assert values["contact_consent"] is accepted
    with clinic_db() as session:
        recorded = session.scalars(select(ConsentRecord)).all()
    assert len(recorded) == (1 if value is True else 0)


def test_injection_in_every_field_stores_nothing(clinic_db):
    for bad in INJECTIONS:
        slots = {"service": bad, "slot_start": bad, "patient_name": bad, "patient_phone": bad, "contact_consent": True}
        values, responses, _ = validate(ValidateBookingForm(), "service", **slots)
        assert all(values[k] is None for k in ("service", "slot_start", "patient_name", "patient_phone"))
        run(ActionBookAppointment(), tracker("yes", slots=slots))
    with clinic_db() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 0
        assert session.scalar(select(func.count()).select_from(Patient)) == 0


def test_reference_is_found_in_a_sentence_and_normalised(clinic_db):
    t = tracker("please cancel ns 7k3w", slots={"requested_slot": "booking_reference"}, active_loop="cancel_form")
    events, _ = run(ValidateCancelForm(), t)
    assert slot_values(events)["booking_reference"] == "NS-7K3W"
    values, responses, _ = validate(ValidateCancelForm(), "booking_reference", booking_reference="NS-7K3")
    assert values["booking_reference"] is None and responses == ["utter_booking_reference_invalid"]
    # no reference at all ("hello", "i don't have it"): the number it was booked with is asked instead
    values, responses, _ = validate(ValidateCancelForm(), "booking_reference", booking_reference="hello")
    assert values["booking_reference"] is None and values["requested_slot"] == "patient_phone" and responses == []


def test_reschedule_checks_the_new_time_for_the_booked_service(clinic_db):
    slots = {"service": "mesotherapy_session", "slot_start": FREE, "patient_name": "Amal Test",
             "patient_phone": "+971501234567", "contact_consent": True}
    _, [done] = run(ActionBookAppointment(), tracker("yes", slots=slots))
    # 19:30 fits a 30-minute consultation but not the booked 45-minute session (closing 20:00)
    values, responses, _ = validate(ValidateRescheduleForm(), "slot_start",
                                    slots={"booking_reference": done["reference"]},
                                    slot_start="2026-11-26T19:30:00+04:00")
    assert values["slot_start"] is None and responses == ["utter_booking_time_taken"]


@pytest.mark.parametrize("text, intent, taken", [
    ("Amal Haddad", "faq", True),          # the classifier's guess does not matter for a name
    ("Noura Saeed", "nlu_fallback", True),
    ("how much is it", "faq", False),       # a question mid-form is answered instead
    ("is it safe?", "faq", False),
    ("I want to talk to a person", "human_handoff", False),
    ("12345", "inform", False),             # not a name: the validator would refuse it anyway
])
def test_a_name_is_taken_whatever_the_classifier_guessed(clinic_db, text, intent, taken):
    t = tracker(text, slots={"requested_slot": "patient_name"}, intent=intent, active_loop="booking_form")
    events, _ = run(ValidateBookingForm(), t)
    assert slot_values(events).get("patient_name") == (text if taken else None)


def test_a_change_of_time_later_in_the_form_replaces_the_time_and_keeps_the_buttons_last(clinic_db):
    """"wait sorry, can we make it saturday morning instead?" while the form asks for the
    name: the new time is checked and offered (buttons on that message), nothing else is said."""
    from actions.booking_form import ValidateBookingForm

    text = "wait sorry, can we make it saturday morning instead?"
    slots = {"service": "consultation", "slot_start": "2026-11-26T14:00:00+04:00", "requested_slot": "patient_name",
             "patient_name": text}
    t = tracker(text, slots=slots, intent="reschedule_appointment", active_loop="booking_form",
                slot_events={"patient_name": text})
    events, messages = run(ValidateBookingForm(), t)
    values = slot_values(events)
    assert values["slot_start"] is None and values["patient_name"] is None
    assert [m["response"] for m in messages] == ["utter_booking_slots"]
    assert all(b["payload"].startswith('/inform{"slot_start": "2026-11-28T') for b in messages[0]["buttons"])


@pytest.mark.parametrize("text", ["never mind", "stop", "start again"])
def test_stop_in_the_middle_of_the_form_ends_it_and_nothing_is_booked(clinic_db, text):
    from actions.booking import ActionConfirmBooking

    slots = {"service": "consultation", "slot_start": "2026-11-26T14:00:00+04:00", "requested_slot": "patient_name"}
    events, messages = run(ValidateBookingForm(), tracker(text, slots=slots, intent="nlu_fallback",
                                                          active_loop="booking_form"))
    assert slot_values(events) == {"patient_name": None, "requested_slot": None} and messages == []  # ends here
    # then the rule for a finished form runs action_confirm_booking on the same message
    events, [told] = run(ActionConfirmBooking(), tracker(text, slots={**slots, "patient_name": None}))
    assert told["response"] == "utter_booking_not_booked_no_hold" and slot_values(events)["slot_start"] is None
    with clinic_db() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 0


@pytest.mark.parametrize("requested", ["slot_start", "patient_name", "patient_phone", "contact_consent"])
@pytest.mark.parametrize("text, intent", [("let me think about it", "defer"),
                                          ("wait let me ask my wife", "out_of_scope"),
                                          ("i'll get back to u", "nlu_fallback"), ("not now maybe later", "deny")])
def test_a_deferral_at_any_question_leaves_the_form_with_message_us_when_ready(clinic_db, requested, text, intent):
    from actions.booking import ActionConfirmBooking

    slots = {"service": "consultation", "slot_start": "2026-11-26T14:00:00+04:00", "patient_name": "Amal Test",
             "patient_phone": "+971501234567", "requested_slot": requested, requested: None}
    events, messages = run(ValidateBookingForm(), tracker(text, slots=slots, intent=intent, active_loop="booking_form"))
    assert slot_values(events) == {requested: None, "requested_slot": None} and messages == []  # the form ends
    events, [told] = run(ActionConfirmBooking(), tracker(text, slots=slots, intent=intent))
    assert told["response"] == "utter_booking_deferred_no_hold"
    assert slot_values(events)["slot_start"] is None and slot_values(events)["service"] is None
    with clinic_db() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 0


def test_a_deferral_while_cancelling_says_nothing_was_cancelled(clinic_db):
    slots = {"requested_slot": "booking_reference"}
    events, _ = run(ValidateCancelForm(), tracker("let me check my calendar and come back", slots=slots,
                                                  intent="defer", active_loop="cancel_form"))
    assert slot_values(events)["requested_slot"] is None
    assert {"event": "followup", "name": "utter_cancel_stopped"} in [
        {"event": e.get("event"), "name": e.get("name")} for e in events if e.get("event") == "followup"]


def test_the_consent_question_keeps_its_own_no(clinic_db):
    slots = {"service": "consultation", "requested_slot": "contact_consent"}
    events, _ = run(ValidateBookingForm(), tracker("no thanks", slots=slots, intent="deny",
                                                   active_loop="booking_form", slot_events={"contact_consent": False}))
    assert slot_values(events).get("requested_slot", "unchanged") is not None


def test_stop_while_rescheduling_says_the_appointment_is_unchanged(clinic_db):
    from actions.booking import ActionRescheduleAppointment

    booked = {"service": "consultation", "slot_start": "2026-11-26T14:00:00+04:00", "patient_name": "Amal Test",
              "patient_phone": "+971501234567", "contact_consent": True}
    _, [done] = run(ActionBookAppointment(), tracker("yes", slots=booked))
    slots = {"booking_reference": done["reference"], "patient_phone": "+971501234567", "requested_slot": "slot_start"}
    events, messages = run(ValidateRescheduleForm(), tracker("never mind", slots=slots, active_loop="reschedule_form"))
    assert slot_values(events) == {"slot_start": None, "requested_slot": None} and messages == []
    _, [told] = run(ActionRescheduleAppointment(), tracker("never mind", slots=slots))
    assert told["response"] == "utter_reschedule_kept" and told["when"] == "Thursday 26 November at 2:00 pm"


FRIDAY = ["2026-11-27T14:00:00+04:00", "2026-11-27T14:30:00+04:00", "2026-11-27T15:00:00+04:00"]


def at_offered_times(text, offered=FRIDAY):
    """The patient types ``text`` after the bot offered ``offered`` as time buttons."""
    t = tracker(text, slots={"requested_slot": "slot_start"}, active_loop="booking_form")
    buttons = [{"title": value, "payload": '/inform{"slot_start": "%s"}' % value} for value in offered]
    t.events = [{"event": "user", "text": "consultation friday"},
                {"event": "bot", "text": "Here are the free times", "data": {"buttons": buttons}}] + t.events
    return run(ValidateBookingForm(), t)


@pytest.mark.parametrize("text, chosen", [("2.30 is ok", FRIDAY[1]), ("2 30", FRIDAY[1]), ("2nd one", FRIDAY[1]),
                                          ("the first one", FRIDAY[0]), ("3pm pls", FRIDAY[2])])
def test_a_typed_choice_among_the_offered_times_is_taken_and_read_back(clinic_db, text, chosen):
    events, messages = at_offered_times(text)
    assert slot_values(events)["slot_start"] == chosen
    assert [m["response"] for m in messages] == ["utter_booking_time_noted"]


def test_a_bare_yes_at_the_offered_times_asks_about_the_first_and_takes_nothing(clinic_db):
    events, messages = at_offered_times("yes thats fine")
    assert slot_values(events)["slot_start"] is None
    assert [m["response"] for m in messages] == ["utter_booking_take_first"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ['/inform{"slot_start": "%s"}' % FRIDAY[0]]


def test_a_yes_to_that_question_takes_the_time(clinic_db):
    events, _ = at_offered_times("yes", offered=FRIDAY[:1])
    assert slot_values(events)["slot_start"] == FRIDAY[0]


@pytest.mark.parametrize("value", ["great thanks", "perfect", "Perfect!", "cool", "تمام"])
def test_an_acknowledgement_at_the_name_question_is_no_name(clinic_db, value):
    # "Good news: ... is free. What name ...?" -> "perfect": not booked under the name "Perfect"
    values, responses, _ = validate(ValidateBookingForm(), "patient_name", patient_name=value)
    assert values["patient_name"] is None and responses == ["utter_booking_name_invalid"]


def test_a_bare_yes_at_the_offered_times_when_moving_asks_about_moving(clinic_db):
    from rasa_sdk.executor import CollectingDispatcher

    t = tracker("yes thats fine", slots={"requested_slot": "slot_start"}, active_loop="reschedule_form")
    buttons = [{"title": v, "payload": '/inform{"slot_start": "%s"}' % v} for v in FRIDAY]
    t.events = [{"event": "user", "text": "move it to friday"},
                {"event": "bot", "text": "Here are the free times", "data": {"buttons": buttons}}] + t.events
    dispatcher = CollectingDispatcher()
    values = ValidateRescheduleForm().validate_slot_start("yes thats fine", dispatcher, t, {})
    assert values["slot_start"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_reschedule_take_first"]


def test_booking_for_two_says_once_that_each_booking_is_for_one_person(clinic_db):
    # the opening message: said before anything else
    t = tracker("i want to book for me and my sister tmrw evening", active_loop="booking_form",
                intent="book_appointment")
    t.events[:0] = [{"event": "active_loop", "name": "booking_form"}]
    _, messages = run(ValidateBookingForm(), t)
    assert [m["response"] for m in messages][:1] == ["utter_booking_one_person"]
    # said already in this booking: not again
    t = asked_service(tracker("meso for me and my sister", slots={"requested_slot": "service"},
                              slot_events={"service": "meso for me and my sister"}, active_loop="booking_form"), 1)
    t.events.insert(1, {"event": "bot", "metadata": {"utter_action": "utter_booking_one_person"}})
    _, messages = run(ValidateBookingForm(), t)
    assert "utter_booking_one_person" not in [m["response"] for m in messages]


@pytest.mark.parametrize("text, intent, name", [("sara", "inform", "Sara"), ("sara", "nlu_fallback", None),
                                                ("whatever", "inform", None), ("same", "inform", None),
                                                ("Sara Khan", "nlu_fallback", "Sara Khan")])
def test_a_one_word_name_while_the_time_is_asked_is_taken_when_read_as_a_detail(clinic_db, text, intent, name):
    t = tracker(text, slots={"requested_slot": "slot_start", "service": "consultation"}, active_loop="booking_form",
                intent=intent)
    events, _ = run(ValidateBookingForm(), t)
    assert slot_values(events).get("patient_name") == name


def test_a_change_of_day_read_as_a_move_at_the_service_question_stays_in_this_booking(clinic_db):
    # "no change it to monday" read as reschedule_appointment: the form keeps it (no move's questions)
    t = asked_service(tracker("no change it to monday", slots={"requested_slot": "service", "time_wish": "sunday"},
                              active_loop="booking_form", intent="reschedule_appointment"), 1)
    events, messages = run(ValidateBookingForm(), t)
    values = slot_values(events)
    assert [m["response"] for m in messages] == ["utter_booking_time_kept"]
    assert "monday" in values["time_wish"]
