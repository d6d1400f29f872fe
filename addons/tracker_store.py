"""Rasa's SQL tracker store, pointed at the database named by the clinic's settings.

``endpoints.yml`` names this class, so one environment variable (``DATABASE_URL``, or
``TRACKER_DATABASE_URL``) moves conversations from the default SQLite file to
PostgreSQL without editing YAML. On SQLite it switches on write-ahead logging: with
the default rollback journal every turn waits for two disk syncs.

It also rebuilds trackers faster. Rasa 3.6 finds each stored event's class by walking
every subclass of ``Event`` (``Event.resolve_by_type``), once per event per turn: a
conversation of 60 messages (about 350 events) spent a third of each turn there, and
the cost grows with every message. Here the class of each event name is looked up once
per process; the events built are the same as Rasa's (tested).

On PostgreSQL the engine pre-pings pooled connections and gives up connecting after
three seconds: after a database restart the next turn reconnects instead of failing,
and during an outage a patient hears so quickly (README, "Production topology").

Rasa wraps every tracker store in ``FailSafeTrackerStore``, which swallows errors: when
the database is down, the conversation is read as empty and saved to memory only, so the
patient would get answers that ignore everything said before, and the message would be
gone once the database returns. This store notes each failure in a context variable of
the current turn (:func:`store_failed`), so the channel can hold back those answers and
apologise instead (:mod:`addons.channels.outage`), and refuses to save the rest of such a
turn: a conversation read as empty must never be written over the real one when the
database comes back mid-turn.
"""
from __future__ import annotations

import json
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

from rasa.core.brokers.broker import EventBroker
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from clinic.db import CONNECT_TIMEOUT_S, use_sqlite_pragmas
from clinic.settings import get_settings

SQLITE_PREFIX = "sqlite:///"
_failed: ContextVar[bool] = ContextVar("clinic_tracker_store_failed", default=False)


class StoreUnavailable(RuntimeError):
    """The tracker store failed earlier in this turn; nothing more is written."""


def reset_store_failure() -> None:
    """Start a turn with no failure noted (channels call this before each message)."""
    _failed.set(False)


def store_failed() -> bool:
    """True when the tracker store failed during the current turn."""
    return _failed.get()


@lru_cache(maxsize=None)
def event_class(type_name: Text) -> Optional[Type[Event]]:
    """The ``Event`` subclass named ``type_name`` (None for the legacy ``topic``)."""
    return Event.resolve_by_type(type_name)


def deserialise_events(serialised: List[Dict[Text, Any]]) -> List[Event]:
    """Rasa's ``deserialise_events`` with the event class lookup cached."""
    events = []
    for parameters in serialised:
        name = parameters.get("event")
        cls = event_class(name) if name is not None else None
        event = cls._from_parameters(parameters) if cls else None
        if event:
            events.append(event)
    return events


class ClinicSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose URL comes from :func:`clinic.settings.get_settings`."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = host or get_settings().tracker_database_url
        if url.startswith(SQLITE_PREFIX):
            Path(url[len(SQLITE_PREFIX):]).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if self.engine.dialect.name == "sqlite":
            use_sqlite_pragmas(self.engine)
            self.engine.dispose()  # reconnect with the pragmas
        elif self.engine.dialect.name == "postgresql":
            self._use_resilient_engine()

    def _use_resilient_engine(self) -> None:
        """Replace Rasa's engine with one that survives a database restart."""
        url = self.engine.url
        kwargs = create_engine_kwargs(url)
        connect_args = {**kwargs.pop("connect_args", {}), "connect_timeout": CONNECT_TIMEOUT_S}
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        try:
            return await self._retrieve_rows(sender_id, fetch_events_from_all_sessions)
        except Exception:
            _failed.set(True)
            raise

    async def save(self, tracker: DialogueStateTracker) -> None:
        if _failed.get():
            raise StoreUnavailable("the conversation could not be read in this turn")
        try:
            await super().save(tracker)
        except Exception:
            _failed.set(True)
            raise

    async def _retrieve_rows(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            if not self.domain or not rows:
                return None
            events = deserialise_events([json.loads(row.data) for row in rows])
            return DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
