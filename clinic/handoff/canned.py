"""Canned replies for the staff console (issue 18): saved texts staff insert into the
reply box (and may edit there before sending, signed as usual). Stored in the clinic
database (table ``canned_replies``, migration 0010); every member of staff may list and
use them, only admins (``staff_accounts.is_admin``: ``python -m clinic set-admin``) may
add, change or delete them. Each has a short title, a language (``en`` or ``ar``: the
console offers those of the conversation's language first) and a text of at most
:data:`MAX_BODY_CHARS` characters (WhatsApp-length). They are written by staff for
everyone: no patient's details belong in them.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic.handoff.models import CannedReply, utcnow

LANGUAGES = ("en", "ar")
MAX_TITLE_CHARS = 80
MAX_BODY_CHARS = 1000
MAX_REPLIES = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CannedError(ValueError):
    """A canned reply cannot be saved as asked; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def as_json(reply: CannedReply) -> Dict[str, Any]:
    return {"id": reply.id, "title": reply.title, "language": reply.language, "text": reply.body,
            "updated_by": reply.updated_by,
            "updated_at": reply.updated_at.isoformat(timespec="seconds") + "Z" if reply.updated_at else None}


def _clean(values: Dict[str, Any]) -> Dict[str, str]:
    title = values.get("title")
    body = values.get("text")
    language = values.get("language")
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > MAX_TITLE_CHARS:
        raise CannedError(f"A title of 1-{MAX_TITLE_CHARS} characters is required.")
    if _CONTROL.search(title) or "\n" in title:
        raise CannedError("The title must be one line of text.")
    if not isinstance(body, str) or not body.strip():
        raise CannedError("The reply text is empty.")
    body = body.replace("\r\n", "\n").strip()
    if len(body) > MAX_BODY_CHARS:
        raise CannedError(f"Canned replies are at most {MAX_BODY_CHARS} characters.")
    if _CONTROL.search(body):
        raise CannedError("The reply text holds control characters.")
    if language not in LANGUAGES:
        raise CannedError(f"The language must be one of: {', '.join(LANGUAGES)}.")
    return {"title": " ".join(title.split()), "body": body, "language": language}


def list_replies(session: Session, language: Optional[str] = None) -> List[CannedReply]:
    """All canned replies, those in ``language`` first, then by title."""
    rows = list(session.execute(select(CannedReply).order_by(CannedReply.title, CannedReply.id)).scalars())
    if language in LANGUAGES:
        rows.sort(key=lambda r: r.language != language)  # stable: titles stay in order
    return rows


def _get(session: Session, reply_id: int) -> CannedReply:
    reply = session.get(CannedReply, reply_id)
    if reply is None:
        raise CannedError("That canned reply no longer exists.", 404)
    return reply


DUPLICATE = "A canned reply with this title already exists in that language."


def _check_unique(session: Session, fields: Dict[str, str], reply_id: Optional[int] = None) -> None:
    taken = session.execute(select(CannedReply.id).where(
        CannedReply.language == fields["language"], CannedReply.title == fields["title"])).scalars().first()
    if taken is not None and taken != reply_id:
        raise CannedError(DUPLICATE, 409)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError:  # two admins at once: the unique index decides; the caller's transaction rolls back
        raise CannedError(DUPLICATE, 409) from None


def create(session: Session, by: str, values: Dict[str, Any]) -> CannedReply:
    fields = _clean(values)
    if session.query(CannedReply).count() >= MAX_REPLIES:
        raise CannedError(f"There are already {MAX_REPLIES} canned replies; delete one first.", 409)
    _check_unique(session, fields)
    now = utcnow()
    reply = CannedReply(**fields, created_by=by, updated_by=by, created_at=now, updated_at=now)
    session.add(reply)
    _flush(session)
    return reply


def update(session: Session, reply_id: int, by: str, values: Dict[str, Any]) -> CannedReply:
    fields = _clean(values)
    reply = _get(session, reply_id)
    _check_unique(session, fields, reply.id)
    for name, value in fields.items():
        setattr(reply, name, value)
    reply.updated_by, reply.updated_at = by, utcnow()
    _flush(session)
    return reply


def delete(session: Session, reply_id: int) -> None:
    session.delete(_get(session, reply_id))
    session.flush()
