"""Date resolution: a table of what patients write, against a fixed "now".

Now is Thursday 26 November 2026, 11:00 in Dubai; the clinic's opening hours are those
of clinic.yml (Friday 14:00-21:00, Sunday closed). Windows are [start, end) local times.
"""
from datetime import datetime, time, timezone

import pytest

from clinic.booking.dates import describe, normalise, resolve
from tests.clinic.booking.conftest import DUBAI, NOW

OPENING = {0: (time(10), time(20)), 1: (time(10), time(20)), 2: (time(10), time(20)), 3: (time(10), time(20)),
           4: (time(14), time(21)), 5: (time(10), time(18))}
DAY = "whole day"

CASES = [
    # text, status, start, end ("+1" = an exact time: one minute), earliest
    ("do you have anything Thursday afternoon?", "ok", "2026-11-26 12:00", "2026-11-26 17:00"),
    ("tomorrow at 5", "ok", "2026-11-27 17:00", "+1"),
    ("next week", "ok", "2026-11-30 00:00", "2026-12-07 00:00"),
    ("on 12/3", "ok", "2027-03-12 00:00", "2027-03-13 00:00"),  # day-month, next future one
    ("this weekend", "ok", "2026-11-28 00:00", "2026-11-30 00:00"),  # UAE weekend: Sat-Sun
    ("31st of February", "invalid", None, None),
    ("yesterday", "past", None, None),
    ("5th of June", "ok", "2027-06-05 00:00", "2027-06-06 00:00"),
    ("in 3 days", "ok", "2026-11-29 00:00", "2026-11-30 00:00"),
    ("next monday", "ok", "2026-11-30 00:00", "2026-12-01 00:00"),
    ("friday morning", "ok", "2026-11-27 08:00", "2026-11-27 12:00"),
    ("3pm", "ok", "2026-11-26 15:00", "+1"),
    # "for now" is no day ("just 1 session for now, friday 5pm"); "now" alone is today
    ("ok just 1 session for now, friday 5pm", "ok", "2026-11-27 17:00", "+1"),
    ("at 10:30", "ok", "2026-11-27 10:30", "+1"),  # 10:30 today has passed
    ("12.03.2027", "ok", "2027-03-12 00:00", "2027-03-13 00:00"),
    ("june 5", "ok", "2027-06-05 00:00", "2027-06-06 00:00"),
    ("tmrw 4pm", "ok", "2026-11-27 16:00", "+1"),
    ("sunday", "ok", "2026-11-29 00:00", "2026-11-30 00:00"),
    ("this saturday at 11am", "ok", "2026-11-28 11:00", "+1"),
    ("next thursday", "ok", "2026-12-03 00:00", "2026-12-04 00:00"),  # "next": of next week
    ("next saturday", "ok", "2026-12-05 00:00", "2026-12-06 00:00"),
    ("this saturday", "ok", "2026-11-28 00:00", "2026-11-29 00:00"),
    ("thursday", "ok", "2026-11-26 11:00", "2026-11-27 00:00"),  # today, from now
    ("today", "ok", "2026-11-26 11:00", "2026-11-27 00:00"),
    ("tonight", "ok", "2026-11-26 17:00", "2026-11-26 23:59"),
    ("this evening", "ok", "2026-11-26 17:00", "2026-11-26 23:59"),
    ("today at 2:30pm", "ok", "2026-11-26 14:30", "+1"),
    ("tomorrow morning", "ok", "2026-11-27 08:00", "2026-11-27 12:00"),
    ("day after tomorrow", "ok", "2026-11-28 00:00", "2026-11-29 00:00"),
    ("next weekend", "ok", "2026-12-05 00:00", "2026-12-07 00:00"),
    # a weekday with "next week" or "this week" is that day of the week said, not the whole week
    ("thursday next week", "ok", "2026-12-03 00:00", "2026-12-04 00:00"),
    ("next week thurs evening", "ok", "2026-12-03 17:00", "2026-12-03 23:59"),
    ("next week on monday at 11", "ok", "2026-11-30 11:00", "+1"),
    ("this week saturday", "ok", "2026-11-28 00:00", "2026-11-29 00:00"),
    ("this week", "ok", "2026-11-26 11:00", "2026-11-30 00:00"),
    ("next month", "ok", "2026-12-01 00:00", "2027-01-01 00:00"),
    ("in a week", "ok", "2026-12-03 00:00", "2026-12-04 00:00"),
    ("in 2 weeks", "ok", "2026-12-10 00:00", "2026-12-11 00:00"),
    ("what about 4 pm on monday", "ok", "2026-11-30 16:00", "+1"),
    ("monday 10am", "ok", "2026-11-30 10:00", "+1"),
    ("11/12", "ok", "2026-12-11 00:00", "2026-12-12 00:00"),
    ("2026-12-10", "ok", "2026-12-10 00:00", "2026-12-11 00:00"),
    ("10/12/26", "ok", "2026-12-10 00:00", "2026-12-11 00:00"),
    ("on the 5th of december at 6pm", "ok", "2026-12-05 18:00", "+1"),
    ("December 24th", "ok", "2026-12-24 00:00", "2026-12-25 00:00"),
    ("any slot on 28 nov?", "ok", "2026-11-28 00:00", "2026-11-29 00:00"),
    ("can i come at noon tomorrow", "ok", "2026-11-27 12:00", "+1"),
    ("Friday at 7", "ok", "2026-11-27 19:00", "+1"),  # 7 means 19:00 in clinic hours
    ("lunchtime tomorrow", "ok", "2026-11-27 12:00", "2026-11-27 14:00"),
    ("15:45 on wednesday", "ok", "2026-12-02 15:45", "+1"),
    ("Wed 4.30pm", "ok", "2026-12-02 16:30", "+1"),
    ("sometime in december", "ok", "2026-12-01 00:00", "2027-01-01 00:00"),
    ("anything left in november", "ok", "2026-11-26 11:00", "2026-12-01 00:00"),
    ("march", "ok", "2027-03-01 00:00", "2027-04-01 00:00"),
    ("30 feb", "invalid", None, None),
    ("29/2", "invalid", None, None),  # there is no 29 February in 2027
    ("13/13", "invalid", None, None),
    ("at 25:00", "invalid", None, None),
    ("last week", "past", None, None),
    ("3 days ago", "past", None, None),
    ("20/11/2026", "past", None, None),
    ("hello there", "unknown", None, None),
    ("\U0001F600", "unknown", None, None),
    ("\u0645\u0631\u062d\u0628\u0627", "unknown", None, None),  # Arabic "hello"
    ("' OR 1=1 --", "unknown", None, None),
    ("x" * 5000, "unknown", None, None),
    ("", "unknown", None, None),
]


def fmt(dt):
    return dt.strftime("%Y-%m-%d %H:%M") if dt else None


@pytest.mark.parametrize("text, status, start, end", CASES, ids=[c[0][:30] or "empty" for c in CASES])
def test_phrasings(text, status, start, end):
    query = resolve(text, NOW, OPENING)
    assert query.status == status
    assert fmt(query.start) == start
    # offer and request rely on it: a query has its (start, end) window exactly when it is ok
    assert (query.window is not None) == query.ok
    if query.window:
        assert query.window == (query.start, query.end)
    if end == "+1":
        assert query.exact and (query.end - query.start).total_seconds() == 60
    else:
        assert fmt(query.end) == end and not query.exact


def test_the_table_is_big_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("text", ["earliest possible", "asap", "first available slot", "whenever you have time",
                                  "as soon as possible please"])
def test_earliest_means_from_now(text):
    query = resolve(text, NOW, OPENING)
    assert query.ok and query.earliest and query.start == NOW and (query.end - query.start).days == 60


def test_bare_hours_follow_the_clinic_day():
    assert resolve("saturday at 5", NOW, OPENING).start.hour == 17
    assert resolve("saturday at 11", NOW, OPENING).start.hour == 11
    assert resolve("friday at 3", NOW, OPENING).start.hour == 15  # Friday opens at 14:00


def test_times_are_dubai_whatever_the_now_zone():
    utc_now = NOW.astimezone(timezone.utc)
    query = resolve("tomorrow at 10am", utc_now, OPENING)
    assert query.start.utcoffset().total_seconds() == 4 * 3600
    assert query.start.astimezone(timezone.utc) == datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)


def test_spacy_entity_texts_are_used_when_the_message_alone_says_nothing():
    query = resolve("could I book something around then", NOW, OPENING, entities=["next Friday"])
    assert fmt(query.start) == "2026-12-04 00:00"


def test_a_time_already_past_today_moves_to_tomorrow_unless_today_was_said():
    assert fmt(resolve("at 9am", NOW, OPENING).start) == "2026-11-27 09:00"
    assert resolve("today at 9am", NOW, OPENING).status == "past"
    assert resolve("this morning", NOW.replace(hour=13), OPENING).status == "past"


def test_todays_weekday_already_past_means_that_day_next_week_not_tomorrow():
    # now is a Thursday: "thursday at 9am" at 11:00 and "thursday morning" at 13:00 are next Thursday
    # (not Friday, as "tomorrow" would be); a part of the day without a weekday still moves to tomorrow
    assert fmt(resolve("thursday at 9am", NOW, OPENING).start) == "2026-12-03 09:00"
    assert fmt(resolve("thu 9am", NOW, OPENING).start) == "2026-12-03 09:00"
    late = NOW.replace(hour=13)
    query = resolve("book me consultation thursday morning", late, OPENING)
    assert (fmt(query.start), fmt(query.end)) == ("2026-12-03 08:00", "2026-12-03 12:00")
    assert fmt(resolve("morning", late, OPENING).start) == "2026-11-27 08:00"


def test_this_week_asked_on_a_sunday_means_the_coming_days():
    # Sunday is the week's last day and the clinic's closed day: "this week" is the seven days from now
    sunday = NOW.replace(day=29)
    query = resolve("can i book consultation this week?", sunday, OPENING)
    assert (fmt(query.start), fmt(query.end)) == ("2026-11-29 11:00", "2026-12-06 00:00")
    query = resolve("this week", NOW, OPENING)  # on a Thursday: to Sunday, as before
    assert (fmt(query.start), fmt(query.end)) == ("2026-11-26 11:00", "2026-11-30 00:00")


def test_describe_window():
    from clinic.booking.dates import describe_window

    query = resolve("friday morning", NOW, OPENING)
    assert describe_window(query.start, query.end) == "Friday 27 November, 8:00 am to 12:00 pm"
    query = resolve("sunday", NOW, OPENING)
    assert describe_window(query.start, query.end) == "Sunday 29 November"


def test_normalise_and_describe():
    assert normalise("  Tmrw,  THURS 3rd!! ") == "tomorrow thursday 3"
    assert describe(datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)) == "Thursday 3 December at 2:00 pm"
    assert describe(datetime(2026, 12, 3, 8, 30, tzinfo=DUBAI), short=True) == "Thu 3 Dec, 8:30 am"


@pytest.mark.parametrize("text, clock", [
    ("10 30 is ok", "10:30"), ("10.30", "10:30"), ("1030 pls", "10:30"), ("0930", "09:30"),
    ("half 4", "16:30"), ("half past 10", "10:30"), ("4 30 pm", "16:30"), ("5.30 works", "17:30"),
    ("quarter to 5", "16:45"), ("quarter past 11", "11:15"), ("tuesday 10 30", "10:30"),
])
def test_clock_times_typed_by_hand(text, clock):
    query = resolve(text, NOW, OPENING)
    assert query.ok and query.exact
    assert query.start.astimezone(DUBAI).strftime("%H:%M") == clock


@pytest.mark.parametrize("text", ["15.12", "23.1", "1.2.2027", "050 221 3344", "0501234567", "1000 aed",
                                  "half an hour", "in 2 days"])
def test_dates_numbers_and_amounts_are_no_clock_time(text):
    query = resolve(text, NOW, OPENING)
    assert not query.exact


@pytest.mark.parametrize("text, start, end", [
    ("on the 30th", "2026-11-30 00:00", "2026-12-01 00:00"),            # later this month
    ("meso session on the 21st pls, afternoon", "2026-12-21 12:00", "2026-12-21 17:00"),  # past: next month
    ("can i come on 28th", "2026-11-28 00:00", "2026-11-29 00:00"),
    ("the 21st of january", "2027-01-21 00:00", "2027-01-22 00:00"),   # a month named: that month
])
def test_a_day_of_the_month_on_its_own(text, start, end):
    query = resolve(text, NOW, OPENING)
    assert query.ok and (fmt(query.start), fmt(query.end)) == (start, end)


def test_an_ordinal_choice_is_no_day_of_the_month():
    assert resolve("the 2nd one", NOW, OPENING).status == "unknown"
    assert resolve("on the 31st", NOW.replace(month=2, day=3), OPENING).status == "invalid"  # no 31 February


def test_a_greeting_is_no_part_of_the_day():
    query = resolve("hi good morning, can i book thursday in the afternoon", NOW, OPENING)
    assert (fmt(query.start), fmt(query.end)) == ("2026-11-26 12:00", "2026-11-26 17:00")  # today, a Thursday


def test_a_past_day_told_as_history_leaves_the_day_to_book():
    query = resolve("i had a session last month, can i book the next one friday evening", NOW, OPENING)
    assert (fmt(query.start), fmt(query.end)) == ("2026-11-27 17:00", "2026-11-27 23:59")
    assert resolve("last monday", NOW, OPENING).status == "past"
    assert resolve("i came yesterday", NOW, OPENING).status == "past"


def test_late_and_early_parts_of_the_day():
    query = resolve("saturday late afternoon", NOW, OPENING)
    assert (fmt(query.start), fmt(query.end)) == ("2026-11-28 15:00", "2026-11-28 18:00")
    query = resolve("monday late morning", NOW, OPENING)
    assert (fmt(query.start), fmt(query.end)) == ("2026-11-30 10:00", "2026-11-30 12:00")


@pytest.mark.parametrize("text, start, end", [
    # helper tries6: days of the month in words (from the tenth on), "friday after next"
    ("i want session on the twenty third", "2026-12-23 00:00", "2026-12-24 00:00"),  # the 23rd has passed
    ("the twenty-eighth pls", "2026-11-28 00:00", "2026-11-29 00:00"),
    ("friday after next, afternoon", "2026-12-04 12:00", "2026-12-04 17:00"),
    # two clock times as a choice ("or", Hinglish "ya") or a span ("to", "between ... and")
    ("monday 11 ya 12 baje, jo bhi free ho", "2026-11-30 11:00", "2026-11-30 12:01"),
    ("saturday 5 or 6pm whichever is free", "2026-11-28 17:00", "2026-11-28 18:01"),
    ("in my lunch break on monday, 1 to 2", "2026-11-30 13:00", "2026-11-30 14:00"),
    ("between 4 and 5 on monday", "2026-11-30 16:00", "2026-11-30 17:00"),
    ("my lunch break monday", "2026-11-30 12:00", "2026-11-30 14:00"),
    # not clock times: counts, days of the month
    ("2 or 3 sessions on monday", "2026-11-30 00:00", "2026-12-01 00:00"),
    ("monday, 1 to 2 weeks apart", "2026-11-30 00:00", "2026-12-01 00:00"),
])
def test_days_in_words_and_two_clock_times(text, start, end):
    query = resolve(text, NOW, OPENING)
    assert query.ok and not query.exact and (fmt(query.start), fmt(query.end)) == (start, end), text


def test_first_to_ninth_stay_words_and_baje_is_a_clock_time():
    assert normalise("the second one") == "the second one"  # a choice among the offered times
    query = resolve("monday 5 baje", NOW, OPENING)
    assert query.exact and fmt(query.start) == "2026-11-30 17:00"
    assert resolve("on the 23rd or 24th", NOW, OPENING).start.day == 23  # a day of the month, not 23:00
