"""Handoff tables (SQLAlchemy, declared on clinic.db.Base).

``handoffs``: one row per escalation of a conversation to a person, moving
``waiting -> active -> resolved`` (see :mod:`clinic.handoff.service`). At most one
row per conversation is open (waiting or active): a partial unique index enforces it
on SQLite and PostgreSQL alike. ``staff_accounts``: console users (argon2 hashes);
``console_sessions``: their signed-in sessions.

Times are naive UTC (``utcnow()``), the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, false, text

from clinic.db import Base

WAITING, ACTIVE, RESOLVED = "waiting", "active", "resolved"
OPEN_STATUSES = (WAITING, ACTIVE)
PRIORITIES = ("urgent", "normal")
REASONS = ("asked", "not_understood", "urgent", "booking", "frustration")
OPEN_CONDITION = "status IN ('waiting', 'active')"


def utcnow() -> datetime:
    """The current time as naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Handoff(Base):
    """A conversation handed to the clinic's staff."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    reason = Column(String(32), nullable=False)
    priority = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False, default=WAITING)
    assigned_to = Column(String(64))
    # once resolved: "handed_back", or the outcome staff chose (clinic.handoff.team.OUTCOMES);
    # "resolved" on rows closed before outcomes existed
    outcome = Column(String(16))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    taken_at = Column(DateTime)
    resolved_at = Column(DateTime)
    acknowledged_at = Column(DateTime)  # the one "we've got your message" while waiting
    # warning signs that were not meant (clinic.handoff.service.note_stood_down / mark_false_alarm):
    # the patient said so (the handoff stays urgent: a nurse still checks in), or staff marked it
    stood_down_at = Column(DateTime)
    false_alarm_by = Column(String(64))
    false_alarm_at = Column(DateTime)

    __table_args__ = (
        Index(
            "uq_handoffs_open_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text(OPEN_CONDITION),
            postgresql_where=text(OPEN_CONDITION),
        ),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class StaffAccount(Base):
    """A member of staff who can log in to the console."""

    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    first_name = Column(String(64), nullable=False)
    role = Column(String(32))  # a key of clinic.handoff.team.ROLES (shown to patients), or none
    password_hash = Column(String(255), nullable=False)
    is_active = Column(Boolean, nullable=False, default=True)
    # may edit the canned replies every member of staff uses (migration 0010)
    is_admin = Column(Boolean, nullable=False, default=False, server_default=false())
    created_at = Column(DateTime, nullable=False, default=utcnow)


class CannedReply(Base):
    """A saved reply staff insert into the reply box (:mod:`clinic.handoff.canned`);
    edited by admins. No patient data: written by staff for everyone."""

    __tablename__ = "canned_replies"

    id = Column(Integer, primary_key=True)
    title = Column(String(80), nullable=False)
    language = Column(String(8), nullable=False)  # "en" or "ar"
    body = Column(String(1000), nullable=False)
    created_by = Column(String(64))
    updated_by = Column(String(64))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (Index("uq_canned_replies_title_language", "language", "title", unique=True),)


class ConsoleSession(Base):
    """A signed-in console session (:mod:`clinic.handoff.sessions`).

    The browser's cookie holds a random id; only its SHA-256 is stored, so a copy of this
    table opens no session. ``address`` and ``user_agent`` (shown to the member of staff
    in their session list) are personal data: rows are deleted when the session ends or
    expires (at the latest ``expires_at``, by the next purge)."""

    __tablename__ = "console_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    username = Column(String(64), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    address = Column(String(64), nullable=False, default="")
    user_agent = Column(String(200), nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)
