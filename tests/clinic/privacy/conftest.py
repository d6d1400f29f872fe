"""Privacy test databases: clinic tables plus Rasa's ``events`` table.

SQLite: two files, as in development (var/clinic.db and var/tracker.db). PostgreSQL
(when TEST_POSTGRES_URL is set): one throw-away schema holding both, as in production
where DATABASE_URL moves the tracker store too.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Callable

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from clinic.db import Base, import_models, make_engine, make_session_factory

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
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL must be set in CI (.ci/run sets it)")
        pytest.skip("TEST_POSTGRES_URL not set")
    schema = f"privacy_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{sep}options=-csearch_path%3D{schema}")

    def drop():
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

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
