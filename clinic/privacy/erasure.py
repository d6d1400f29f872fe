"""Erase everything the clinic keeps about one conversation, and audit it without personal data.

Rasa OSS cannot delete a conversation, so this module deletes the conversation's rows
from the tracker store's ``events`` table itself. In the clinic database every table is
registered here, explicitly, with how it is erased:

* :data:`FEATURE_ERASERS` run first, imported at the top of this module (a missing one is
  an import error, never a silently smaller erasure): the features erase what a delete by
  id cannot (``clinic.booking.service.erase_patient`` keeps past appointments without the
  patient, ``clinic.aftercare.photos.erase_photos`` removes the photo files, ...);
* :data:`SWEPT_TABLES` then lose every row whose id column (``conversation_id`` or
  ``sender_id``) is the conversation id;
* :data:`NOT_PERSONAL` tables hold nothing about a conversation (the clinic's schedule,
  staff accounts, canned replies, the audit), each with the reason.

:func:`unregistered_tables` names the tables of the models that are in none of these;
``tests/clinic/privacy/test_erasure_registry.py`` fails on any, so a new table cannot be
forgotten. A table in the database that has an id column but is not registered (an older
or newer schema than this code) is still swept, with a warning. The entries this machine's
urgent outbox still holds for the conversation go too. The audit row names the
conversation only by a keyed hash.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from sqlalchemy import column, delete, inspect, table, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from clinic.aftercare.checkins import erase_reminders
from clinic.aftercare.photos import erase_photos
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
    # the photo files (the rows would go by the sweep; the files would not)
    "clinic.aftercare.photos.erase_photos": erase_photos,
    "clinic.booking.service.erase_patient": erase_patient,
    "clinic.handoff.service.erase_conversation": erase_conversation,
}


# the tables each feature eraser looks after (it may leave the sweep the rest)
ERASER_TABLES: Mapping[str, Tuple[str, ...]] = {
    "clinic.aftercare.checkins.erase_reminders": ("aftercare_jobs",),
    "clinic.aftercare.photos.erase_photos": ("aftercare_photos",),
    "clinic.booking.service.erase_patient": ("booking_patients", "booking_appointments"),
    "clinic.handoff.service.erase_conversation": ("handoffs",),
}
# table -> the column holding the conversation id: every matching row is deleted
SWEPT_TABLES: Mapping[str, str] = {
    "aftercare_jobs": "conversation_id",
    "aftercare_optins": "conversation_id",
    "aftercare_photos": "conversation_id",
    "booking_patients": "conversation_id",
    "channel_choices": "conversation_id",
    "channel_contacts": "conversation_id",
    "channel_inbound_messages": "conversation_id",
    "channel_media": "conversation_id",
    "channel_undelivered": "conversation_id",
    "handoffs": "conversation_id",
    "privacy_consents": "conversation_id",
    "treatments": "conversation_id",
}
# tables that hold nothing about a conversation, and why
NOT_PERSONAL: Mapping[str, str] = {
    "booking_practitioners": "the clinic's practitioners",
    "booking_services": "the clinic's services and prices",
    "booking_working_hours": "the practitioners' hours",
    "booking_closures": "days the clinic is closed",
    "booking_slot_claims": "which appointment holds a slot (ids only; the appointment is erased or kept "
                           "without its patient)",
    "staff_accounts": "staff, not patients",
    "console_sessions": "staff sessions (expired ones are purged by retention)",
    "canned_replies": "reply templates staff write (no patient's data)",
    AUDIT_TABLE: "keyed hashes and counts only",
    "alembic_version": "the schema version",
}


def registered_tables() -> Dict[str, str]:
    """Every registered clinic table and how it is erased."""
    how: Dict[str, str] = {name: f"kept: {reason}" for name, reason in NOT_PERSONAL.items()}
    for table_name, id_column in SWEPT_TABLES.items():
        how[table_name] = f"rows with {id_column} = the conversation"
    for eraser, table_names in ERASER_TABLES.items():
        for table_name in table_names:
            how[table_name] = f"{eraser}" + (f", then {how[table_name]}" if table_name in SWEPT_TABLES else "")
    return how


def unregistered_tables(table_names: Optional[List[str]] = None) -> List[str]:
    """Tables of the models (default: every model module's, ``clinic.db.import_models``)
    that this module does not know how to erase."""
    if table_names is None:
        from clinic.db import Base, import_models

        import_models()
        table_names = list(Base.metadata.tables)
    known = registered_tables()
    return sorted(name for name in table_names if name not in known)


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


def default_factory() -> sessionmaker:
    """The clinic database's session factory (erasure and retention; tests patch this)."""
    from clinic.db import default_session_factory

    return default_session_factory()


def default_tracker_engine() -> Engine:
    """The engine of Rasa's tracker store, from the settings (erasure and retention; tests patch this)."""
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
    """The feature erasers, then the swept tables (and any unregistered table with an id column)."""
    if set(ERASER_TABLES) != set(FEATURE_ERASERS):
        raise RuntimeError("clinic/privacy/erasure.py: FEATURE_ERASERS and ERASER_TABLES name different erasers")
    counts: Dict[str, int] = {}
    for name, eraser in FEATURE_ERASERS.items():
        removed = eraser(session, conversation_id) or 0
        if removed:
            counts[name] = int(removed)
    inspector = inspect(session.connection())
    present = set(inspector.get_table_names())
    targets = [(name, column_name) for name, column_name in SWEPT_TABLES.items() if name in present]
    for table_name in sorted(present - set(registered_tables()) - {TRACKER_TABLE}):
        names = {c["name"] for c in inspector.get_columns(table_name)}
        for id_column in ID_COLUMNS:
            if id_column in names:
                logger.warning("erasure: table %s is not registered in clinic/privacy/erasure.py; "
                               "deleting by %s", table_name, id_column)
                targets.append((table_name, id_column))
    for table_name, id_column in targets:
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
    factory = session_factory or default_factory()
    with factory.begin() as session:
        report.tables = delete_clinic_rows(session, conversation_id)
    forgotten = forget_pending_urgent(conversation_id)
    if forgotten:
        report.tables[OUTBOX_KEY] = forgotten
    engine = tracker_engine or default_tracker_engine()
    report.tracker_events = delete_tracker_events(engine, conversation_id)
    with factory.begin() as session:
        session.add(ErasureAudit(subject_hash=report.subject_hash, reason=reason, erased_at=utcnow(),
                                 tracker_events=report.tracker_events, clinic_rows=report.clinic_rows,
                                 tables=json.dumps(report.tables, sort_keys=True)))
    logger.info("erased conversation %s (%s): %d events, %d clinic rows",
                report.subject_hash[:12], reason, report.tracker_events, report.clinic_rows)
    return report
