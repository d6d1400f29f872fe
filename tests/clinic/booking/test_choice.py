"""A typed answer to the offered times (clinic/booking/choice.py)."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic.booking.choice import choose

Z = ZoneInfo("Asia/Dubai")
MONDAY = [datetime(2027, 1, 18, 10, tzinfo=Z) + timedelta(minutes=30 * i) for i in range(4)]  # 10:00-11:30
THURSDAY = [datetime(2027, 1, 21, 16, tzinfo=Z) + timedelta(minutes=30 * i) for i in range(5)]  # 16:00-18:00
SATURDAY = [datetime(2027, 1, 23, 11, 30, tzinfo=Z) + timedelta(minutes=30 * i) for i in range(4)]  # 11:30-13:00


@pytest.mark.parametrize("text, offered, hour, minute", [
    ("10 30 is ok", MONDAY, 10, 30), ("10.30", MONDAY, 10, 30), ("1030 pls", MONDAY, 10, 30),
    ("11 am pls", MONDAY, 11, 0), ("11", MONDAY, 11, 0), ("10:30", MONDAY, 10, 30),
    ("half 4", THURSDAY, 16, 30), ("4 30 pm", THURSDAY, 16, 30), ("5.30 works", THURSDAY, 17, 30),
    ("half past 5", THURSDAY, 17, 30), ("6pm is good", THURSDAY, 18, 0),
    ("the first one", MONDAY, 10, 0), ("first one pls", MONDAY, 10, 0), ("2nd one", MONDAY, 10, 30),
    ("the 3rd one", MONDAY, 11, 0), ("the second", MONDAY, 10, 30), ("last one", MONDAY, 11, 30),
    ("option 2", MONDAY, 10, 30), ("الأول", MONDAY, 10, 0),
    ("the morning one", SATURDAY, 11, 30),
])
def test_a_typed_time_or_place_picks_that_offered_time(text, offered, hour, minute):
    chosen = choose(text, offered)
    assert chosen.kind == "picked"
    assert (chosen.start.hour, chosen.start.minute) == (hour, minute)


@pytest.mark.parametrize("text", ["yes thats fine", "yes book it", "ok", "ok done", "sure", "yes pls", "تمام",
                                  "any is fine", "whichever", "any of them"])
def test_a_bare_yes_to_several_times_asks_about_the_first(text):
    chosen = choose(text, MONDAY)
    assert chosen.kind == "ask_first" and chosen.start == MONDAY[0]


def test_a_yes_to_the_one_time_offered_picks_it():
    assert choose("yes", MONDAY[:1]).kind == "picked"
    assert choose("yes", MONDAY[:1]).start == MONDAY[0]


@pytest.mark.parametrize("text", [
    "no", "none of these", "tuesday 10:30", "5pm", "Lavanya Subramaniam", "0507788991", "is it free?",
    "nvm i will check my schedule and come back", "any evening", "the 6th one", "the morning one", "",
    "/inform", "9.30", "how long does redness last usually", "will the swelling last",
])
def test_anything_else_is_left_to_the_form(text):
    assert choose(text, MONDAY).kind == "none"


def test_nothing_offered_nothing_chosen():
    assert choose("yes", []).kind == "none"


WED_THU_2PM = [datetime(2027, 1, 20, 14, tzinfo=Z), datetime(2027, 1, 20, 14, 30, tzinfo=Z),
               datetime(2027, 1, 21, 14, tzinfo=Z), datetime(2027, 1, 21, 15, tzinfo=Z)]


@pytest.mark.parametrize("text", ["2pm", "2 pm pls", "at 2"])
def test_a_time_offered_on_two_days_asks_which_day(text):
    chosen = choose(text, WED_THU_2PM)
    assert chosen.kind == "which_day" and chosen.start is None
    assert chosen.options == (WED_THU_2PM[0], WED_THU_2PM[2])


@pytest.mark.parametrize("text, expected", [("thursday", 0), ("the thursday one", 0), ("thu", 0),
                                            ("wednesday pls", 1)])
def test_a_day_alone_picks_the_one_offered_time_that_day(text, expected):
    options = [WED_THU_2PM[2], WED_THU_2PM[0]]  # as asked back: one time on each day
    assert choose(text, options).start == options[expected]


def test_a_day_with_several_offered_times_is_no_choice():
    assert choose("thursday", WED_THU_2PM).kind == "none"


def test_a_place_in_the_list_said_after_a_time_was_chosen():
    from clinic.booking.choice import later_pick

    offered = [datetime(2027, 1, 20, 12, 0, tzinfo=Z), datetime(2027, 1, 20, 12, 30, tzinfo=Z),
               datetime(2027, 1, 20, 13, 0, tzinfo=Z)]
    assert later_pick("actually make it the 2nd one", offered) == offered[1]
    assert later_pick("sorry can we do the second time instead", offered) == offered[1]
    assert later_pick("hmm the last one is better for me", offered) == offered[2]
    assert later_pick("option 3 pls", offered) == offered[2]
    for text in ("my first name is Omar", "Omar Sheikh", "yes", "0559876541", "the first visit is free?"):
        assert later_pick(text, offered) is None, text
    assert later_pick("the 2nd one", offered[:1]) is None  # one time offered: nothing to change to
