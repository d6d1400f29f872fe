"""Privacy tables (SQLAlchemy, declared on clinic.db.Base).

* ``privacy_consents``: a patient agreed to the privacy notice of a given version, at a
  given time, in a conversation. Recorded before contact details or photos are kept.
* ``privacy_erasure_audit``: one row per erasure (patient request, staff command or
  retention), without personal data: a keyed hash of the conversation id, the time,
  the reason and how many rows went.

Times are naive UTC.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, String, Text

from clinic.db import Base

REASONS = ("request", "staff", "retention")


def utcnow() -> datetime:
    """The current time as naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class ConsentRecord(Base):
    """Consent to the privacy notice ``version`` given in a conversation."""

    __tablename__ = "privacy_consents"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    version = Column(String(32), nullable=False)
    channel = Column(String(32), nullable=False, default="unknown")
    given_at = Column(DateTime, nullable=False, default=utcnow)


class ErasureAudit(Base):
    """That a conversation's data was erased, when and why; no personal data."""

    __tablename__ = "privacy_erasure_audit"

    id = Column(Integer, primary_key=True)
    subject_hash = Column(String(64), nullable=False, index=True)
    reason = Column(String(16), nullable=False)
    erased_at = Column(DateTime, nullable=False, default=utcnow)
    tracker_events = Column(Integer, nullable=False, default=0)
    clinic_rows = Column(Integer, nullable=False, default=0)
    tables = Column(Text, nullable=False, default="{}")  # JSON {table name: rows deleted}
