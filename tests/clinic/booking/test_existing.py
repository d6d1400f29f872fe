"""clinic.booking.existing: which booking a patient means when they cancel or move it, and
what a cancel or move message says (issue 14: without the reference, by the number)."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from clinic.booking import existing
from clinic.booking import service as booking
from clinic.booking.models import Appointment
from tests.clinic.booking.conftest import DUBAI, NOW

PHONE = "+971501234567"
OTHER = "+971559876543"


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=DUBAI)


def book(factory, start, phone=PHONE, service="consultation", name="Priya Nair"):
    return booking.book(factory, service_key=service, start=start, name=name, phone=phone, now=NOW)


# -- reading the message ------------------------------------------------------------------
@pytest.mark.parametrize("text, reference, phone", [
    ("cancel NS-7K3W please", "NS-7K3W", None),
    ("pls cancel ns 7k3w, my no is 050 123 4567", "NS-7K3W", PHONE),
    ("need to cancel, booked with +971 50 123 4567", None, PHONE),
    ("cancel my appointment", None, None),
])
def test_the_reference_and_the_number_are_read(text, reference, phone):
    said = existing.read_change(text, NOW, "cancel")
    assert (said.reference, said.phone) == (reference, phone)


@pytest.mark.parametrize("text, day", [
    ("need to cancel my appt tmrw, something came up", 27),
    ("cant come on saturday pls cancel", 28),
    ("cancel my monday session, number 0501234567", 30),  # the number's digits are no date
])
def test_the_day_of_the_booking_meant_is_read_for_a_cancellation(text, day):
    said = existing.read_change(text, NOW, "cancel")
    assert said.booked is not None and said.booked.start.day == day and said.new_text is None


@pytest.mark.parametrize("text, old_day, new_words", [
    ("can i move my saturday session to next week", 28, "next week"),
    ("can i come on monday instead of saturday", 28, "monday"),
    ("i booked saturday but need monday", 28, "monday"),
    ("cant make it saturday, can we do monday evening", 28, "monday evening"),
    ("reschedule to monday afternoon pls", None, "monday afternoon"),
    ("pls change NS-7K3W to monday 4pm", None, "monday 4pm"),
])
def test_a_move_tells_the_booked_day_from_the_new_one(text, old_day, new_words):
    said = existing.read_change(text, NOW, "reschedule")
    assert (said.booked.start.day if said.booked else None) == old_day
    assert said.new_text is not None and new_words in said.new_text


@pytest.mark.parametrize("text, day", [("can i reschedule my saturday appointment", 28),
                                       ("my appointment tmrw, need to reschedule", 27)])
def test_a_move_without_a_new_time_keeps_none_and_a_possessive_day_names_the_booking(text, day):
    said = existing.read_change(text, NOW, "reschedule")
    assert said.booked.start.day == day and said.new_text is None


def test_a_preference_is_a_new_time_and_looking_forward_is_not_earlier():
    said = existing.read_change("i can come only after 6 now, can you move my appointment", NOW, "reschedule")
    assert said.new_text is not None and not said.earlier
    said = existing.read_change("looking forward, but can we do monday instead", NOW, "reschedule")
    assert not said.earlier and "monday" in said.new_text


@pytest.mark.parametrize("text, shift", [
    ("can i push it to same time next week", timedelta(days=7)),
    ("move my booking one day later", timedelta(days=1)),
    ("can i come an hour later", timedelta(minutes=60)),
    ("same appointment but a day earlier", timedelta(days=-1)),
])
def test_a_move_relative_to_the_booked_time_is_a_shift(text, shift):
    said = existing.read_change(text, NOW, "reschedule")
    assert said.shift == shift and said.new_text is None


def test_earlier_than_the_booking_is_read():
    said = existing.read_change("can i come earlier than my booking?", NOW, "reschedule")
    assert said.earlier and said.shift is None and said.new_text is None


@pytest.mark.parametrize("text", ["i dont have the reference", "lost my booking number", "no idea",
                                  "need to cancel, i don't have the ref", "i forgot the reference",
                                  "can you find it by my number", "cancel the one under my number"])
def test_no_reference_is_understood(text):
    assert existing.says_no_reference(text)


@pytest.mark.parametrize("text", ["NS-7K3W", "0501234567", "yes", "cancel my appointment"])
def test_other_answers_are_not_no_reference(text):
    assert not existing.says_no_reference(text)


def test_a_mistyped_reference_looks_like_one():
    assert existing.looks_like_a_reference("NS-7K3") and not existing.looks_like_a_reference("i dont have it")


# -- finding the booking --------------------------------------------------------------------
def test_one_upcoming_booking_on_the_number_is_found_without_a_reference(factory):
    made = book(factory, at(28, 11))
    with factory() as session:
        found = existing.find_booking(session, phone="050 123 4567", now=NOW)
    assert found.kind == "one" and found.booking.reference == made.reference
    assert found.booking.describe() == "consultation on Saturday 28 November at 11:00 am"


def test_several_bookings_are_offered_and_the_day_said_narrows_them(factory):
    first, second = book(factory, at(28, 11)), book(factory, at(30, 15), service="mesotherapy_session")
    with factory() as session:
        several = existing.find_booking(session, phone=PHONE, now=NOW)
        monday = existing.find_booking(session, phone=PHONE, now=NOW,
                                       booked=existing.read_change("cancel my monday one", NOW).booked)
        by_service = existing.find_booking(session, phone=PHONE, now=NOW, service="mesotherapy_session")
    assert several.kind == "several" and [b.reference for b in several.bookings] == [first.reference, second.reference]
    assert monday.kind == "one" and monday.booking.reference == second.reference
    assert by_service.kind == "one" and by_service.booking.reference == second.reference


def test_buttons_show_day_time_and_service_only(factory):
    book(factory, at(28, 11), name="Priya Nair")
    with factory() as session:
        [found] = existing.find_booking(session, phone=PHONE, now=NOW).bookings
    button = found.button()
    assert button["title"] == "Sat 28 Nov, 11:00 am: Consultation"
    assert "Priya" not in str(button) and "NS-" not in str(button) and "501234567" not in str(button)


def test_another_patients_booking_is_never_found(factory):
    theirs = book(factory, at(28, 11), phone=OTHER)
    with factory() as session:
        assert existing.find_booking(session, phone=PHONE, now=NOW).kind == "none"
        # their reference with our number: not found, and nothing about it is returned
        mismatch = existing.find_booking(session, phone=PHONE, now=NOW, reference=theirs.reference)
    assert mismatch.kind == "mismatch" and mismatch.bookings == ()


def test_cancelled_and_past_bookings_are_not_offered(factory):
    gone = book(factory, at(28, 11))
    booking.cancel(factory, gone.reference, PHONE, now=NOW)
    book(factory, at(26, 14))
    with factory() as session:
        later = existing.find_booking(session, phone=PHONE, now=at(26, 16))
    assert later.kind == "none"


def test_no_number_means_ask_for_it(factory):
    with factory() as session:
        assert existing.find_booking(session, phone=None, now=NOW).kind == "need_phone"
        assert existing.find_booking(session, phone="hello", now=NOW).kind == "need_phone"


def test_a_reference_on_the_number_is_the_one(factory):
    made = book(factory, at(28, 11))
    book(factory, at(30, 15))
    with factory() as session:
        found = existing.find_booking(session, phone=PHONE, now=NOW, reference=made.reference.lower())
    assert found.kind == "one" and found.booking.reference == made.reference


# -- choosing among several ---------------------------------------------------------------
@pytest.fixture
def two(factory):
    book(factory, at(28, 11))
    book(factory, at(30, 15), service="mesotherapy_session")
    with factory() as session:
        return existing.find_booking(session, phone=PHONE, now=NOW).bookings


@pytest.mark.parametrize("text, index", [
    ("the saturday one", 0), ("monday", 1), ("the session", 1), ("the consultation pls", 0),
    ("the second one", 1), ("first", 0), ("the later one", 1),
])
def test_the_patient_picks_in_words(two, text, index):
    assert existing.choose(two, text, NOW) == two[index]


def test_the_patient_taps_a_button(two):
    assert existing.choose(two, two[1].button()["payload"], NOW) == two[1]


@pytest.mark.parametrize("text", ["hmm", "thursday", '/inform{"booking_choice": "2026-12-01T10:00:00+04:00"}',
                                  '/inform{"booking_choice": "nonsense"}'])
def test_an_unclear_pick_is_none(two, text):
    assert existing.choose(two, text, NOW) is None


def test_a_shift_moves_the_booked_time(two):
    change = existing.read_change("same time next week please", NOW, "reschedule")
    assert existing.shifted_start(two[0], change) == at(28, 11) + timedelta(days=7)
    assert existing.shifted_start(two[0], existing.ChangeRequest()) is None


def test_no_orm_object_leaves_the_module(factory):
    book(factory, at(28, 11))
    with factory() as session:
        found = existing.upcoming_on_phone(session, PHONE, NOW)
        assert session.scalar(select(Appointment.reference)) == found[0].reference
    assert isinstance(found[0], existing.BookingSummary)


def test_a_typed_number_opens_bookings_only_off_the_public_website():
    from clinic.booking.existing import typed_number_finds_bookings

    assert not typed_number_finds_bookings("web-" + "0" * 32)   # the widget
    assert not typed_number_finds_bookings("REST-" + "0" * 32)  # the try-it page
    assert typed_number_finds_bookings("wa-971501234567")       # the sender's own number
    assert typed_number_finds_bookings("conv-7")                # an integration with the API token


@pytest.mark.parametrize("text,intent,confidence,expected", [
    ("need to cancel my appt tmrw, something came up", "cancel_appointment", 0.7, "cancel"),
    ("wont make it on sunday for my session", "cancel_appointment", 0.6, "cancel"),
    ("can i move my thursday session to next week", "reschedule_appointment", 0.6, "reschedule"),
    ("ابي الغي موعدي", "cancel_appointment", 0.7, "cancel"),
    ("pls change NS-7K3W to thursday 4pm", "reschedule_appointment", 0.6, "reschedule"),
    ("أبغى أأجل موعدي", "reschedule_appointment", 0.7, "reschedule"),
    ("what's your cancellation policy for appointments?", "cancel_appointment", 0.7, None),  # a question
    ("cancel", "cancel_appointment", 0.6, None),                      # no word for the booking
    ("how much is a session", "cancel_appointment", 0.6, None),       # no cancel word
    ("change my appointment to another day", "reschedule_appointment", 0.4, None),  # too unsure
    ("move my session to friday", "faq", 0.7, None),                  # not the classifier's guess
    ("/cancel_appointment", "cancel_appointment", 0.9, None),
])
def test_a_plain_cancel_or_move_the_classifier_was_unsure_about(text, intent, confidence, expected):
    from clinic.booking.existing import unsure_change

    ranking = [{"name": "nlu_fallback", "confidence": 0.85}, {"name": intent, "confidence": confidence}]
    assert unsure_change(text, ranking) == expected


@pytest.mark.parametrize("text,ranking,expected", [
    ("ابي الغي موعدي يوم الخميس رقمي 0507771122",
     [("out_of_scope", 0.58), ("cancel_appointment", 0.41)], "cancel"),
    ("same time next week pls, cant make it thursday. 056 444 3322",
     [("inform", 0.58), ("reschedule_appointment", 0.39)], "reschedule"),
    ("ممكن اغير موعدي لبكرة؟ رقمي 0557654000",
     [("inform", 0.53), ("reschedule_appointment", 0.16), ("cancel_appointment", 0.12)], "reschedule"),
    ("pls cancel it, my appointment thursday. 0501234567",
     [("inform", 0.6), ("reschedule_appointment", 0.3), ("cancel_appointment", 0.2)], "cancel"),  # no move said
    ("my appointment is thursday 0501234567", [("inform", 0.9), ("cancel_appointment", 0.05)], None),  # no cue
    ("cancel my appointment 0501234567", [("inform", 0.9), ("cancel_appointment", 0.1)], None),  # ranked too low
    ("cancel my appointment? what is the fee", [("out_of_scope", 0.6), ("cancel_appointment", 0.3)], None),
    ("cancel my appointment", [("faq", 0.6), ("cancel_appointment", 0.3)], None),  # a question's guess
])
def test_a_cancel_or_move_pulled_to_a_detail_by_the_number_in_it(text, ranking, expected):
    from clinic.booking.existing import unsure_change

    ranked = [{"name": "nlu_fallback", "confidence": 0.85}] + [{"name": n, "confidence": c} for n, c in ranking]
    assert unsure_change(text, ranked) == expected


@pytest.mark.parametrize("text, wish", [
    ("i need to change it to tuesday same time", "tuesday at 4:00 pm"),
    ("can we do thursday, same time?", "thursday at 4:00 pm"),
    ("move it to wednesday at the same time", "wednesday at 4:00 pm"),
    ("ابي اغير موعدي ليوم الثلاثاء نفس الوقت", "tuesday at 4:00 pm"),
    ("same time next week", "Monday 14 December at 4:00 pm"),
    ("move it to friday evening", "friday evening"),
])
def test_a_move_to_a_new_day_at_the_same_time_keeps_the_booked_clock_time(text, wish):
    booked = existing.BookingSummary("NS-TEGX", "consultation", "Consultation",
                                     datetime(2026, 12, 7, 16, 0, tzinfo=DUBAI))
    change = existing.read_change(text, datetime(2026, 12, 6, 10, 0, tzinfo=DUBAI), "reschedule")
    said = existing.new_time_wish(booked, change)
    assert said is not None and said.endswith(wish) and "same" not in said


@pytest.mark.parametrize("text, wanted", [
    ("same time", "Wednesday 20 January at 11:00 am"), ("same time pls", "Wednesday 20 January at 11:00 am"),
    ("at the same time as before", "Wednesday 20 January at 11:00 am"),
    ("نفس الوقت", "Wednesday 20 January at 11:00 am"), ("nafs el wa2t", "Wednesday 20 January at 11:00 am"),
    ("same time next week", None), ("same time thursday", None), ("3pm", None), ("no", None),
])
def test_same_time_at_the_offered_times_of_a_move_is_the_booked_clock_time(text, wanted):
    from zoneinfo import ZoneInfo

    from clinic.booking.existing import same_time_on_offered_day

    zone = ZoneInfo("Asia/Dubai")
    booked = datetime(2027, 1, 25, 11, tzinfo=zone)
    offered = [datetime(2027, 1, 20, 10, tzinfo=zone), datetime(2027, 1, 20, 10, 30, tzinfo=zone)]
    assert same_time_on_offered_day(text, booked, offered) == wanted
    # offered times on two days: which day is meant is not guessed
    assert same_time_on_offered_day(text, booked, offered + [datetime(2027, 1, 21, 10, tzinfo=zone)]) is None


@pytest.mark.parametrize("text, wish", [
    ("my appt is at 4 on monday, can i come after office same day instead", "Monday 7 December"),
    ("can we do later that day, 7pm", "Monday 7 December"),
    ("ابي اغير موعدي لنفس اليوم بعد المغرب", "Monday 7 December"),  # not "today"
    ("move it to nafs el yom ba3d el maghrib", "Monday 7 December"),
])
def test_a_move_to_the_same_day_is_the_booked_day(text, wish):
    booked = existing.BookingSummary("NS-TEGX", "consultation", "Consultation",
                                     datetime(2026, 12, 7, 16, 0, tzinfo=DUBAI))
    change = existing.read_change(text, datetime(2026, 12, 6, 10, 0, tzinfo=DUBAI), "reschedule")
    said = existing.new_time_wish(booked, change)
    assert said is not None and wish in said and "same" not in said and "that day" not in said
    assert "today" not in said and "نفس" not in said
