"""Opt-in, planning and answers (clinic.aftercare.checkins): a recorded session of an opted-in
WhatsApp patient gets its check-ins, nobody else does; "stop" cancels everything planned; the
day before an appointment a reminder; answers noted for staff; retention and erasure."""
from datetime import date, datetime, time, timedelta, timezone

import pytest

from clinic.aftercare import checkins
from clinic.aftercare.checkins import (AftercareConfig, opt_in, opt_out, optin_status, plan_booking_reminders,
                                       record_answer, schedule_for_date, unanswered_checkins)
from clinic.aftercare.jobs import claim_due, mark_sent
from clinic.aftercare.models import AftercareJob, AftercareOptIn, Treatment
from clinic.aftercare.service import record_treatment
from clinic.booking.models import Appointment, Patient, Practitioner, Service
from clinic.channels.store import touch_contact
from tests.clinic.aftercare.conftest import NOW, PRACTITIONERS

WA = "wa-971501234567"


def record(factory, target=WA, day=date(2026, 12, 3), now=NOW):
    return record_treatment(factory, target, day, "face", "layla-haddad", "sara", now=now,
                            practitioners=PRACTITIONERS)


def jobs(factory, conversation_id=WA):
    with factory() as session:
        return [(j.kind, j.day, j.status) for j in session.query(AftercareJob)
                .filter_by(conversation_id=conversation_id).order_by(AftercareJob.id)]


def optin(factory, conversation_id=WA, language="en", now=NOW - timedelta(days=2)):
    with factory.begin() as session:
        opt_in(session, conversation_id, "staff", language, now)


def test_a_recorded_session_plans_check_ins_only_for_an_opted_in_patient(factory):
    record(factory, "wa-971509999999")  # never asked: nothing planned
    assert jobs(factory, "wa-971509999999") == []
    optin(factory)
    record(factory, day=date(2026, 12, 4))  # today, 10:00 Dubai: day 1, 3 and 7 ahead
    assert jobs(factory) == [("checkin", 1, "due"), ("checkin", 3, "due"), ("checkin", 7, "due")]
    record(factory, day=date(2026, 12, 4))  # the same session again: nothing new
    assert len(jobs(factory)) == 3


def test_the_days_and_time_come_from_clinic_yml(factory, tmp_path):
    optin(factory)
    config = AftercareConfig.from_mapping({"checkin_days": [2, 5], "checkin_time": "11:30"})
    schedule_for_date(factory, WA, date(2026, 12, 4), None, config, NOW)
    with factory() as session:
        planned = [(j.day, j.due_at) for j in session.query(AftercareJob).order_by(AftercareJob.id)]
    assert planned == [(2, datetime(2026, 12, 6, 7, 30)), (5, datetime(2026, 12, 9, 7, 30))]  # 11:30 Dubai
    assert checkins.load_config().checkin_days == (1, 3, 7)  # the shipped clinic.yml


@pytest.mark.parametrize("block, error", [
    ({"checkin_days": []}, "checkin_days"), ({"checkin_days": [0]}, "checkin_days"),
    ({"checkin_days": "1,3"}, "checkin_days"), ({"checkin_time": "22:00"}, "outside quiet hours"),
    ({"checkin_time": "noon"}, "a time such as"), ({"days": [1]}, "unknown keys"),
])
def test_a_bad_aftercare_block_is_refused_with_a_clear_message(block, error):
    with pytest.raises(ValueError, match=error):
        AftercareConfig.from_mapping(block)


def test_web_conversations_get_no_messages(factory):
    with factory.begin() as session:
        opt_in(session, "web-" + "a" * 32, "chat")
    assert schedule_for_date(factory, "web-" + "a" * 32, date(2026, 12, 4), now=NOW) == []


def test_stop_cancels_every_planned_message_at_once(factory):
    optin(factory)
    record(factory, day=date(2026, 12, 4))
    [first, *_] = claim_due(factory, "w", now=NOW + timedelta(days=1))  # being sent right now
    with factory.begin() as session:
        assert opt_out(session, WA, "chat", NOW) == 3
        assert optin_status(session, WA) is False
    assert {s for _, _, s in jobs(factory)} == {"cancelled"}
    assert mark_sent(factory, first, "w") is False  # the worker holding one cannot mark it sent
    record(factory, day=date(2026, 12, 2))  # a later record plans nothing for an opted-out patient
    assert {s for _, _, s in jobs(factory)} == {"cancelled"}


def appointment(factory, starts_at, conversation_id=WA, phone="+971501234567", status="confirmed"):
    with factory.begin() as session:
        practitioner = session.query(Practitioner).filter_by(key="layla-haddad").one()
        service = session.query(Service).first()
        if service is None:
            service = Service(key="consultation", name="Consultation", duration_minutes=30, price=0)
            session.add(service)
            session.flush()
        patient = Patient(name="Sara", phone=phone, channel="whatsapp", conversation_id=conversation_id,
                          created_at=datetime(2026, 12, 1))
        session.add(patient)
        session.flush()
        row = Appointment(reference=f"NS-{starts_at:%d%H%M}", practitioner_id=practitioner.id, service_id=service.id,
                          patient_id=patient.id, status=status, starts_at=starts_at,
                          ends_at=starts_at + timedelta(minutes=30), created_at=datetime(2026, 12, 1),
                          updated_at=datetime(2026, 12, 1))
        session.add(row)
        session.flush()
        return row.id


def test_a_reminder_the_day_before_an_appointment_of_an_opted_in_patient(factory):
    optin(factory)
    saturday = appointment(factory, datetime(2026, 12, 5, 8, 0))  # Saturday 12:00 Dubai
    appointment(factory, datetime(2026, 12, 5, 9, 0), "wa-971500000001", "+971500000001")  # not opted in
    appointment(factory, datetime(2026, 12, 5, 10, 0), status="cancelled")
    appointment(factory, datetime(2026, 12, 20, 10, 0))  # too far ahead for now
    [job] = plan_booking_reminders(factory, now=NOW)
    assert plan_booking_reminders(factory, now=NOW) == []  # idempotent
    with factory() as session:
        row = session.get(AftercareJob, job)
        assert (row.kind, row.appointment_id, row.conversation_id) == ("booking_reminder", saturday, WA)
        assert row.due_at == datetime(2026, 12, 4, 14, 0)  # Friday 18:00 Dubai, the day before


def test_a_web_booking_is_reminded_on_the_whatsapp_number_it_gave(factory):
    optin(factory)  # opted in on WhatsApp
    appointment(factory, datetime(2026, 12, 5, 8, 0), "web-" + "b" * 32, "+971501234567")
    [job] = plan_booking_reminders(factory, now=NOW)
    with factory() as session:
        assert session.get(AftercareJob, job).conversation_id == WA


def test_an_appointment_booked_for_tomorrow_after_the_reminder_time_gets_none(factory):
    optin(factory)
    appointment(factory, datetime(2026, 12, 5, 8, 0))
    late = datetime(2026, 12, 4, 15, 0, tzinfo=timezone.utc)  # Friday 19:00 Dubai: 18:00 has passed
    assert plan_booking_reminders(factory, now=late) == []


def test_answers_are_noted_on_the_last_message_sent_and_unanswered_day_1_is_flagged(factory):
    optin(factory)
    record(factory, day=date(2026, 12, 4))
    day1 = NOW + timedelta(days=1)
    [job] = claim_due(factory, "w", now=day1)
    mark_sent(factory, job, "w", now=day1)
    later = day1 + timedelta(hours=30)
    with factory() as session:
        assert [r["conversation_id"] for r in unanswered_checkins(session, now=later)] == [WA]
    touch_contact(factory, WA, "whatsapp", at=(day1 + timedelta(hours=2)).replace(tzinfo=None))
    with factory() as session:  # the patient wrote after it: answered, whatever they said
        assert unanswered_checkins(session, now=later) == []
    with factory.begin() as session:
        assert record_answer(session, WA, "all_good", day1 + timedelta(hours=3)) == "checkin"
    with factory() as session:
        assert session.get(AftercareJob, job).outcome == "all_good"
        assert record_answer(session, WA, "all_good", day1 + timedelta(days=5)) is None  # too long ago


def test_retention_purges_old_jobs_and_idle_opt_ins(factory):
    optin(factory, now=NOW - timedelta(days=400))
    optin(factory, "wa-971509999999", now=NOW - timedelta(days=400))
    with factory.begin() as session:
        session.add(AftercareJob(conversation_id=WA, kind="checkin", day=1, dedupe_key="old", status="sent",
                                 attempts=1, due_at=datetime(2025, 10, 1), created_at=datetime(2025, 9, 30)))
        session.add(AftercareJob(conversation_id="wa-971509999999", kind="checkin", day=1, dedupe_key="new",
                                 status="due", attempts=0, due_at=datetime(2026, 12, 5),
                                 created_at=datetime(2026, 12, 4)))
    from clinic.aftercare.checkins import purge_old_jobs
    from clinic.privacy.retention import purge_old_aftercare

    with factory.begin() as session:
        with pytest.raises(ValueError):
            purge_old_jobs(session, 0, NOW)
        assert purge_old_jobs(session, 365, NOW) == 2  # the old job, then WA's idle opt-in
    assert purge_old_aftercare(365, session_factory=factory) == 0  # what `python -m clinic retention` runs
    with factory() as session:
        assert [o.conversation_id for o in session.query(AftercareOptIn)] == ["wa-971509999999"]
        assert [j.dedupe_key for j in session.query(AftercareJob)] == ["new"]


def test_erasure_removes_the_opt_in_and_the_reminders_of_a_web_booking(factory, tmp_path, monkeypatch):
    from clinic.db import make_engine
    from clinic.handoff import outbox
    from clinic.privacy.erasure import erase_conversation_data

    monkeypatch.setattr(outbox, "_default", outbox.UrgentOutbox(tmp_path / "outbox.db"))
    optin(factory)
    web = "web-" + "c" * 32
    appointment(factory, datetime(2026, 12, 5, 8, 0), web, "+971501234567")
    assert len(plan_booking_reminders(factory, now=NOW)) == 1
    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    report = erase_conversation_data(web, session_factory=factory, tracker_engine=tracker, audit_key="k")
    assert report.tables["clinic.aftercare.checkins.erase_reminders"] == 1
    with factory() as session:
        assert session.query(AftercareJob).count() == 0
    report = erase_conversation_data(WA, session_factory=factory, tracker_engine=tracker, audit_key="k")
    assert report.tables["aftercare_optins"] == 1
    with factory() as session:
        assert session.query(AftercareOptIn).count() == 0 and session.query(Treatment).count() == 0
    tracker.dispose()


def test_optin_validates_its_inputs(factory):
    with factory.begin() as session:
        with pytest.raises(ValueError):
            opt_in(session, WA, "website")
        with pytest.raises(ValueError):
            opt_in(session, "", "chat")
        assert opt_in(session, WA, "chat", "fr").language == "en"
    assert checkins.sendable(WA) and not checkins.sendable("wa-abc") and not checkins.sendable("tw-971501234567")
    assert AftercareConfig().checkin_time == time(10, 0)
