"""The booking service against a real database (SQLite file; PostgreSQL when configured)."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from clinic.booking import service
from clinic.booking.models import Appointment, Patient, SlotClaim
from tests.clinic.booking.conftest import DUBAI, NOW

INJECTIONS = ["'; DROP TABLE booking_appointments; --", "1 OR 1=1", "\" OR \"\"=\"", "<script>alert(1)</script>",
              "Robert'); DELETE FROM booking_patients;--"]


def at(hour, minute=0, day=26, month=11):
    return datetime(2026, month, day, hour, minute, tzinfo=DUBAI)


def book(factory, start, key="k1", name="Amal Test", phone="050 123 4567", service_key="consultation"):
    return service.book(factory, service_key=service_key, start=start, name=name, phone=phone,
                        conversation_id="conv-1", idempotency_key=key, now=NOW)


def count(factory, model):
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_find_slots_respects_lead_time_breaks_and_hours(factory):
    with factory() as session:
        slots = service.find_slots(session, "consultation", (at(0), at(23)), now=NOW, limit=50)
    starts = [s.start.astimezone(DUBAI).strftime("%H:%M") for s in slots]
    assert starts[0] == "14:00"  # 11:00 + 2 h lead = 13:00, but 13:00-14:00 is a break
    assert starts[-1] == "17:30"  # a 30-minute consultation must end by 18:00
    assert len(slots) == 15


def test_book_returns_a_reference_and_stores_utc(factory):
    booked = book(factory, at(15))
    assert booked.reference.startswith("NS-") and booked.created
    assert booked.starts_at == at(15) and booked.ends_at == at(15, 30)
    with factory() as session:
        stored = session.scalar(select(Appointment))
        assert stored.starts_at == datetime(2026, 11, 26, 11, 0)  # naive UTC
        assert stored.status == "confirmed" and stored.patient.phone == "+971501234567"
        assert stored.idempotency_key != "k1" and len(stored.idempotency_key) == 64
    assert count(factory, SlotClaim) == 2


def test_same_request_twice_books_once(factory):
    first = book(factory, at(15), key="conv-1:msg-9")
    again = book(factory, at(15), key="conv-1:msg-9")
    assert again.reference == first.reference and not again.created
    assert count(factory, Appointment) == 1 and count(factory, Patient) == 1


def test_taken_slot_raises_with_nearest_alternatives(factory):
    book(factory, at(15))
    with pytest.raises(service.SlotTaken) as taken:
        book(factory, at(15), key="k2", phone="0501234568")
    starts = [s.start.astimezone(DUBAI).strftime("%H:%M") for s in taken.value.alternatives]
    assert starts == ["14:15", "14:30", "15:30"]  # 14:45 would overlap 15:00
    assert count(factory, Appointment) == 1 and count(factory, Patient) == 1


def test_overlap_of_different_durations_is_refused(factory):
    book(factory, at(15), service_key="mesotherapy_session")  # 15:00-15:45
    with pytest.raises(service.SlotTaken):
        book(factory, at(15, 30), key="k2")  # 15:30-16:00 overlaps
    assert book(factory, at(15, 45), key="k3").starts_at == at(15, 45)


def test_the_database_itself_refuses_a_second_claim_on_a_cell(factory):
    book(factory, at(15))
    with pytest.raises(IntegrityError):
        with factory.begin() as session:
            claim = session.execute(select(SlotClaim.__table__)).first()
            session.execute(insert(SlotClaim).values(**claim._mapping))


@pytest.mark.parametrize("start, reason", [
    (at(9), "before opening"), (at(13), "break"), (at(17, 45), "runs past closing"),
    (at(12, 0, day=2, month=12), "public holiday"), (at(12, 0, day=29), "practitioner does not work Sundays"),
    (at(11, 30), "inside the lead time"), (at(10, 0, day=20), "past"), (at(15, 5), "off the grid"),
])
def test_unbookable_starts_are_refused(factory, start, reason):
    with pytest.raises(service.NotBookable) as refused:
        book(factory, start)
    assert refused.value.alternatives, reason
    assert all(s.start >= NOW + timedelta(hours=2) for s in refused.value.alternatives)
    assert count(factory, Appointment) == 0


@pytest.mark.parametrize("field", ["name", "phone", "service_key"])
@pytest.mark.parametrize("bad", INJECTIONS + ["", "x" * 300, "\U0001F600\U0001F600", "0501234abc"])
def test_bad_details_store_nothing(factory, field, bad):
    values = {"name": "Amal Test", "phone": "0501234567", "service_key": "consultation", field: bad}
    with pytest.raises(service.BookingError):
        service.book(factory, start=at(15), idempotency_key="k", now=NOW, **values)
    assert count(factory, Appointment) == 0 and count(factory, Patient) == 0


def test_cancel_needs_the_matching_phone_and_releases_the_slot(factory):
    booked = book(factory, at(15))
    with pytest.raises(service.NotFound):
        service.cancel(factory, booked.reference, "0509999999", now=NOW)
    with pytest.raises(service.NotFound):
        service.cancel(factory, "NS-XXXX", "0501234567", now=NOW)
    cancelled = service.cancel(factory, booked.reference.lower().replace("-", " "), "+971 50 123 4567", now=NOW)
    assert cancelled.status == "cancelled" and count(factory, SlotClaim) == 0
    assert service.cancel(factory, booked.reference, "0501234567", now=NOW).status == "cancelled"
    assert book(factory, at(15), key="k2").starts_at == at(15)


def test_patients_cannot_change_past_appointments_but_staff_can_cancel_them(factory):
    booked = book(factory, at(15))
    later = datetime(2026, 11, 27, tzinfo=DUBAI)
    with pytest.raises(service.NotFound):
        service.cancel(factory, booked.reference, "0501234567", now=later)
    with pytest.raises(service.NotFound):
        service.reschedule(factory, booked.reference, "0501234567", at(15, 0, day=28), now=later)
    assert service.cancel(factory, booked.reference, None, now=later).status == "cancelled"


def test_reschedule_moves_the_claims_and_keeps_the_old_time_on_conflict(factory):
    mine = book(factory, at(15))
    other = book(factory, at(16), key="k2", phone="0501234568")
    moved = service.reschedule(factory, mine.reference, "0501234567", at(15, 15), now=NOW)  # overlaps itself
    assert moved.starts_at == at(15, 15) and moved.reference == mine.reference
    with pytest.raises(service.SlotTaken) as taken:
        service.reschedule(factory, mine.reference, "0501234567", at(16), now=NOW)
    assert taken.value.alternatives
    with factory() as session:
        assert [a.starts_at for a in service.appointments_on(session, date(2026, 11, 26))] == [at(15, 15), at(16)]
    with pytest.raises(service.NotFound):
        service.reschedule(factory, other.reference, "0501234567", at(17), now=NOW)


def test_appointments_on_uses_the_dubai_day(factory):
    book(factory, at(10, 0, day=28))  # Saturday 10:00 Dubai = 06:00 UTC
    with factory() as session:
        assert len(service.appointments_on(session, date(2026, 11, 28))) == 1
        assert service.appointments_on(session, date(2026, 11, 27)) == []


def test_erase_patient_removes_personal_data_and_frees_upcoming_slots(factory):
    booked = book(factory, at(15))
    with factory.begin() as session:
        assert service.erase_patient(session, "conv-1", now=NOW) == 1
    with factory.begin() as session:
        assert service.erase_patient(session, "conv-1", now=NOW) == 0
        appointment = session.scalar(select(Appointment))
        assert appointment.patient_id is None and appointment.idempotency_key is None
        assert appointment.status == "cancelled" and appointment.reference == booked.reference
    assert count(factory, Patient) == 0 and count(factory, SlotClaim) == 0


def test_erase_keeps_past_appointments_anonymously(factory):
    book(factory, at(15))
    later = datetime(2026, 12, 1, tzinfo=timezone.utc)
    with factory.begin() as session:
        assert service.erase_patient(session, "conv-1", now=later) == 1
    with factory() as session:
        assert session.scalar(select(Appointment.status)) == "confirmed"
