"""Server-side sessions of the staff console (table ``console_sessions``).

The browser's cookie carries only a random id (``secrets.token_urlsafe(32)``); the row,
found by the id's SHA-256, says who is signed in, holds the session's CSRF token and
its times. A session ends when its row is deleted: on logout, "sign out everywhere", a
password change (:func:`clinic.handoff.staff.set_password`), after ``IDLE`` without a
request, and ``ABSOLUTE`` after sign-in whatever happens. Expired rows are purged when
someone signs in and when the console starts, so the address and browser name kept for
the session list live no longer than the session (plus the time to the next purge).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import List, Optional, Tuple

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from clinic.handoff.models import ConsoleSession, utcnow

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=8)  # one shift
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often
MAX_SESSIONS_PER_USER = 20  # the oldest go first beyond this


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _live(now: datetime):
    return (ConsoleSession.expires_at > now) & (ConsoleSession.last_seen_at > now - IDLE)


def start_session(session: Session, username: str, address: str = "", user_agent: str = "",
                  now: Optional[datetime] = None) -> Tuple[str, ConsoleSession]:
    """A new session for ``username``: the cookie value (shown once) and its row."""
    now = now or utcnow()
    purge_expired(session, now)
    token = new_token()
    row = ConsoleSession(token_hash=token_hash(token), username=username, csrf_token=secrets.token_urlsafe(32),
                         address=(address or "")[:64], user_agent=(user_agent or "")[:200],
                         created_at=now, last_seen_at=now, expires_at=now + ABSOLUTE)
    session.add(row)
    session.flush()
    older = session.execute(
        select(ConsoleSession.id).where(ConsoleSession.username == username)
        .order_by(ConsoleSession.created_at.desc(), ConsoleSession.id.desc()).offset(MAX_SESSIONS_PER_USER)
    ).scalars().all()
    if older:
        session.execute(delete(ConsoleSession).where(ConsoleSession.id.in_(older)))
    return token, row


def find_session(session: Session, token: Optional[str], now: Optional[datetime] = None) -> Optional[ConsoleSession]:
    """The live session whose cookie is ``token`` (its last use recorded), else None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 128:
        return None
    now = now or utcnow()
    row = session.execute(
        select(ConsoleSession).where(ConsoleSession.token_hash == token_hash(token), _live(now))
    ).scalars().first()
    if row is not None and now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return row


def end_session(session: Session, token: Optional[str]) -> None:
    if isinstance(token, str):
        session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == token_hash(token)))


def end_session_of(session: Session, username: str, session_id: int) -> bool:
    """End one of ``username``'s own sessions; False if there is no such session of theirs."""
    result = session.execute(delete(ConsoleSession).where(
        ConsoleSession.id == session_id, ConsoleSession.username == username))
    return result.rowcount > 0


def end_all_sessions(session: Session, username: str) -> int:
    """Sign ``username`` out everywhere; the number of sessions ended."""
    return session.execute(delete(ConsoleSession).where(ConsoleSession.username == username)).rowcount


def sessions_of(session: Session, username: str, now: Optional[datetime] = None) -> List[ConsoleSession]:
    """``username``'s live sessions, the most recently used first."""
    now = now or utcnow()
    return list(session.execute(
        select(ConsoleSession).where(ConsoleSession.username == username, _live(now))
        .order_by(ConsoleSession.last_seen_at.desc(), ConsoleSession.id.desc())
    ).scalars())


def purge_expired(session: Session, now: Optional[datetime] = None) -> int:
    """Delete the rows of sessions that have expired; the number deleted."""
    now = now or utcnow()
    return session.execute(delete(ConsoleSession).where(
        or_(ConsoleSession.expires_at <= now, ConsoleSession.last_seen_at <= now - IDLE))).rowcount
