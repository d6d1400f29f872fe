"""Erasing a conversation leaves no treatment row and no planned check-in
(the generic sweep by conversation_id)."""
from datetime import date, timedelta

from clinic.aftercare.jobs import schedule_checkins
from clinic.aftercare.models import AftercareJob, Treatment
from clinic.aftercare.service import record_treatment
from clinic.db import make_engine
from clinic.privacy.erasure import erase_conversation_data
from tests.clinic.aftercare.conftest import NOW, PRACTITIONERS


def test_erasure_leaves_no_treatment_row(factory, tmp_path, monkeypatch):
    from clinic.handoff import outbox

    monkeypatch.setattr(outbox, "_default", outbox.UrgentOutbox(tmp_path / "outbox.db"))
    for target in ("wa-971501234567", "wa-971509999999"):
        t = record_treatment(factory, target, date(2026, 12, 3), "face", "layla-haddad", "sara",
                             now=NOW, practitioners=PRACTITIONERS)
        assert len(schedule_checkins(factory, target, t.id, t.treated_on, now=NOW - timedelta(hours=1))) == 3
    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    report = erase_conversation_data("wa-971501234567", session_factory=factory, tracker_engine=tracker,
                                     audit_key="k")
    assert report.tables.get("treatments") == 1 and report.tables.get("aftercare_jobs") == 3
    with factory.begin() as session:
        assert [t.conversation_id for t in session.query(Treatment)] == ["wa-971509999999"]
        assert {j.conversation_id for j in session.query(AftercareJob)} == {"wa-971509999999"}
    tracker.dispose()
