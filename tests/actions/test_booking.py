"""Booking actions run directly with rasa-sdk Tracker and CollectingDispatcher on SQLite."""
import json

from sqlalchemy import func, select

from actions.booking import (
    ActionBookAppointment, ActionCancelAppointment, ActionCheckAvailability, ActionConfirmBooking,
    ActionConfirmReply, ActionRescheduleAppointment,
)
from rasa_sdk.executor import CollectingDispatcher

from clinic.booking.models import Appointment, Patient
from tests.actions.booking_fixtures import clinic_db, reply, run, slot_values, tracker  # noqa: F401

THU_2PM = "2026-11-26T14:00:00+04:00"
BOOKED = {"service": "consultation", "slot_start": THU_2PM, "patient_name": "Amal Test",
          "patient_phone": "+971501234567", "contact_consent": True}


def payload_starts(message):
    return [json.loads(b["payload"][len("/inform"):])["slot_start"] for b in message["buttons"]]


def check(text, **kwargs):
    events, messages = run(ActionCheckAvailability(), tracker(text, **kwargs))
    assert events == []
    return messages


def count(factory, model):
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_thursday_afternoon_offers_five_buttons_that_set_slot_start(clinic_db):
    [message] = check("do you have anything Thursday afternoon?")
    assert message["response"] == "utter_booking_slots"
    assert payload_starts(message) == ["2026-11-26T13:00:00+04:00", "2026-11-26T13:30:00+04:00",
                                       "2026-11-26T14:00:00+04:00", "2026-11-26T14:30:00+04:00",
                                       "2026-11-26T15:00:00+04:00"]
    assert message["buttons"][0]["title"] == "Thu 26 Nov, 1:00 pm"
    assert message["buttons"][0]["payload"] == '/inform{"slot_start": "2026-11-26T13:00:00+04:00"}'


def test_exact_free_time_is_offered_first(clinic_db):
    [message] = check("tomorrow at 5")
    assert message["response"] == "utter_booking_slot_free" and message["when"] == "Friday 27 November at 5:00 pm"
    assert payload_starts(message)[0] == "2026-11-27T17:00:00+04:00" and len(message["buttons"]) == 5


def test_outside_hours_is_explained_with_alternatives(clinic_db):
    [message] = check("tomorrow at 10am")  # Friday opens at 14:00
    assert message["response"] == "utter_booking_outside_hours" and message["buttons"]


def test_a_part_of_day_outside_opening_hours_is_explained(clinic_db):
    [message] = check("friday morning")  # Fridays open at 14:00
    assert message["response"] == "utter_booking_outside_hours"
    assert message["when"] == "Friday 27 November, 8:00 am to 12:00 pm" and message["buttons"]


def test_past_invalid_unknown(clinic_db):
    [past] = check("yesterday")
    assert past["response"] == "utter_booking_date_past" and past["buttons"]
    assert check("31st of February")[0]["response"] == "utter_booking_date_invalid"
    assert check("'; DROP TABLE booking_appointments; --")[0]["response"] == "utter_booking_date_unknown"


def test_closed_sunday_and_public_holiday(clinic_db):
    [sunday] = check("sunday")
    assert sunday["response"] == "utter_booking_closed_day" and sunday["buttons"]
    [holiday] = check("on 2/12")
    assert holiday["response"] == "utter_booking_holiday" and holiday["reason"] == "National Day"
    assert all(not p.startswith("2026-12-02") for p in payload_starts(holiday))
    [evening] = check("next tuesday evening")  # 1 December: Commemoration Day, then National Day
    assert evening["response"] == "utter_booking_holiday" and evening["reason"] == "Commemoration Day"
    assert all(p[11:13] >= "17" for p in payload_starts(evening)), payload_starts(evening)


def test_nothing_free_offers_the_nearest(clinic_db):
    for start in ["2026-11-26T13:00:00+04:00", "2026-11-26T13:30:00+04:00"]:  # Arjun alone 13:00-14:00
        run(ActionBookAppointment(), tracker("yes", slots={**BOOKED, "slot_start": start}, message_id=start))
    [message] = check("today at 1pm")
    assert message["response"] == "utter_booking_time_taken" and message["buttons"]


def test_confirm_holds_the_slot_and_yes_confirms_the_hold(clinic_db):
    events, [message] = run(ActionConfirmBooking(), tracker("", slots=BOOKED))
    assert message["response"] == "utter_booking_confirm" and message["service_name"] == "Consultation"
    assert message["when"] == "Thursday 26 November at 2:00 pm" and message["patient_name"] == "Amal Test"
    held = slot_values(events)["held_reference"]
    with clinic_db() as session:
        assert session.scalar(select(Appointment.status)) == "held"
    events, [done] = run(ActionBookAppointment(), tracker("yes", slots={**BOOKED, "held_reference": held},
                                                          message_id="m2"))
    assert done["response"] == "utter_booking_done" and done["reference"] == held
    assert slot_values(events)["held_reference"] is None
    with clinic_db() as session:
        assert session.scalar(select(Appointment.status)) == "confirmed"
    assert count(clinic_db, Appointment) == 1


def test_no_at_the_confirmation_deletes_the_hold(clinic_db):
    from actions.booking import ActionResetBooking

    events, _ = run(ActionConfirmBooking(), tracker("", slots=BOOKED))
    held = slot_values(events)["held_reference"]
    run(ActionResetBooking(), tracker("no", slots={**BOOKED, "held_reference": held}))
    assert count(clinic_db, Appointment) == 0 and count(clinic_db, Patient) == 0


def test_a_hold_lost_after_lapsing_is_booked_afresh_when_still_free(clinic_db):
    _, [done] = run(ActionBookAppointment(), tracker("yes", slots={**BOOKED, "held_reference": "NS-7K3W"}))
    assert done["response"] == "utter_booking_done" and done["reference"] != "NS-7K3W"


def test_confirm_reports_a_taken_slot_before_asking(clinic_db):
    run(ActionBookAppointment(), tracker("yes", slots=BOOKED, sender="someone-else"))
    run(ActionBookAppointment(), tracker("yes", slots=BOOKED, sender="third"))
    events, [message] = run(ActionConfirmBooking(), tracker("", slots=BOOKED))
    assert message["response"] == "utter_booking_slot_taken" and message["buttons"]
    assert slot_values(events) == {"slot_start": None, "held_reference": None, "confirming": None,
                                   "confirm_asked_again": None}


def test_confirm_without_consent_explains_and_resets(clinic_db):
    events, [message] = run(ActionConfirmBooking(), tracker("no", slots={**BOOKED, "contact_consent": False}))
    assert message["response"] == "utter_booking_needs_consent"
    assert slot_values(events) == {"service": None, "slot_start": None, "contact_consent": None,
                                   "held_reference": None, "confirming": None, "confirm_asked_again": None,
                                   "time_wish": None}


def test_book_commits_once_and_shows_the_reference(clinic_db):
    events, [message] = run(ActionBookAppointment(), tracker("yes", slots=BOOKED))
    assert message["response"] == "utter_booking_done" and message["reference"].startswith("NS-")
    assert slot_values(events)["booking_reference"] == message["reference"]
    assert slot_values(events)["slot_start"] is None
    _, [again] = run(ActionBookAppointment(), tracker("yes", slots=BOOKED))  # the same message delivered twice
    assert again["reference"] == message["reference"]
    assert count(clinic_db, Appointment) == 1 and count(clinic_db, Patient) == 1


def test_lost_race_offers_alternatives(clinic_db):
    run(ActionBookAppointment(), tracker("yes", slots=BOOKED, sender="someone-else"))
    run(ActionBookAppointment(), tracker("yes", slots=BOOKED, sender="third"))  # second practitioner
    events, [message] = run(ActionBookAppointment(), tracker("yes", slots=BOOKED))
    assert message["response"] == "utter_booking_slot_taken" and message["buttons"]
    assert slot_values(events) == {"slot_start": None, "held_reference": None, "confirming": None,
                                   "confirm_asked_again": None}


def test_no_consent_or_bad_details_store_nothing(clinic_db):
    _, [message] = run(ActionBookAppointment(), tracker("no", slots={**BOOKED, "contact_consent": False}))
    assert message["response"] == "utter_booking_needs_consent"
    _, [message] = run(ActionBookAppointment(), tracker("yes", slots={**BOOKED, "patient_name": "x" * 300}))
    assert message["response"] == "utter_booking_failed"
    assert count(clinic_db, Appointment) == 0 and count(clinic_db, Patient) == 0


def test_whatsapp_phone_comes_from_the_channel(clinic_db):
    slots = {**BOOKED, "patient_phone": None}
    metadata = {"channel": "whatsapp", "phone": "+971501234567"}
    _, [message] = run(ActionBookAppointment(),
                       tracker("yes", slots=slots, metadata=metadata, sender="wa-971501234567"))
    assert message["response"] == "utter_booking_done"
    with clinic_db() as session:
        assert session.scalar(select(Patient.channel)) == "whatsapp"


def book_one(clinic_db):
    _, [message] = run(ActionBookAppointment(), tracker("yes", slots=BOOKED))
    return message["reference"]


def test_cancel_by_reference_and_phone(clinic_db):
    reference = book_one(clinic_db)
    _, [wrong] = run(ActionCancelAppointment(), tracker("", slots={"booking_reference": reference,
                                                                   "patient_phone": "+971509999999"}))
    assert wrong["response"] == "utter_booking_not_found"
    events, [done] = run(ActionCancelAppointment(), tracker("", slots={"booking_reference": reference,
                                                                       "patient_phone": "+971501234567"}))
    assert done["response"] == "utter_booking_cancelled" and done["reference"] == reference
    with clinic_db() as session:
        assert session.scalar(select(Appointment.status)) == "cancelled"


def test_reschedule_by_reference_and_phone(clinic_db):
    reference = book_one(clinic_db)
    slots = {"booking_reference": reference, "patient_phone": "+971501234567",
             "slot_start": "2026-11-28T11:00:00+04:00"}
    events, [asked] = run(ActionRescheduleAppointment(), tracker("", slots=slots))
    assert asked["response"] == "utter_confirm_reschedule" and asked["when"] == "Saturday 28 November at 11:00 am"
    assert asked["old_when"] == "Thursday 26 November at 2:00 pm" and slot_values(events)["confirming"] == "reschedule"
    with clinic_db() as session:  # nothing moves before the patient's yes
        assert session.scalar(select(Appointment.starts_at)).hour == 10  # 14:00 Dubai, stored in UTC

    def yes(extra):
        return reply("yes", "action_reschedule_appointment", {**slots, "confirming": "reschedule", **extra})

    _, [moved] = run(ActionConfirmReply(), yes({}))
    assert moved["response"] == "utter_booking_rescheduled" and moved["when"] == "Saturday 28 November at 11:00 am"
    _, [bad] = run(ActionConfirmReply(), yes({"slot_start": "2026-11-29T11:00:00+04:00"}))
    assert bad["response"] == "utter_booking_slot_unavailable" and bad["buttons"]  # Sunday: closed
    other = dict(BOOKED, slot_start="2026-11-28T12:00:00+04:00", patient_phone="+971501234568")
    run(ActionBookAppointment(), tracker("yes", slots=other, sender="c2"))
    run(ActionBookAppointment(), tracker("yes", slots=other, sender="c3"))
    _, [taken] = run(ActionConfirmReply(), yes({"slot_start": other["slot_start"]}))
    assert taken["response"] == "utter_booking_slot_taken" and taken["buttons"]


def test_ask_slot_start_offers_the_earliest_slots(clinic_db):
    from actions.booking import ActionAskSlotStart

    _, [message] = run(ActionAskSlotStart(), tracker("book please", slots={"service": "consultation"}))
    assert message["response"] == "utter_ask_slot_start"
    assert payload_starts(message)[0] == "2026-11-26T13:00:00+04:00" and len(message["buttons"]) == 5


def test_ask_slot_start_adds_nothing_after_the_buttons_just_shown(clinic_db):
    from actions.booking import ActionAskSlotStart

    t = tracker("tomorrow at 5", slots={"service": "consultation"})
    t.events.append({"event": "bot", "text": "", "data": {"buttons": [
        {"title": "x", "payload": '/inform{"slot_start": "2026-11-26T14:00:00+04:00"}'}]}})
    events, messages = run(ActionAskSlotStart(), t)
    assert events == [] and messages == []  # the message with the buttons stays the last one


def test_ask_slot_start_offers_the_times_after_a_faq_answer_with_its_own_button(clinic_db):
    from actions.booking import ActionAskSlotStart

    t = tracker("how long does it take", slots={"service": "consultation"})
    t.events.append({"event": "bot", "text": "About 45 minutes.",
                     "data": {"buttons": [{"title": "Book a consultation", "payload": "/book_appointment"}]}})
    _, [message] = run(ActionAskSlotStart(), t)
    assert message["response"] == "utter_ask_slot_start" and len(message["buttons"]) == 5


def test_reset_booking_clears_the_form(clinic_db):
    from actions.booking import ActionResetBooking

    events, messages = run(ActionResetBooking(), tracker("no", slots=BOOKED))
    assert slot_values(events) == {"service": None, "slot_start": None, "contact_consent": None,
                                   "held_reference": None, "confirming": None, "confirm_asked_again": None,
                                   "time_wish": None, "hold_released": False} and messages == []


def test_every_response_the_actions_send_is_listed_and_in_the_domain(root, domain):
    import re

    from actions.booking import RESPONSES_USED

    source = "".join((root / "actions" / name).read_text()
                     for name in ("booking.py", "booking_form.py", "booking_common.py"))
    # read or followed up, not sent: utter_confirm_cancel (the question answered), utter_out_of_scope
    # (a retrieval action a left-behind question hands over to), utter_ask_service (the form's
    # question, counted); utter_action: a parse-data key
    used = set(re.findall(r'"(utter_[a-z_]+)"', source)) - {"utter_message", "utter_action", "utter_confirm_cancel",
                                                           "utter_out_of_scope", "utter_ask_service"}
    used |= {f"utter_confirm_again_{kind}" for kind in ("book", "cancel", "reschedule")}
    used |= {"utter_booking_date_invalid", "utter_booking_date_unknown"}  # f"utter_booking_date_{status}"
    assert used == set(RESPONSES_USED)
    assert set(RESPONSES_USED) <= set(domain["responses"])


def test_a_database_that_is_missing_or_not_seeded_gets_an_apology_not_a_500(tmp_path, monkeypatch):
    from actions import booking_common
    from actions.booking import ActionAskSlotStart
    from actions.booking_form import ValidateBookingForm
    from clinic.db import make_engine, make_session_factory

    empty = make_session_factory(make_engine(f"sqlite:///{tmp_path}/empty.db"))
    monkeypatch.setattr(booking_common, "session_factory", lambda: empty)
    for action, t in [(ActionCheckAvailability(), tracker("tomorrow at 5")),
                      (ActionAskSlotStart(), tracker("")),
                      (ActionBookAppointment(), tracker("yes", slots=BOOKED)),
                      (ActionCancelAppointment(), tracker("", slots={"booking_reference": "NS-7K3W",
                                                                     "patient_phone": "+971501234567"}))]:
        events, messages = run(action, t)
        assert [m["response"] for m in messages] == ["utter_booking_unavailable"], action.name()
    t = tracker("", slots={"requested_slot": "slot_start"}, slot_events={"slot_start": "2026-11-26T14:00:00+04:00"},
                active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    assert slot_values(events)["slot_start"] is None
    assert [m["response"] for m in messages] == ["utter_booking_unavailable"]


def test_actions_pass_only_the_listed_template_values(clinic_db):
    from actions.booking import RUNTIME_VALUES

    _, [done] = run(ActionBookAppointment(), tracker("yes", slots=BOOKED))
    [holiday] = check("on 2/12")
    _, [confirm] = run(ActionConfirmBooking(), tracker("", slots={**BOOKED, "slot_start": "2026-11-28T11:00:00+04:00"}))
    for message in (done, holiday, confirm):
        extra = set(message) - standard_keys()
        assert extra <= RUNTIME_VALUES, extra


def standard_keys():
    """The keys every CollectingDispatcher message has."""
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response="x")
    return set(dispatcher.messages[0])


def test_a_booking_the_bot_cannot_complete_goes_to_a_person(clinic_db):
    from actions.booking import ActionConfirmBooking

    slots = {"service": "consultation", "slot_start": None, "patient_name": "Amal Test",
             "patient_phone": "+971501234567", "contact_consent": True}
    events, messages = run(ActionConfirmBooking(), tracker("yes", slots=slots))
    assert [m["response"] for m in messages] == ["utter_booking_failed"]
    assert {"event": "followup", "timestamp": None, "name": "action_handoff"} in events
    assert {"event": "slot", "timestamp": None, "name": "handoff_reason", "value": "booking"} in events


def test_yes_after_a_lost_time_asks_for_a_time_again_instead_of_failing(clinic_db):
    from rasa_sdk.events import FollowupAction

    # the confirmation step found the time taken, offered others and cleared slot_start;
    # the patient answers "yes" instead of tapping one of them
    lost = {**BOOKED, "slot_start": None, "held_reference": None}
    events, messages = run(ActionBookAppointment(), tracker("yes", slots=lost))
    assert messages == [] and events[-1] == FollowupAction("booking_form")
    assert count(clinic_db, Appointment) == 0


def test_yes_after_the_booking_was_left_does_not_start_it_again(clinic_db):
    # the consent was refused (or the form left): every detail reset; a "yes" then says
    # nothing is booked instead of asking the service question again
    left = {"service": None, "slot_start": None, "held_reference": None, "contact_consent": None}
    events, [message] = run(ActionBookAppointment(), tracker("yes", slots=left))
    assert message["response"] == "utter_booking_not_booked_no_hold"
    assert not [e for e in events if e.get("event") == "followup"]
    assert count(clinic_db, Appointment) == 0


def test_a_new_time_at_the_confirmation_frees_the_hold_and_goes_back_to_the_form(clinic_db):
    from rasa_sdk.events import FollowupAction

    events, _ = run(ActionConfirmBooking(), tracker("", slots=BOOKED))
    held = slot_values(events)["held_reference"]
    t = reply("wait sorry, can we make it saturday morning instead?", "action_confirm_booking",
              {**BOOKED, "held_reference": held, "confirming": "book"}, intent="reschedule_appointment")
    events, messages = run(ActionConfirmReply(), t)
    assert messages == [] and events[-1] == FollowupAction("booking_form")
    assert slot_values(events)["slot_start"] is None and slot_values(events)["confirming"] is None
    assert count(clinic_db, Appointment) == 0  # the held time is free again at once


def test_free_times_asked_once_a_question_was_left_behind_start_the_booking_form(clinic_db):
    # as the rule "free slots asked outside a form" does: the form offers the free times, so
    # "morning" or "the 2nd one" typed next go on with the booking (not a list outside it)
    from rasa_sdk.events import FollowupAction

    events, messages = run(ActionConfirmReply(), tracker("any free slots saturday?", intent="check_availability"))
    assert messages == [] and events[-1] == FollowupAction("booking_form")
