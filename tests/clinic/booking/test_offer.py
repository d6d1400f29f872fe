"""clinic.booking.offer: what to offer for the day and time a patient asks for (issue 14)."""
from datetime import datetime, time, timedelta

import pytest

from clinic.booking.offer import Offer, find_offer, still_free, wish_after
from clinic.booking.slots import Slot
from tests.clinic.booking.conftest import DUBAI, NOW

# the test schedule: one practitioner on Monday and Thursday 10-18 (Thursday break 13-14) and
# Saturday 10-16; the clinic (clinic.yml) is closed on Sunday; 2 December is National Day


def offer(factory, text, service="consultation"):
    with factory() as session:
        return find_offer(session, service, text, NOW)


def local_times(found):
    return [s.start.astimezone(DUBAI) for s in found.slots]


def test_an_exact_free_time_is_the_answer(factory):
    found = offer(factory, "monday 11am")
    assert found.kind == "slot_free" and found.exact is not None
    assert found.exact.start.astimezone(DUBAI) == datetime(2026, 11, 30, 11, 0, tzinfo=DUBAI)
    assert local_times(found)[0] == datetime(2026, 11, 30, 11, 0, tzinfo=DUBAI) and len(found.slots) <= 5


def test_an_exact_time_nobody_works_gets_the_nearest_free_ones(factory):
    found = offer(factory, "tomorrow 5pm")  # Friday: the clinic is open, the practitioner is not
    assert found.kind == "time_taken" and found.exact is None and found.slots


@pytest.mark.parametrize("text, kind", [
    ("sunday at 3am", "closed_day"), ("sunday 11am", "closed_day"), ("2/12 afternoon", "holiday"),
    ("31 feb", "date_invalid"), ("31/02", "date_invalid"), ("at 25:00 tomorrow", "date_invalid"),
    ("blah blah", "date_unknown"), ("yesterday", "date_past"), ("monday at 11pm", "outside_hours"),
])
def test_times_that_cannot_be_booked_say_why(factory, text, kind):
    found = offer(factory, text)
    assert found.kind == kind and found.exact is None
    if kind in ("closed_day", "holiday", "date_past", "outside_hours"):
        assert found.slots  # with times that can be booked instead


def test_the_holiday_is_named(factory):
    assert offer(factory, "2/12 afternoon").reason == "National Day"


@pytest.mark.parametrize("text, check", [
    ("any evening", lambda t: t >= time(17)),
    ("evenings are better for me", lambda t: t >= time(17)),
    ("mornings only", lambda t: t < time(12)),
    ("after 5:30", lambda t: t >= time(17, 30)),
    ("thursday after work", lambda t: t >= time(17)),
])
def test_preferences_filter_the_offered_times(factory, text, check):
    found = offer(factory, text)
    assert found.kind == "slots" and found.slots
    assert all(check(s.time()) for s in local_times(found)), local_times(found)


def test_sometime_next_week_and_the_earliest(factory):
    next_week = offer(factory, "sometime next week")
    assert next_week.kind == "slots" and all(
        datetime(2026, 11, 30, tzinfo=DUBAI) <= s < datetime(2026, 12, 7, tzinfo=DUBAI) for s in local_times(next_week))
    assert offer(factory, "the earliest").kind == "slots"


def test_a_time_is_still_free_for_another_service_or_not(factory):
    start = datetime(2026, 11, 30, 11, 0, tzinfo=DUBAI)
    with factory() as session:
        assert still_free(session, "consultation", start, NOW)
        assert not still_free(session, "consultation", datetime(2026, 11, 29, 11, 0, tzinfo=DUBAI), NOW)  # Sunday


def test_two_days_asked_offer_times_on_both(factory):
    found = offer(factory, "any slot mon or sat afternoon?")
    days = {t.date() for t in local_times(found)}
    assert found.kind == "slots" and len(found.slots) == 5
    assert days == {datetime(2026, 11, 30).date(), datetime(2026, 11, 28).date()}
    assert local_times(found) == sorted(local_times(found)) and all(t.hour >= 12 for t in local_times(found))


def test_one_exact_time_on_two_days_offers_that_time_on_each(factory):
    found = offer(factory, "mon or sat 3pm")
    assert found.kind == "slots" and found.exact is None
    assert local_times(found) == [datetime(2026, 11, 28, 15, 0, tzinfo=DUBAI),
                                  datetime(2026, 11, 30, 15, 0, tzinfo=DUBAI)]


@pytest.mark.parametrize("text, kept", [
    ("monday afternoon", "monday afternoon"), ("monday 11am", "monday 11am"),  # free: the wish itself
    ("monday at 11pm", "2026-11-30"),  # outside the hours: that day
    ("sunday 11am", None), ("31 feb", None), ("yesterday", None), ("blah blah", None),
])
def test_what_is_kept_of_a_wish_until_a_time_is_chosen(factory, text, kept):
    assert wish_after(offer(factory, text), text, NOW) == kept



def test_a_taken_time_keeps_its_day_from_the_nearest_time_offered():
    # "tomorrow 5pm" taken, 3:30 to 5:30 pm offered: asked again (after the patient typed a
    # name), the day from 3:30 pm comes back, not that morning's, and 5pm is not refused twice
    nearby = tuple(Slot(datetime(2026, 11, 27, h, m, tzinfo=DUBAI), datetime(2026, 11, 27, h, m + 29, tzinfo=DUBAI),
                        "dr") for h, m in [(15, 30), (16, 0), (16, 30), (17, 30)])
    assert wish_after(Offer("time_taken", nearby), "tomorrow 5pm", NOW) == "2026-11-27 from 15:30"
    # nothing free that day, the nearest the next: only the day, as before
    next_day = tuple(Slot(s.start + timedelta(days=1), s.end + timedelta(days=1), "dr") for s in nearby)
    assert wish_after(Offer("time_taken", next_day), "tomorrow 5pm", NOW) == "2026-11-27"


def test_the_day_kept_from_a_time_offers_times_from_then(factory):
    found = offer(factory, "2026-11-30 from 15:00")
    assert found.kind == "slots" and min(t.hour for t in local_times(found)) >= 15
