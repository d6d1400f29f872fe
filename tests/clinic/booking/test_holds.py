"""Held appointments: kept while the patient confirms, lapsing after HOLD_MINUTES."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from clinic.booking import holds, service
from clinic.booking.models import Appointment, Patient, SlotClaim
from tests.clinic.booking.conftest import NOW

START = NOW.replace(hour=15)
LATER = NOW + timedelta(minutes=holds.HOLD_MINUTES + 1)


def hold(factory, key="h1", now=NOW, phone="0501234567"):
    return service.book(factory, service_key="consultation", start=START, name="Amal Test", phone=phone,
                        idempotency_key=key, now=now, hold_minutes=holds.HOLD_MINUTES)


def counts(factory):
    with factory() as session:
        return [session.scalar(select(func.count()).select_from(m)) for m in (Appointment, Patient, SlotClaim)]


def test_a_hold_blocks_the_slot_and_confirms_once(factory):
    held = hold(factory)
    assert held.status == "held"
    with pytest.raises(service.SlotTaken):
        hold(factory, key="h2", phone="0501234568")
    with factory() as session:
        assert all(s.start != START for s in service.find_slots(session, "consultation", now=NOW, limit=20))
    confirmed = holds.confirm_hold(factory, held.reference, NOW)
    assert confirmed.status == "confirmed" and confirmed.reference == held.reference
    assert holds.confirm_hold(factory, held.reference, NOW).status == "confirmed"
    assert holds.release_hold(factory, held.reference) is False  # a booking is not a hold
    assert counts(factory) == [1, 1, 2]


def test_a_lapsed_hold_frees_the_slot_and_leaves_nothing_behind(factory):
    held = hold(factory)
    with factory() as session:
        assert any(s.start == START for s in service.find_slots(session, "consultation", now=LATER, limit=20))
    other = hold(factory, key="h2", now=LATER, phone="0501234568")
    assert other.reference != held.reference
    with pytest.raises(service.NotFound):
        holds.confirm_hold(factory, held.reference, LATER)
    assert counts(factory) == [1, 1, 2]


def test_a_lapsed_hold_nobody_needed_can_still_be_confirmed(factory):
    held = hold(factory)
    assert holds.confirm_hold(factory, held.reference, LATER).status == "confirmed"


def test_declining_deletes_the_hold_and_the_patient(factory):
    held = hold(factory)
    assert holds.release_hold(factory, held.reference) is True
    assert counts(factory) == [0, 0, 0]
    assert holds.release_hold(factory, held.reference) is False
    assert holds.release_hold(factory, "nonsense") is False
