"""The booking form with Arabic answers: a time typed in Arabic or Arabizi, a mobile number
in Arabic-Indic digits, a name in Arabic letters, an Arabic opening message."""
import pytest

from actions.booking_form import ValidateBookingForm
from tests.actions.booking_fixtures import clinic_db, run, slot_values, tracker  # noqa: F401


@pytest.mark.parametrize("text", ["بكرة الساعة ٥", "باچر الساعه 5 العصر", "bukra 5 l3asr", "bokra el sa3a 5"])
def test_a_time_typed_in_arabic_is_taken_at_once_when_free(clinic_db, text):
    t = tracker(text, slots={"requested_slot": "slot_start"}, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["slot_start"] == "2026-11-27T17:00:00+04:00"
    assert [m["response"] for m in messages] == ["utter_booking_time_noted"]


def test_a_part_of_the_day_in_arabic_gets_buttons(clinic_db):
    t = tracker("بكرة العصر", slots={"requested_slot": "slot_start"}, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["slot_start"] is None and slot_values(events)["time_wish"] == "بكرة العصر"
    assert messages[0]["response"] == "utter_booking_slots"
    starts = [b["payload"] for b in messages[0]["buttons"]]
    assert starts and all("2026-11-27T1" in p for p in starts)  # Friday 27th, 15:30-18:00
    assert all(any(f"T{h}:" in p for h in ("15", "16", "17")) for p in starts)


def test_an_arabic_question_mid_form_is_not_a_time(clinic_db):
    t = tracker("كم سعر الجلسة؟", slots={"requested_slot": "slot_start"}, active_loop="booking_form", intent="faq")
    events, messages = run(ValidateBookingForm(), t)
    assert "slot_start" not in slot_values(events) and messages == []


def test_arabic_indic_phone_and_arabic_name(clinic_db):
    t = tracker("٠٥٠١٢٣٤٥٦٧", slots={"requested_slot": "patient_phone"}, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["patient_phone"] == "+971501234567" and messages == []
    t = tracker("اسمي فاطمة الزهراء", slots={"requested_slot": "patient_name"}, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["patient_name"] == "فاطمة الزهراء" and messages == []
    t = tracker("نعم", slots={"requested_slot": "patient_name"}, active_loop="booking_form", intent="affirm")
    events, messages = run(ValidateBookingForm(), t)
    assert not slot_values(events).get("patient_name")


def test_an_arabic_opening_message_prefills_the_form(clinic_db):
    t = tracker("ابي احجز استشارة بكرة الساعة ٥ اسمي محمد علي ورقمي ٠٥٠١٢٣٤٥٦٧", slots={},
                active_loop="booking_form", intent="book_appointment")
    events, _ = run(ValidateBookingForm(), t)
    values = slot_values(events)
    assert values.get("service") == "consultation"
    assert values.get("patient_phone") == "+971501234567"
    assert values.get("patient_name") == "محمد علي"
    assert values.get("slot_start") == "2026-11-27T17:00:00+04:00"
