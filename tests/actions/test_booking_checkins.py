"""Booking details found by the dev booking conversations, and the check-in offer at the
booking confirmation on WhatsApp (issue 16 item 3), through the real rules and actions."""
from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from actions import booking as actions
from actions.booking_form import ValidateBookingForm
from clinic.aftercare.checkins import optin_status
from clinic.aftercare.models import AftercareOptIn
from clinic.booking.models import Appointment
from clinic.db import Base, import_models
from tests.actions.booking_fixtures import clinic_db, run, slot_values, tracker  # noqa: F401
from tests.actions.test_booking_no_silent_failure import BOOK_SLOTS, ROOT, Conversation, route

WA = "wa-971501234567"
WEB = "web-" + "a" * 32


@pytest.fixture
def optin_db(clinic_db):  # noqa: F811
    """The booking database with the aftercare tables too."""
    import_models()
    with clinic_db() as session:
        Base.metadata.create_all(session.get_bind())
    return clinic_db


def booked(sender: str) -> Conversation:
    c = Conversation(BOOK_SLOTS, sender)
    c.run("action_confirm_booking", {"text": "", "intent": {"name": "inform"}})
    c.say("/affirm", "affirm")
    assert c.messages and any(m.get("response") == "utter_booking_done" for m in c.messages)
    return c


def test_whatsapp_booking_ends_with_the_optional_check_in_question(optin_db):
    c = booked(WA)
    done, offer = c.messages[-2:]
    assert done["response"] == "utter_booking_done"
    assert offer["response"] == "utter_aftercare_offer_checkins" and offer["days"] == "1, 3 and 7"
    # its Yes / No buttons (domain.yml) ride on the last message of the turn
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for variation in domain["responses"]["utter_aftercare_offer_checkins"]:
        assert [b["payload"] for b in variation["buttons"]] == ["/affirm", "/deny"]
    assert c.slots.get(actions.CHECKIN_SLOT) is True


@pytest.mark.parametrize("sender", [WEB, "rest-" + "b" * 32, "tw-971501234567"])
def test_no_question_off_whatsapp(optin_db, sender):
    c = booked(sender)
    assert c.messages[-1]["response"] == "utter_booking_done"
    assert not c.slots.get(actions.CHECKIN_SLOT)


@pytest.mark.parametrize("text, intent, response, opted", [
    ("/affirm", "affirm", "utter_aftercare_checkins_on", True),
    ("yes please", "affirm", "utter_aftercare_checkins_on", True),
    ("no thanks", "deny", "utter_aftercare_checkins_declined", False),
    ("/deny", "deny", "utter_aftercare_checkins_declined", False),
])
def test_the_answer_is_recorded_with_the_booking_as_source(optin_db, text, intent, response, opted):
    c = booked(WA)
    [answer] = c.say(text, intent)
    assert answer["response"] == response
    with optin_db() as session:
        assert optin_status(session, WA) is opted
        assert session.get(AftercareOptIn, WA).source == "booking"
    assert not c.slots.get(actions.CHECKIN_SLOT)
    # the booking is made whatever the answer
    with optin_db() as session:
        assert [a.status for a in session.scalars(select(Appointment))] == ["confirmed"]


def test_a_question_instead_gets_its_answer_and_records_nothing(optin_db):
    c = booked(WA)
    turn = c.say("how long does a session take?", "faq")
    assert turn[-1]["response"] != "utter_aftercare_checkins_on"
    with optin_db() as session:
        assert optin_status(session, WA) is None


def test_asked_once_per_patient(optin_db):
    c = booked(WA)
    c.say("no thanks", "deny")
    again = Conversation({**BOOK_SLOTS, "slot_start": "2026-11-28T11:00:00+04:00"}, WA)
    again.run("action_confirm_booking", {"text": "", "intent": {"name": "inform"}})
    again.say("/affirm", "affirm")
    assert again.messages[-1]["response"] == "utter_booking_done"


def test_a_late_yes_is_no_opt_in(optin_db):
    """The offer answers only the message right after it: a "yes" later is an ordinary yes."""
    c = booked(WA)
    c.say("thanks", "thank")
    c.say("yes", "affirm")
    with optin_db() as session:
        assert optin_status(session, WA) is None


def test_the_rules_send_yes_and_no_after_a_booking_to_the_reply_reader():
    for intent in ("affirm", "deny"):
        assert route("action_book_appointment", intent, {}) == ["action_confirm_reply"]
    # booked by action_confirm_reply (a yes after one re-ask): its own next yes or no goes there too
    rules = yaml.safe_load((ROOT / "data" / "rules" / "booking.yml").read_text(encoding="utf-8"))["rules"]
    shapes = {tuple(s.get("action") or s.get("intent") for s in r["steps"] if "slot_was_set" not in s)
              for r in rules if not r.get("condition")}
    for intent in ("affirm", "deny"):
        assert ("action_confirm_reply", intent, "action_confirm_reply") in shapes


# -- consent: a question is answered, a typed answer read in words ------------------------------
def consent(text, intent):
    t = tracker(text, slots={**{k: v for k, v in BOOK_SLOTS.items() if k != "contact_consent"},
                             "requested_slot": "contact_consent"}, intent=intent, active_loop="booking_form")
    events, messages = run(ValidateBookingForm(), t)
    return slot_values(events), [m["response"] for m in messages]


def test_why_do_you_need_my_number_is_answered_then_asked_again(clinic_db):  # noqa: F811
    values, responses = consent("why do you need my number?", "nlu_fallback")
    assert responses == ["utter_booking_consent_why"] and values["contact_consent"] is None


@pytest.mark.parametrize("text, intent, wanted", [("yes thats fine", "nlu_fallback", True), ("تمام", "inform", True),
                                                  ("no i'd rather not", "nlu_fallback", False)])
def test_a_typed_consent_is_read_in_words(clinic_db, text, intent, wanted):  # noqa: F811
    values, _ = consent(text, intent)
    assert values["contact_consent"] is wanted


@pytest.mark.parametrize("intent", ["faq", "urgent_symptom", "human_handoff"])
def test_consent_leaves_questions_and_warning_signs_to_their_rules(clinic_db, intent):  # noqa: F811
    values, responses = consent("my face is swelling a lot", intent)
    assert "contact_consent" not in values and responses == []


# -- a new time at the confirmation ---------------------------------------------------------------
def test_make_it_4_instead_holds_the_new_time_on_the_same_day_before_freeing_the_old(clinic_db):  # noqa: F811
    c = Conversation(BOOK_SLOTS, "patient")  # Thursday 26 November, 2:00 pm
    c.run("action_confirm_booking", {"text": "", "intent": {"name": "inform"}})
    with clinic_db() as session:
        [old] = session.scalars(select(Appointment)).all()
        old_id = old.id
    turn = c.say("wait sorry can we make it 4 instead", "inform")
    assert [m["response"] for m in turn] == ["utter_booking_time_noted", "utter_booking_confirm"]
    assert "4:00 pm" in turn[-1]["when"] and "26 November" in turn[-1]["when"]
    with clinic_db() as session:
        [new] = session.scalars(select(Appointment)).all()
        assert new.status == "held" and new.id != old_id  # a new hold, the old one gone
    c.say("yes", "affirm")
    with clinic_db() as session:
        assert [(a.status, a.starts_at.hour) for a in session.scalars(select(Appointment))] == [("confirmed", 12)]


# -- a time of day once a day was said; a name read as "not understood" -------------------------
def test_anything_after_5_is_offered_on_the_day_said_before(clinic_db):  # noqa: F811
    t = tracker("do you have anything after 5?", intent="check_availability", active_loop="booking_form",
                slots={"requested_slot": "slot_start", "service": "consultation", "time_wish": "consultation saturday"})
    events, messages = run(ValidateBookingForm(), t)
    offered = [b for m in messages for b in m.get("buttons") or []]
    assert offered and slot_values(events).get("slot_start") is None
    for button in offered:
        start = button["payload"].split('"slot_start": "')[1][:16]
        assert start.startswith("2026-11-28T") and start[11:16] >= "17:00"  # Saturday 28, 5 pm on


def test_a_name_the_classifier_did_not_understand_is_kept_while_the_time_is_asked(clinic_db):  # noqa: F811
    t = tracker("Tanvir Hossain", intent="nlu_fallback", active_loop="booking_form",
                slots={"requested_slot": "slot_start", "service": "consultation"})
    events, _ = run(ValidateBookingForm(), t)
    assert slot_values(events).get("patient_name") == "Tanvir Hossain"


def test_a_yes_to_a_later_question_is_no_opt_in(optin_db):
    """Booked and offered, then a cancellation asked and kept: its "ok" is not an opt-in."""
    c = booked(WA)
    c.events += [{"event": "action", "name": "action_listen"},
                 {"event": "user", "text": "cancel it", "parse_data": {}, "message_id": "x"},
                 {"event": "action", "name": "action_confirm_reply"}]
    c.say("ok", "affirm")
    with optin_db() as session:
        assert optin_status(session, WA) is None
