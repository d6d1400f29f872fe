"""The due-jobs table's operations (issue 16 item 3): schedule, claim, finish. Nothing here sends.

The sender process (:mod:`clinic.aftercare.worker`) loops: :func:`claim_due` a few jobs, send each through the
patient's channel, then :func:`mark_sent` or :func:`mark_failed`. Why a table and not
APScheduler, and how it keeps "nothing twice, nothing lost": see
:class:`clinic.aftercare.models.AftercareJob`.

Times: ``due_at`` is naive UTC in the database; check-ins are planned at a local (Asia/Dubai)
hour and moved out of quiet hours (21:00-09:00) to the next 09:00.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable, List, Optional

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from clinic.aftercare.models import AftercareJob
from clinic.aftercare.service import utcnow
from clinic.booking.dates import ZONE

DEFAULT_CHECKIN_DAYS = (1, 3, 7)
CHECKIN_HOUR = time(10, 0)  # local
QUIET_START, QUIET_END = time(21, 0), time(9, 0)  # local: no messages in between
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5


def _naive_utc(moment: datetime) -> datetime:
    return utcnow(moment).replace(tzinfo=None)


def outside_quiet_hours(moment: datetime) -> datetime:
    """``moment`` (aware), or the next 09:00 Dubai time when it falls in quiet hours."""
    local = moment.astimezone(ZONE)
    if local.time() >= QUIET_START:
        return datetime.combine(local.date() + timedelta(days=1), QUIET_END, tzinfo=ZONE)
    if local.time() < QUIET_END:
        return datetime.combine(local.date(), QUIET_END, tzinfo=ZONE)
    return local


def in_quiet_hours(moment: datetime) -> bool:
    """Whether ``moment`` (aware) falls in quiet hours (21:00-09:00 Dubai time)."""
    local = moment.astimezone(ZONE).time()
    return local >= QUIET_START or local < QUIET_END


def schedule_checkins(factory: sessionmaker, conversation_id: str, treatment_id: Optional[int], treated_on: date,
                      days: Iterable[int] = DEFAULT_CHECKIN_DAYS, now: Optional[datetime] = None,
                      at: time = CHECKIN_HOUR) -> List[int]:
    """Plan a check-in on each of ``days`` after the session (idempotent); the new job ids.

    A day whose time has already passed is skipped, never sent late in a burst. Without a
    treatment record (a date the patient told in the chat) the job is keyed by the
    conversation and the date.
    """
    now = utcnow(now)
    created = []
    owner = f"treatment:{treatment_id}" if treatment_id is not None else \
        f"{conversation_id[:60]}:{treated_on.isoformat()}"
    for day in sorted(set(days)):
        due = outside_quiet_hours(datetime.combine(treated_on + timedelta(days=day), at, tzinfo=ZONE))
        if due < now:
            continue
        try:
            with factory.begin() as session:
                job = AftercareJob(conversation_id=conversation_id, treatment_id=treatment_id, kind="checkin", day=day,
                                   dedupe_key=f"{owner}:checkin:{day}", due_at=_naive_utc(due),
                                   status="due", attempts=0, created_at=_naive_utc(now))
                session.add(job)
                session.flush()
                created.append(job.id)
        except IntegrityError:  # planned before: the unique dedupe_key keeps one
            continue
    return created


def claim_due(factory: sessionmaker, worker: str, now: Optional[datetime] = None, limit: int = 10) -> List[int]:
    """Claim up to ``limit`` due jobs for ``worker``; each job goes to one worker only.

    Due: status ``due`` and ``due_at`` reached, or ``claimed`` with an expired lease (its
    worker died). The claim is one conditional UPDATE per row, so of two workers racing
    for a row exactly one changes it.
    """
    now = _naive_utc(now or utcnow())
    claimable = or_(and_(AftercareJob.status == "due", AftercareJob.due_at <= now),
                    and_(AftercareJob.status == "claimed", AftercareJob.claimed_until < now))
    with factory() as session:
        candidates = session.scalars(select(AftercareJob.id).where(claimable)
                                     .order_by(AftercareJob.due_at, AftercareJob.id).limit(limit)).all()
    claimed = []
    for job_id in candidates:
        with factory.begin() as session:
            result = session.execute(
                update(AftercareJob).where(AftercareJob.id == job_id, claimable)
                .values(status="claimed", claimed_by=worker[:64], claimed_until=now + LEASE,
                        attempts=AftercareJob.attempts + 1)
                .execution_options(synchronize_session=False))
            if result.rowcount == 1:
                claimed.append(job_id)
    return claimed


def mark_sent(factory: sessionmaker, job_id: int, worker: str, now: Optional[datetime] = None) -> bool:
    """Record a job as sent; False when ``worker`` no longer holds it (its lease was taken over)."""
    with factory.begin() as session:
        result = session.execute(update(AftercareJob).where(
            AftercareJob.id == job_id, AftercareJob.status == "claimed", AftercareJob.claimed_by == worker[:64])
            .values(status="sent", sent_at=_naive_utc(now or utcnow()), claimed_until=None)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1


def mark_failed(factory: sessionmaker, job_id: int, worker: str, error: str, now: Optional[datetime] = None,
                retry_in: timedelta = timedelta(minutes=10), give_up: bool = False) -> str:
    """A failed send: due again later (moved out of quiet hours), or ``failed`` after
    :data:`MAX_ATTEMPTS` or at once with ``give_up`` (a refused template, a number not on
    WhatsApp); returns the new status ("" when ``worker`` no longer holds the job)."""
    now = utcnow(now)
    with factory.begin() as session:
        job = session.get(AftercareJob, job_id)
        if job is None or job.status != "claimed" or job.claimed_by != worker[:64]:
            return ""
        job.last_error = (error or "")[:200]
        job.claimed_until = None
        if give_up or job.attempts >= MAX_ATTEMPTS:
            job.status = "failed"
        else:
            job.status, job.due_at = "due", _naive_utc(outside_quiet_hours(now + retry_in))
        return job.status


def retry_delay(attempts: int, base: timedelta = timedelta(minutes=10)) -> timedelta:
    """Back-off before the next try of a job that failed ``attempts`` times: 10, 20, 40, 80 min."""
    return base * 2 ** max(0, attempts - 1)


def release(factory: sessionmaker, job_id: int, worker: str, due_at: datetime) -> bool:
    """Give a claimed job back unsent, due again at ``due_at`` (aware), the claim not counted as
    an attempt (quiet hours began, the channel is not configured)."""
    with factory.begin() as session:
        result = session.execute(update(AftercareJob).where(
            AftercareJob.id == job_id, AftercareJob.status == "claimed", AftercareJob.claimed_by == worker[:64])
            .values(status="due", due_at=_naive_utc(due_at), claimed_by=None, claimed_until=None,
                    attempts=AftercareJob.attempts - 1)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1


def cancel(factory: sessionmaker, job_id: int, worker: str, reason: str) -> bool:
    """Drop a claimed job that must not be sent any more (opted out, appointment moved or cancelled)."""
    with factory.begin() as session:
        result = session.execute(update(AftercareJob).where(
            AftercareJob.id == job_id, AftercareJob.status == "claimed", AftercareJob.claimed_by == worker[:64])
            .values(status="cancelled", claimed_until=None, last_error=reason[:200])
            .execution_options(synchronize_session=False))
        return result.rowcount == 1


def cancel_pending(session, conversation_id: str, reason: str = "opted out") -> int:
    """Cancel every job of the conversation not sent yet (due, or claimed: a worker holding
    one finds it cancelled and cannot mark it sent); how many."""
    result = session.execute(update(AftercareJob).where(
        AftercareJob.conversation_id == conversation_id, AftercareJob.status.in_(("due", "claimed")))
        .values(status="cancelled", claimed_until=None, last_error=reason[:200])
        .execution_options(synchronize_session=False))
    return result.rowcount or 0
