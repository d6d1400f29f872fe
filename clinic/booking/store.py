"""Database helpers of the booking service: busy time, claims, views of appointments."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from clinic.booking.models import CELL_MINUTES, Appointment, Practitioner, SlotClaim
from clinic.booking.slots import Interval, utc
from clinic.booking.zone import ZONE

CELL = timedelta(minutes=CELL_MINUTES)
DUBAI = ZONE  # the clinic's zone (clinic.yml), under the name the actions use


@dataclass(frozen=True)
class AppointmentView:
    """What callers get back: no ORM objects leave the service."""

    reference: str
    status: str
    service_key: str
    service_name: str
    practitioner_name: str
    starts_at: datetime  # aware, Asia/Dubai
    ends_at: datetime
    patient_name: Optional[str] = None
    created: bool = True  # False when an idempotent retry returned an earlier booking


def naive_utc(dt: datetime) -> datetime:
    """Aware (or naive UTC) -> naive UTC, as stored."""
    return utc(dt).replace(tzinfo=None)


def key_hash(idempotency_key: Optional[str]) -> Optional[str]:
    """The stored form of an idempotency key (it may contain a conversation id)."""
    if not idempotency_key:
        return None
    return hashlib.sha256(idempotency_key.encode("utf-8", "surrogatepass")).hexdigest()


def view(appointment: Appointment, created: bool = True) -> AppointmentView:
    return AppointmentView(
        reference=appointment.reference,
        status=appointment.status,
        service_key=appointment.service.key,
        service_name=appointment.service.name,
        practitioner_name=appointment.practitioner.name,
        starts_at=appointment.starts_at.replace(tzinfo=timezone.utc).astimezone(DUBAI),
        ends_at=appointment.ends_at.replace(tzinfo=timezone.utc).astimezone(DUBAI),
        patient_name=appointment.patient.name if appointment.patient else None,
        created=created,
    )


def live(now: datetime):
    """SQL condition: confirmed, or held and not lapsed at ``now``."""
    return or_(Appointment.status == "confirmed",
               and_(Appointment.status == "held", Appointment.held_until > naive_utc(now)))


def busy_intervals(session: Session, window: Interval, now: datetime,
                   exclude: Optional[int] = None) -> Dict[str, List[Interval]]:
    """Live appointments overlapping ``window``, per practitioner key, as aware UTC intervals."""
    query = (
        select(Practitioner.key, Appointment.starts_at, Appointment.ends_at)
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .where(live(now))
        .where(Appointment.starts_at < naive_utc(window[1]))
        .where(Appointment.ends_at > naive_utc(window[0]))
    )
    if exclude is not None:
        query = query.where(Appointment.id != exclude)
    busy: Dict[str, List[Interval]] = {}
    for key, starts, ends in session.execute(query):
        busy.setdefault(key, []).append((utc(starts), utc(ends)))
    return busy


def cells(starts_at: datetime, ends_at: datetime) -> List[datetime]:
    """The naive-UTC starts of the 15-minute cells that ``[starts_at, ends_at)`` touches."""
    start, end = naive_utc(starts_at), naive_utc(ends_at)
    minute = (start.minute // CELL_MINUTES) * CELL_MINUTES
    cell = start.replace(minute=minute, second=0, microsecond=0)
    result = []
    while cell < end:
        result.append(cell)
        cell += CELL
    return result


def claim(session: Session, appointment: Appointment) -> None:
    """Claim the appointment's cells; the flush raises IntegrityError if any is taken."""
    session.add_all(
        SlotClaim(practitioner_id=appointment.practitioner_id, cell_start=cell, appointment_id=appointment.id)
        for cell in cells(appointment.starts_at, appointment.ends_at)
    )
    session.flush()


def release(session: Session, appointment_ids: Sequence[int]) -> None:
    """Free the cells of these appointments (cancel, reschedule, erase)."""
    if appointment_ids:
        session.execute(delete(SlotClaim).where(SlotClaim.appointment_id.in_(list(appointment_ids))))


def claimed(session: Session, practitioner_id: int, starts_at: datetime, ends_at: datetime) -> bool:
    """True when any cell of the interval is claimed for the practitioner."""
    found = session.scalar(
        select(SlotClaim.cell_start)
        .where(SlotClaim.practitioner_id == practitioner_id)
        .where(SlotClaim.cell_start.in_(cells(starts_at, ends_at)))
        .limit(1)
    )
    return found is not None


def day_bounds(day, zone: ZoneInfo = DUBAI) -> Tuple[datetime, datetime]:
    """The local ``day`` as an aware UTC interval."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    return utc(start), utc(start + timedelta(days=1))
