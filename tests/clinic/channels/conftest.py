"""Databases for the channel tables: a SQLite file, and PostgreSQL when TEST_POSTGRES_URL is set.

On PostgreSQL each test gets its own schema, so it never touches the tables that
migration tests of other packages create in the same database.
"""
from __future__ import annotations

import pytest
from clinic.channels import models
from clinic.handoff.models import Handoff, StaffAccount
from clinic.db import Base, make_engine, make_session_factory
from tests.postgres import schema_engine

TABLES = [models.InboundMessage.__table__, models.Contact.__table__, models.Media.__table__,
          models.Choices.__table__, models.Undelivered.__table__,
          # a photo opens a handoff for staff
          StaffAccount.__table__, Handoff.__table__]
BACKENDS = ["sqlite", "postgresql"]


def _sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'channels.db'}")
    Base.metadata.create_all(engine, tables=TABLES)
    return engine, None


def _postgres():
    engine, drop, _ = schema_engine("test_channels")
    Base.metadata.create_all(engine, tables=TABLES)
    return engine, drop


@pytest.fixture(params=BACKENDS)
def factory(request, tmp_path):
    """A session factory on a fresh database holding the channel tables."""
    engine, drop = _sqlite(tmp_path) if request.param == "sqlite" else _postgres()
    yield make_session_factory(engine)
    engine.dispose()
    if drop:
        drop()
