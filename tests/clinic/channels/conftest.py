"""Databases for the channel tables: a SQLite file, and PostgreSQL when TEST_POSTGRES_URL is set.

On PostgreSQL each test gets its own schema, so it never touches the tables that
migration tests of other packages create in the same database.
"""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from clinic.channels import models
from clinic.handoff.models import Handoff, StaffAccount
from clinic.db import Base, make_engine, make_session_factory

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
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    schema = f"test_channels_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    from sqlalchemy import create_engine

    engine = create_engine(url, future=True, connect_args={"options": f"-csearch_path={schema}"})
    Base.metadata.create_all(engine, tables=TABLES)
    return engine, (admin, schema)


@pytest.fixture(params=BACKENDS)
def factory(request, tmp_path):
    """A session factory on a fresh database holding the channel tables."""
    engine, cleanup = _sqlite(tmp_path) if request.param == "sqlite" else _postgres()
    yield make_session_factory(engine)
    engine.dispose()
    if cleanup:
        admin, schema = cleanup
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
