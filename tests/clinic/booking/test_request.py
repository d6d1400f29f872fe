"""clinic.booking.request: what an opening message says about the booking wanted."""
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from clinic.booking.phone import normalise_name
from clinic.booking import request
from clinic.booking.request import find_phone, find_service, keep_preferred, read_request, service_key

DUBAI = ZoneInfo("Asia/Dubai")
NOW = datetime(2026, 11, 26, 11, 0, tzinfo=DUBAI)  # Thursday 11:00


def when(text):
    """(start, end, exact) of the day/time asked, in local 'Fri 27 17:00' form."""
    query = read_request(text, NOW).when
    return query and (f"{query.start:%a %d %H:%M}", f"{query.end:%a %d %H:%M}", query.exact)


@pytest.mark.parametrize("text, key", [
    ("I'd like to book a consultation", "consultation"), ("i want a consultaion pls", "consultation"),
    ("can i book a counsultation", "consultation"), ("book me for a meso sesion", "mesotherapy_session"),
    ("session on wednesday afternoon", "mesotherapy_session"), ("my first visit", "consultation"),
    ("how much does it cost", None), ("i want to book", None), ("consent form?", None),
    ("a consultation and a session", None),  # both named: the form asks
])
def test_the_service_named(text, key):
    assert find_service(text) == key


def test_button_titles_and_loose_answers_still_map_to_a_service():
    assert service_key("the free one") == "consultation"
    assert service_key("mesotherapy_session") == "mesotherapy_session"
    assert service_key("pizza") is None and service_key(None) is None


@pytest.mark.parametrize("text, expected", [
    ("consultation tomorrow 5pm", ("Fri 27 17:00", "Fri 27 17:01", True)),
    ("tmrw 5pm", ("Fri 27 17:00", "Fri 27 17:01", True)),
    ("session on wednesday afternoon", ("Wed 02 12:00", "Wed 02 17:00", False)),
    ("reschedule to next tuesday afternoon", ("Tue 01 12:00", "Tue 01 17:00", False)),
    ("day after tomorrow evening", ("Sat 28 17:00", "Sat 28 23:59", False)),
    ("thursday after work", ("Thu 26 17:00", "Fri 27 00:00", False)),
    ("hi, can I come thursday after work for a consultation? I finish at 5:30",
     ("Thu 26 17:30", "Fri 27 00:00", False)),
    ("tomorrow after 4", ("Fri 27 16:00", "Sat 28 00:00", False)),
    ("I'd like to book a consultation", None),
    ("Priya Nair 050 987 6543", None),  # a phone number is not a time
])
def test_the_day_and_time_asked(text, expected):
    assert when(text) == expected


@pytest.mark.parametrize("text, bound", [
    ("thursday after work", time(17)), ("anytime after 5:30", time(17, 30)), ("after 5", time(17)),
    ("sunday from 3pm", time(15)), ("I finish at 6", time(18)), ("tomorrow morning", None),
])
def test_after_is_a_lower_bound_on_the_time_of_day(text, bound):
    assert read_request(text, NOW).not_before == bound


@pytest.mark.parametrize("text", ["u guys are cheating ppl, my scars are same after 3 sessions",
                                  "after 4 sessions still no results", "from 2 weeks my skin is red",
                                  "after 10 days can i do the next one"])
def test_after_a_count_is_no_time_of_day_and_no_booking(text):
    # "after 3 sessions" once read as "after 3 (pm)": a complaint started the booking form
    assert read_request(text, NOW).not_before is None
    assert is_booking_request(text, NOW) is False


def test_after_alone_looks_over_the_next_two_weeks_and_the_earliest_is_a_preference():
    alone = read_request("any time after 5:30", NOW)
    assert alone.when.start == NOW and (alone.when.end - NOW).days == 14 and alone.has_time
    assert read_request("the earliest please", NOW).earliest is True
    assert read_request("i want to book a consultation", NOW).has_time is False


@pytest.mark.parametrize("text", ["050-987-6543", "+971 50 987 6543", "٠٥٠٩٨٧٦٥٤٣", "۰۵۰۹۸۷۶۵۴۳", "00971509876543",
                                  "my no. is 050 987 6543", "whatsapp me on 0509876543 pls", "971509876543"])
def test_the_mobile_number_in_any_usual_form(text):
    assert find_phone(text) == "+971509876543"
    assert read_request(text, NOW).phone == "+971509876543"


@pytest.mark.parametrize("text", ["0501234567 or 0509876543", "call me", "12345", "my number is 050 12"])
def test_no_number_or_two_different_numbers_give_none(text):
    assert find_phone(text) is None and read_request(text, NOW).phone is None


@pytest.mark.parametrize("text, name", [
    ("Priya Nair 050 987 6543", "Priya Nair"), ("priya nair, 0509876543", "Priya Nair"),
    ("0509876543 Priya Nair", "Priya Nair"), ("my name is Amal Haddad", "Amal Haddad"),
    ("book consultaion for priya nair 0509876543 tmrw at 11", "Priya Nair"),
    ("hi this is Rahul Menon, can i book a session", "Rahul Menon"),
    ("name: Fatima Al-Zaabi", "Fatima Al-Zaabi"),
    ("my no. is 0501234567", None), ("call me on 0501234567", None), ("I'm free tomorrow at 5", None),
    ("i want to book a consultation tomorrow", None), ("yes ok 0501234567", None),
    ("I'm looking for a consultation", None), ("this is urgent please call me", None), ("hi im sara", "Sara"),
    # Arabizi: "ismi" (my name is), "ra8mi" (my number), "w" (and)
    ("salam, ismi Maryam Al Falasi, ra8mi 0561239876, abi esteshara bukra", "Maryam Al Falasi"),
    ("esmi Fatma w ra8mi 0501112233", "Fatma"), ("Ahmed ra8mi 0501234567", "Ahmed"),
    ("ismail khan 0501234567", "Ismail Khan"),  # a name that begins like "ismi"
])
def test_a_name_only_where_a_patient_puts_one(text, name):
    assert read_request(text, NOW).name == name


@pytest.mark.parametrize("text", ["yes ok", "nope", "no", "ok", "thanks", "Thank you", "yes please book it",
                                  "I want to book a consultation tomorrow", "can you call me instead",
                                  "one two three four five six seven"])
def test_replies_and_sentences_are_not_names(text):
    assert normalise_name(text) is None


@pytest.mark.parametrize("text", ["Amal Haddad", "Mohammed bin Rashid Al Maktoum", "Anne-Marie O'Neil", "Will Smith",
                                  "May Tan", "Jo"])
def test_real_names_still_pass(text):
    assert normalise_name(text) == text


def test_slots_before_the_lower_bound_are_left_out():
    class S:
        def __init__(self, hour):
            self.start = NOW.replace(hour=hour)

    slots = [S(h) for h in (15, 16, 17, 18, 19)]
    assert [s.start.hour for s in keep_preferred(slots, time(17), 2)] == [17, 18]
    assert len(keep_preferred(slots, None, 3)) == 3


def test_button_payloads_and_empty_text_say_nothing():
    assert read_request('/inform{"slot_start": "2026-11-27T17:00:00+04:00"}', NOW) == read_request("", NOW)
    assert read_request("", NOW).has_time is False


# Issue 14, third slice: preferences that filter the offered times, changes of service,
# numbers that cannot be used, names given while something else is asked.
from clinic.booking.request import (about_the_time, daily_hours, is_booking_request, latest_start,  # noqa: E402
                                    lone_name, new_service_said, preference, read_phone, service_change_said)


@pytest.mark.parametrize("text, hours", [
    ("any evening", (time(17), time(23, 59))), ("evenings are better for me", (time(17), time(23, 59))),
    ("mornings only", (time(8), time(12))), ("any afternoon next week", (time(12), time(17))),
    ("tomorrow evening", None), ("thursday afternoon", None), ("after 5:30", None),
    # a part of the day with a span of days is that part of each of them
    ("next week evening", (time(17), time(23, 59))), ("morning next week pls", (time(8), time(12))),
    ("this weekend afternoon", (time(12), time(17))), ("thursday next week evening", None),
])
def test_a_part_of_the_day_on_any_day(text, hours):
    assert daily_hours(text) == hours


def test_any_evening_looks_over_two_weeks_from_five_and_mornings_end_at_noon():
    query, not_before = preference("any evening", NOW)
    assert query.start == NOW and (query.end - NOW).days == 14 and not_before == time(17)
    assert preference("mornings only", NOW)[1] == time(8) and latest_start("mornings only") == time(12)
    query, not_before = preference("any evening next week", NOW)
    assert f"{query.start:%a %d}" == "Mon 30" and not_before == time(17)
    assert latest_start("any evening") is None  # evenings run to closing time
    query, not_before = preference("book a session nxt week evening", NOW)
    assert (f"{query.start:%a %d}", f"{query.end:%a %d}", not_before) == ("Mon 30", "Sun 06", time(17))
    assert latest_start("next week morning") == time(12)


def test_the_later_of_a_part_and_an_after_wins():
    assert preference("any evening after 6", NOW)[1] == time(18)


@pytest.mark.parametrize("text, current, new", [
    ("actually make it a session not a consultation", "consultation", "mesotherapy_session"),
    ("a consultation instead of a session please", "mesotherapy_session", "consultation"),
    ("sorry can we do the consult instead", "mesotherapy_session", "consultation"),
    ("make it a session not a consult", "consultation", "mesotherapy_session"),
    ("instead of the session can i do a consultation", "mesotherapy_session", "consultation"),
    ("actually make it a session", "mesotherapy_session", None),  # no change
    ("how long is a session?", "consultation", None),  # a question, no words of change
    ("actually a consultation and a session", "consultation", None),  # both: unclear
    ("actually make it a session", None, None),  # nothing chosen yet: the form asks as usual
])
def test_a_change_of_service_in_words(text, current, new):
    assert new_service_said(text, current) == new


def test_a_change_of_service_is_recognised_even_once_taken():
    assert service_change_said("actually make it a consultation instead") == "consultation"
    assert service_change_said("a consultation please") is None


def test_a_service_already_had_is_not_the_one_wanted():
    # helper tries6: "make it the meso session directly, i already did consult before"
    assert new_service_said("actually no make it the meso session directly, i already did consult before",
                            "consultation") == "mesotherapy_session"
    assert new_service_said("i had the consultation last week so make it a session instead",
                            "consultation") == "mesotherapy_session"
    assert new_service_said("actually a consultation and a session", "consultation") is None


@pytest.mark.parametrize("text, expected", [
    ("the meso session", True), ("consultation pls", True), ("session", True),
    ("meso session?", False), ("what is meso session", False), ("meso session tuesday", False),
    ("i want the same as last time", False), ("", False), ("/inform", False),
])
def test_a_message_that_only_names_a_service(text, expected):
    from clinic.booking.request import names_only_a_service

    assert names_only_a_service(text) is expected


@pytest.mark.parametrize("text, phone, problem", [
    ("050 123 4567", "+971501234567", None), ("my no is 0501234567", "+971501234567", None),
    ("050 123 4567 or 055 987 6543", None, "two"), ("0044 7911 123456", None, "foreign"),
    ("+44 7911 123456", None, "foreign"), ("12345", None, "invalid"), ("call me", None, "invalid"),
])
def test_a_number_for_a_new_booking(text, phone, problem):
    said = read_phone(text, uae_only=True)
    assert (said.phone, said.problem) == (phone, problem)


def test_foreign_numbers_are_fine_where_any_number_is():
    assert read_phone("+44 7911 123456").phone == "+447911123456"


@pytest.mark.parametrize("text, name", [
    ("Priya Nair", "Priya Nair"), ("priya nair", "Priya Nair"), ("Amal", None), ("thursday morning", None),
    ("john smith session", None), ("is it painful", None), ("ok thanks", None), ("May Chen", "May Chen"),
])
def test_a_name_typed_on_its_own(text, name):
    assert lone_name(text, NOW) == name


@pytest.mark.parametrize("text, about", [
    ("any evening", True), ("saturday", True), ("next tuesday", True),
    ("wait sorry, can we make it saturday morning instead?", True),
    ("May Chen", False), ("April Jones", False), ("Priya Nair", False), ("050 123 4567", False),
    ("is it painful", False), ("i want to book it for tomorrow please", False),
])
def test_a_message_about_the_time_while_a_detail_is_asked(text, about):
    assert about_the_time(text, NOW) is about


@pytest.mark.parametrize("text, booking", [
    ("consultation tomorrow 5pm", True), ("session on wednesday afternoon", True), ("session sat 11am", True),
    ("hi can i come thursday after work for a consultation? i finish at 5:30", True),
    ("how much is a session on friday?", False), ("how long does a session take", False),
    ("can i come for a consultation", False), ("tomorrow at 5", False), ("/book_appointment", False),
    # a service wanted in so many words, with no day yet
    ("salam habibi, wallah my acne scars are too much, i want to do the meso session", True),
    ("i need a consultation", True), ("i want to know about the meso session", False),
    ("i want the session, is it painful?", False), ("i want to book", False),
])
def test_a_service_and_a_time_make_a_booking_request(text, booking):
    assert is_booking_request(text, NOW) is booking


@pytest.mark.parametrize("text", ["book me a flight to london tomorrow", "book a table for 2 at 8pm",
                                  "reserve a room for tomorrow", "book cab to airport at 6am"])
def test_another_business_booked_is_no_booking_request(text):
    assert not is_booking_request(text, NOW)


def test_the_word_name_before_a_name_is_no_part_of_it():
    said = read_request("wanna book session tmrw 5pm, name Saeed Al Mansoori 0551114455", NOW)
    assert (said.name, said.phone) == ("Saeed Al Mansoori", "+971551114455")


def test_two_days_side_by_side_are_read_as_either_day():
    from clinic.booking.request import on_the_day_of, two_days

    assert two_days("any slot wed or thu afternoon?") == ("any slot wednesday afternoon", "any slot thursday afternoon")
    assert two_days("mon/tue after 5") == ("monday after 5", "tuesday after 5")
    assert two_days("monday afternoon") is None and two_days("monday or monday") is None
    now = datetime(2027, 1, 17, 7, tzinfo=timezone.utc)
    assert on_the_day_of("2pm", "wed or thu afternoon", now) == "2pm wednesday or thursday"


@pytest.mark.parametrize("text, earlier, expected", [
    ("actually make it tuesday", "monday evening", "actually make it tuesday evening"),
    ("wednesday then", "thursday after work", "wednesday then after 17:00"),
    ("tuesday 11am", "monday evening", "tuesday 11am"),              # a time of its own
    ("tuesday morning", "monday evening", "tuesday morning"),        # a part of the day of its own
    ("ok", "monday evening", "ok"),                                  # no day
    ("make it tuesday", "2026-11-30T17:00:00+04:00", "make it tuesday"),  # a time chosen: the new day's times
    ("tuesday", "monday", "tuesday"),                                # nothing to carry
])
def test_a_new_day_keeps_the_part_of_the_day_said_before(text, earlier, expected):
    from clinic.booking.request import at_the_time_of

    assert at_the_time_of(text, earlier, NOW) == expected


@pytest.mark.parametrize("earlier", ["2026-12-01T17:00:00+04:00", "tuesday 5pm"])
def test_a_new_day_at_the_same_time_keeps_the_clock_time_chosen_before(earlier):
    from clinic.booking.request import at_the_time_of

    # an ISO time already chosen is carried over only when "same time" is said
    assert at_the_time_of("no wait make it wednesday same time", earlier, NOW) == "no wait make it wednesday at 5:00 pm"
    assert at_the_time_of("make it wednesday", "2026-12-01T17:00:00+04:00", NOW) == "make it wednesday"


@pytest.mark.parametrize("text", [
    "i want to book for me and my sister tmrw evening", "me n my frnd want meso on sat", "Can my mom come too?",
    "book for both of us pls", "consultation for 2 people on friday", "my husband and i want a session",
    "i need two appointments, one for my daughter", "انا واختي نبي نحجز بكرة", "ابي احجز لشخصين",
    "ana w o5ti nabi na7jiz", "for me & my sister in law",
])
def test_booking_for_someone_else_as_well_is_noticed(text):
    assert request.for_more_than_one(text)


@pytest.mark.parametrize("text", [
    "book a consultation for me", "my sister recommended you", "my friend had it done, is it safe?",
    "can i bring my sister with me", "my mom will drive me", "meso for both scars", "", "/book_appointment",
    "i want to book", "ابي احجز موعد", "2 sessions please", "book me for the 2pm one",
])
def test_one_person_is_not_taken_for_two(text):
    assert not request.for_more_than_one(text)


@pytest.mark.parametrize("times, service", [(0, None), (1, None), (2, "consultation"), (3, "consultation")])
def test_the_consultation_is_assumed_after_asking_twice(times, service):
    assert request.assumed_service(times) == service


@pytest.mark.parametrize("text", [
    "my face is bit red still from session on friday, normal?", "did my session on monday, swelling still there",
    "bruised since the treatment on saturday", "had meso on thursday and its itchy",
])
def test_a_report_about_a_session_had_is_no_booking_request(text):
    assert is_booking_request(text, NOW) is False


@pytest.mark.parametrize("text", ["book session friday, still a bit red from the last one",
                                  "had my session, now book the next session on saturday"])
def test_a_report_that_asks_to_book_is_still_a_request(text):
    assert is_booking_request(text, NOW) is True


@pytest.mark.parametrize("text, key", [
    ("kindly book one sitting on friday", "mesotherapy_session"), ("how many sittings", "mesotherapy_session"),
    ("can u book my next one wed", "mesotherapy_session"), ("book next one saturday", "mesotherapy_session"),
    ("cancel my next one", None),
])
def test_a_sitting_and_the_next_one_are_sessions(text, key):
    assert find_service(text) == key


@pytest.mark.parametrize("text, name", [
    ("ok. Vikram Singh", "Vikram Singh"), ("ok vikram singh", "Vikram Singh"), ("sure, Priya Nair", "Priya Nair"),
    ("fine, Priya", "Priya"), ("sure thing", None), ("ok lovely", None), ("okay", None), ("yes ok", None),
])
def test_a_reply_word_before_the_name_is_read_away(text, name):
    assert normalise_name(text) == name


@pytest.mark.parametrize("text, previous, service", [
    ("ok book one friday 7pm", "how much is a session and do you open on friday?", "mesotherapy_session"),
    ("can i get it saturday", "is the consultation free?", "consultation"),
    ("ok book one friday 7pm", "do you open on friday?", None),            # no service said before
    ("book a consultation friday", "how much is a session?", None),        # a service of its own: kept
    ("friday 7pm", "how much is a session?", None),                         # no "one" or "it"
])
def test_one_or_it_is_the_service_of_the_message_before(text, previous, service):
    assert request.service_referred_to(text, previous) == service


@pytest.mark.parametrize("text, free", [
    ("saturday got space?", True), ("r u free monday after 4", True),
    ("what times do u have next week thurs", True), ("any slots tmrw evening?", True),
    ("is tuesday available?", True), ("3ndkom shi fadi bukra?", True),
    ("are you open on friday?", False),  # the opening hours
    ("what time do you close tomorrow", False),
    ("how much is a session on friday, any discount available?", False),  # the price
    ("any free table for 2 tomorrow at 8", False),  # another business
    ("can i move my appointment to a free slot friday", False),  # a move
    ("my face is still red since the session, is saturday ok for gym", False),  # a report
    ("is it available in dubai?", False),  # no day or time
])
def test_a_question_about_the_free_times(text, free):
    from clinic.booking.request import asks_for_free_times

    assert asks_for_free_times(text, NOW) is free


@pytest.mark.parametrize("text, asks", [
    ("can i come saturday for one", True), ("can i come tmrw around 11 for it", True),
    ("i want to book a session thursday evening", True), ("wanna book a consult on wednesday", True),
    ("could we come in monday after 6", True), ("book me one friday 6pm", True),
    ("can i come back to work tomorrow", False), ("can i come saturday", True),
    ("do you open on friday", False), ("how much is a session on friday", False),
    ("can i come", False),  # no day or time: a question about coming, not a request
    ("my face is red since the session on friday, can i come monday", False),  # a report
    ("can you book me a table for 2 tonight", False), ("can i move my appointment to monday", False),
])
def test_a_part_of_a_message_that_asks_to_book(text, asks):
    assert request.asks_to_book(text, NOW) is asks
