"""What actions read besides the tracker: the clock and the clinic's database.

One of each for every action module (tests patch the names where they are used):

* :class:`Clock` - the current time; unit tests replace ``Clock.now``, a whole test stack
  sets ``CLINIC_FIXED_NOW`` (``Settings.fixed_now``, refused in production) so that "tomorrow"
  means the same day in every conversation test;
* :func:`session_factory` - the process-wide SQLAlchemy session factory of the clinic
  database (``clinic.db.default_session_factory``), made on first use;
* :func:`message_metadata` and :func:`channel_of` - what the channel put beside the latest
  message (``channel``, ``phone``: addons/channels), and the channel a record names.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Dict

from rasa_sdk import Tracker

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

# the setting tests/conversations looks for to know the clock can be fixed for a whole stack
FIXED_NOW_ENV = "CLINIC_FIXED_NOW"


class Clock:
    """The current time (aware, UTC), or the test stack's fixed one."""

    @staticmethod
    def now() -> datetime:
        from clinic import settings

        return settings.now()


def session_factory() -> "sessionmaker":
    """The process-wide clinic session factory."""
    from clinic.db import default_session_factory

    return default_session_factory()


def latest_intent(tracker: Tracker) -> str:
    """The intent the NLU gave the latest message ("" when none)."""
    return str(((tracker.latest_message or {}).get("intent") or {}).get("name") or "")


def message_metadata(tracker: Tracker) -> Dict[str, Any]:
    """The latest message's metadata (empty when there is none or it is not a mapping)."""
    metadata = (tracker.latest_message or {}).get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def channel_of(tracker: Tracker) -> str:
    """``whatsapp``/``twilio`` from the message metadata, else Rasa's input channel name, else
    ``unknown`` (at most 32 characters, as the records keep it)."""
    return str(message_metadata(tracker).get("channel") or tracker.get_latest_input_channel() or "unknown")[:32]
