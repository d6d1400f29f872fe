"""Privacy test databases: clinic tables plus Rasa's ``events`` table.

SQLite: two files, as in development (var/clinic.db and var/tracker.db). PostgreSQL
(when TEST_POSTGRES_URL is set): one throw-away schema holding both, as in production
where DATABASE_URL moves the tracker store too.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from clinic.db import Base, import_models, make_engine, make_session_factory
from tests.postgres import schema_engine

EVENTS = SQLTrackerStore.SQLEvent.__table__


@dataclass
class Databases:
    clinic: Engine
    tracker: Engine
    factory: sessionmaker

    def add_events(self, sender: str, texts=("hello",), timestamp: float = None) -> None:
        """Rows as Rasa's SQLTrackerStore writes them (a user message and a bot reply each)."""
        stamp = timestamp if timestamp is not None else time.time()
        with self.tracker.begin() as conn:
            for message in texts:
                for kind, data in (("user", {"event": "user", "text": message}),
                                   ("bot", {"event": "bot", "text": f"reply to {message}"})):
                    conn.execute(insert(EVENTS).values(sender_id=sender, type_name=kind, timestamp=stamp,
                                                       intent_name=None, action_name=None,
                                                       data=json.dumps({**data, "sender_id": sender})))


def _sqlite(tmp_path):
    clinic = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    return clinic, tracker, lambda: (clinic.dispose(), tracker.dispose())


def _postgresql():
    # one schema holds both, as in production where DATABASE_URL moves the tracker too
    engine, drop, _ = schema_engine("privacy_test")
    return engine, engine, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def dbs(request, tmp_path) -> Databases:
    import_models()
    clinic, tracker, cleanup = _sqlite(tmp_path) if request.param == "sqlite" else _postgresql()
    Base.metadata.create_all(clinic)
    EVENTS.create(tracker, checkfirst=True)
    yield Databases(clinic, tracker, make_session_factory(clinic))
    cleanup()


@pytest.fixture
def sqlite_dbs(tmp_path) -> Databases:
    import_models()
    clinic, tracker, cleanup = _sqlite(tmp_path)
    Base.metadata.create_all(clinic)
    yield Databases(clinic, tracker, make_session_factory(clinic))
    cleanup()


@pytest.fixture(autouse=True)
def urgent_outbox(tmp_path, monkeypatch):
    """This machine's urgent outbox, in a temporary file (erasure empties it too)."""
    from clinic.handoff import outbox

    box = outbox.UrgentOutbox(tmp_path / "urgent-outbox.db")
    monkeypatch.setattr(outbox, "_default", box)
    return box
