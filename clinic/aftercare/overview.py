"""What staff see of a patient's aftercare (issue 16 item 7), for the console's panel.

One conversation: its treatments (newest first), the check-ins and reminders planned or
sent with the patient's answer (``all_good``, ``replied``, ``stopped``), whether they opted
in, its photos (:mod:`clinic.aftercare.photos`), and a flag when a day-1 check-in sent more
than 24 hours ago has had no answer (:func:`clinic.aftercare.checkins.unanswered_checkins`).
Framework-free; :mod:`console.photos` serves it as JSON.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.aftercare.checkins import optin_status, unanswered_checkins
from clinic.aftercare.models import AftercareJob
from clinic.aftercare.photos import photos_for
from clinic.aftercare.service import list_treatments

UNANSWERED_AFTER = timedelta(hours=24)
MAX_JOBS = 50


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def messages_of(session: Session, conversation_id: str) -> List[Dict[str, Any]]:
    """Check-ins and reminders of the conversation, newest due first (at most 50)."""
    rows = session.scalars(select(AftercareJob).where(AftercareJob.conversation_id == conversation_id)
                           .order_by(AftercareJob.due_at.desc(), AftercareJob.id.desc()).limit(MAX_JOBS))
    return [{"id": job.id, "kind": job.kind, "day": job.day, "status": job.status, "due_at": _iso(job.due_at),
             "sent_at": _iso(job.sent_at), "answered_at": _iso(job.answered_at), "answer": job.outcome,
             "error": job.last_error if job.status == "failed" else None} for job in rows]


def unanswered_day_one(session: Session, conversation_id: Optional[str] = None,
                       now: Optional[datetime] = None) -> List[Dict[str, Any]]:
    """Day-1 check-ins sent over 24 h ago with no answer (of one conversation, or all)."""
    rows = unanswered_checkins(session, day=1, after=UNANSWERED_AFTER, now=now)
    return [{"conversation_id": row["conversation_id"], "sent_at": _iso(row["sent_at"])} for row in rows
            if conversation_id is None or row["conversation_id"] == conversation_id]


def conversation_overview(session: Session, conversation_id: str, now: Optional[datetime] = None,
                          photo_url: Any = None) -> Dict[str, Any]:
    """Everything the console's aftercare panel shows for ``conversation_id``.

    ``photo_url(photo_id)`` gives each stored photo's address (the console's image route)."""
    photos = []
    for view in photos_for(session, conversation_id):
        item = view.as_json()
        item["url"] = photo_url(view.id) if photo_url and view.status == "stored" else None
        photos.append(item)
    treatments = [{"id": t.id, "treated_on": t.treated_on.isoformat(), "area": t.area,
                   "practitioner": t.practitioner_key, "recorded_by": t.recorded_by}
                  for t in list_treatments(session, conversation_id)]
    return {
        "conversation_id": conversation_id,
        "opted_in": optin_status(session, conversation_id),
        "treatments": treatments,
        "messages": messages_of(session, conversation_id),
        "unanswered_day1": bool(unanswered_day_one(session, conversation_id, now)),
        "photos": photos,
    }
