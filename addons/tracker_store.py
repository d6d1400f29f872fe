"""Rasa's SQL tracker store, pointed at the database named by the clinic's settings.

``endpoints.yml`` names this class, so one environment variable (``DATABASE_URL``, or
``TRACKER_DATABASE_URL``) moves conversations from the default SQLite file to
PostgreSQL without editing YAML. On SQLite it uses the clinic's engine settings
(:func:`clinic.db.make_engine`): write-ahead logging (with the default rollback journal
every turn waits for two disk syncs) and a connection pool (SQLAlchemy 1.4 would open and
set up a new connection for every statement).

It also reads and writes conversations faster, with the same rows and the same trackers
(tested against Rasa's own store):

* Rasa 3.6 finds each stored event's class by walking every subclass of ``Event``
  (``Event.resolve_by_type``), once per event per turn: a conversation of 60 messages
  (about 350 events) spent a third of each turn there, and the cost grows with every
  message. Here the class of each event name is looked up once per process.
* Rasa builds its read query with the ORM on every turn (about 5 ms of CPU for a
  12-message conversation); here it is one SQLAlchemy Core statement, compiled once.
* Before saving, Rasa counts the stored events of the session (one more query) to find
  which events are new. This store remembers how many events of a tracker it read or
  wrote, and inserts only the ones after those, in one Core ``INSERT``; for a tracker it
  did not read (a new conversation) it counts like Rasa. During a turn nobody else can
  write the conversation: the lock store holds it from the read to the save.

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

The faster reads and writes override ``SQLTrackerStore._retrieve`` and ``save``; they are
registered in :mod:`addons.compat` (``tracker_store_io``) and, when uninstalled or with
``CLINIC_RASA_PATCHES=off``, Rasa's own ``_retrieve`` and ``save`` run instead (the
failure bookkeeping above stays).
"""
from __future__ import annotations

import itertools
import json
import weakref
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple, Type

from rasa.core.brokers.broker import EventBroker
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.core.trackers import DialogueStateTracker

from addons import compat
from clinic.db import CONNECT_TIMEOUT_S, make_engine
from clinic.settings import get_settings

SQLITE_PREFIX = "sqlite:///"
PATCH = "tracker_store_io"
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


def event_row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    """The ``events`` row Rasa's ``SQLTrackerStore.save`` writes for ``event``."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


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

    engine: sa.engine.Engine  # set by SQLTrackerStore.__init__ (untyped there)

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
        self._statements = SessionQueries(self.SQLEvent.__table__)
        # sender id -> (the tracker last read or saved, how many of its events are stored)
        self._stored: Dict[Text, Tuple[weakref.ref, int]] = {}
        if self.engine.dialect.name == "sqlite":
            self._use_engine(make_engine(str(self.engine.url)))  # pooled, with the pragmas
        elif self.engine.dialect.name == "postgresql":
            self._use_resilient_engine()

    def _use_resilient_engine(self) -> None:
        """Replace Rasa's engine with one that survives a database restart."""
        url = self.engine.url
        kwargs = create_engine_kwargs(url)
        connect_args = {**kwargs.pop("connect_args", {}), "connect_timeout": CONNECT_TIMEOUT_S}
        self._use_engine(sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs))

    def _use_engine(self, engine: sa.engine.Engine) -> None:
        self.engine.dispose()
        self.engine = engine
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        try:
            if not compat.active(PATCH):
                self._stored.pop(sender_id, None)  # what Rasa's code reads is not remembered
                return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
            return await self._retrieve_rows(sender_id, fetch_events_from_all_sessions)
        except Exception:
            _failed.set(True)
            raise

    async def save(self, tracker: DialogueStateTracker) -> None:
        if _failed.get():
            raise StoreUnavailable("the conversation could not be read in this turn")
        try:
            if not compat.active(PATCH):
                self._stored.pop(tracker.sender_id, None)
                await super().save(tracker)
                return
            await self.stream_events(tracker)
            self._save_new_events(tracker)
        except Exception:
            _failed.set(True)
            raise

    def _save_new_events(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        with self.engine.begin() as connection:
            stored = self._stored_count(tracker)
            if stored is None:  # not read by this store: count like Rasa does
                stored = connection.execute(self._statements.count, {"sender_id": sender_id}).scalar_one()
            rows = [event_row(sender_id, event) for event in itertools.islice(tracker.events, stored, None)]
            if rows:
                connection.execute(self.SQLEvent.__table__.insert(), rows)
        self._remember(tracker, len(tracker.events))

    def _stored_count(self, tracker: DialogueStateTracker) -> Optional[int]:
        """How many events of this very tracker object are stored (None: unknown)."""
        known = self._stored.get(tracker.sender_id)
        if known is None or known[0]() is not tracker:
            return None
        return known[1]

    def _remember(self, tracker: DialogueStateTracker, stored: int) -> None:
        self._stored[tracker.sender_id] = (weakref.ref(tracker, self._forget(tracker.sender_id)), stored)

    def _forget(self, sender_id: Text) -> Any:
        def forget(reference: weakref.ref) -> None:
            known = self._stored.get(sender_id)
            if known is not None and known[0] is reference:
                del self._stored[sender_id]
        return forget

    async def _retrieve_rows(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        query = self._statements.all_sessions if fetch_events_from_all_sessions else self._statements.last_session
        with self.engine.connect() as connection:
            rows = connection.execute(query, {"sender_id": sender_id}).scalars().all()
        if not self.domain or not rows:
            return None
        events = deserialise_events([json.loads(data) for data in rows])
        tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        self._remember(tracker, len(tracker.events))
        return tracker


class SessionQueries:
    """The store's statements, built once (SQLAlchemy caches their compiled form).

    They select what Rasa's ``SQLTrackerStore._event_query`` selects: the conversation's
    events in ``id`` order, since the latest ``session_started`` (by timestamp) or all.
    """

    def __init__(self, events: sa.Table) -> None:
        sender = events.c.sender_id == sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(sender, events.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        since_session_start = sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
        self.all_sessions = sa.select(events.c.data).where(sender).order_by(events.c.id)
        self.last_session = self.all_sessions.where(since_session_start)
        self.count = sa.select(sa.func.count()).select_from(events).where(sender, since_session_start)

