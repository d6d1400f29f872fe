"""Durable channel state: deduplication, the 24-hour window, media, choices, notes.

Each function is one unit of work on a ``sessionmaker`` (``factory.begin()``), so the
channels can run them in a worker thread without sharing a session.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from clinic.channels.models import Choices, Contact, InboundMessage, Media, Undelivered, utcnow

WINDOW = timedelta(hours=24)
CHOICES_TTL = timedelta(hours=24)


def claim_message(factory: sessionmaker, message_id: str, channel: str, conversation_id: str) -> bool:
    """Record ``message_id``; True the first time, False for every redelivery.

    The primary key decides, so two deliveries at the same moment (or in two
    processes) cannot both win, and a restart does not forget.
    """
    try:
        with factory.begin() as session:
            session.add(InboundMessage(message_id=message_id, channel=channel,
                                       conversation_id=conversation_id))
        return True
    except IntegrityError:
        return False


def touch_contact(factory: sessionmaker, conversation_id: str, channel: str,
                  at: Optional[datetime] = None) -> None:
    """Note that the patient wrote at ``at`` (default now): opens the 24-hour window."""
    at = at or utcnow()
    for _ in range(2):  # a concurrent first insert makes the second attempt an update
        try:
            with factory.begin() as session:
                contact = session.get(Contact, conversation_id)
                if contact is None:
                    session.add(Contact(conversation_id=conversation_id, channel=channel, last_inbound_at=at))
                elif contact.last_inbound_at < at:
                    contact.last_inbound_at = at
            return
        except IntegrityError:
            continue


def within_window(factory: sessionmaker, conversation_id: str, now: Optional[datetime] = None) -> bool:
    """Whether a free-form message may still be sent (patient wrote in the last 24 h)."""
    now = now or utcnow()
    with factory.begin() as session:
        contact = session.get(Contact, conversation_id)
        return contact is not None and now - contact.last_inbound_at < WINDOW


def record_media(factory: sessionmaker, conversation_id: str, channel: str,
                 media_ref: str, mime_type: Optional[str]) -> int:
    """Keep a reference to a patient's image for staff; returns the row id.

    The assistant never looks at photos, so every photo opens (or joins) a handoff: the
    patient is told a member of the clinical team will review it, and the staff queue
    is where that happens.
    """
    from clinic.handoff.service import open_handoff

    with factory.begin() as session:
        media = Media(conversation_id=conversation_id, channel=channel,
                      media_ref=media_ref[:1024], mime_type=(mime_type or "")[:100] or None)
        session.add(media)
        session.flush()
        open_handoff(session, conversation_id=conversation_id, channel=channel, reason="asked",
                     priority="normal")
        return media.id


def media_for(session: Session, conversation_id: str) -> List[Media]:
    """The images a conversation sent, oldest first (for the staff console)."""
    return list(session.scalars(
        select(Media).where(Media.conversation_id == conversation_id).order_by(Media.id)))


def save_choices(factory: sessionmaker, conversation_id: str, payloads: List[str]) -> None:
    """Remember the payloads of the numbered choices just sent."""
    with factory.begin() as session:
        session.execute(delete(Choices).where(Choices.conversation_id == conversation_id))
        session.add(Choices(conversation_id=conversation_id, payloads=json.dumps(payloads)))


def choice_payload(factory: sessionmaker, conversation_id: str, number: int,
                   now: Optional[datetime] = None) -> Optional[str]:
    """The payload of choice ``number`` (1-based) if it was offered in the last day."""
    now = now or utcnow()
    with factory.begin() as session:
        row = session.get(Choices, conversation_id)
        if row is None or now - row.created_at > CHOICES_TTL:
            return None
        payloads = json.loads(row.payloads)
        return payloads[number - 1] if 1 <= number <= len(payloads) else None


def record_undelivered(factory: sessionmaker, conversation_id: str, channel: str,
                       reason: str, text: str) -> None:
    """Leave a note for staff about a message that did not go out."""
    with factory.begin() as session:
        session.add(Undelivered(conversation_id=conversation_id, channel=channel,
                                reason=reason, text=text))


def undelivered_for(session: Session, conversation_id: str) -> List[Undelivered]:
    """Notes about undelivered messages of a conversation, oldest first."""
    return list(session.scalars(
        select(Undelivered).where(Undelivered.conversation_id == conversation_id).order_by(Undelivered.id)))


def erase_channel_data(session: Session, conversation_id: str) -> int:
    """Delete everything the channels keep about a conversation; returns rows deleted."""
    total = 0
    for model in (InboundMessage, Contact, Media, Choices, Undelivered):
        result = session.execute(delete(model).where(model.conversation_id == conversation_id))
        total += result.rowcount or 0
    return total
