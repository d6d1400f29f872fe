"""The expected course: day numbers, stages, and reading a past session's date."""
from datetime import date, datetime, timezone

import pytest

from clinic.aftercare.course import (
    CourseError, answer_for, day_number, load_course, parse_course, read_treatment_date,
)
from tests.clinic.aftercare.conftest import NOW  # Friday 4 December 2026, Dubai

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize("treated_on, day, stage", [
    (date(2026, 12, 4), 0, "first_day"), (date(2026, 12, 3), 1, "first_day"),
    (date(2026, 12, 2), 2, "settling"), (date(2026, 12, 1), 3, "settling"),
    (date(2026, 11, 30), 4, "fading"), (date(2026, 11, 29), 5, "fading"), (date(2026, 11, 27), 7, "fading"),
    (date(2026, 11, 26), 8, "after_week"), (date(2026, 1, 1), 337, "after_week"),
])
def test_day_and_stage(treated_on, day, stage):
    answer = answer_for(treated_on, TODAY)
    assert (answer.day, answer.stage.key) == (day, stage)


def test_a_future_session_has_no_answer():
    assert day_number(date(2026, 12, 5), TODAY) == -1
    assert answer_for(date(2026, 12, 5), TODAY) is None


def test_the_course_file_covers_every_day_with_a_response():
    stages = load_course()
    assert [s.key for s in stages] == ["first_day", "settling", "fading", "after_week"]
    assert [s.response for s in stages] == ["utter_aftercare_day_first", "utter_aftercare_day_settling",
                                            "utter_aftercare_day_fading", "utter_aftercare_day_after_week"]


@pytest.mark.parametrize("data, message", [
    ({}, "stages"),
    ({"stages": [{"key": "a", "first": 1, "response": "r"}]}, "day 0"),
    ({"stages": [{"key": "a", "first": 0, "last": 1, "response": "r"},
                 {"key": "b", "first": 3, "response": "s"}]}, "day 2"),
    ({"stages": [{"key": "a", "first": 0, "last": 1, "response": "r"}]}, "open-ended"),
    ({"stages": [{"key": "a", "first": 0, "last": -1, "response": "r"}]}, "ends before"),
    ({"stages": [{"key": "a", "first": 0}]}, "key, first and response"),
])
def test_malformed_course_is_refused(data, message):
    with pytest.raises(CourseError, match=message):
        parse_course(data)


@pytest.mark.parametrize("text, expected", [
    ("I had my session on Tuesday", date(2026, 12, 1)),
    ("my treatment was on tues", date(2026, 12, 1)),
    ("last tuesday", date(2026, 12, 1)),
    ("I had it done on Friday", date(2026, 12, 4)),  # today is Friday
    ("last friday", date(2026, 11, 27)),
    ("on monday at 3pm", date(2026, 11, 30)),
    ("yesterday", date(2026, 12, 3)),
    ("the day before yesterday", date(2026, 12, 2)),
    ("this morning", date(2026, 12, 4)),
    ("3 days ago", date(2026, 12, 1)),
    ("two weeks ago", date(2026, 11, 20)),
    ("2 December", date(2026, 12, 2)),
    ("on the 2nd of dec", date(2026, 12, 2)),
    ("2/12", date(2026, 12, 2)),
    ("28.11.2026", date(2026, 11, 28)),
    ("2026-11-30", date(2026, 11, 30)),
    ("on 20 march", date(2026, 3, 20)),  # the most recent 20 March, not next year's
])
def test_reading_a_past_session_date(text, expected):
    reading = read_treatment_date(text, NOW)
    assert reading.ok and reading.day == expected


@pytest.mark.parametrize("text, status", [
    ("last week", "unknown"), ("I had a session", "unknown"), ("in december", "unknown"),
    ("2026-12-10", "future"), ("400 days ago", "too_old"), ("31/02", "unknown"),
])
def test_unclear_future_and_old_dates(text, status):
    assert read_treatment_date(text, NOW).status == status


def test_dates_are_read_in_the_clinics_time_zone():
    # 21:30 UTC on Thursday 3 December is already Friday 4 December in Dubai
    late = datetime(2026, 12, 3, 21, 30, tzinfo=timezone.utc)
    assert read_treatment_date("yesterday", late).day == date(2026, 12, 3)
    assert read_treatment_date("today", late).day == date(2026, 12, 4)
