"""A patient's aftercare record in a clinic database, for the console's tests (API and
browser): a practitioner, the opt-in, a treatment some days ago with its day 1, 3 and 7
check-ins scheduled, the check-ins that were sent (and answered), a stored photo and one
that did not arrive. PHOTO_DIR must be set (monkeypatch) before a photo is stored."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Mapping, NamedTuple, Optional

from sqlalchemy import select

from clinic.aftercare import photos as ph
from clinic.aftercare.checkins import opt_in
from clinic.aftercare.jobs import schedule_checkins
from clinic.aftercare.models import AftercareJob
from clinic.aftercare.service import record_treatment
from clinic.booking.models import Practitioner

PRACTITIONER = "layla-haddad"
CHECKIN_DAYS = (1, 3, 7)


class AftercareRecord(NamedTuple):
    treated: date
    photo: int   # the stored photo's id
    failed: int  # the id of the photo that did not arrive


def add_practitioner(factory) -> None:
    with factory.begin() as session:
        session.add(Practitioner(key=PRACTITIONER, name="Layla Haddad", title=""))


def aftercare_record(factory, conversation_id: str, *, treated_days_ago: int,
                     sent: Mapping[int, timedelta], answered: Optional[Mapping[int, str]] = None,
                     caption: str, photo: ph.Fetched, failure: ph.PhotoProblem,
                     now: Optional[datetime] = None) -> AftercareRecord:
    """The record of ``conversation_id`` (the practitioner must exist: :func:`add_practitioner`).

    ``sent`` maps a check-in day to how long ago it was sent; ``answered`` maps a sent day
    to its outcome (answered an hour after it was sent). The stored photo carries
    ``caption`` and ``photo``'s bytes; the second photo ends with ``failure``. Each photo
    opens a handoff, as a patient's photo does.
    """
    now = now or datetime.now(timezone.utc)
    with factory.begin() as session:
        opt_in(session, conversation_id, "staff")
    treated = (now - timedelta(days=treated_days_ago)).date()
    treatment = record_treatment(factory, conversation_id, treated, "face", PRACTITIONER, "sara", now=now,
                                 practitioners=[PRACTITIONER])
    schedule_checkins(factory, conversation_id, treatment.id, treated, CHECKIN_DAYS,
                      now=now - timedelta(days=treated_days_ago, hours=12))
    with factory.begin() as session:
        jobs = {job.day: job for job in session.scalars(
            select(AftercareJob).where(AftercareJob.conversation_id == conversation_id))}
        for day, ago in sent.items():
            jobs[day].status, jobs[day].sent_at = "sent", now - ago
        for day, outcome in (answered or {}).items():
            jobs[day].answered_at, jobs[day].outcome = now - sent[day] + timedelta(hours=1), outcome
    stored = ph.begin_photo(factory, conversation_id, "whatsapp", f"wamid.{conversation_id}.1", "media-1",
                            photo.mime_type, caption)
    ph.store_photo(factory, ph.photo_settings(), stored.id, photo)
    failed = ph.begin_photo(factory, conversation_id, "whatsapp", f"wamid.{conversation_id}.2", "media-2",
                            "image/jpeg", "")
    ph.mark_problem(factory, failed.id, failure)
    return AftercareRecord(treated, stored.id, failed.id)
