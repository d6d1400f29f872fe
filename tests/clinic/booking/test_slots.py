"""Pure slot computation: boundaries, breaks, closures, appointments, lead time, Asia/Dubai."""
from datetime import date, datetime, time, timedelta, timezone

from clinic.booking.slots import (
    ClosureRule, PractitionerWeek, Rules, closure_reason, free_slots, nearest_slots, subtract,
)
from tests.clinic.booking.conftest import DUBAI

THU = date(2026, 11, 26)
EARLY = datetime(2026, 11, 20, tzinfo=DUBAI)  # "now" a week before: no lead-time effect
OPENING = {0: (time(10), time(20)), 3: (time(10), time(20)), 4: (time(14), time(21)), 5: (time(10), time(18))}
A = PractitionerWeek("a", {3: [(time(9), time(12))], 4: [(time(12), time(16))]}, {3: [(time(10, 30), time(11))]})
B = PractitionerWeek("b", {3: [(time(11), time(13))]})
HALF_HOUR = timedelta(minutes=30)


def rules(*weeks, closures=(), step=30, lead=timedelta(hours=2)):
    return Rules(OPENING, weeks or (A,), closures, lead, step)


def local(day, hh, mm=0):
    return datetime.combine(day, time(hh, mm), tzinfo=DUBAI)


def starts(slots):
    return [s.start.astimezone(DUBAI).strftime("%H:%M") for s in slots]


def whole_day(day=THU):
    return (local(day, 0), local(day + timedelta(days=1), 0))


def test_clinic_hours_intersect_practitioner_hours_minus_breaks():
    slots = free_slots(rules(), HALF_HOUR, whole_day(), {}, EARLY, limit=None)
    assert starts(slots) == ["10:00", "11:00", "11:30"]  # works from 9 but the clinic opens at 10


def test_results_are_utc_and_local_10_is_06_utc():
    [first, *_] = free_slots(rules(), HALF_HOUR, whole_day(), {}, EARLY)
    assert first.start == datetime(2026, 11, 26, 6, 0, tzinfo=timezone.utc)
    assert first.end - first.start == HALF_HOUR


def test_a_slot_may_end_exactly_at_closing_but_not_after():
    late = PractitionerWeek("late", {4: [(time(14), time(23))]})
    slots = free_slots(rules(late), timedelta(minutes=45), whole_day(date(2026, 11, 27)), {}, EARLY, limit=None)
    assert starts(slots)[-1] == "20:00"  # 20:00 + 45 min = 20:45 <= 21:00
    assert "20:30" not in starts(slots)


def test_long_service_does_not_straddle_a_break():
    slots = free_slots(rules(), timedelta(minutes=45), whole_day(), {}, EARLY, limit=None)
    assert starts(slots) == ["11:00"]  # 10:00-10:45 would run into the 10:30 break


def test_existing_appointments_block_overlapping_starts():
    busy = {"a": [(local(THU, 11, 15), local(THU, 11, 30))]}
    slots = free_slots(rules(step=15), HALF_HOUR, whole_day(), busy, EARLY, limit=None)
    assert starts(slots) == ["10:00", "11:30"]  # 10:15 and 11:00 would overlap the break or the booking


def test_clinic_closure_and_practitioner_leave():
    holiday = ClosureRule(THU, None, None, None, "National Day")
    assert free_slots(rules(A, B, closures=[holiday]), HALF_HOUR, whole_day(), {}, EARLY) == []
    leave = ClosureRule(THU, "a")
    assert {s.practitioner for s in free_slots(rules(A, B, closures=[leave]), HALF_HOUR, whole_day(), {},
                                                 EARLY, limit=None)} == {"b"}
    partial = ClosureRule(THU, None, time(11), time(12))
    assert starts(free_slots(rules(closures=[partial]), HALF_HOUR, whole_day(), {}, EARLY, limit=None)) == ["10:00"]


def test_lead_time_and_no_past():
    now = local(THU, 9, 10)  # earliest start 11:10 -> next grid point 11:30
    assert starts(free_slots(rules(), HALF_HOUR, whole_day(), {}, now, limit=None)) == ["11:30"]
    assert free_slots(rules(), HALF_HOUR, whole_day(), {}, local(THU, 12)) == []


def test_closed_weekday_has_no_slots_and_a_reason():
    sunday = date(2026, 11, 29)
    everyday = PractitionerWeek("x", {d: [(time(8), time(22))] for d in range(7)})
    assert free_slots(rules(everyday), HALF_HOUR, whole_day(sunday), {}, EARLY) == []
    assert closure_reason(rules(), sunday) == "closed"
    assert closure_reason(rules(closures=[ClosureRule(THU, reason="Eid")]), THU) == "Eid"
    assert closure_reason(rules(), THU) is None


def test_limit_counts_distinct_start_times_and_prefers_the_first_practitioner():
    slots = free_slots(rules(A, B), HALF_HOUR, whole_day(), {}, EARLY, limit=3)
    assert starts(slots) == ["10:00", "11:00", "11:30"] and slots[1].practitioner == "a"


def test_nearest_slots_look_both_ways():
    busy = {"a": [(local(THU, 11), local(THU, 12))]}
    near = nearest_slots(rules(), HALF_HOUR, local(THU, 11), busy, EARLY, limit=2)
    assert [s.start.astimezone(DUBAI).strftime("%a %H:%M") for s in near] == ["Thu 10:00", "Fri 14:00"]


def test_subtract_handles_edges():
    day = [(1, 10)]
    assert subtract(day, [(0, 2), (4, 5), (9, 11)]) == [(2, 4), (5, 9)]
    assert subtract(day, [(10, 12)]) == [(1, 10)]
    assert subtract(day, [(0, 20)]) == []
