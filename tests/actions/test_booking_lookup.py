"""Issue 14, cancelling and moving as a receptionist would: the booking is found by the
number it was made with (typed, or the WhatsApp sender's) and the day said, several are
offered as buttons, a failed look-up is asked again once and then ends clearly, a question
asked meanwhile is answered, and nothing of another patient's booking is shown."""
from datetime import datetime

import pytest

from actions.booking import ActionCancelAppointment
from actions.booking_form import ValidateCancelForm, ValidateRescheduleForm
from actions.booking_lookup import ActionAskBookingReference
from clinic.booking import service as booking
from tests.actions.booking_fixtures import DUBAI, NOW, clinic_db, run, slot_values, statuses, tracker  # noqa: F401

PHONE = "+971501234567"
OTHER = "+971559876543"
WHATSAPP = {"channel": "whatsapp", "phone": PHONE}
SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=DUBAI)
MONDAY = datetime(2026, 11, 30, 15, 0, tzinfo=DUBAI)


def book(factory, start, phone=PHONE, service="consultation", name="Priya Nair"):
    return booking.book(factory, service_key=service, start=start, name=name, phone=phone, now=NOW)


def opening(action, text, intent="cancel_appointment", metadata=None, **slots):
    events, messages = run(action, tracker(text, slots={"requested_slot": None, **slots}, intent=intent,
                                           metadata=metadata, active_loop=action.form_name()))
    return slot_values(events), events, messages


def answer(action, text, asked, slots=None, intent="inform", **kwargs):
    """The patient's reply ``text`` to the form's question for ``asked`` (mapped from text)."""
    slots = {"requested_slot": asked, **(slots or {})}
    t = tracker(text, slots=slots, slot_events={asked: text} if asked in ("booking_reference", "patient_phone")
                else {}, intent=intent, active_loop=action.form_name(), **kwargs)
    events, messages = run(action, t)
    return slot_values(events), events, messages


def ask(slots, metadata=None, loop="cancel_form"):
    events, messages = run(ActionAskBookingReference(), tracker("", slots=slots, metadata=metadata, active_loop=loop))
    return messages


def test_on_whatsapp_the_one_booking_of_the_sender_is_found_at_once(clinic_db):
    made = book(clinic_db, SATURDAY)
    values, _, messages = opening(ValidateCancelForm(), "need to cancel my appt, something came up", metadata=WHATSAPP)
    assert values["booking_reference"] == made.reference and values["patient_phone"] == PHONE
    assert values["booking_summary"] == "consultation on Saturday 28 November at 11:00 am"
    assert messages == [] and "requested_slot" not in values  # the form is filled: "Shall I cancel ...?"


def test_a_number_in_the_opening_message_finds_the_booking_on_the_web(clinic_db):
    made = book(clinic_db, SATURDAY)
    values, _, _ = opening(ValidateCancelForm(), "cant come on saturday pls cancel, booked with 050 123 4567")
    assert values["booking_reference"] == made.reference and values["patient_phone"] == PHONE


def test_no_reference_to_hand_asks_for_the_number_first(clinic_db):
    values, _, messages = opening(ValidateCancelForm(), "need to cancel my booking, i dont have the reference")
    assert values["requested_slot"] == "patient_phone" and messages == []


def test_the_number_given_instead_of_the_reference_finds_the_booking(clinic_db):
    made = book(clinic_db, SATURDAY)
    values, _, messages = answer(ValidateCancelForm(), "its 050 123 4567", "booking_reference")
    assert values["booking_reference"] == made.reference and values["patient_phone"] == PHONE
    assert messages == []


def test_i_dont_have_it_asks_for_the_number_not_the_reference_again(clinic_db):
    values, _, messages = answer(ValidateCancelForm(), "i dont have it", "booking_reference")
    assert values["requested_slot"] == "patient_phone" and values["booking_reference"] is None
    assert messages == []  # the form asks utter_ask_cancel_form_patient_phone


def test_a_mistyped_reference_is_asked_again_as_a_reference(clinic_db):
    _, _, messages = answer(ValidateCancelForm(), "NS-7K3", "booking_reference")
    assert [m["response"] for m in messages] == ["utter_booking_reference_invalid"]


def test_several_bookings_are_offered_as_buttons_and_picked_in_words(clinic_db):
    book(clinic_db, SATURDAY)
    monday = book(clinic_db, MONDAY, service="mesotherapy_session")
    values, _, _ = answer(ValidateCancelForm(), "0501234567", "patient_phone", slots={"booking_reference": None})
    assert values["booking_reference"] is None and values["requested_slot"] == "booking_reference"
    [choice] = ask({"patient_phone": PHONE})
    assert choice["response"] == "utter_booking_choose" and len(choice["buttons"]) == 2
    shown = str(choice["buttons"])
    assert "Priya" not in shown and "NS-" not in shown and "501234567" not in shown
    picked, _, _ = answer(ValidateCancelForm(), "the monday one", "booking_reference", slots={"patient_phone": PHONE})
    assert picked["booking_reference"] == monday.reference
    assert picked["booking_summary"] == "scar-reduction mesotherapy session on Monday 30 November at 3:00 pm"
    tapped, _, _ = answer(ValidateCancelForm(), choice["buttons"][1]["payload"], "booking_reference",
                          slots={"patient_phone": PHONE})
    assert tapped["booking_reference"] == monday.reference


def test_the_day_in_the_opening_picks_among_several(clinic_db):
    book(clinic_db, SATURDAY)
    monday = book(clinic_db, MONDAY, service="mesotherapy_session")
    values, _, _ = opening(ValidateCancelForm(), "need to cancel my monday session", metadata=WHATSAPP)
    assert values["booking_reference"] == monday.reference


def test_a_wrong_number_is_asked_again_once_then_the_patient_is_told(clinic_db):
    book(clinic_db, SATURDAY)
    values, _, messages = answer(ValidateCancelForm(), "0501000000", "patient_phone", slots={"booking_reference": None})
    assert values["lookup_failed"] == "none" and values["patient_phone"] is None
    assert values["requested_slot"] == "booking_reference" and messages == []
    [retry] = ask({"lookup_failed": "none"})
    assert retry["response"] == "utter_booking_lookup_retry"
    # the right number the second time finds it
    found, _, _ = answer(ValidateCancelForm(), "sorry its 0501234567", "booking_reference",
                         slots={"lookup_failed": "none"})
    assert found["patient_phone"] == PHONE and found["booking_summary"]
    # "i don't have it" after a failed look-up: the form ends and says so
    events, messages = run(ValidateCancelForm(), tracker(
        "i dont have it sorry", slots={"requested_slot": "booking_reference", "lookup_failed": "none"},
        slot_events={"booking_reference": "i dont have it sorry"}, active_loop="cancel_form"))
    assert [m["response"] for m in messages] == ["utter_booking_lookup_failed"]
    assert slot_values(events)["requested_slot"] is None
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_listen"]
    assert statuses(clinic_db) == ["confirmed"]


def test_another_patients_reference_is_not_found_and_nothing_of_it_is_said(clinic_db):
    theirs = book(clinic_db, SATURDAY, phone=OTHER, name="Someone Else")
    values, _, messages = answer(ValidateCancelForm(), "0501234567", "patient_phone",
                                 slots={"booking_reference": theirs.reference})
    assert values["lookup_failed"] == "mismatch" and values["booking_reference"] is None
    assert "booking_summary" not in values or values["booking_summary"] is None
    assert messages == []
    # the retry is the same sentence whatever the reason: it does not say whose or which
    [retry] = ask({"lookup_failed": "mismatch"})
    assert retry["response"] == "utter_booking_lookup_retry"


def test_a_question_while_the_booking_is_asked_is_answered(clinic_db):
    t = tracker("will i lose my deposit if i cancel now?", slots={"requested_slot": "booking_reference"},
                slot_events={"booking_reference": "will i lose my deposit if i cancel now?"},
                intent="cancel_appointment", active_loop="cancel_form")
    t.latest_message["intent_ranking"] = [{"name": "cancel_appointment", "confidence": 0.5},
                                          {"name": "faq", "confidence": 0.4}]
    t.latest_message["response_selector"] = {"faq": {"response": {
        "intent_response_key": "faq/booking_policy", "utter_action": "utter_faq/booking_policy"}}}
    events, messages = run(ValidateCancelForm(), t)
    assert [m["response"] for m in messages] == ["utter_faq/booking_policy"]
    assert slot_values(events)["booking_reference"] is None and "requested_slot" not in slot_values(events)


def test_a_question_instead_of_the_number_is_answered_not_refused(clinic_db):
    t = tracker("is there a fee if i cancel late?", slots={"requested_slot": "patient_phone",
                                                            "booking_reference": "NS-7K3W"},
                slot_events={"patient_phone": "is there a fee if i cancel late?"},
                intent="cancel_appointment", active_loop="cancel_form")
    t.latest_message["intent_ranking"] = [{"name": "cancel_appointment", "confidence": 0.5},
                                          {"name": "faq", "confidence": 0.3}]
    t.latest_message["response_selector"] = {"faq": {"response": {
        "intent_response_key": "faq/booking_policy", "utter_action": "utter_faq/booking_policy"}}}
    events, messages = run(ValidateCancelForm(), t)
    assert [m["response"] for m in messages] == ["utter_faq/booking_policy"]
    assert slot_values(events)["patient_phone"] is None


def test_a_found_booking_is_cancelled_on_yes(clinic_db):
    made = book(clinic_db, SATURDAY)
    values, _, _ = opening(ValidateCancelForm(), "cancel my appointment", metadata=WHATSAPP)
    events, [done] = run(ActionCancelAppointment(), tracker("/affirm", slots=values, intent="affirm",
                                                            metadata=WHATSAPP))
    assert done["response"] == "utter_booking_cancelled" and done["reference"] == made.reference
    assert statuses(clinic_db) == ["cancelled"]
    assert slot_values(events)["booking_summary"] is None


def test_a_move_takes_the_new_exact_time_said_with_the_booked_day(clinic_db):
    made = book(clinic_db, SATURDAY)
    values, _, _ = opening(ValidateRescheduleForm(), "can i move my saturday appointment to monday 3pm? 0501234567",
                           intent="reschedule_appointment")
    assert values["booking_reference"] == made.reference
    assert values["slot_start"] == "2026-11-30T15:00:00+04:00"


def test_a_move_keeps_the_new_day_to_offer_once_the_booking_is_found(clinic_db):
    book(clinic_db, SATURDAY)
    values, _, _ = opening(ValidateRescheduleForm(), "can we shift my saturday consultation to monday afternoon",
                           intent="reschedule_appointment", metadata=WHATSAPP)
    assert values["time_wish"].strip() == "monday afternoon" and "slot_start" not in values


def test_same_time_next_week_is_the_booked_time_plus_seven_days(clinic_db):
    book(clinic_db, SATURDAY)
    values, _, _ = opening(ValidateRescheduleForm(), "can i push it to same time next week",
                           intent="reschedule_appointment", metadata=WHATSAPP)
    assert values["slot_start"] == "2026-12-05T11:00:00+04:00"


def test_no_time_is_taken_before_the_booking_is_found(clinic_db):
    values, _, _ = opening(ValidateRescheduleForm(), "reschedule to monday 3pm", intent="reschedule_appointment")
    assert "slot_start" not in values and "time_wish" not in {k for k, v in values.items() if v}


@pytest.mark.parametrize("loop", ["cancel_form", "reschedule_form"])
def test_the_question_for_the_booking_offers_the_number_too(clinic_db, loop):
    [question] = ask({}, loop=loop)
    assert question["response"] == "utter_ask_booking_reference"


def test_after_the_pick_a_move_takes_the_new_day(clinic_db):
    book(clinic_db, SATURDAY)
    book(clinic_db, MONDAY, service="mesotherapy_session")
    picked, _, _ = answer(ValidateRescheduleForm(), "the saturday one", "booking_reference",
                          slots={"patient_phone": PHONE})
    slots = {"requested_slot": "slot_start", "patient_phone": PHONE, "booking_reference": picked["booking_reference"],
             "booking_summary": picked["booking_summary"]}
    events, messages = run(ValidateRescheduleForm(),
                           tracker("monday afternoon", slots=slots, active_loop="reschedule_form"))
    assert messages and messages[0]["buttons"]  # the free times of that Monday, not the earliest
    assert all(datetime.fromisoformat(b["payload"].split('"')[3]).date().isoformat() == "2026-11-30"
               for b in messages[0]["buttons"])


def test_a_new_reference_later_is_looked_up_again(clinic_db):
    first, second = book(clinic_db, SATURDAY), book(clinic_db, MONDAY)
    slots = {"requested_slot": "slot_start", "patient_phone": PHONE, "booking_reference": first.reference,
             "booking_summary": "consultation on Saturday 28 November at 11:00 am"}
    events, _ = run(ValidateRescheduleForm(), tracker(f"sorry i meant {second.reference}", slots=slots,
                                                      active_loop="reschedule_form"))
    values = slot_values(events)
    assert values["booking_reference"] == second.reference
    assert values["booking_summary"] == "consultation on Monday 30 November at 3:00 pm"


# --- the public website: a typed number alone opens nobody's bookings ---------------------------

WEB_ID = "web-" + "a" * 32  # the widget's conversation ids (clinic/channels/ids.py); the try-it page's are rest-


def test_on_the_website_a_typed_number_alone_finds_nothing_and_the_reference_is_asked(clinic_db):
    book(clinic_db, SATURDAY)
    book(clinic_db, MONDAY, service="mesotherapy_session")
    t = tracker("cant come on saturday pls cancel, booked with 050 123 4567", slots={"requested_slot": None},
                intent="cancel_appointment", sender=WEB_ID, active_loop="cancel_form")
    events, messages = run(ValidateCancelForm(), t)
    values = slot_values(events)
    assert values.get("booking_reference") is None and values.get("booking_summary") is None
    assert values["requested_slot"] == "booking_reference" and values["lookup_failed"] == "reference_only"
    slots = {"patient_phone": PHONE, "lookup_failed": "reference_only"}
    asked = run(ActionAskBookingReference(), tracker("", slots=slots, sender=WEB_ID, active_loop="cancel_form"))[1]
    assert [m["response"] for m in asked] == ["utter_booking_reference_needed"]
    assert not any(m.get("buttons") for m in messages + asked)  # no day, time or service of the bookings
    assert statuses(clinic_db) == ["confirmed", "confirmed"]


def test_on_the_website_i_dont_have_the_reference_is_told_how_else_to_reach_us(clinic_db):
    t = tracker("need to cancel my booking, i dont have the reference", slots={"requested_slot": None},
                intent="cancel_appointment", sender=WEB_ID, active_loop="cancel_form")
    values = slot_values(run(ValidateCancelForm(), t)[0])
    assert values["requested_slot"] == "booking_reference"  # not the number
    then = tracker("i dont have it", slots={"requested_slot": "booking_reference", "lookup_failed": "reference_only"},
                   slot_events={"booking_reference": "i dont have it"}, sender=WEB_ID, active_loop="cancel_form")
    events, messages = run(ValidateCancelForm(), then)
    assert [m["response"] for m in messages] == ["utter_booking_lookup_failed"]  # nothing changed; call us
    assert slot_values(events)["requested_slot"] is None  # the form ends


def test_on_the_website_the_reference_with_the_number_still_cancels(clinic_db):
    made = book(clinic_db, SATURDAY)
    t = tracker(f"cancel {made.reference} please, my number is 050 123 4567", slots={"requested_slot": None},
                intent="cancel_appointment", sender=WEB_ID, active_loop="cancel_form")
    values = slot_values(run(ValidateCancelForm(), t)[0])
    assert values["booking_reference"] == made.reference and values["patient_phone"] == PHONE


def test_on_the_website_another_patients_reference_with_your_number_is_not_found(clinic_db):
    other = book(clinic_db, SATURDAY, phone=OTHER, name="Someone Else")
    t = tracker(f"cancel {other.reference}, my number is 050 123 4567", slots={"requested_slot": None},
                intent="cancel_appointment", sender=WEB_ID, active_loop="cancel_form")
    values = slot_values(run(ValidateCancelForm(), t)[0])
    assert values.get("booking_summary") is None and values.get("booking_reference") in (None,)
