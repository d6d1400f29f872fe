"""Aftercare tables (SQLAlchemy, declared on clinic.db.Base).

A :class:`Treatment` is one session done: the conversation it belongs to (the patient's
channel address, e.g. ``wa-971501234567``), the local (Asia/Dubai) date of the session,
the area treated and the practitioner's key. The ``conversation_id`` column is what the
generic erasure sweep (:mod:`clinic.privacy.erasure`) deletes by, so erasing a
conversation removes its treatments too. ``recorded_by`` names the staff member (or
``patient`` when the patient told the date in the chat and confirmed it).
"""
from __future__ import annotations

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)

from clinic.db import Base


class Treatment(Base):
    __tablename__ = "treatments"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    treated_on = Column(Date, nullable=False)  # local clinic date (Asia/Dubai)
    area = Column(String(40), nullable=False)
    practitioner_key = Column(String(60), nullable=False)
    created_at = Column(DateTime, nullable=False)  # naive UTC
    recorded_by = Column(String(64), nullable=False)
    # one row per session: recording it twice (two staff, a retried command) keeps the first
    __table_args__ = (UniqueConstraint("conversation_id", "treated_on", "area", name="uq_treatments_session"),)


JOB_KINDS = ("checkin", "session_reminder", "booking_reminder")
JOB_STATUSES = ("due", "claimed", "sent", "failed", "cancelled")


class AftercareJob(Base):
    """One message to send later (a check-in on day 1, 3 or 7, a reminder): the due-jobs table.

    Scheduler decision (issue 16 item 3): a small worker over this table, not APScheduler.
    APScheduler 3's SQLAlchemy job store may not be shared by several scheduler processes
    (its documentation says so: jobs can run twice or be missed), and APScheduler 4, which
    can, is a pre-release needing SQLAlchemy 2 beside Rasa 3.6's SQLAlchemy 1.4. Here, every
    job is a row: ``dedupe_key`` (unique, e.g. ``treatment:12:checkin:1``) makes scheduling
    idempotent; a worker claims a due row with one conditional UPDATE (status ``due`` ->
    ``claimed`` with a lease ``claimed_until``), which only one process can win on SQLite and
    PostgreSQL alike, so nothing is sent twice; a worker that dies leaves a lease that
    expires and the row is claimed again (nothing lost on restart). The one window left: a
    request in flight when its worker is killed, or one that timed out after Meta accepted
    it, is sent again (the Cloud API has no idempotency key): at least once, never lost. ``due_at`` already
    lies outside quiet hours. Erasure: the generic sweep
    deletes rows by ``conversation_id``; deleting a treatment cascades here.
    """

    __tablename__ = "aftercare_jobs"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    treatment_id = Column(Integer, ForeignKey("treatments.id", ondelete="CASCADE"), nullable=True, index=True)
    kind = Column(String(20), nullable=False)
    day = Column(Integer, nullable=True)  # the check-in's day after the session
    dedupe_key = Column(String(100), nullable=False, unique=True)
    due_at = Column(DateTime, nullable=False)  # naive UTC, outside quiet hours
    status = Column(String(10), nullable=False, default="due")
    attempts = Column(Integer, nullable=False, default=0)
    claimed_by = Column(String(64), nullable=True)
    claimed_until = Column(DateTime, nullable=True)  # naive UTC: the claim's lease
    sent_at = Column(DateTime, nullable=True)
    last_error = Column(String(200), nullable=True)
    created_at = Column(DateTime, nullable=False)
    # migration 0008_aftercare_optin: the appointment a booking reminder is about, and the
    # patient's answer ("all_good" closed it; "replied": any other message after it; "stopped")
    appointment_id = Column(Integer, nullable=True)
    answered_at = Column(DateTime, nullable=True)  # naive UTC
    outcome = Column(String(16), nullable=True)
    __table_args__ = (
        CheckConstraint("kind IN ('checkin', 'session_reminder', 'booking_reminder')", name="ck_aftercare_jobs_kind"),
        CheckConstraint("status IN ('due', 'claimed', 'sent', 'failed', 'cancelled')",
                        name="ck_aftercare_jobs_status"),
        Index("ix_aftercare_jobs_status_due_at", "status", "due_at"),
    )


OPTIN_SOURCES = ("chat", "staff", "booking")


class AftercareOptIn(Base):
    """Whether a patient (their channel address) wants check-ins and reminders (migration 0008).

    One row per conversation: the latest answer wins. ``opted_in`` False is an opt-out
    ("stop"), which cancels every planned message at once. ``language`` (``en``/``ar``) picks
    the template language. The generic erasure sweep deletes it by ``conversation_id``.
    """

    __tablename__ = "aftercare_optins"
    conversation_id = Column(String(255), primary_key=True)
    opted_in = Column(Boolean, nullable=False)
    source = Column(String(16), nullable=False)
    language = Column(String(8), nullable=False, default="en")
    changed_at = Column(DateTime, nullable=False)  # naive UTC


PHOTO_STATUSES = ("receiving", "stored", "refused", "failed")


class Photo(Base):
    """A photo a patient sent (WhatsApp), kept for staff only (migration 0011_photos).

    The image itself is a file with a random name in the photo directory (``PHOTO_DIR``,
    outside any web root: :mod:`clinic.aftercare.photos`), served only to signed-in staff.
    ``message_id`` (the platform's id, unique) makes a second delivery a no-op. ``status``:
    ``receiving`` (row written, not fetched yet), ``stored``, ``refused`` (too large, a
    type we do not accept) or ``failed`` (the Graph API refused or kept failing);
    ``reason`` and ``note`` say why, for staff. ``media_ref`` (the Graph media id) is kept
    so a failed fetch can be tried again. ``caption`` is the patient's text with the photo
    (triaged: ``urgent``). Erasure and retention delete the file with the row.
    """

    __tablename__ = "aftercare_photos"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    message_id = Column(String(255), nullable=False, unique=True)
    media_ref = Column(String(1024), nullable=False)
    status = Column(String(10), nullable=False, default="receiving")
    reason = Column(String(32), nullable=True)
    note = Column(String(300), nullable=True)
    declared_mime = Column(String(100), nullable=True)
    mime_type = Column(String(32), nullable=True)  # from the file's first bytes
    size_bytes = Column(Integer, nullable=True)
    sha256 = Column(String(64), nullable=True)
    file_name = Column(String(64), nullable=True)  # random; never a path
    caption = Column(Text, nullable=True)
    urgent = Column(Boolean, nullable=False, default=False)
    language = Column(String(8), nullable=False, default="en")
    received_at = Column(DateTime, nullable=False)  # naive UTC
    stored_at = Column(DateTime, nullable=True)
    __table_args__ = (
        CheckConstraint("status IN ('receiving', 'stored', 'refused', 'failed')", name="ck_aftercare_photos_status"),
    )
