"""Wording found by the dev booking conversations (tests/conversations/dev/booking_dev.yml):
"3 o clock", "can we make it 12 instead", "do you have anything after 5?" once a day was
said, a mobile beside an office number, "Name: Joseph Mathew. Mob: 050...", an Arabizi
booking the classifier was unsure about."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from clinic.booking.dates import resolve, says_a_day
from clinic.booking.request import (find_name, find_phones, is_booking_request, on_the_day_of, read_phone,
                                    read_request, says_a_time)

DUBAI = ZoneInfo("Asia/Dubai")
NOW = datetime(2027, 1, 17, 11, 0, tzinfo=DUBAI)  # a Sunday


@pytest.mark.parametrize("text, hour, minute", [
    ("monday 3 o clock", 15, 0), ("monday 3 oclock", 15, 0), ("monday 3 o'clock", 15, 0),
    ("monday at 10 o clock", 10, 0), ("monday make it 12", 12, 0), ("monday, make it 4:30", 16, 30),
])
def test_clock_times_as_patients_type_them(text, hour, minute):
    query = resolve(text, NOW)
    assert query.ok and query.exact
    assert (query.start.hour, query.start.minute) == (hour, minute)


@pytest.mark.parametrize("text", ["make it 2 sessions", "make it a session", "make it 3 days later"])
def test_make_it_without_a_clock_time_is_no_time(text):
    assert not resolve(text, NOW).exact


@pytest.mark.parametrize("text, day", [("tuesday", True), ("tmrw", True), ("23/1", True), ("next week", True),
                                        ("at 12", False), ("after 5", False), ("evening", False),
                                        ("can we make it 12 instead", False)])
def test_says_a_day(text, day):
    assert says_a_day(text, NOW) is day


@pytest.mark.parametrize("text, earlier, expected", [
    ("do you have anything after 5?", "consultation tuesday", "2027-01-19 do you have anything after 5?"),
    ("wait can we make it 12 instead", "2027-01-23T10:00:00+04:00", "2027-01-23 wait can we make it 12 instead"),
    ("can we do 4pm", "Saturday 23 January at 10:00 am", "2027-01-23 can we do 4pm"),
    # a day of its own, no time at all, or nothing said before: unchanged
    ("friday at 12", "2027-01-23T10:00:00+04:00", "friday at 12"),
    ("Tanvir Hossain", "consultation tuesday", "Tanvir Hossain"),
    ("after 5", None, "after 5"),
    ("after 5", "next week sometime", "after 5"),  # no single day to put it on
])
def test_a_time_without_a_day_is_on_the_day_said_before(text, earlier, expected):
    assert on_the_day_of(text, earlier, NOW) == expected


def test_after_five_on_the_day_before_offers_that_evening():
    said = read_request(on_the_day_of("do you have anything after 5?", "consultation tuesday", NOW), NOW)
    assert said.not_before == time(17, 0)
    assert said.when.start.date().isoformat() == "2027-01-19"


@pytest.mark.parametrize("text, wanted", [("after 5", True), ("any evening", True), ("tomorrow", True),
                                          ("Priya Nair", False), ("how much is it", False), ("/affirm", False)])
def test_says_a_time(text, wanted):
    assert says_a_time(text, NOW) is wanted


def test_the_mobile_beside_an_office_number_is_taken():
    text = "my mobile is 0501231234, office no 042345678"
    assert read_phone(text, uae_only=True).phone == "+971501231234"
    assert read_request(text, NOW).phone == "+971501231234"


def test_two_mobiles_are_still_asked_again():
    assert read_phone("0501231234 or 0559879876").problem == "two"
    assert read_request("0501231234 or 0559879876", NOW).phone is None


@pytest.mark.parametrize("text, name", [
    ("Name: Joseph Mathew. Mob: 0506543210. Need consultation on Friday 6pm", "Joseph Mathew"),
    ("Priya Nair, mob 050 987 6543", "Priya Nair"),
    ("my name is Dr. Amal Haddad", "Dr Amal Haddad"),
    ("my name is A. Khan", "A Khan"),
    ("Priya Nair 050 987 6543", "Priya Nair"),
])
def test_names_end_where_the_next_detail_starts(text, name):
    assert find_name(text, find_phones(text)[:1]) == name


@pytest.mark.parametrize("text", [
    "can i reschedule? my number is 0509990011",
    "want to move it, 0509990011",
    "pls postpone 0509990011",
])
def test_a_request_word_before_the_number_is_no_name(text):
    assert find_name(text, find_phones(text)[:1]) is None


@pytest.mark.parametrize("text, wanted", [
    ("abi a7jiz maw3ed bukra", True), ("ابي احجز موعد بكرة", True), ("book me tomorrow", True),
    ("session sat 11am", True),
    ("cancel my appointment tomorrow", False), ("ابي الغي موعد بكرة", False), ("appointment", False),
    ("how much is an appointment tomorrow", False), ("can i move my maw3ed to bukra", False),
])
def test_booking_requests_the_classifier_was_unsure_about(text, wanted):
    assert is_booking_request(text, NOW) is wanted
