"""Retention: erase conversations whose last event is older than N days, and drop the
rows of staff console sessions that have expired (they hold an address and a browser name),
treatment records older than the retention period, and aftercare messages (check-ins,
reminders), check-in opt-ins and patients' photos (files too) as old."""
from __future__ import annotations

import time
from typing import List, Optional

from sqlalchemy import func, inspect, select, table, column
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from clinic.privacy.erasure import TRACKER_TABLE, ErasureReport, erase_conversation_data

SECONDS_PER_DAY = 86400


def stale_conversations(engine: Engine, days: int, now: Optional[float] = None) -> List[str]:
    """Sender ids whose newest tracker event is older than ``days`` days."""
    if days < 1:
        raise ValueError("Retention must be at least one day.")
    if not inspect(engine).has_table(TRACKER_TABLE):
        return []
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    events = table(TRACKER_TABLE, column("sender_id"), column("timestamp"))
    query = (select(events.c.sender_id).group_by(events.c.sender_id)
             .having(func.max(events.c.timestamp) < cutoff).order_by(events.c.sender_id))
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(query)]


def apply_retention(days: int, *, session_factory: Optional[sessionmaker] = None,
                    tracker_engine: Optional[Engine] = None, now: Optional[float] = None,
                    audit_key: Optional[str] = None) -> List[ErasureReport]:
    """Erase every conversation idle for more than ``days`` days, one audit row each."""
    if tracker_engine is None:
        from clinic.privacy.erasure import default_tracker_engine

        tracker_engine = default_tracker_engine()
    return [
        erase_conversation_data(sender, reason="retention", session_factory=session_factory,
                                tracker_engine=tracker_engine, audit_key=audit_key)
        for sender in stale_conversations(tracker_engine, days, now)
    ]


def purge_console_sessions(*, session_factory: Optional[sessionmaker] = None) -> int:
    """Delete expired staff console sessions (:mod:`clinic.handoff.sessions`); how many."""
    from clinic.handoff.sessions import purge_expired

    if session_factory is None:
        from clinic.privacy.erasure import default_factory

        session_factory = default_factory()
    with session_factory.begin() as session:
        return purge_expired(session)


def purge_old_treatments(days: int, *, session_factory: Optional[sessionmaker] = None) -> int:
    """Delete treatment records older than ``days`` days (:mod:`clinic.aftercare`): those
    of patients who never wrote have no conversation for :func:`apply_retention` to erase."""
    from clinic.aftercare.service import purge_old_treatments as purge

    if session_factory is None:
        from clinic.privacy.erasure import default_factory

        session_factory = default_factory()
    with session_factory.begin() as session:
        return purge(session, days)


def purge_old_aftercare(days: int, *, session_factory: Optional[sessionmaker] = None) -> int:
    """Delete aftercare jobs due more than ``days`` days ago and opt-in rows unchanged for as
    long with no job left (:func:`clinic.aftercare.checkins.purge_old_jobs`): patients who
    never wrote have no conversation for :func:`apply_retention` to erase."""
    from clinic.aftercare.checkins import purge_old_jobs

    if session_factory is None:
        from clinic.privacy.erasure import default_factory

        session_factory = default_factory()
    with session_factory.begin() as session:
        return purge_old_jobs(session, days)


def purge_old_photos(days: int, *, session_factory: Optional[sessionmaker] = None) -> int:
    """Delete patients' photos (files and rows) received more than ``days`` days ago
    (:func:`clinic.aftercare.photos.purge_old_photos`): a patient who only sent a photo has
    no conversation for :func:`apply_retention` to erase."""
    from clinic.aftercare.photos import purge_old_photos as purge

    if session_factory is None:
        from clinic.privacy.erasure import default_factory

        session_factory = default_factory()
    with session_factory.begin() as session:
        return purge(session, days)
