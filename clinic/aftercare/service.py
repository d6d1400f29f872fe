"""Treatment records: record, list, look up, and retention (framework-free).

Staff record a session with ``python -m clinic treatments record`` (:mod:`clinic.aftercare.cli`);
the actions read the newest treatment date of a conversation. Dates are local clinic dates
(Asia/Dubai, :data:`clinic.booking.dates.ZONE`): "today" is the clinic's today, whatever the
server's time zone.

Validation (a :class:`TreatmentError` with a message for staff): no date in the future, none
more than :data:`MAX_AGE_DAYS` ago, a known practitioner key, an area as a short word, and a
conversation the clinic knows, unless it is a WhatsApp or Twilio address (``wa-<digits>``,
``tw-<digits>``), which may not have written yet. A phone number stands for its WhatsApp
conversation. Recording the same session twice returns the first record.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, List, Optional, Set, Tuple

from sqlalchemy import column, delete, exists, inspect, select, table
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from clinic.aftercare.models import Treatment
from clinic.booking.dates import ZONE

logger = logging.getLogger(__name__)
MAX_AGE_DAYS = 365
AREA = re.compile(r"^[a-z][a-z -]{1,38}[a-z]$")
CHANNEL_ADDRESS = re.compile(r"^(wa|tw)-\d{6,15}$")
CONVERSATION_PREFIXES = ("web-", "rest-", "wa-", "tw-")


class TreatmentError(ValueError):
    """Invalid treatment details; the message is meant for staff."""


@dataclass(frozen=True)
class TreatmentView:
    id: int
    conversation_id: str
    treated_on: date
    area: str
    practitioner_key: str
    recorded_by: str
    created_at: datetime


def _view(row: Treatment) -> TreatmentView:
    return TreatmentView(row.id, row.conversation_id, row.treated_on, row.area, row.practitioner_key,
                         row.recorded_by, row.created_at)


def utcnow(now: Optional[datetime] = None) -> datetime:
    """``now`` (or the current time) as an aware UTC datetime."""
    now = now or datetime.now(timezone.utc)
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)


def clinic_today(now: Optional[datetime] = None) -> date:
    """Today's date in the clinic's time zone."""
    return utcnow(now).astimezone(ZONE).date()


def known_practitioners(session: Session) -> Set[str]:
    """Practitioner keys: the booking database's, and the slugs of the names in clinic.yml."""
    from clinic.booking.models import Practitioner

    keys = set(session.scalars(select(Practitioner.key)))
    try:
        from clinic.booking.schedule import clinic_facts, slug

        keys.update(slug(p["name"]) for p in clinic_facts().practitioners)
    except Exception:  # noqa: BLE001 - no clinic.yml (tests): the database's keys only
        pass
    return keys


def conversation_known(session: Session, conversation_id: str) -> bool:
    """True when any clinic table with a ``conversation_id`` column holds this id."""
    inspector = inspect(session.connection())
    for name in inspector.get_table_names():
        if "conversation_id" not in {c["name"] for c in inspector.get_columns(name)}:
            continue
        rows = table(name, column("conversation_id"))
        if session.scalar(select(exists().where(rows.c.conversation_id == conversation_id))):
            return True
    return False


def resolve_conversation(session: Session, target: str) -> str:
    """The conversation id for ``target``: a conversation id or a phone number."""
    from clinic.booking.models import Patient
    from clinic.booking.phone import normalise_phone

    target = (target or "").strip()
    if not target:
        raise TreatmentError("Give a conversation id (wa-971...) or a phone number.")
    if target.startswith(CONVERSATION_PREFIXES):
        if CHANNEL_ADDRESS.match(target) or conversation_known(session, target):
            return target
        if target.startswith(("wa-", "tw-")):
            raise TreatmentError(f"{target!r} is not a WhatsApp/Twilio address (wa-<digits>, tw-<digits>).")
        raise TreatmentError(f"Unknown conversation {target!r}: no booking, handoff or consent has it.")
    phone = normalise_phone(target)
    if phone is None:
        raise TreatmentError(f"{target!r} is neither a conversation id nor a valid phone number.")
    channel_ids = session.scalars(
        select(Patient.conversation_id).where(Patient.phone == phone, Patient.conversation_id.isnot(None))
        .order_by(Patient.created_at.desc())).all()
    for conversation_id in channel_ids:
        if conversation_id.startswith(("wa-", "tw-")):
            return conversation_id
    return "wa-" + phone.lstrip("+")


def validate(treated_on: date, area: str, practitioner: str, practitioners: Iterable[str],
             now: Optional[datetime] = None) -> Tuple[str, str]:
    """(area, practitioner) normalised, or a :class:`TreatmentError`."""
    today = clinic_today(now)
    if treated_on > today:
        raise TreatmentError(f"The date {treated_on.isoformat()} is in the future (today is {today.isoformat()}).")
    if treated_on < today - timedelta(days=MAX_AGE_DAYS):
        raise TreatmentError(f"The date {treated_on.isoformat()} is more than a year ago.")
    area = " ".join((area or "").lower().split())
    if not AREA.match(area):
        raise TreatmentError("The area must be a word or two, such as face, cheeks, back or chest.")
    key = (practitioner or "").strip().lower()
    known = sorted(set(practitioners))
    if key not in known:
        raise TreatmentError(f"Unknown practitioner {practitioner!r}; known: {', '.join(known) or 'none'}.")
    return area, key


def record_treatment(factory: sessionmaker, target: str, treated_on: date, area: str, practitioner: str,
                     recorded_by: str, now: Optional[datetime] = None,
                     practitioners: Optional[Iterable[str]] = None) -> TreatmentView:
    """Record a session (idempotent for the same conversation, date and area)."""
    recorded_by = (recorded_by or "").strip()[:64]
    if not recorded_by:
        raise TreatmentError("Say who records the treatment (--by).")
    with factory.begin() as session:
        conversation_id = resolve_conversation(session, target)
        keys = practitioners if practitioners is not None else known_practitioners(session)
        area, key = validate(treated_on, area, practitioner, keys, now)
        existing = _same_session(session, conversation_id, treated_on, area)
        if existing is not None:
            return existing
    try:
        with factory.begin() as session:
            row = Treatment(conversation_id=conversation_id, treated_on=treated_on, area=area, practitioner_key=key,
                            recorded_by=recorded_by, created_at=utcnow(now).replace(tzinfo=None))
            session.add(row)
            session.flush()
            view = _view(row)
    except IntegrityError:  # recorded at the same moment by someone else: theirs stands
        with factory.begin() as session:
            existing = _same_session(session, conversation_id, treated_on, area)
            if existing is None:
                raise
            return existing
    _plan_checkins(factory, view, now)
    return view


def _plan_checkins(factory: sessionmaker, view: TreatmentView, now: Optional[datetime]) -> None:
    """A new session of a patient who opted in gets its check-ins (clinic.aftercare.checkins)."""
    from clinic.aftercare.checkins import load_config, schedule_for_treatment

    try:
        config = load_config()
    except (OSError, ValueError):  # no or a broken clinic.yml: the default days
        config = None
    try:
        schedule_for_treatment(factory, view, config, now)
    except SQLAlchemyError as error:  # the record stands; the check-ins can be planned again
        logger.error("aftercare: check-ins of treatment %d not planned: %s", view.id, type(error).__name__)


def _same_session(session: Session, conversation_id: str, treated_on: date, area: str) -> Optional[TreatmentView]:
    row = session.scalar(select(Treatment).where(
        Treatment.conversation_id == conversation_id, Treatment.treated_on == treated_on, Treatment.area == area))
    return _view(row) if row is not None else None


def list_treatments(session: Session, conversation_id: str) -> List[TreatmentView]:
    """The conversation's treatments, newest first."""
    rows = session.scalars(select(Treatment).where(Treatment.conversation_id == conversation_id)
                           .order_by(Treatment.treated_on.desc(), Treatment.id.desc()))
    return [_view(row) for row in rows]


def latest_treatment_date(session: Session, conversation_id: str,
                          now: Optional[datetime] = None) -> Optional[date]:
    """The newest treatment date on or before today, or None."""
    return session.scalar(select(Treatment.treated_on).where(
        Treatment.conversation_id == conversation_id, Treatment.treated_on <= clinic_today(now))
        .order_by(Treatment.treated_on.desc()).limit(1))


def purge_old_treatments(session: Session, days: int, now: Optional[datetime] = None) -> int:
    """Delete treatment rows whose session is more than ``days`` days old (retention).

    Conversation retention (:mod:`clinic.privacy.retention`) erases treatments with their
    conversation; this catches records of patients who never wrote (no tracker events).
    """
    if days < 1:
        raise ValueError("Retention must be at least one day.")
    cutoff = clinic_today(now) - timedelta(days=days)
    result = session.execute(delete(Treatment).where(Treatment.treated_on < cutoff))
    return result.rowcount or 0
