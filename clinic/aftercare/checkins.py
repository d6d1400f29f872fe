"""Check-ins and booking reminders for patients who opted in (issue 16 items 3 and 5).

Decisions only, framework-free: who opted in (:func:`opt_in`, :func:`opt_out`: "stop"
cancels every planned message at once), what to plan when a treatment is recorded or a
patient tells a session date and says yes (:func:`schedule_for_treatment`,
:func:`schedule_for_date`), which upcoming appointments get a reminder the day before
(:func:`plan_booking_reminders`, run by the worker on every pass, idempotent), and the
patient's answer to the last message sent (:func:`record_answer`). The sending itself is
:mod:`clinic.aftercare.worker`.

Opt-in is kept per conversation (the patient's channel address, ``wa-<digits>``) in
``aftercare_optins``, not on a treatment row: a patient opts in at booking or in the chat
before or after any treatment is recorded, and "stop" must cover every later treatment and
reminder. Only WhatsApp conversations get messages (:data:`SENDABLE_PREFIX`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from clinic.aftercare.jobs import (CHECKIN_HOUR, DEFAULT_CHECKIN_DAYS, cancel_pending, outside_quiet_hours,
                                   schedule_checkins)
from clinic.aftercare.models import OPTIN_SOURCES, AftercareJob, AftercareOptIn
from clinic.aftercare.service import TreatmentView, utcnow
from clinic.booking.dates import ZONE

SENDABLE_PREFIX = "wa-"
LANGUAGES = ("en", "ar")
REMINDER_HOUR = time(18, 0)
REMINDER_HORIZON = timedelta(days=2)  # appointments this far ahead get their reminder planned
ANSWER_WINDOW = timedelta(days=3)  # a reply this long after a message still answers it
OUTCOMES = ("all_good", "stopped", "replied")


@dataclass(frozen=True)
class AftercareConfig:
    """The ``aftercare:`` block of clinic.yml."""

    checkin_days: Tuple[int, ...] = DEFAULT_CHECKIN_DAYS
    checkin_time: time = CHECKIN_HOUR
    reminder_time: time = REMINDER_HOUR

    @classmethod
    def from_mapping(cls, data: Optional[Mapping[str, Any]]) -> "AftercareConfig":
        data = data or {}
        if not isinstance(data, Mapping):
            raise ValueError("clinic.yml aftercare must be a mapping")
        unknown = sorted(set(data) - {"checkin_days", "checkin_time", "reminder_time"})
        if unknown:
            raise ValueError(f"clinic.yml aftercare has unknown keys: {unknown}")
        days = data.get("checkin_days", list(DEFAULT_CHECKIN_DAYS))
        if (not isinstance(days, list) or not days
                or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 60 for d in days)):
            raise ValueError("clinic.yml aftercare.checkin_days must be a list of days from 1 to 60")
        return cls(tuple(sorted(set(days))), _clock_time(data.get("checkin_time"), CHECKIN_HOUR, "checkin_time"),
                   _clock_time(data.get("reminder_time"), REMINDER_HOUR, "reminder_time"))


def _clock_time(value: Any, default: time, name: str) -> time:
    if value is None:
        return default
    try:
        moment = time.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"clinic.yml aftercare.{name} must be a time such as \"10:00\", not {value!r}") from None
    if not time(9, 0) <= moment < time(21, 0):
        raise ValueError(f"clinic.yml aftercare.{name} must lie outside quiet hours (09:00-21:00)")
    return moment


def load_config(path: Optional[Path] = None) -> AftercareConfig:
    """The aftercare settings of clinic.yml (defaults when the block is missing)."""
    import yaml

    if path is None:
        from clinic.settings import get_settings

        path = get_settings().clinic_file
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return AftercareConfig.from_mapping(data.get("aftercare"))


def sendable(conversation_id: str) -> bool:
    """Whether the worker can reach this conversation (a WhatsApp address)."""
    return (conversation_id or "").startswith(SENDABLE_PREFIX) and conversation_id[3:].isdigit()


# -- opt-in and opt-out ----------------------------------------------------------------------


def opt_in(session: Session, conversation_id: str, source: str, language: str = "en",
           now: Optional[datetime] = None) -> AftercareOptIn:
    """Record that the patient wants check-ins and reminders (the latest answer wins)."""
    if source not in OPTIN_SOURCES:
        raise ValueError(f"Unknown opt-in source {source!r}.")
    return _set(session, conversation_id, True, source, language, now)


def opt_out(session: Session, conversation_id: str, source: str = "chat", now: Optional[datetime] = None) -> int:
    """"Stop": no more messages from now on; cancels every planned one. How many were cancelled."""
    row = session.get(AftercareOptIn, conversation_id)
    _set(session, conversation_id, False, source if source in OPTIN_SOURCES else "chat",
         row.language if row is not None else "en", now)
    return cancel_pending(session, conversation_id, "opted out")


def _set(session: Session, conversation_id: str, value: bool, source: str, language: str,
         now: Optional[datetime]) -> AftercareOptIn:
    if not conversation_id or len(conversation_id) > 255:
        raise ValueError("A conversation id of 1 to 255 characters is required.")
    language = language if language in LANGUAGES else "en"
    stamp = utcnow(now).replace(tzinfo=None)
    row = session.get(AftercareOptIn, conversation_id)
    if row is None:
        row = AftercareOptIn(conversation_id=conversation_id, opted_in=value, source=source, language=language,
                             changed_at=stamp)
        session.add(row)
    else:
        row.opted_in, row.source, row.language, row.changed_at = value, source, language, stamp
    session.flush()
    return row


def optin_status(session: Session, conversation_id: str) -> Optional[bool]:
    """True (opted in), False (opted out) or None (never asked)."""
    row = session.get(AftercareOptIn, conversation_id)
    return None if row is None else bool(row.opted_in)


def optin_language(session: Session, conversation_id: str) -> str:
    row = session.get(AftercareOptIn, conversation_id)
    return row.language if row is not None else "en"


# -- planning --------------------------------------------------------------------------------


def schedule_for_treatment(factory: sessionmaker, treatment: TreatmentView, config: Optional[AftercareConfig] = None,
                           now: Optional[datetime] = None) -> List[int]:
    """Plan the check-ins of a recorded treatment when its patient opted in (else nothing)."""
    return schedule_for_date(factory, treatment.conversation_id, treatment.treated_on, treatment.id, config, now)


def schedule_for_date(factory: sessionmaker, conversation_id: str, treated_on: date,
                      treatment_id: Optional[int] = None, config: Optional[AftercareConfig] = None,
                      now: Optional[datetime] = None) -> List[int]:
    """Plan check-ins after a session on ``treated_on`` for an opted-in WhatsApp patient."""
    if not sendable(conversation_id):
        return []
    with factory() as session:
        if optin_status(session, conversation_id) is not True:
            return []
        if treatment_id is None:  # the patient told the date: use staff's record of that day if any
            from clinic.aftercare.models import Treatment

            treatment_id = session.scalar(select(Treatment.id).where(
                Treatment.conversation_id == conversation_id, Treatment.treated_on == treated_on)
                .order_by(Treatment.id).limit(1))
    config = config or AftercareConfig()
    return schedule_checkins(factory, conversation_id, treatment_id, treated_on, config.checkin_days, now,
                             at=config.checkin_time)


def schedule_latest_treatment(factory: sessionmaker, conversation_id: str, config: Optional[AftercareConfig] = None,
                              now: Optional[datetime] = None) -> List[int]:
    """After an opt-in: plan the check-ins still ahead for the newest recorded session."""
    from clinic.aftercare.service import latest_treatment_date

    with factory() as session:
        treated_on = latest_treatment_date(session, conversation_id, now)
    return schedule_for_date(factory, conversation_id, treated_on, None, config, now) if treated_on else []


def _address_for(conversation_id: Optional[str], phone: Optional[str]) -> Optional[str]:
    if conversation_id and sendable(conversation_id):
        return conversation_id
    digits = (phone or "").lstrip("+")
    return f"wa-{digits}" if digits.isdigit() else None


def plan_booking_reminders(factory: sessionmaker, config: Optional[AftercareConfig] = None,
                           now: Optional[datetime] = None) -> List[int]:
    """A reminder the day before each confirmed appointment in the next two days of an
    opted-in patient (their WhatsApp conversation, or the WhatsApp address of the phone
    number they booked with). Idempotent: the key holds the appointment and its start, so
    a moved appointment gets a new reminder and the old one is dropped at send time."""
    from clinic.booking.models import Appointment, Patient

    config = config or AftercareConfig()
    now = utcnow(now)
    naive_now = now.replace(tzinfo=None)
    with factory() as session:
        rows = session.execute(
            select(Appointment.id, Appointment.starts_at, Patient.conversation_id, Patient.phone)
            .join(Patient, Appointment.patient_id == Patient.id)
            .where(Appointment.status == "confirmed", Appointment.starts_at > naive_now,
                   Appointment.starts_at <= naive_now + REMINDER_HORIZON)).all()
        opted = set(session.scalars(select(AftercareOptIn.conversation_id).where(AftercareOptIn.opted_in.is_(True))))
        planned = {key for key in session.scalars(select(AftercareJob.dedupe_key).where(
            AftercareJob.kind == "booking_reminder", AftercareJob.created_at >= naive_now - 2 * REMINDER_HORIZON))}
    created = []
    for appointment_id, starts_at, conversation_id, phone in rows:
        address = _address_for(conversation_id, phone)
        if address is None or address not in opted:
            continue
        key = f"appointment:{appointment_id}:{starts_at:%Y%m%d%H%M}:reminder"
        if key in planned:
            continue
        start_local = starts_at.replace(tzinfo=timezone.utc).astimezone(ZONE)
        due = outside_quiet_hours(datetime.combine(start_local.date() - timedelta(days=1), config.reminder_time,
                                                   tzinfo=ZONE))
        if due < now:  # booked less than a day ahead: no reminder
            continue
        try:
            with factory.begin() as session:
                job = AftercareJob(conversation_id=address, treatment_id=None, kind="booking_reminder", day=None,
                                   dedupe_key=key, due_at=utcnow(due).replace(tzinfo=None), status="due", attempts=0,
                                   created_at=naive_now,
                                   appointment_id=appointment_id)
                session.add(job)
                session.flush()
                created.append(job.id)
        except IntegrityError:  # another worker planned it at the same moment
            continue
    return created


# -- answers ---------------------------------------------------------------------------------


def last_sent(session: Session, conversation_id: str, now: Optional[datetime] = None) -> Optional[AftercareJob]:
    """The newest message sent to the conversation in the last :data:`ANSWER_WINDOW`, if any."""
    since = utcnow(now).replace(tzinfo=None) - ANSWER_WINDOW
    return session.scalar(select(AftercareJob).where(
        AftercareJob.conversation_id == conversation_id, AftercareJob.status == "sent",
        AftercareJob.sent_at >= since).order_by(AftercareJob.sent_at.desc(), AftercareJob.id.desc()).limit(1))


def record_answer(session: Session, conversation_id: str, outcome: str,
                  now: Optional[datetime] = None) -> Optional[str]:
    """Note the patient's answer on the last message sent (if not answered yet); its kind
    (``checkin``, ``booking_reminder``) or None when no message is waiting for an answer."""
    if outcome not in OUTCOMES:
        raise ValueError(f"Unknown outcome {outcome!r}.")
    job = last_sent(session, conversation_id, now)
    if job is None:
        return None
    if job.answered_at is None or outcome != "replied":
        job.answered_at = job.answered_at or utcnow(now).replace(tzinfo=None)
        job.outcome = outcome
    return job.kind


def unanswered_checkins(session: Session, day: int = 1, after: timedelta = timedelta(hours=24),
                        now: Optional[datetime] = None) -> List[Dict[str, Any]]:
    """Day-``day`` check-ins sent more than ``after`` ago that the patient has not answered
    (no answer noted and no message since: :class:`clinic.channels.models.Contact`), for staff."""
    from clinic.channels.models import Contact

    cutoff = utcnow(now).replace(tzinfo=None) - after
    rows = session.execute(
        select(AftercareJob.conversation_id, AftercareJob.sent_at, Contact.last_inbound_at)
        .outerjoin(Contact, Contact.conversation_id == AftercareJob.conversation_id)
        .where(AftercareJob.kind == "checkin", AftercareJob.day == day, AftercareJob.status == "sent",
               AftercareJob.answered_at.is_(None), AftercareJob.sent_at <= cutoff)
        .order_by(AftercareJob.sent_at)).all()
    return [{"conversation_id": cid, "sent_at": sent} for cid, sent, last in rows if last is None or last < sent]


def erase_reminders(session: Session, conversation_id: str) -> int:
    """Erasure (:data:`clinic.privacy.erasure.FEATURE_ERASERS`, before the patient is erased):
    reminders planned for this conversation's appointments under another address (the
    WhatsApp number a web booking gave). The conversation's own jobs and opt-in go by the
    generic sweep by ``conversation_id``. How many rows."""
    from sqlalchemy import delete

    from clinic.booking.models import Appointment, Patient

    appointments = select(Appointment.id).join(Patient, Appointment.patient_id == Patient.id).where(
        Patient.conversation_id == conversation_id)
    return session.execute(delete(AftercareJob).where(
        AftercareJob.appointment_id.in_(appointments), AftercareJob.conversation_id != conversation_id)
        .execution_options(synchronize_session=False)).rowcount or 0


def purge_old_jobs(session: Session, days: int, now: Optional[datetime] = None) -> int:
    """Retention: delete jobs due more than ``days`` days ago, and opt-in rows unchanged for as
    long whose conversation has no job left (patients who never wrote have no conversation
    for :mod:`clinic.privacy.retention` to erase). How many rows."""
    from sqlalchemy import delete

    if days < 1:
        raise ValueError("Retention must be at least one day.")
    cutoff = utcnow(now).replace(tzinfo=None) - timedelta(days=days)
    removed = session.execute(delete(AftercareJob).where(AftercareJob.due_at < cutoff)
                              .execution_options(synchronize_session=False)).rowcount or 0
    live = select(AftercareJob.conversation_id)
    removed += session.execute(delete(AftercareOptIn).where(
        AftercareOptIn.changed_at < cutoff, AftercareOptIn.conversation_id.not_in(live))
        .execution_options(synchronize_session=False)).rowcount or 0
    return removed
