"""The console's list of a conversation's appointments."""
from datetime import datetime

from clinic.db import Base, import_models
from clinic.handoff.bookings import appointments_of


def test_appointments_of_a_conversation(sqlite_factory):
    import_models()
    from clinic.booking.models import Appointment, Patient, Practitioner, Service

    engine = sqlite_factory.kw["bind"]
    Base.metadata.create_all(engine, tables=[t for n, t in Base.metadata.tables.items() if n.startswith("booking_")])
    now = datetime(2026, 11, 26, 6, 0)
    with sqlite_factory.begin() as session:
        doctor = Practitioner(key="layla", name="Dr. Layla Haddad", title="")
        consult = Service(key="consultation", name="Consultation", duration_minutes=30)
        for conversation, ref in (("c1", "AB12CD"), ("c2", "ZZ99ZZ")):
            patient = Patient(name="Amal", phone="+971500000001", channel="web",
                              conversation_id=conversation, created_at=now)
            session.add(Appointment(reference=ref, practitioner=doctor, service=consult, patient=patient,
                                    status="confirmed", starts_at=datetime(2026, 12, 1, 6, 0),
                                    ends_at=datetime(2026, 12, 1, 6, 30), created_at=now, updated_at=now))
    with sqlite_factory() as session:
        assert appointments_of(session, "c1") == [
            "AB12CD: Consultation with Dr. Layla Haddad, Tue 01 Dec 10:00 (confirmed)"]
        assert appointments_of(session, "nobody") == []


def test_missing_booking_tables_give_an_empty_list(sqlite_factory):
    with sqlite_factory() as session:
        assert appointments_of(session, "c1") == []
