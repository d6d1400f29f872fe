"""The aftercare check-in offer at the booking confirmation (issue 16 item 3).

On WhatsApp, right after "You're booked", one optional question: would the patient like a
short check-in message after the session (and a reminder the day before the appointment)?
Asked only where the aftercare worker can write (a ``wa-<digits>`` conversation,
:func:`clinic.aftercare.checkins.sendable`) and only to a patient never asked before (no row
in ``aftercare_optins``: a "stop" or an earlier answer is never overridden). The web widget,
the try-it page and the REST API are not asked. The yes or no is recorded through
:mod:`clinic.aftercare.checkins` with the source ``booking``; anything else (a question, a
new request) leaves the opt-in unrecorded and gets its ordinary answer.

Framework-free: the actions (actions/booking.py) ask :func:`offer_at_booking` and hand the
reply, read by :mod:`clinic.booking.replies`, to :func:`record_reply`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy.orm import Session

from clinic.aftercare.checkins import opt_in, opt_out, optin_status, sendable
from clinic.booking.replies import Reply, read_reply

SOURCE = "booking"


def offer_at_booking(session: Session, conversation_id: str) -> bool:
    """Whether to ask: a WhatsApp conversation whose patient was never asked."""
    return sendable(conversation_id or "") and optin_status(session, conversation_id) is None


def reading(text: Optional[str], intent: Optional[str]) -> Reply:
    """The reply to the offer: YES, NO or UNSURE (then nothing is recorded)."""
    return read_reply(text, intent, "checkins")


def record_reply(session: Session, conversation_id: str, reply: Reply, language: str = "en",
                 now: Optional[datetime] = None) -> Optional[bool]:
    """Record a clear yes (opted in) or no (opted out); None, and nothing recorded, otherwise
    or where no check-in can be sent."""
    if reply is Reply.UNSURE or not sendable(conversation_id or ""):
        return None
    if reply is Reply.YES:
        opt_in(session, conversation_id, SOURCE, language, now)
        return True
    opt_out(session, conversation_id, SOURCE, now)
    return False
