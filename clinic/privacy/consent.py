"""Consent to the privacy notice: recorded before contact details or photos are kept.

Other modules call :func:`record_consent` when the patient agrees (for example before
the booking form asks for a name and phone number) and :func:`has_consent` before they
store contact details or photos.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.privacy.models import ConsentRecord, utcnow

# Bump when the wording of the privacy notice (utter_privacy_notice, faq/privacy) changes.
PRIVACY_NOTICE_VERSION = "2026-11-26"


def record_consent(session: Session, conversation_id: str, version: str = PRIVACY_NOTICE_VERSION,
                   channel: str = "unknown", now: Optional[datetime] = None) -> ConsentRecord:
    """Record that the patient of ``conversation_id`` consented to notice ``version``.

    Idempotent per conversation and version: the first record (and its time) is kept.
    """
    if not conversation_id or len(conversation_id) > 255:
        raise ValueError("A conversation id of 1 to 255 characters is required.")
    if not version or len(version) > 32:
        raise ValueError("A notice version of 1 to 32 characters is required.")
    existing = session.execute(
        select(ConsentRecord).where(ConsentRecord.conversation_id == conversation_id,
                                    ConsentRecord.version == version)
    ).scalars().first()
    if existing is not None:
        return existing
    record = ConsentRecord(conversation_id=conversation_id, version=version,
                           channel=(channel or "unknown")[:32], given_at=now or utcnow())
    session.add(record)
    session.flush()
    return record


def has_consent(session: Session, conversation_id: str, version: Optional[str] = PRIVACY_NOTICE_VERSION) -> bool:
    """Whether consent was recorded for the conversation (to ``version``, or any if None)."""
    query = select(ConsentRecord.id).where(ConsentRecord.conversation_id == conversation_id)
    if version is not None:
        query = query.where(ConsentRecord.version == version)
    return session.execute(query.limit(1)).first() is not None
