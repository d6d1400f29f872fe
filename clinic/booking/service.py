"""The booking service: find free slots, book, cancel, reschedule, erase.

Framework-free; actions, the CLI and the benchmark call these functions. Functions
that commit take a session *factory* and run their own units of work (a booking may
need a retry after a conflict); read-only ones take a session.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import List, Optional

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from clinic.booking import holds, store
from clinic.booking.errors import BookingError, InvalidDetails, NotBookable, NotFound, SlotTaken  # noqa: F401
from clinic.booking.models import Appointment, Patient, Practitioner, Service
from clinic.booking.phone import normalise_name, normalise_phone
from clinic.booking.references import new_reference, normalise_reference
from clinic.booking.schedule import DEFAULT_SCHEDULE, clinic_facts, policy_for, read_rules
from clinic.booking.slots import Interval, Rules, Slot, free_slots, nearest_slots, utc

log = logging.getLogger(__name__)
ATTEMPTS = 5


def _now(now: Optional[datetime]) -> datetime:
    return utc(now) if now else datetime.now(timezone.utc)


def current_rules(session: Session, schedule_file=DEFAULT_SCHEDULE) -> Rules:
    return read_rules(session, clinic_facts(), policy_for(schedule_file))


def get_service(session: Session, service_key: str) -> Service:
    service = session.scalar(select(Service).where(Service.key == service_key))
    if service is None:
        raise InvalidDetails("unknown service")
    return service


def service_of(session: Session, reference: str) -> Optional[str]:
    """The service key of the appointment with ``reference``, or None."""
    ref = normalise_reference(reference)
    if not ref:
        return None
    return session.scalar(select(Service.key).join(Appointment, Appointment.service_id == Service.id)
                          .where(Appointment.reference == ref))


def find_slots(
    session: Session, service_key: str, window: Optional[Interval] = None, now: Optional[datetime] = None,
    limit: int = 5, rules: Optional[Rules] = None,
) -> List[Slot]:
    """Up to ``limit`` free slots for the service starting inside ``window`` (default: from now)."""
    now = _now(now)
    rules = rules or current_rules(session)
    duration = timedelta(minutes=get_service(session, service_key).duration_minutes)
    window = window or (now, now + timedelta(days=rules.horizon_days))
    busy = store.busy_intervals(session, (utc(window[0]), utc(window[1]) + duration), now)
    return free_slots(rules, duration, window, busy, now, limit=limit)


def alternatives(session: Session, service_key: str, target: datetime, now: Optional[datetime] = None,
                 limit: int = 3, exclude: Optional[int] = None) -> List[Slot]:
    """The free slots nearest to ``target`` (before or after it, never in the past)."""
    now = _now(now)
    rules = current_rules(session)
    duration = timedelta(minutes=get_service(session, service_key).duration_minutes)
    target = max(utc(target), now)  # a past time: the nearest are the first ones from now
    days = 14
    window = (utc(target) - timedelta(days=days), utc(target) + timedelta(days=days + 1))
    busy = store.busy_intervals(session, window, now, exclude=exclude)
    return nearest_slots(rules, duration, target, busy, now, limit=limit, days=days)


def _candidates(session: Session, service: Service, start: datetime, now: datetime,
                exclude: Optional[int] = None) -> List[str]:
    """Practitioner keys free at ``start``; raises when nobody could ever be booked then."""
    rules = current_rules(session)
    duration = timedelta(minutes=service.duration_minutes)
    window = (start, start + timedelta(seconds=1))
    busy = store.busy_intervals(session, (start, start + duration), now, exclude=exclude)
    slots = free_slots(rules, duration, window, busy, now, limit=None)
    keys = [s.practitioner for s in slots if s.start == start]
    if keys:
        return keys
    possible = free_slots(rules, duration, window, {}, now, limit=None)
    alts = alternatives(session, service.key, start, now, exclude=exclude)
    if any(s.start == start for s in possible):
        raise SlotTaken("slot taken", alts)
    raise NotBookable("not bookable", alts)


@dataclass(frozen=True)
class _Request:
    service_id: int
    duration: timedelta
    name: str
    phone: str
    channel: str
    conversation_id: Optional[str]
    hashed: Optional[str]
    now: datetime
    hold: Optional[timedelta]


def book(
    factory: sessionmaker, *, service_key: str, start: datetime, name: str, phone: str,
    channel: str = "web", conversation_id: Optional[str] = None, idempotency_key: Optional[str] = None,
    now: Optional[datetime] = None, hold_minutes: Optional[int] = None,
) -> store.AppointmentView:
    """Book ``start`` (aware) for the patient; the same ``idempotency_key`` books once.

    With ``hold_minutes`` the appointment is only ``held`` (see :mod:`clinic.booking.holds`).
    Raises :class:`InvalidDetails`, :class:`NotBookable` or :class:`SlotTaken` (with the
    nearest free alternatives); nothing is stored then.
    """
    now, start = _now(now), utc(start)
    clean_name, clean_phone = normalise_name(name), normalise_phone(phone)
    if not clean_name or not clean_phone:
        raise InvalidDetails("invalid name or phone")
    hashed = store.key_hash(idempotency_key)
    for attempt in range(ATTEMPTS):
        with factory() as session:
            earlier = _by_key(session, hashed)
            if earlier:
                return store.view(earlier, created=False)
            service = get_service(session, service_key)
            ids = dict(session.execute(select(Practitioner.key, Practitioner.id)).all())
        request = _Request(service.id, timedelta(minutes=service.duration_minutes), clean_name, clean_phone,
                           (channel or "web")[:20], (conversation_id or None) and conversation_id[:120], hashed,
                           now, timedelta(minutes=hold_minutes) if hold_minutes else None)
        try:
            with factory() as session:
                keys = _candidates(session, service, start, now)
        except SlotTaken:
            with factory() as session:  # taken by this very request, delivered twice at once?
                earlier = _by_key(session, hashed)
                if earlier:
                    return store.view(earlier, created=False)
            raise
        for key in keys:
            try:
                return _insert(factory, request, ids[key], start)
            except IntegrityError:
                with factory() as session:
                    earlier = _by_key(session, hashed)
                    if earlier:
                        return store.view(earlier, created=False)
                    if not store.claimed(session, ids[key], start, start + request.duration):
                        break  # a reference collided: retry from the top with a new one
            except OperationalError:  # SQLite busy beyond its timeout: try again
                log.warning("booking attempt %d hit a locked database", attempt + 1)
                break
        else:
            with factory() as session:
                raise SlotTaken("slot taken", alternatives(session, service_key, start, now))
    raise BookingError("could not book after retries")


def _by_key(session: Session, hashed: Optional[str]) -> Optional[Appointment]:
    if not hashed:
        return None
    return session.scalar(select(Appointment).where(Appointment.idempotency_key == hashed))


def _insert(factory: sessionmaker, request: _Request, practitioner_id: int, start: datetime) -> store.AppointmentView:
    stamp = store.naive_utc(request.now)
    with factory.begin() as session:
        holds.release_expired(session, request.now)
        patient = Patient(name=request.name, phone=request.phone, channel=request.channel,
                          conversation_id=request.conversation_id, created_at=stamp)
        appointment = Appointment(
            reference=new_reference(), practitioner_id=practitioner_id, service_id=request.service_id,
            patient=patient, status="held" if request.hold else "confirmed",
            held_until=store.naive_utc(request.now + request.hold) if request.hold else None,
            starts_at=store.naive_utc(start), ends_at=store.naive_utc(start + request.duration),
            idempotency_key=request.hashed, created_at=stamp, updated_at=stamp,
        )
        session.add(appointment)
        session.flush()
        store.claim(session, appointment)
        return store.view(appointment)


def _owned(session: Session, reference: str, phone: Optional[str], now: datetime) -> Appointment:
    """The appointment with ``reference`` whose patient has ``phone``; patients (a phone
    is given) can only reach upcoming ones, staff (``phone=None``) any."""
    ref = normalise_reference(reference)
    clean_phone = normalise_phone(phone) if phone is not None else None
    if not ref or (phone is not None and not clean_phone):
        raise NotFound("no such appointment")
    appointment = session.scalar(
        select(Appointment).where(Appointment.reference == ref).with_for_update(of=Appointment))
    if appointment is None:
        raise NotFound("no such appointment")
    if phone is not None and (not appointment.patient or appointment.patient.phone != clean_phone
                              or utc(appointment.starts_at) <= now):
        raise NotFound("no such upcoming appointment")
    return appointment


def cancel(factory: sessionmaker, reference: str, phone: Optional[str],
           now: Optional[datetime] = None) -> store.AppointmentView:
    """Cancel by reference; ``phone`` must match the booking's (``None``: staff, no check)."""
    with factory.begin() as session:
        appointment = _owned(session, reference, phone, _now(now))
        if appointment.status != "cancelled":
            store.release(session, [appointment.id])
            appointment.status, appointment.updated_at = "cancelled", store.naive_utc(_now(now))
        return store.view(appointment)


def upcoming(factory: sessionmaker, reference: str, phone: Optional[str],
             now: Optional[datetime] = None) -> store.AppointmentView:
    """The live upcoming appointment with ``reference`` and ``phone`` (read-only); NotFound otherwise."""
    with factory() as session:
        appointment = _owned(session, reference, phone, _now(now))
        if appointment.status == "cancelled":
            raise NotFound("appointment is cancelled")
        return store.view(appointment)


def reschedule(factory: sessionmaker, reference: str, phone: str, new_start: datetime,
               now: Optional[datetime] = None) -> store.AppointmentView:
    """Move a live appointment; on conflict the old time is kept and SlotTaken raised."""
    now, new_start = _now(now), utc(new_start)
    try:
        with factory.begin() as session:
            appointment = _owned(session, reference, phone, now)
            if appointment.status == "cancelled":
                raise NotFound("appointment is cancelled")
            keys = _candidates(session, appointment.service, new_start, now, exclude=appointment.id)
            current = appointment.practitioner.key
            key = current if current in keys else keys[0]
            holds.release_expired(session, now)
            store.release(session, [appointment.id])
            appointment.practitioner_id = session.scalar(select(Practitioner.id).where(Practitioner.key == key))
            appointment.starts_at = store.naive_utc(new_start)
            appointment.ends_at = store.naive_utc(new_start + timedelta(minutes=appointment.service.duration_minutes))
            appointment.updated_at = store.naive_utc(now)
            session.flush()
            store.claim(session, appointment)
            session.refresh(appointment)
            return store.view(appointment)
    except IntegrityError as error:
        with factory() as session:
            key = service_of(session, reference)
            if key is None:  # the appointment went between the two sessions: as get_service says
                raise InvalidDetails("unknown service") from error
            others = alternatives(session, key, new_start, now)
            raise SlotTaken("slot taken", others) from error


def appointments_on(session: Session, day: date) -> List[store.AppointmentView]:
    """The appointments of a local (Asia/Dubai) day, cancelled ones included, by start."""
    start, end = store.day_bounds(day)
    rows = session.scalars(
        select(Appointment).where(Appointment.starts_at >= store.naive_utc(start))
        .where(Appointment.starts_at < store.naive_utc(end)).order_by(Appointment.starts_at, Appointment.id)
    ).all()
    return [store.view(a) for a in rows]


def erase_patient(session: Session, conversation_id: str, now: Optional[datetime] = None) -> int:
    """Remove the patients of a conversation; their upcoming appointments are cancelled.

    Past appointments stay (the clinic's record of its own diary) without any personal
    link: the patient is deleted and the idempotency key, derived from the
    conversation id, is cleared. Returns the number of patient records removed.
    """
    patients = session.scalars(select(Patient).where(Patient.conversation_id == conversation_id)).all()
    if not patients:
        return 0
    ids = [p.id for p in patients]
    booked = session.scalars(select(Appointment).where(Appointment.patient_id.in_(ids))).all()
    upcoming = [a.id for a in booked if a.status != "cancelled" and utc(a.starts_at) > _now(now)]
    store.release(session, upcoming)
    stamp = store.naive_utc(_now(now))
    if upcoming:
        session.execute(update(Appointment).where(Appointment.id.in_(upcoming))
                        .values(status="cancelled", updated_at=stamp))
    session.execute(update(Appointment).where(Appointment.patient_id.in_(ids))
                    .values(patient_id=None, idempotency_key=None))
    for patient in patients:
        session.delete(patient)
    session.flush()
    return len(patients)
