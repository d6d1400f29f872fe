"""The due-jobs table: idempotent scheduling, quiet hours, one claim per job across workers,
leases that expire (nothing lost), retries. Time is injected; nothing sleeps or sends."""
import threading
from datetime import date, datetime, timedelta, timezone

from clinic.aftercare.jobs import (
    MAX_ATTEMPTS, claim_due, mark_failed, mark_sent, outside_quiet_hours, schedule_checkins,
)
from clinic.aftercare.models import AftercareJob
from clinic.aftercare.service import record_treatment
from clinic.booking.dates import ZONE
from tests.clinic.aftercare.conftest import NOW, PRACTITIONERS

WA = "wa-971501234567"


def local(*args):
    return datetime(*args, tzinfo=ZONE)


def treatment(factory, day=date(2026, 12, 3)):
    return record_treatment(factory, WA, day, "face", "layla-haddad", "sara", now=NOW, practitioners=PRACTITIONERS)


def jobs(factory):
    with factory.begin() as session:
        return [(j.day, j.status, j.due_at) for j in session.query(AftercareJob).order_by(AftercareJob.id)]


def test_quiet_hours_move_a_message_to_nine_in_the_morning():
    assert outside_quiet_hours(local(2026, 12, 4, 22, 30)) == local(2026, 12, 5, 9, 0)
    assert outside_quiet_hours(local(2026, 12, 4, 3, 0)) == local(2026, 12, 4, 9, 0)
    assert outside_quiet_hours(local(2026, 12, 4, 20, 59)) == local(2026, 12, 4, 20, 59)
    assert outside_quiet_hours(local(2026, 12, 4, 9, 0)) == local(2026, 12, 4, 9, 0)


def test_checkins_are_scheduled_once_and_never_in_the_past(factory):
    t = treatment(factory)  # Thursday 3 December; now is Friday 4 December 10:00 Dubai
    assert len(schedule_checkins(factory, WA, t.id, t.treated_on, now=NOW - timedelta(minutes=1))) == 3
    assert schedule_checkins(factory, WA, t.id, t.treated_on, now=NOW) == []  # again: nothing new
    assert [(d, s) for d, s, _ in jobs(factory)] == [(1, "due"), (3, "due"), (7, "due")]
    assert jobs(factory)[0][2] == datetime(2026, 12, 4, 6, 0)  # 10:00 Dubai in UTC
    late = treatment(factory, date(2026, 11, 20))
    assert len(schedule_checkins(factory, WA, late.id, late.treated_on, now=NOW)) == 0  # days 1, 3, 7 are past


def test_two_workers_never_claim_the_same_job(factory):
    t = treatment(factory)
    schedule_checkins(factory, WA, t.id, t.treated_on, days=range(1, 8), now=NOW - timedelta(hours=1))
    later = NOW + timedelta(days=30)
    results = {}

    def work(name):
        results[name] = claim_due(factory, name, now=later, limit=10)

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = results["worker-0"] + results["worker-1"]
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 7


def test_a_dead_workers_job_is_claimed_again_after_its_lease(factory):
    t = treatment(factory)
    schedule_checkins(factory, WA, t.id, t.treated_on, days=[1], now=NOW - timedelta(hours=1))
    [job] = claim_due(factory, "a", now=NOW)
    assert claim_due(factory, "b", now=NOW + timedelta(minutes=1)) == []  # lease held
    assert claim_due(factory, "b", now=NOW + timedelta(minutes=6)) == [job]  # "a" died: taken over
    assert mark_sent(factory, job, "a") is False  # the old worker may not finish it
    assert mark_sent(factory, job, "b", now=NOW) is True
    assert claim_due(factory, "c", now=NOW + timedelta(days=1)) == []  # sent: never again


def test_failures_retry_outside_quiet_hours_then_give_up(factory):
    t = treatment(factory)
    schedule_checkins(factory, WA, t.id, t.treated_on, days=[1], now=NOW - timedelta(hours=1))
    evening = datetime(2026, 12, 4, 16, 55, tzinfo=timezone.utc)  # 20:55 Dubai
    [job] = claim_due(factory, "a", now=evening)
    assert mark_failed(factory, job, "a", "template refused", now=evening) == "due"
    assert jobs(factory)[0][2] == datetime(2026, 12, 5, 5, 0)  # 09:00 Dubai next day
    moment = datetime(2026, 12, 5, 6, 0, tzinfo=timezone.utc)
    status = "due"
    for _ in range(MAX_ATTEMPTS - 1):
        [job] = claim_due(factory, "a", now=moment)
        status = mark_failed(factory, job, "a", "refused", now=moment)
        moment += timedelta(hours=1)
    assert status == "failed"
    assert claim_due(factory, "a", now=moment + timedelta(days=1)) == []
