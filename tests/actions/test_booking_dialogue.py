"""Issue 14, third slice: the booking form as a receptionist would run it.

A name typed while the time is asked, a time with a name and a number in one message, a
change of service or time in the middle of the form or at "Shall I book it?", preferences
("any evening") kept while the form asks again, and bad input (no such date, two numbers,
a foreign number) answered with one clear re-ask and nothing booked.
"""
from datetime import time
from zoneinfo import ZoneInfo

import pytest
import yaml

from actions.booking import ActionAskSlotStart, ActionConfirmBooking, ActionConfirmReply
from actions.booking_form import ValidateBookingForm
from tests.actions.booking_fixtures import clinic_db, reply, run, slot_values, starts, statuses, tracker  # noqa: F401
from tests.conftest import ROOT

DUBAI = ZoneInfo("Asia/Dubai")
FREE = "2026-11-30T11:00:00+04:00"  # Monday 11:00
PHONE = "+971509876543"
BOOKED = {"service": "consultation", "slot_start": FREE, "patient_name": "Priya Nair", "patient_phone": PHONE,
          "contact_consent": True}


def form_turn(text, requested, slots=None, intent="inform", fill_requested=False):
    """The booking form's validation of ``text`` while it asks for ``requested``."""
    slot_events = {requested: text} if fill_requested else None
    t = tracker(text, slots={"requested_slot": requested, **(slots or {})}, slot_events=slot_events,
                intent=intent, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    return slot_values(events), messages


def test_a_name_typed_while_the_time_is_asked_is_kept(clinic_db):
    values, messages = form_turn("Priya Nair", "slot_start", {"service": "consultation"})
    assert values == {"patient_name": "Priya Nair"} and messages == []  # the time is asked again


@pytest.mark.parametrize("text, intent", [("how long is it?", "faq"), ("sounds good", "inform"),
                                          ("Priya Nair", "faq"), ("ok thanks", "thank")])
def test_other_messages_while_the_time_is_asked_are_not_names(clinic_db, text, intent):
    values, _ = form_turn(text, "slot_start", {"service": "consultation"}, intent=intent)
    assert "patient_name" not in values


def test_a_time_a_name_and_a_number_in_one_message(clinic_db):
    values, messages = form_turn("monday 11am, priya nair 050 987 6543", "slot_start", {"service": "consultation"})
    assert values == {"slot_start": FREE, "time_wish": None, "patient_name": "Priya Nair", "patient_phone": PHONE}
    # "Good news: Monday 30 November at 11:00 am is free." then the consent question; nothing is
    # booked before the read-back and a yes
    assert [m["response"] for m in messages] == ["utter_booking_time_noted"]


def test_a_change_of_service_while_the_name_is_asked(clinic_db):
    text = "sorry actually make it a session instead"
    values, messages = form_turn(text, "patient_name", {"service": "consultation", "slot_start": FREE},
                                 fill_requested=True)
    assert values["service"] == "mesotherapy_session" and values["patient_name"] is None
    # "Of course: a scar-reduction mesotherapy session instead.", no "I didn't catch a name"
    assert [m["response"] for m in messages] == ["utter_booking_service_changed"]
    assert messages[0]["service_name"] == "scar-reduction mesotherapy session"


def test_a_change_of_time_while_the_name_is_asked_offers_the_new_times(clinic_db):
    values, [offer] = form_turn("any evening", "patient_name", {"service": "consultation", "slot_start": FREE},
                                fill_requested=True)
    assert values["slot_start"] is None and values["patient_name"] is None and values["time_wish"] == "any evening"
    assert offer["response"] == "utter_booking_slots" and all(s.time() >= time(17) for s in starts(offer))


def test_a_preference_is_kept_when_the_time_is_asked_again(clinic_db):
    events, [offer] = run(ActionAskSlotStart(), tracker("", slots={"service": "consultation",
                                                                   "time_wish": "mornings only"}))
    assert slot_values(events) == {} and all(s.time() < time(12) for s in starts(offer))


def test_a_name_given_at_the_times_is_acknowledged_before_they_are_offered_again(clinic_db):
    t = tracker("her name is Aisha Khan", slots={"service": "consultation", "time_wish": "monday morning"},
                slot_events={"patient_name": "Aisha Khan"})
    t.events[:0] = [{"event": "slot", "name": "requested_slot", "value": "slot_start"}]
    _, messages = run(ActionAskSlotStart(), t)
    assert [m["response"] for m in messages] == ["utter_booking_details_noted", "utter_booking_slots"]
    # the first question of the form (no time asked before): nothing to acknowledge
    t.events[:1] = []
    _, messages = run(ActionAskSlotStart(), t)
    assert [m["response"] for m in messages] == ["utter_booking_slots"]


@pytest.mark.parametrize("text, response, day", [("31 feb", "utter_booking_date_invalid", None),
                                                 ("sunday at 3am", "utter_booking_closed_day", None),
                                                 ("monday at 11pm", "utter_booking_outside_hours", "2026-11-30")])
def test_a_time_that_cannot_be_booked_is_one_clear_answer(clinic_db, text, response, day):
    values, messages = form_turn(text, "slot_start", {"service": "consultation"})
    assert values["slot_start"] is None and [m["response"] for m in messages] == [response]
    # the next question does not repeat the complaint: at most the day asked is kept, so a
    # question in between does not lose it and "ok 5pm then" is read on that day
    assert values.get("time_wish") == day
    assert statuses(clinic_db) == []


@pytest.mark.parametrize("text, response", [("050 123 4567 or 055 987 6543", "utter_booking_phone_two"),
                                            ("0044 7911 123456", "utter_booking_phone_foreign"),
                                            ("12345", "utter_booking_phone_invalid")])
def test_numbers_that_cannot_be_used_are_asked_again_saying_why(clinic_db, text, response):
    values, messages = form_turn(text, "patient_phone", {**BOOKED, "patient_phone": None}, fill_requested=True)
    assert values["patient_phone"] is None and [m["response"] for m in messages] == [response]


def test_a_foreign_number_read_as_small_talk_is_still_the_answer(clinic_db):
    values, messages = form_turn("+44 7911 123456", "patient_phone", {**BOOKED, "patient_phone": None},
                                 intent="out_of_scope")
    assert values["patient_phone"] is None and [m["response"] for m in messages] == ["utter_booking_phone_foreign"]


def test_a_sentence_is_not_a_name(clinic_db):
    values, messages = form_turn("i would like to book it for my sister please", "patient_name",
                                 {"service": "consultation", "slot_start": FREE}, fill_requested=True)
    assert values["patient_name"] is None and [m["response"] for m in messages] == ["utter_booking_name_invalid"]


def hold(factory):
    events, _ = run(ActionConfirmBooking(), tracker("/affirm", slots=BOOKED))
    return slot_values(events)["held_reference"]


@pytest.mark.parametrize("intent", ["nlu_fallback", "inform", "book_appointment"])
def test_a_change_of_service_at_the_confirmation_frees_the_hold_and_reads_back_again(clinic_db, intent):
    reference = hold(clinic_db)
    t = reply("actually make it a session not a consultation", "action_confirm_booking", intent=intent,
              slots={**BOOKED, "held_reference": reference, "confirming": "book"})
    events, messages = run(ActionConfirmReply(), t)
    values = slot_values(events)
    assert values["service"] == "mesotherapy_session" and values["held_reference"] is None
    assert [e["name"] for e in events if e["event"] == "followup"] == ["booking_form"] and messages == []
    assert statuses(clinic_db) in (["cancelled"], [])  # the hold is gone: nothing booked without a yes


def test_the_ask_service_buttons_are_filled_without_an_interpolation_error(monkeypatch):
    """Rasa fills {placeholders} in button payloads too: a JSON payload must escape its braces."""
    from rasa.core.nlg import interpolator

    errors = []
    monkeypatch.setattr(interpolator.structlogger, "exception", lambda *a, **k: errors.append((a, k)))
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    variation = domain["responses"]["utter_ask_service"][0]
    filled = interpolator.interpolate(dict(variation), {"consultation_price": "free", "session_price": "AED 1"})
    assert [b["payload"] for b in filled["buttons"]] == ['/inform{"service": "consultation"}',
                                                          '/inform{"service": "mesotherapy_session"}']
    assert errors == []


@pytest.mark.parametrize("text, intent", [("ok but can we make it a session instead?", "affirm"),
                                          ("yes but make it monday 2pm instead", "affirm")])
def test_a_yes_with_a_change_changes_instead_of_booking(clinic_db, text, intent):
    from actions.booking import ActionBookAppointment

    reference = hold(clinic_db)
    t = reply(text, "action_confirm_booking", intent=intent,
              slots={**BOOKED, "held_reference": reference, "confirming": "book"})
    events, messages = run(ActionBookAppointment(), t)
    if "monday" in text:
        # a new exact time that is free is held at once and read back for a yes (the old hold freed)
        assert [m["response"] for m in messages] == ["utter_booking_time_noted", "utter_booking_confirm"]
        assert slot_values(events)["confirming"] == "book" and slot_values(events)["held_reference"] != reference
        assert statuses(clinic_db) == ["held"]
    else:
        assert [e["name"] for e in events if e["event"] == "followup"] == ["booking_form"]
    assert "booked" not in statuses(clinic_db) and "confirmed" not in statuses(clinic_db)


def test_a_time_that_could_not_be_had_is_not_complained_about_twice(clinic_db):
    events, [offer] = run(ActionAskSlotStart(), tracker("", slots={"service": "consultation",
                                                                   "time_wish": "consultation sunday 5pm"}))
    assert offer["response"] == "utter_booking_closed_day" and slot_values(events) == {"time_wish": None}


def test_a_number_corrected_at_the_consent_question_replaces_the_first(clinic_db):
    slots = {"service": "consultation", "slot_start": FREE, "patient_name": "Priya Nair", "patient_phone": PHONE}
    values, messages = form_turn("sorry wrong number its 0502223388", "contact_consent", slots)
    # the new number is kept and the consent asked again, not "please tap Yes or No"
    assert values == {"patient_phone": "+971502223388"}
    assert [m["response"] for m in messages] == ["utter_booking_detail_corrected"]


def test_a_name_corrected_while_the_number_is_asked_is_no_number(clinic_db):
    slots = {"service": "consultation", "slot_start": FREE, "patient_name": "Fatma Al Zabi"}
    values, messages = form_turn("sorry spelling wrong, its Fatima Al Zaabi", "patient_phone", slots,
                                 fill_requested=True)
    assert values["patient_name"] == "Fatima Al Zaabi" and values["patient_phone"] is None
    assert [m["response"] for m in messages] == ["utter_booking_detail_corrected"]


@pytest.mark.parametrize("text, slot, value", [
    ("wait the number is wrong, it should be 0509876534", "patient_phone", "+971509876534"),
    ("sorry the name is wrong, its Priya Menon", "patient_name", "Priya Menon"),
])
def test_a_detail_corrected_at_the_confirmation_is_read_back_again(clinic_db, text, slot, value):
    reference = hold(clinic_db)
    t = reply(text, "action_confirm_booking", slots={**BOOKED, "held_reference": reference, "confirming": "book"})
    events, messages = run(ActionConfirmReply(), t)
    values = slot_values(events)
    # not read as "wait" (a no): the detail is replaced, the hold freed, and the complete form
    # hands over to the confirmation, which reads the booking back with the new detail
    assert values[slot] == value and values["held_reference"] is None
    assert [e["name"] for e in events if e["event"] == "followup"] == ["booking_form"]
    assert [m["response"] for m in messages] == ["utter_booking_detail_corrected"]
    assert "confirmed" not in statuses(clinic_db) and "held" not in statuses(clinic_db)


def test_book_one_after_a_question_about_a_session_books_a_session(clinic_db):
    t = tracker("ok book one friday 7pm", intent="book_appointment", active_loop="booking_form")
    t.events[:0] = [{"event": "user", "text": "how much is a session and do you open on friday?"},
                    {"event": "action", "name": "utter_faq"}, {"event": "action", "name": "action_listen"}]
    events, _ = run(ValidateBookingForm(), t)
    assert slot_values(events)["service"] == "mesotherapy_session"


def _after_refusal(text, intent):
    from clinic.privacy.models import ConsentRecord  # noqa: F401  (its table is in the test database)

    t = tracker(text, intent=intent, slots={"patient_name": "Sameer Khan", "patient_phone": PHONE})
    t.events[:0] = [{"event": "slot", "name": "service", "value": "consultation"},
                    {"event": "slot", "name": "slot_start", "value": FREE},
                    {"event": "action", "name": "action_confirm_booking"},
                    {"event": "bot", "text": "No problem, nothing has been stored.",
                     "metadata": {"utter_action": "utter_booking_needs_consent"}},
                    {"event": "slot", "name": "service", "value": None},
                    {"event": "slot", "name": "slot_start", "value": None},
                    {"event": "action", "name": "action_listen"}]
    return t


@pytest.mark.parametrize("intent", ["nlu_fallback", "affirm"])
def test_consent_given_after_refusing_it_resumes_the_booking(clinic_db, intent):
    from actions.fallback import ActionDidYouMean

    action = ActionDidYouMean() if intent == "nlu_fallback" else ActionConfirmReply()
    events, messages = run(action, _after_refusal("ok fine u can keep my number, book it", intent))
    values = slot_values(events)
    # the service and time let go at the refusal come back, with the consent, to the read-back
    assert values["service"] == "consultation" and values["slot_start"] == FREE and values["contact_consent"] is True
    assert [e["name"] for e in events if e["event"] == "followup"] == ["booking_form"] and messages == []


def test_a_bare_yes_after_refusing_the_consent_resumes_nothing(clinic_db):
    events, _ = run(ActionConfirmReply(), _after_refusal("yes", "affirm"))
    assert "contact_consent" not in slot_values(events)
