"""The sender against the fake Graph API with an injected clock: a whole course in seconds,
quiet hours, opt-out, a refused template, 5xx with back-off, a number not on WhatsApp, two
workers at once (each job sent once), a restart in the middle (nothing lost)."""
import asyncio
import logging
from datetime import date, datetime, timedelta, timezone

import pytest

from clinic.aftercare import messages
from clinic.aftercare.checkins import AftercareConfig, opt_in, opt_out, plan_booking_reminders
from clinic.aftercare.jobs import MAX_ATTEMPTS, claim_due
from clinic.aftercare.models import AftercareJob
from clinic.aftercare.service import record_treatment
from clinic.aftercare.worker import Worker
from clinic.channels.config import WhatsAppSettings
from clinic.channels.graph_api import GraphClient
from clinic.channels.models import Undelivered
from tests.clinic.aftercare.conftest import NOW, PRACTITIONERS
from tests.fakes.graph_api import FakeGraphAPI

WA = "wa-971501234567"
CLINIC = messages.ClinicLine({"en": "Noor Clinic", "ar": "عيادة نور"}, "+971 4 000 0000")


@pytest.fixture
def fake():
    with FakeGraphAPI() as server:
        yield server


class Clock:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


def local(*args):
    from clinic.booking.dates import ZONE

    return datetime(*args, tzinfo=ZONE).astimezone(timezone.utc)


def worker(factory, fake, clock, name="w1", phone_number_id="100000000000001", attempts=1):
    settings = WhatsAppSettings(graph_url=fake.url, api_version="v21.0", access_token="token-123",
                                phone_number_id=phone_number_id, timeout_seconds=2.0, max_attempts=attempts)
    return Worker(factory, GraphClient(settings, backoff=0.01), messages.Templates(), CLINIC,
                  AftercareConfig(), clock, name)


def run(w):
    async def go():
        try:
            return await w.run_once()
        finally:
            await w.aclose()
    return asyncio.run(go())


def opted_in_patient(factory, language="en", day=date(2026, 12, 4)):
    with factory.begin() as session:
        opt_in(session, WA, "staff", language, NOW - timedelta(days=1))
    return record_treatment(factory, WA, day, "face", "layla-haddad", "sara", now=NOW, practitioners=PRACTITIONERS)


def statuses(factory):
    with factory() as session:
        return [(j.day, j.status) for j in session.query(AftercareJob).order_by(AftercareJob.id)]


def sent_days(fake):
    return [int(c.json["template"]["components"][0]["parameters"][1]["text"]) for c in fake.calls]


def test_a_whole_course_day_1_3_7_each_sent_once_at_10_in_dubai(factory, fake):
    opted_in_patient(factory)
    clock = Clock(local(2026, 12, 5, 9, 59))
    assert run(worker(factory, fake, clock)).get("sent", 0) == 0  # 09:59: not yet
    for moment, expected in [((2026, 12, 5, 10, 0), [1]), ((2026, 12, 5, 15, 0), [1]),
                             ((2026, 12, 7, 10, 5), [1, 3]), ((2026, 12, 11, 12, 0), [1, 3, 7]),
                             ((2026, 12, 30, 12, 0), [1, 3, 7])]:
        clock.moment = local(*moment)
        run(worker(factory, fake, clock))
        assert sent_days(fake) == expected
    call = fake.calls[0]
    assert call.path == "/v21.0/100000000000001/messages" and call.json["to"] == "971501234567"
    template = call.json["template"]
    assert (template["name"], template["language"]["code"]) == ("aftercare_checkin", "en")
    assert [p["text"] for p in template["components"][0]["parameters"]] == ["Noor Clinic", "1", "+971 4 000 0000"]
    assert [b["parameters"][0]["payload"] for b in template["components"][1:]] == ["all good", "stop"]
    assert statuses(factory) == [(1, "sent"), (3, "sent"), (7, "sent")]


def test_arabic_patients_get_the_arabic_template_and_arabic_button_payloads(factory, fake):
    opted_in_patient(factory, "ar")
    run(worker(factory, fake, Clock(local(2026, 12, 5, 10, 0))))
    template = fake.calls[0].json["template"]
    assert template["language"]["code"] == "ar"
    assert template["components"][0]["parameters"][0]["text"] == "عيادة نور"
    assert [b["parameters"][0]["payload"] for b in template["components"][1:]] == ["كل شيء بخير", "توقف"]


def test_nothing_is_sent_in_quiet_hours(factory, fake):
    opted_in_patient(factory)
    with factory.begin() as session:  # a job due at 20:50 that waited: at 21:00 it waits for 09:00
        session.query(AftercareJob).filter_by(day=1).update({"due_at": datetime(2026, 12, 5, 16, 50)})
    for moment in [(2026, 12, 5, 21, 0), (2026, 12, 5, 23, 30), (2026, 12, 6, 3, 0), (2026, 12, 6, 8, 59)]:
        assert run(worker(factory, fake, Clock(local(*moment)))).get("sent", 0) == 0
    assert fake.calls == []
    run(worker(factory, fake, Clock(local(2026, 12, 6, 9, 0))))
    assert sent_days(fake) == [1]


def test_a_job_claimed_just_before_quiet_hours_goes_back_unsent(factory, fake):
    opted_in_patient(factory)
    clock = Clock(local(2026, 12, 5, 20, 59))
    w = worker(factory, fake, clock)
    [job] = claim_due(factory, w.name, now=clock())
    clock.moment = local(2026, 12, 5, 21, 0)
    assert asyncio.run(w.process(job)) == "postponed"
    with factory() as session:
        row = session.get(AftercareJob, job)
        assert (row.status, row.attempts, row.due_at) == ("due", 0, datetime(2026, 12, 6, 5, 0))  # 09:00 Dubai
    assert fake.calls == []


def test_an_opted_out_patient_gets_nothing_more(factory, fake):
    opted_in_patient(factory)
    run(worker(factory, fake, Clock(local(2026, 12, 5, 10, 0))))
    with factory.begin() as session:
        opt_out(session, WA, "chat", local(2026, 12, 5, 11, 0))
    run(worker(factory, fake, Clock(local(2026, 12, 12, 10, 0))))
    assert sent_days(fake) == [1]
    assert statuses(factory) == [(1, "sent"), (3, "cancelled"), (7, "cancelled")]


def test_an_opt_out_between_claim_and_send_is_respected(factory, fake):
    opted_in_patient(factory)
    clock = Clock(local(2026, 12, 5, 10, 0))
    w = worker(factory, fake, clock)
    [job] = claim_due(factory, w.name, now=clock())
    with factory.begin() as session:  # "stop" arrives while the job is claimed: cancelled at once
        opt_out(session, WA, "chat", clock())
    with factory.begin() as session:  # even if the row were still claimed, the opt-in is read again
        session.get(AftercareJob, job).status = "claimed"
    assert asyncio.run(w.process(job)) == "cancelled"
    assert fake.calls == []


def test_a_refused_template_fails_at_once_with_a_clear_log_line_and_a_note_for_staff(factory, fake, caplog):
    opted_in_patient(factory)
    fake.fail_next(1, status=400, body={"error": {"message": "Template name does not exist in the translation",
                                                  "code": 132001}})
    with caplog.at_level(logging.ERROR, logger="clinic.aftercare.worker"):
        counts = run(worker(factory, fake, Clock(local(2026, 12, 5, 10, 0))))
    assert counts["failed"] == 1 and len(fake.calls) == 1  # not retried
    line = " ".join(r.getMessage() for r in caplog.records)
    assert "refused template 'aftercare_checkin' (en) with HTTP 400, error 132001" in line
    assert "971501234567" not in line  # no phone number in logs
    with factory() as session:
        row = session.query(AftercareJob).filter_by(day=1).one()
        assert row.status == "failed" and "template_refused" in row.last_error
        [note] = session.query(Undelivered).all()
        assert note.reason == "template_refused" and "aftercare_checkin" in note.text
    run(worker(factory, fake, Clock(local(2026, 12, 6, 10, 0))))
    assert len(fake.calls) == 1  # a failed job is never tried again


def test_a_number_not_on_whatsapp_fails_without_retries(factory, fake):
    opted_in_patient(factory)
    fake.fail_next(1, status=400, body={"error": {"message": "Message undeliverable", "code": 131026}})
    assert run(worker(factory, fake, Clock(local(2026, 12, 5, 10, 0))))["failed"] == 1
    with factory() as session:
        assert session.query(Undelivered).one().reason == "not_on_whatsapp"
        assert session.query(AftercareJob).filter_by(day=1).one().status == "failed"


def test_server_errors_and_timeouts_are_retried_with_back_off_then_given_up(factory, fake):
    opted_in_patient(factory)
    fake.fail_next(3, status=503)
    clock = Clock(local(2026, 12, 5, 10, 0))
    assert run(worker(factory, fake, clock))["retry"] == 1
    with factory() as session:
        row = session.query(AftercareJob).filter_by(day=1).one()
        assert (row.status, row.attempts, row.due_at) == ("due", 1, datetime(2026, 12, 5, 6, 10))  # +10 min
    clock.moment += timedelta(minutes=9)
    assert run(worker(factory, fake, clock)).get("retry", 0) == 0  # not yet
    clock.moment += timedelta(minutes=1)
    assert run(worker(factory, fake, clock))["retry"] == 1
    with factory() as session:
        assert session.query(AftercareJob).filter_by(day=1).one().due_at == datetime(2026, 12, 5, 6, 30)  # +20
    clock.moment += timedelta(minutes=20)
    assert run(worker(factory, fake, clock))["retry"] == 1
    clock.moment += timedelta(minutes=40)
    assert run(worker(factory, fake, clock))["sent"] == 1  # the fake answers 200 again
    fake.reset()
    fake.fail_next(MAX_ATTEMPTS, status=500)
    clock.moment = local(2026, 12, 7, 10, 0)
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        counts = run(worker(factory, fake, clock))
        outcomes += [k for k in ("retry", "failed") if counts.get(k)]
        clock.moment += timedelta(hours=2)
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    with factory() as session:
        assert session.query(Undelivered).one().reason == "send_failed"


def test_a_hanging_api_times_out_and_is_retried_later(factory, fake):
    opted_in_patient(factory)
    fake.hang(3.0)
    settings = WhatsAppSettings(graph_url=fake.url, access_token="t", phone_number_id="1", timeout_seconds=0.3,
                                max_attempts=1)
    w = Worker(factory, GraphClient(settings, backoff=0.01), messages.Templates(), CLINIC, AftercareConfig(),
               Clock(local(2026, 12, 5, 10, 0)), "w1")
    assert run(w)["retry"] == 1
    fake.hang(0)


def test_without_whatsapp_settings_jobs_wait(factory, fake):
    opted_in_patient(factory)
    assert run(worker(factory, fake, Clock(local(2026, 12, 5, 10, 0)), phone_number_id="")).get("sent", 0) == 0
    assert statuses(factory)[0] == (1, "due")
    run(worker(factory, fake, Clock(local(2026, 12, 5, 10, 0))))
    assert sent_days(fake) == [1]


def test_two_workers_at_once_send_every_job_once(factory, fake):
    opted_in_patient(factory)
    with factory.begin() as session:  # 20 due jobs
        for i in range(17):
            session.add(AftercareJob(conversation_id=WA, kind="checkin", day=(i % 7) + 1, dedupe_key=f"extra:{i}",
                                     due_at=datetime(2026, 12, 5, 5, 0), status="due", attempts=0,
                                     created_at=datetime(2026, 12, 4)))
    clock = Clock(local(2026, 12, 12, 10, 0))

    async def both():
        a, b = worker(factory, fake, clock, "a"), worker(factory, fake, clock, "b")
        a.batch = b.batch = 4
        try:
            for _ in range(6):
                await asyncio.gather(a.run_once(), b.run_once())
        finally:
            await a.aclose()
            await b.aclose()

    asyncio.run(both())
    with factory() as session:
        rows = session.query(AftercareJob).all()
        assert len(rows) == 20 and {r.status for r in rows} == {"sent"}
    assert len(fake.calls) == 20


def test_a_restart_in_the_middle_loses_nothing(factory, fake):
    opted_in_patient(factory)
    run(worker(factory, fake, Clock(local(2026, 12, 5, 10, 0)), "before"))
    day3 = Clock(local(2026, 12, 7, 10, 0))
    dead = worker(factory, fake, day3, "dead")
    [job] = claim_due(factory, dead.name, now=day3())  # claimed, then the process died before sending
    run(worker(factory, fake, day3, "after"))  # the lease holds: not sent twice
    assert sent_days(fake) == [1]
    day3.moment += timedelta(minutes=6)  # lease expired: the new process takes it over
    run(worker(factory, fake, day3, "after"))
    run(worker(factory, fake, Clock(local(2026, 12, 11, 10, 0)), "after"))
    assert sent_days(fake) == [1, 3, 7]
    assert statuses(factory) == [(1, "sent"), (3, "sent"), (7, "sent")]


def appointment(factory, starts_at, status="confirmed"):
    from clinic.booking.models import Appointment, Patient, Practitioner, Service

    with factory.begin() as session:
        service = Service(key="consultation", name="Consultation", duration_minutes=30, price=0)
        patient = Patient(name="Sara", phone="+971501234567", channel="whatsapp", conversation_id=WA,
                          created_at=datetime(2026, 12, 1))
        session.add_all([service, patient])
        session.flush()
        row = Appointment(reference="NS-7K3W", practitioner_id=session.query(Practitioner).first().id,
                          service_id=service.id, patient_id=patient.id, status=status, starts_at=starts_at,
                          ends_at=starts_at + timedelta(minutes=30), created_at=datetime(2026, 12, 1),
                          updated_at=datetime(2026, 12, 1))
        session.add(row)
        session.flush()
        return row.id


def test_the_booking_reminder_is_sent_the_day_before_with_three_buttons(factory, fake):
    with factory.begin() as session:
        opt_in(session, WA, "chat", "en", NOW)
    appointment(factory, datetime(2026, 12, 6, 6, 30))  # Sunday 10:30 Dubai
    clock = Clock(local(2026, 12, 5, 17, 59))
    assert run(worker(factory, fake, clock))["planned"] == 1
    assert fake.calls == []
    clock.moment = local(2026, 12, 5, 18, 0)
    run(worker(factory, fake, clock))
    template = fake.calls[0].json["template"]
    assert template["name"] == "appointment_reminder"
    assert [p["text"] for p in template["components"][0]["parameters"]] == [
        "Noor Clinic", "Sunday 6 December", "10:30", "NS-7K3W"]
    assert [b["parameters"][0]["payload"] for b in template["components"][1:]] == [
        "I'll be there", "reschedule my appointment", "cancel my appointment"]


def test_a_reminder_for_a_cancelled_or_moved_appointment_is_dropped(factory, fake):
    from clinic.booking.models import Appointment

    with factory.begin() as session:
        opt_in(session, WA, "chat", "en", NOW)
    appointment_id = appointment(factory, datetime(2026, 12, 6, 6, 30))
    plan_booking_reminders(factory, now=local(2026, 12, 5, 9, 0))
    with factory.begin() as session:
        moved = session.get(Appointment, appointment_id)
        moved.starts_at, moved.ends_at = datetime(2026, 12, 8, 6, 30), datetime(2026, 12, 8, 7, 0)
    counts = run(worker(factory, fake, Clock(local(2026, 12, 5, 18, 0))))
    assert counts["cancelled"] == 1 and fake.calls == []
