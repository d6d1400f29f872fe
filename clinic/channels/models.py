"""Channel tables (SQLAlchemy, declared on clinic.db.Base).

* ``channel_inbound_messages``: one row per platform message id (WhatsApp ``wamid``,
  Twilio ``MessageSid``) ever accepted; the primary key makes redeliveries, even after
  a restart or arriving at the same moment, a no-op.
* ``channel_contacts``: when each WhatsApp/Twilio conversation last wrote to us
  (the 24-hour customer-service window).
* ``channel_media``: images a patient sent, recorded for staff (never interpreted).
* ``channel_choices``: the last numbered choices sent over Twilio, so "2" maps back to
  the second button's payload.
* ``channel_undelivered``: messages we could not send (outside the 24-hour window
  without a template, or the platform kept failing) or a patient message the
  assistant failed to handle: a note for staff.

Times are naive UTC.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, String, Text

from clinic.db import Base


def utcnow() -> datetime:
    """The current time as naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class InboundMessage(Base):
    """A platform message id that has been accepted once."""

    __tablename__ = "channel_inbound_messages"

    message_id = Column(String(255), primary_key=True)
    channel = Column(String(16), nullable=False)
    conversation_id = Column(String(255), nullable=False, index=True)
    received_at = Column(DateTime, nullable=False, default=utcnow)


class Contact(Base):
    """The last time a patient wrote on a messaging channel."""

    __tablename__ = "channel_contacts"

    conversation_id = Column(String(255), primary_key=True)
    channel = Column(String(16), nullable=False)
    last_inbound_at = Column(DateTime, nullable=False, default=utcnow)


class Media(Base):
    """An image (or other file) a patient sent; staff look at it in the platform."""

    __tablename__ = "channel_media"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    media_ref = Column(String(1024), nullable=False)  # Graph media id or Twilio media URL
    mime_type = Column(String(100))
    received_at = Column(DateTime, nullable=False, default=utcnow)


class Choices(Base):
    """Button payloads last offered as numbered choices (JSON list)."""

    __tablename__ = "channel_choices"

    conversation_id = Column(String(255), primary_key=True)
    payloads = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Undelivered(Base):
    """A message that could not be sent; staff follow it up."""

    __tablename__ = "channel_undelivered"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    reason = Column(String(32), nullable=False)  # "outside_window", "send_failed" or "not_processed"
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
