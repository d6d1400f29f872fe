"""Opening hours from clinic.yml (Asia/Dubai, UTC+4)."""
from datetime import datetime, timezone

import pytest

from clinic.facts import load_facts
from clinic.handoff.hours import describe_opening, is_open, next_opening
from tests.conftest import ROOT

FACTS = load_facts(ROOT / "clinic.yml")  # Mon-Thu 10-20, Fri 14-21, Sat 10-18, Sun closed


def dubai(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh - 4, mm, tzinfo=timezone.utc) if hh >= 4 else \
        datetime(y, m, d - 1, hh + 20, mm, tzinfo=timezone.utc)


@pytest.mark.parametrize("when, expected", [
    (dubai(2026, 11, 23, 12), True),    # Monday noon
    (dubai(2026, 11, 23, 10), True),    # opening minute
    (dubai(2026, 11, 23, 20), False),   # closing time
    (dubai(2026, 11, 27, 12), False),   # Friday before 14:00
    (dubai(2026, 11, 29, 12), False),   # Sunday
])
def test_is_open(when, expected):
    assert is_open(FACTS, when) is expected


@pytest.mark.parametrize("when, expected", [
    (dubai(2026, 11, 27, 12), "today at 14:00"),        # Friday morning
    (dubai(2026, 11, 26, 21), "tomorrow at 14:00"),     # Thursday evening
    (dubai(2026, 11, 28, 19), "on Monday at 10:00"),    # Saturday evening, Sunday closed
    (dubai(2026, 11, 23, 5), "today at 10:00"),         # Monday early morning
])
def test_next_opening_is_described_in_local_time(when, expected):
    assert describe_opening(next_opening(FACTS, when), when) == expected


def test_naive_times_are_utc_and_a_clinic_that_never_opens_has_no_next_opening():
    assert is_open(FACTS, datetime(2026, 11, 23, 8, 0))  # 12:00 in Dubai
    closed = FACTS.__class__(**{**FACTS.__dict__, "opening_hours": {}})
    assert next_opening(closed, dubai(2026, 11, 23, 12)) is None
