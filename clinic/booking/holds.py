"""Held appointments: a slot kept for a patient while they confirm.

The assistant holds the chosen slot when it shows the summary ("Shall I book it?"), so
the patient's "yes" cannot lose the race. A hold claims its cells like a booking; it
lapses at ``held_until``. A lapsed hold is still confirmable until somebody needs its
time: the next booking first deletes lapsed holds (appointment, claims and the patient
record, since nothing was ever booked). Declining deletes the hold the same way.
"""
from __future__ import annotations

from datetime import datetime
from typing import List

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from clinic.booking import store
from clinic.booking.errors import NotFound
from clinic.booking.models import Appointment, Patient
from clinic.booking.references import normalise_reference

HOLD_MINUTES = 10


def _delete(session: Session, appointments: List[Appointment]) -> int:
    ids = [a.id for a in appointments]
    patients = [a.patient_id for a in appointments if a.patient_id]
    store.release(session, ids)
    session.execute(delete(Appointment).where(Appointment.id.in_(ids)))
    if patients:
        session.execute(delete(Patient).where(Patient.id.in_(patients)))
    return len(ids)


def release_expired(session: Session, now: datetime) -> int:
    """Delete holds that lapsed before ``now``; returns how many."""
    lapsed = session.scalars(
        select(Appointment).where(Appointment.status == "held")
        .where(Appointment.held_until <= store.naive_utc(now))
    ).all()
    return _delete(session, list(lapsed)) if lapsed else 0


def _held(session: Session, reference: str) -> Appointment:
    ref = normalise_reference(reference)
    appointment = ref and session.scalar(
        select(Appointment).where(Appointment.reference == ref).with_for_update(of=Appointment))
    if not appointment or appointment.status == "cancelled":
        raise NotFound("no such hold")
    return appointment


def confirm_hold(factory: sessionmaker, reference: str, now: datetime) -> store.AppointmentView:
    """Turn a hold into a confirmed booking (again: idempotent). NotFound once it is gone."""
    with factory.begin() as session:
        appointment = _held(session, reference)
        if appointment.status == "held":
            appointment.status, appointment.held_until = "confirmed", None
            appointment.updated_at = store.naive_utc(now)
        return store.view(appointment)


def release_hold(factory: sessionmaker, reference: str) -> bool:
    """Delete a hold the patient declined; confirmed bookings are left alone."""
    with factory.begin() as session:
        try:
            appointment = _held(session, reference)
        except NotFound:
            return False
        if appointment.status != "held":
            return False
        _delete(session, [appointment])
        return True
