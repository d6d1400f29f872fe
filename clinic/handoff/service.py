"""The handoff state machine: ``waiting -> active -> resolved``.

Every transition is a conditional ``UPDATE ... WHERE status = ...`` whose row count
says whether it happened, so two members of staff taking over the same conversation
at once cannot both win, on SQLite or PostgreSQL. Failures raise a
:class:`HandoffError` subclass with a message fit to show to staff (and an HTTP
status for the console); nothing here talks to Rasa.

Call each function inside one unit of work: ``with Session.begin() as session:``.
"""
from __future__ import annotations

from typing import List, Optional

from sqlalchemy import and_, case, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic.handoff.models import (
    ACTIVE, OPEN_STATUSES, PRIORITIES, REASONS, RESOLVED, WAITING, Handoff, utcnow,
)

MAX_ID_CHARS = 255
MAX_CHANNEL_CHARS = 32
# Handoffs that leave the assistant answering until a member of staff takes over (taking over
# pauses it): a warning sign (the patient may still need answers while a nurse is found) and the
# assistant's own "I did not understand you twice" (the patient did not ask for a person and is
# not left in silence until the clinic opens), and a complaint ("calling for 2 days nobody picks
# up!!!"): the apology and the team's reply come first, but a patient who then asks to book, as
# most do, is booked rather than left waiting for the clinic to open. A patient who asks for a
# person or whose booking the bot cannot finish is answered by staff only: the bot pauses at once
# while the clinic is open (clinic.handoff.reply: while it is closed, the bot stays on until then).
BOT_STAYS_ON = frozenset({"urgent", "not_understood", "frustration"})


def bot_stays_on(reason: str) -> bool:
    """Whether a handoff opened for ``reason`` leaves the bot answering until staff take over."""
    return reason in BOT_STAYS_ON


class HandoffError(Exception):
    """A handoff operation that cannot be done; ``str()`` is the message for staff."""

    status = 409


class HandoffNotFound(HandoffError):
    status = 404


class InvalidHandoff(HandoffError):
    status = 400


class AlreadyTaken(HandoffError):
    """Another member of staff took the conversation over first."""


class NotAssigned(HandoffError):
    """The handoff is not (or no longer) assigned to this member of staff."""

    status = 403


class HandoffClosed(HandoffError):
    """The handoff was resolved or handed back already."""


def open_handoff(session: Session, *, conversation_id: str, channel: str, reason: str,
                 priority: str) -> Handoff:
    """Record that ``conversation_id`` needs a person; idempotent.

    An open (waiting or active) handoff for the conversation is returned instead of a
    new one, upgraded to ``urgent`` (with reason ``urgent``) when asked for.
    """
    if not conversation_id or len(conversation_id) > MAX_ID_CHARS:
        raise InvalidHandoff("A conversation id of 1 to 255 characters is required.")
    if reason not in REASONS:
        raise InvalidHandoff(f"Unknown handoff reason {reason!r}.")
    if priority not in PRIORITIES:
        raise InvalidHandoff(f"Unknown priority {priority!r}.")
    channel = (channel or "unknown")[:MAX_CHANNEL_CHARS]
    existing = find_open(session, conversation_id)
    if existing is None:
        handoff = Handoff(conversation_id=conversation_id, channel=channel, reason=reason,
                          priority=priority, status=WAITING)
        try:
            with session.begin_nested():
                session.add(handoff)
            return handoff
        except IntegrityError:  # opened concurrently: the unique open index caught it
            existing = find_open(session, conversation_id)
            if existing is None:  # pragma: no cover - closed again in between
                raise
    if priority == "urgent" and existing.priority != "urgent":
        existing.priority, existing.reason, existing.updated_at = "urgent", reason, utcnow()
        session.flush()
    return existing


def find_open(session: Session, conversation_id: str) -> Optional[Handoff]:
    """The waiting or active handoff of a conversation, if any."""
    return session.execute(
        select(Handoff).where(Handoff.conversation_id == conversation_id,
                              Handoff.status.in_(OPEN_STATUSES))
    ).scalars().first()


def get_handoff(session: Session, handoff_id: int) -> Handoff:
    """The handoff with ``handoff_id``, freshly read; :class:`HandoffNotFound` if none."""
    handoff = session.get(Handoff, handoff_id, populate_existing=True)
    if handoff is None:
        raise HandoffNotFound("This conversation no longer exists (it may have been erased).")
    return handoff


def queue(session: Session) -> List[Handoff]:
    """Open handoffs: urgent first, then the longest waiting first."""
    urgent_first = case((Handoff.priority == "urgent", 0), else_=1)
    return list(session.execute(
        select(Handoff).where(Handoff.status.in_(OPEN_STATUSES))
        .order_by(urgent_first, Handoff.created_at, Handoff.id)
    ).scalars())


def _transition(session: Session, handoff_id: int, conditions, **values) -> bool:
    now = utcnow()
    result = session.execute(
        update(Handoff).where(Handoff.id == handoff_id, *conditions)
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _explain(handoff: Handoff, staff: str) -> HandoffError:
    if handoff.status == RESOLVED:
        return HandoffClosed("This conversation was already resolved or handed back to the assistant.")
    if handoff.status == ACTIVE and handoff.assigned_to != staff:
        return AlreadyTaken(f"{handoff.assigned_to} has already taken over this conversation.")
    if handoff.status == WAITING:
        return NotAssigned("Take over this conversation first.")
    return HandoffError("This conversation cannot be changed right now.")  # pragma: no cover


def take_over(session: Session, handoff_id: int, staff: str) -> Handoff:
    """Assign a waiting handoff to ``staff`` and mark it active; exactly one taker wins."""
    now = utcnow()
    if _transition(session, handoff_id, [Handoff.status == WAITING],
                   status=ACTIVE, assigned_to=staff, taken_at=now):
        return get_handoff(session, handoff_id)
    handoff = get_handoff(session, handoff_id)
    if handoff.status == ACTIVE and handoff.assigned_to == staff:
        return handoff  # a double click, not a conflict
    raise _explain(handoff, staff)


def require_assigned(session: Session, handoff_id: int, staff: str) -> Handoff:
    """The handoff if it is active and assigned to ``staff`` (before a reply or hand-back)."""
    handoff = get_handoff(session, handoff_id)
    if handoff.status == ACTIVE and handoff.assigned_to == staff:
        return handoff
    raise _explain(handoff, staff)


def require_open(session: Session, handoff_id: int) -> Handoff:
    """The handoff if it is still waiting or active."""
    handoff = get_handoff(session, handoff_id)
    if not handoff.is_open:
        raise _explain(handoff, "")
    return handoff


def reply(session: Session, handoff_id: int, staff: str, text: str) -> Handoff:
    """Check that ``staff`` may send ``text`` now (the console then delivers it)."""
    if not text or not text.strip():
        raise InvalidHandoff("The reply is empty.")
    handoff = require_assigned(session, handoff_id, staff)
    _transition(session, handoff_id, [Handoff.status == ACTIVE])
    return handoff


def hand_back(session: Session, handoff_id: int, staff: str) -> Handoff:
    """Close an active handoff of ``staff``: the assistant answers again."""
    now = utcnow()
    if _transition(session, handoff_id, [Handoff.status == ACTIVE, Handoff.assigned_to == staff],
                   status=RESOLVED, outcome="handed_back", resolved_at=now):
        return get_handoff(session, handoff_id)
    raise _explain(get_handoff(session, handoff_id), staff)


def require_resolvable(session: Session, handoff_id: int, staff: str) -> Handoff:
    """The handoff if ``staff`` may resolve it now: a waiting one (dealt with by phone,
    say) or an active one that ``staff`` holds; another member's conversation is theirs
    to close (:class:`AlreadyTaken`)."""
    handoff = get_handoff(session, handoff_id)
    if handoff.status == WAITING or (handoff.status == ACTIVE and handoff.assigned_to == staff):
        return handoff
    raise _explain(handoff, staff)


def resolve(session: Session, handoff_id: int, staff: str, outcome: str) -> Handoff:
    """Close a waiting handoff or an active one of ``staff`` with ``outcome`` (a key of
    :data:`clinic.handoff.team.OUTCOMES`; :class:`InvalidHandoff` otherwise). The console
    then sends the patient the outcome's closing message (:mod:`clinic.handoff.team`)."""
    from clinic.handoff.team import TeamError, check_outcome

    try:
        outcome = check_outcome(outcome)
    except TeamError as error:
        raise InvalidHandoff(str(error)) from None
    now = utcnow()
    waiting_or_mine = or_(Handoff.status == WAITING,
                          and_(Handoff.status == ACTIVE, Handoff.assigned_to == staff))
    if _transition(session, handoff_id, [waiting_or_mine],
                   status=RESOLVED, outcome=outcome, resolved_at=now,
                   assigned_to=case((Handoff.assigned_to.is_(None), staff), else_=Handoff.assigned_to)):
        return get_handoff(session, handoff_id)
    raise _explain(get_handoff(session, handoff_id), staff)


def claim_acknowledgement(session: Session, handoff_id: int) -> bool:
    """True exactly once per waiting handoff: the caller then sends the acknowledgement."""
    return _transition(session, handoff_id,
                       [Handoff.status == WAITING, Handoff.acknowledged_at.is_(None)],
                       acknowledged_at=utcnow())


def release_acknowledgement(session: Session, handoff_id: int) -> None:
    """Undo :func:`claim_acknowledgement` when the acknowledgement could not be sent."""
    _transition(session, handoff_id, [Handoff.status == WAITING], acknowledged_at=None)


def waiting_unacknowledged(session: Session) -> List[Handoff]:
    """Waiting handoffs whose patient has not been told "we got your message" yet."""
    return list(session.execute(
        select(Handoff).where(Handoff.status == WAITING, Handoff.acknowledged_at.is_(None))
        .order_by(Handoff.id)
    ).scalars())


def erase_conversation(session: Session, conversation_id: str) -> int:
    """Delete every handoff of a conversation; returns how many rows went."""
    result = session.execute(
        delete(Handoff).where(Handoff.conversation_id == conversation_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# -- warning signs that were not meant (issue 15) --------------------------------------
def note_stood_down(session: Session, conversation_id: str) -> Optional[Handoff]:
    """The patient said the warning sign was not meant: noted on the open urgent handoff,
    which stays urgent and open (a nurse still checks in). None when there is none."""
    handoff = find_open(session, conversation_id)
    if handoff is None or handoff.reason != "urgent":
        return None
    if handoff.stood_down_at is None:
        handoff.stood_down_at = handoff.updated_at = utcnow()
        session.flush()
    return handoff


def mark_false_alarm(session: Session, handoff_id: int, staff: str) -> Handoff:
    """Staff judged an urgent handoff a false alarm: it stays open, marked with who and
    when, and drops to normal priority so real warning signs come first."""
    handoff = require_open(session, handoff_id)
    if handoff.reason != "urgent":
        raise InvalidHandoff("Only a warning-sign (urgent) conversation can be marked a false alarm.")
    if handoff.false_alarm_by is None:
        _transition(session, handoff_id, [Handoff.status.in_(OPEN_STATUSES), Handoff.false_alarm_by.is_(None)],
                    false_alarm_by=staff, false_alarm_at=utcnow(), priority="normal")
    return get_handoff(session, handoff_id)


def open_urgent(session: Session, *, conversation_id: str, channel: str) -> Handoff:
    """:func:`open_handoff` for a warning sign; a new warning sign clears earlier
    "not meant" and false-alarm marks (and makes the handoff urgent again)."""
    handoff = open_handoff(session, conversation_id=conversation_id, channel=channel,
                           reason="urgent", priority="urgent")
    if handoff.stood_down_at or handoff.false_alarm_by:
        handoff.stood_down_at = handoff.false_alarm_by = handoff.false_alarm_at = None
        handoff.reason, handoff.priority, handoff.updated_at = "urgent", "urgent", utcnow()
        session.flush()
    return handoff
