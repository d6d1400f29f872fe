"""Handoff tables on a temporary SQLite file and, when TEST_POSTGRES_URL is set, on
PostgreSQL (in a throw-away schema, so other tests' tables are never touched)."""
from __future__ import annotations

import pytest
from clinic.db import make_engine, make_session_factory
from clinic.handoff.models import CannedReply, ConsoleSession, Handoff, StaffAccount
from tests.postgres import schema_engine

TABLES = [Handoff.__table__, StaffAccount.__table__, ConsoleSession.__table__, CannedReply.__table__]


@pytest.fixture(params=["sqlite", "postgresql"])
def factory(request, tmp_path):
    """A session factory on an empty database holding the handoff tables."""
    if request.param == "sqlite":
        engine, drop = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}"), None
    else:
        engine, drop, _ = schema_engine("handoff_test")
    Handoff.metadata.create_all(engine, tables=TABLES)
    yield make_session_factory(engine)
    engine.dispose()
    if drop:
        drop()


@pytest.fixture
def sqlite_factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Handoff.metadata.create_all(engine, tables=TABLES)
    yield make_session_factory(engine)
    engine.dispose()
