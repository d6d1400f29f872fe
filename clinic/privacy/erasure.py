"""Erase everything the clinic keeps about one conversation, and audit it without personal data.

Rasa OSS cannot delete a conversation, so this module deletes the conversation's rows
from the tracker store's ``events`` table itself. In the clinic database it first asks
the features to erase their own data (``clinic.booking.service.erase_patient``
keeps past appointments without the patient; ``clinic.handoff.service
.erase_conversation``), then deletes every remaining row of any table with a
``conversation_id`` or ``sender_id`` column equal to the conversation id (channel
dedupe, contacts, media, consents, treatments, aftercare jobs and opt-ins, ...), and the entries this machine's urgent outbox
still holds for it. The audit row names the conversation only by a keyed hash.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional

from sqlalchemy import column, delete, inspect, table, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from clinic.aftercare.checkins import erase_reminders
from clinic.booking.service import erase_patient
from clinic.handoff.service import erase_conversation
from clinic.privacy.models import REASONS, ErasureAudit, utcnow

logger = logging.getLogger(__name__)

TRACKER_TABLE = "events"
ID_COLUMNS = ("conversation_id", "sender_id")
AUDIT_TABLE = ErasureAudit.__tablename__
OUTBOX_KEY = "urgent_outbox"
# Features that erase their own data first (before the generic sweep by id column),
# named explicitly: a missing one is an import error, never a silently smaller erasure.
FEATURE_ERASERS: Dict[str, Callable[[Session, str], int]] = {
    # before erase_patient, which detaches the appointments from the patient
    "clinic.aftercare.checkins.erase_reminders": erase_reminders,
    "clinic.booking.service.erase_patient": erase_patient,
    "clinic.handoff.service.erase_conversation": erase_conversation,
}


@dataclass
class ErasureReport:
    """What an erasure removed (counts only) and the audit hash."""

    subject_hash: str
    tracker_events: int = 0
    tables: Dict[str, int] = field(default_factory=dict)

    @property
    def clinic_rows(self) -> int:
        return sum(self.tables.values())


def subject_hash(conversation_id: str, key: Optional[str] = None) -> str:
    """A keyed SHA-256 of the conversation id: links audit rows, reveals nothing."""
    if key is None:
        from clinic.settings import get_settings

        settings = get_settings()
        key = settings.privacy_audit_key or settings.rasa_auth_token or "clinic-audit"
    return hmac.new(key.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()


def _default_factory() -> sessionmaker:
    from clinic.db import default_session_factory

    return default_session_factory()


def _default_tracker_engine() -> Engine:
    from clinic.db import make_engine
    from clinic.settings import get_settings

    return make_engine(get_settings().tracker_database_url)


def delete_tracker_events(engine: Engine, conversation_id: str) -> int:
    """Delete the conversation's rows from Rasa's ``events`` table (if it exists)."""
    if not inspect(engine).has_table(TRACKER_TABLE):
        return 0
    with engine.begin() as connection:
        result = connection.execute(text(f"DELETE FROM {TRACKER_TABLE} WHERE sender_id = :sender"),
                                    {"sender": conversation_id})
        return result.rowcount or 0


def forget_pending_urgent(conversation_id: str) -> int:
    """Delete the conversation's entries from this machine's urgent outbox
    (:mod:`clinic.handoff.outbox`: warning signs kept while the database was down)."""
    from clinic.handoff.outbox import default_outbox

    return default_outbox().forget(conversation_id)


def delete_clinic_rows(session: Session, conversation_id: str) -> Dict[str, int]:
    """Feature erasers, then every row of any table keyed by the conversation id."""
    counts: Dict[str, int] = {}
    for name, eraser in FEATURE_ERASERS.items():
        removed = eraser(session, conversation_id) or 0
        if removed:
            counts[name] = int(removed)
    inspector = inspect(session.connection())
    for table_name in inspector.get_table_names():
        if table_name in (AUDIT_TABLE, TRACKER_TABLE, "alembic_version"):
            continue
        names = {c["name"] for c in inspector.get_columns(table_name)}
        for id_column in ID_COLUMNS:
            if id_column not in names:
                continue
            target = table(table_name, column(id_column))
            result = session.execute(delete(target).where(target.c[id_column] == conversation_id))
            if result.rowcount:
                counts[table_name] = counts.get(table_name, 0) + result.rowcount
    return counts


def erase_conversation_data(conversation_id: str, *, reason: str = "request",
                            session_factory: Optional[sessionmaker] = None,
                            tracker_engine: Optional[Engine] = None,
                            audit_key: Optional[str] = None) -> ErasureReport:
    """Erase a conversation everywhere and write an audit row without personal data."""
    if not conversation_id:
        raise ValueError("A conversation id is required.")
    if reason not in REASONS:
        raise ValueError(f"Unknown erasure reason {reason!r}.")
    report = ErasureReport(subject_hash=subject_hash(conversation_id, audit_key))
    factory = session_factory or _default_factory()
    with factory.begin() as session:
        report.tables = delete_clinic_rows(session, conversation_id)
    forgotten = forget_pending_urgent(conversation_id)
    if forgotten:
        report.tables[OUTBOX_KEY] = forgotten
    engine = tracker_engine or _default_tracker_engine()
    report.tracker_events = delete_tracker_events(engine, conversation_id)
    with factory.begin() as session:
        session.add(ErasureAudit(subject_hash=report.subject_hash, reason=reason, erased_at=utcnow(),
                                 tracker_events=report.tracker_events, clinic_rows=report.clinic_rows,
                                 tables=json.dumps(report.tables, sort_keys=True)))
    logger.info("erased conversation %s (%s): %d events, %d clinic rows",
                report.subject_hash[:12], reason, report.tracker_events, report.clinic_rows)
    return report
