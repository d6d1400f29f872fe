"""Erasure leaves no row about the conversation in any table of either database."""
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import inspect, select, text

from clinic.privacy.erasure import erase_conversation_data, subject_hash
from clinic.privacy.models import ErasureAudit
from clinic.privacy.consent import record_consent

GONE = "wa-971501112233"
PHONE = "+971501112233"
NAME = "Canaryname Testperson"
KEPT = "wa-971509998877"
KEY = "test-audit-key"


def populate(dbs, conversation_id, phone, name):
    """Rows every feature keeps about a conversation."""
    from clinic.booking import models as booking
    from clinic.channels import models as channels
    from clinic.handoff.service import open_handoff

    dbs.add_events(conversation_id, texts=(f"my name is {name}", f"call me on {phone}"))
    now = datetime(2026, 11, 1, 9, 0)
    with dbs.factory.begin() as session:
        record_consent(session, conversation_id, channel="whatsapp")
        open_handoff(session, conversation_id=conversation_id, channel="whatsapp", reason="urgent", priority="urgent")
        practitioner = session.execute(select(booking.Practitioner)).scalars().first()
        if practitioner is None:
            practitioner = booking.Practitioner(key="dr-a", name="Dr. A", title="Dermatologist")
            session.add(practitioner)
            session.add(booking.Service(key="consultation", name="Consultation", duration_minutes=30))
            session.flush()
        service = session.execute(select(booking.Service)).scalars().first()
        patient = booking.Patient(name=name, phone=phone, channel="whatsapp", conversation_id=conversation_id,
                                  created_at=now)
        session.add(patient)
        session.flush()
        minutes = 0 if conversation_id == GONE else 60
        session.add(booking.Appointment(
            reference=f"R{conversation_id[-6:]}", practitioner_id=practitioner.id, service_id=service.id,
            patient_id=patient.id, status="confirmed", starts_at=now + timedelta(minutes=minutes),
            ends_at=now + timedelta(minutes=minutes + 30), idempotency_key=f"{conversation_id}-key",
            created_at=now, updated_at=now))
        session.add_all([
            channels.InboundMessage(message_id=f"wamid.{conversation_id}", channel="whatsapp",
                                    conversation_id=conversation_id),
            channels.Contact(conversation_id=conversation_id, channel="whatsapp"),
            channels.Media(conversation_id=conversation_id, channel="whatsapp", media_ref="media-1"),
            channels.Choices(conversation_id=conversation_id, payloads="[]"),
            channels.Undelivered(conversation_id=conversation_id, channel="whatsapp", reason="send_failed",
                                 text=f"hello {name}"),
        ])


def rows_mentioning(engine, needles):
    """(table, row) pairs in ``engine`` whose any value contains one of ``needles``."""
    found = []
    inspector = inspect(engine)
    with engine.connect() as conn:
        for table_name in inspector.get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table_name}"')):
                values = " ".join(str(v) for v in row)
                if any(n in values for n in needles):
                    found.append((table_name, values[:80]))
    return found


def test_erasure_leaves_no_rows_for_the_sender_in_any_table(dbs):
    populate(dbs, GONE, PHONE, NAME)
    populate(dbs, KEPT, "+971509998877", "Othername Keptperson")
    needles = (GONE, "971501112233", NAME.split()[0])
    assert rows_mentioning(dbs.clinic, needles) and rows_mentioning(dbs.tracker, needles)

    report = erase_conversation_data(GONE, session_factory=dbs.factory, tracker_engine=dbs.tracker,
                                     audit_key=KEY)

    assert rows_mentioning(dbs.clinic, needles) == []
    assert rows_mentioning(dbs.tracker, needles) == []
    assert report.tracker_events == 4
    assert report.clinic_rows >= 7
    # the other conversation is untouched
    kept = ("971509998877", "Othername")
    assert [t for t, _ in rows_mentioning(dbs.tracker, kept)].count("events") == 4
    assert {t for t, _ in rows_mentioning(dbs.clinic, kept)} >= {
        "booking_patients", "handoffs", "channel_contacts", "channel_undelivered"}


def test_audit_row_has_no_personal_data(dbs):
    populate(dbs, GONE, PHONE, NAME)
    erase_conversation_data(GONE, reason="staff", session_factory=dbs.factory, tracker_engine=dbs.tracker,
                            audit_key=KEY)
    with dbs.factory.begin() as session:
        [audit] = session.execute(select(ErasureAudit)).scalars().all()
        assert audit.subject_hash == subject_hash(GONE, KEY) != subject_hash(GONE, "other-key")
        assert audit.reason == "staff" and audit.tracker_events == 4
        tables = json.loads(audit.tables)
        assert tables["clinic.booking.service.erase_patient"] == 1
        assert tables["privacy_consents"] == 1
        flat = " ".join(str(v) for v in (audit.subject_hash, audit.tables, audit.reason))
        assert "971501112233" not in flat and "Canaryname" not in flat


def test_past_appointment_stays_without_the_patient(dbs):
    from clinic.booking.models import Appointment

    populate(dbs, GONE, PHONE, NAME)
    erase_conversation_data(GONE, session_factory=dbs.factory, tracker_engine=dbs.tracker, audit_key=KEY)
    with dbs.factory.begin() as session:
        appointment = session.execute(select(Appointment).where(Appointment.reference == f"R{GONE[-6:]}")).scalar_one()
        assert appointment.patient_id is None and appointment.idempotency_key is None


def test_erasing_an_unknown_conversation_is_harmless_and_audited(dbs):
    report = erase_conversation_data("never-seen", session_factory=dbs.factory, tracker_engine=dbs.tracker,
                                     audit_key=KEY)
    assert (report.tracker_events, report.clinic_rows) == (0, 0)


def test_missing_events_table_is_fine(sqlite_dbs):
    report = erase_conversation_data("x", session_factory=sqlite_dbs.factory, tracker_engine=sqlite_dbs.tracker,
                                     audit_key=KEY)
    assert report.tracker_events == 0


@pytest.mark.parametrize("conversation_id,reason", [("", "request"), ("x", "because")])
def test_bad_arguments_are_refused(sqlite_dbs, conversation_id, reason):
    with pytest.raises(ValueError):
        erase_conversation_data(conversation_id, reason=reason, session_factory=sqlite_dbs.factory,
                                tracker_engine=sqlite_dbs.tracker, audit_key=KEY)


def test_works_on_what_rasas_sql_tracker_store_writes(sqlite_dbs, tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    import asyncio

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    tracker = DialogueStateTracker.from_events(GONE, [UserUttered(f"I am {NAME}"), BotUttered("hi")])
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve(GONE)) is not None
    report = erase_conversation_data(GONE, session_factory=sqlite_dbs.factory, tracker_engine=sqlite_dbs.tracker,
                                     audit_key=KEY)
    assert report.tracker_events >= 2
    assert asyncio.run(store.retrieve(GONE)) is None


def test_erasure_empties_the_urgent_outbox_of_that_conversation_only(sqlite_dbs, urgent_outbox):
    from clinic.handoff.outbox import PendingUrgent

    urgent_outbox.put(PendingUrgent(GONE, "whatsapp", f"{NAME}: pus and fever", ["infection"]))
    urgent_outbox.put(PendingUrgent(GONE, "whatsapp", "and it is spreading", ["infection"]))
    urgent_outbox.put(PendingUrgent(KEPT, "whatsapp", "my lip is swollen", ["swelling"]))

    report = erase_conversation_data(GONE, session_factory=sqlite_dbs.factory,
                                     tracker_engine=sqlite_dbs.tracker, audit_key=KEY)

    assert report.tables["urgent_outbox"] == 2
    assert urgent_outbox.pending() == 1
    assert urgent_outbox.forget(KEPT) == 1 and urgent_outbox.pending() == 0
