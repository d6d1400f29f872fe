"""Booking tables (SQLAlchemy, declared on clinic.db.Base).

Times are naive UTC datetimes in the database (``starts_at``/``ends_at``) and local
``HH:MM`` wall-clock strings for weekly hours (Asia/Dubai has no DST, but we convert
with zoneinfo all the same). No double booking: every confirmed or held appointment
claims one :class:`SlotClaim` row per 15-minute cell it covers, and
``(practitioner_id, cell_start)`` is the primary key of that table, so two
overlapping appointments of one practitioner cannot both commit, on SQLite and
PostgreSQL alike, whatever their durations.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Integer, String,
)
from sqlalchemy.orm import relationship

from clinic.db import Base

CELL_MINUTES = 15
STATUSES = ("held", "confirmed", "cancelled")


class Practitioner(Base):
    __tablename__ = "booking_practitioners"
    id = Column(Integer, primary_key=True)
    key = Column(String(60), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    title = Column(String(120), nullable=False, default="")
    active = Column(Boolean, nullable=False, default=True)
    hours = relationship("WorkingHours", cascade="all, delete-orphan", lazy="selectin")


class Service(Base):
    __tablename__ = "booking_services"
    id = Column(Integer, primary_key=True)
    key = Column(String(60), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    duration_minutes = Column(Integer, nullable=False)
    price = Column(Integer, nullable=False, default=0)
    __table_args__ = (CheckConstraint("duration_minutes > 0", name="ck_booking_services_duration"),)


class WorkingHours(Base):
    """One working interval (``kind='work'``) or break (``kind='break'``) on a weekday."""

    __tablename__ = "booking_working_hours"
    id = Column(Integer, primary_key=True)
    practitioner_id = Column(
        Integer, ForeignKey("booking_practitioners.id", ondelete="CASCADE"), nullable=False, index=True
    )
    weekday = Column(Integer, nullable=False)  # 0 = Monday
    kind = Column(String(10), nullable=False, default="work")
    starts = Column(String(5), nullable=False)  # local HH:MM
    ends = Column(String(5), nullable=False)
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="ck_booking_hours_weekday"),
        CheckConstraint("kind IN ('work', 'break')", name="ck_booking_hours_kind"),
    )


class Closure(Base):
    """A closed day (or part of one): public holiday, clinic closure, practitioner leave."""

    __tablename__ = "booking_closures"
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    practitioner_id = Column(
        Integer, ForeignKey("booking_practitioners.id", ondelete="CASCADE"), nullable=True
    )  # NULL: the whole clinic
    starts = Column(String(5), nullable=True)  # NULL: the whole day
    ends = Column(String(5), nullable=True)
    reason = Column(String(120), nullable=False, default="closed")


class Patient(Base):
    __tablename__ = "booking_patients"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    phone = Column(String(20), nullable=False, index=True)  # E.164
    channel = Column(String(20), nullable=False, default="web")
    conversation_id = Column(String(120), nullable=True, index=True)
    created_at = Column(DateTime, nullable=False)


class Appointment(Base):
    __tablename__ = "booking_appointments"
    id = Column(Integer, primary_key=True)
    reference = Column(String(12), nullable=False, unique=True)
    practitioner_id = Column(Integer, ForeignKey("booking_practitioners.id"), nullable=False, index=True)
    service_id = Column(Integer, ForeignKey("booking_services.id"), nullable=False)
    patient_id = Column(Integer, ForeignKey("booking_patients.id", ondelete="SET NULL"), nullable=True)
    status = Column(String(10), nullable=False, default="confirmed")
    starts_at = Column(DateTime, nullable=False, index=True)  # UTC
    ends_at = Column(DateTime, nullable=False)  # UTC
    idempotency_key = Column(String(64), nullable=True, unique=True)  # sha256 hex
    held_until = Column(DateTime, nullable=True)  # UTC; a 'held' appointment lapses then
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    practitioner = relationship(Practitioner, lazy="joined")
    service = relationship(Service, lazy="joined")
    patient = relationship(Patient, lazy="joined")
    __table_args__ = (
        CheckConstraint("status IN ('held', 'confirmed', 'cancelled')", name="ck_booking_appt_status"),
        CheckConstraint("ends_at > starts_at", name="ck_booking_appt_order"),
    )


class SlotClaim(Base):
    """One 15-minute cell of one practitioner's time, owned by one live appointment."""

    __tablename__ = "booking_slot_claims"
    practitioner_id = Column(
        Integer, ForeignKey("booking_practitioners.id", ondelete="CASCADE"), primary_key=True
    )
    cell_start = Column(DateTime, primary_key=True)  # UTC, aligned to CELL_MINUTES
    appointment_id = Column(
        Integer, ForeignKey("booking_appointments.id", ondelete="CASCADE"), nullable=False, index=True
    )
