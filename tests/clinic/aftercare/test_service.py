"""Treatment records: validation with clear errors, idempotence, phone numbers, retention."""
from datetime import date, datetime, timedelta, timezone

import pytest

from clinic.aftercare.models import Treatment
from clinic.aftercare.service import (
    TreatmentError, clinic_today, latest_treatment_date, list_treatments, purge_old_treatments,
    record_treatment, resolve_conversation,
)
from clinic.booking.models import Patient
from tests.clinic.aftercare.conftest import NOW, PRACTITIONERS

WA = "wa-971501234567"


def record(factory, target=WA, day=date(2026, 12, 1), area="face", practitioner="layla-haddad", **kw):
    return record_treatment(factory, target, day, area, practitioner, "sara", now=NOW,
                            practitioners=kw.pop("practitioners", PRACTITIONERS), **kw)


def test_record_and_list(factory):
    first = record(factory)
    second = record(factory, day=date(2026, 11, 3), area="Upper  Back", practitioner="Arjun-Menon")
    assert (first.conversation_id, first.treated_on, first.area, first.recorded_by) == (
        WA, date(2026, 12, 1), "face", "sara")
    assert (second.area, second.practitioner_key) == ("upper back", "arjun-menon")
    with factory.begin() as session:
        rows = list_treatments(session, WA)
        assert [r.treated_on for r in rows] == [date(2026, 12, 1), date(2026, 11, 3)]
        assert latest_treatment_date(session, WA, now=NOW) == date(2026, 12, 1)
        assert latest_treatment_date(session, "wa-971500000000", now=NOW) is None


def test_recording_the_same_session_twice_keeps_one_row(factory):
    assert record(factory).id == record(factory).id
    with factory.begin() as session:
        assert session.query(Treatment).count() == 1


def test_a_record_made_at_the_same_moment_elsewhere_stands(factory, monkeypatch):
    import clinic.aftercare.service as service

    first = record(factory)
    real, calls = service._same_session, []

    def racing(session, *args):  # the check before the insert sees nothing: the insert then conflicts
        calls.append(1)
        return None if len(calls) == 1 else real(session, *args)

    monkeypatch.setattr(service, "_same_session", racing)
    assert record(factory).id == first.id and len(calls) == 2


def test_today_is_the_clinics_date_not_utc():
    late_evening_utc = datetime(2026, 12, 4, 21, 30, tzinfo=timezone.utc)  # 01:30 on the 5th in Dubai
    assert clinic_today(late_evening_utc) == date(2026, 12, 5)


@pytest.mark.parametrize("changes, message", [
    ({"day": date(2026, 12, 5)}, "in the future"),
    ({"day": date(2025, 12, 3)}, "more than a year ago"),
    ({"practitioner": "dr-x"}, "Unknown practitioner 'dr-x'; known: arjun-menon, layla-haddad"),
    ({"area": "f"}, "area"),
    ({"area": "face; drop table"}, "area"),
    ({"target": "web-" + "0" * 32}, "Unknown conversation"),
    ({"target": "wa-abc"}, "not a WhatsApp/Twilio address"),
    ({"target": "hello there"}, "neither a conversation id nor a valid phone number"),
    ({"target": ""}, "conversation id"),
])
def test_bad_details_are_refused_with_a_clear_error(factory, changes, message):
    with pytest.raises(TreatmentError, match=message.replace("(", r"\(")):
        record(factory, **changes)
    with factory.begin() as session:
        assert session.query(Treatment).count() == 0


def test_a_year_ago_to_the_day_is_still_accepted(factory):
    assert record(factory, day=clinic_today(NOW) - timedelta(days=365)).id


def test_known_conversation_of_another_channel_is_accepted(factory):
    web = "web-" + "a" * 32
    with factory.begin() as session:
        session.add(Patient(name="Mona", phone="+971501234567", channel="web", conversation_id=web,
                            created_at=NOW.replace(tzinfo=None)))
    assert record(factory, target=web).conversation_id == web


def test_a_phone_number_stands_for_its_whatsapp_conversation(factory):
    with factory.begin() as session:
        assert resolve_conversation(session, "050 123 4567") == WA
        assert resolve_conversation(session, "+971 50 123 4567") == WA
        session.add(Patient(name="Mona", phone="+971501234567", channel="twilio", conversation_id="tw-971501234567",
                            created_at=NOW.replace(tzinfo=None)))
        session.flush()
        assert resolve_conversation(session, "0501234567") == "tw-971501234567"


def test_retention_purges_old_treatment_rows(factory):
    record(factory, day=date(2026, 1, 10))
    record(factory, day=date(2026, 12, 1))
    with factory.begin() as session:
        assert purge_old_treatments(session, 300, now=NOW) == 1
        assert [r.treated_on for r in list_treatments(session, WA)] == [date(2026, 12, 1)]
        with pytest.raises(ValueError):
            purge_old_treatments(session, 0, now=NOW)
