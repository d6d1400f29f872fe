"""Handoff tables on a temporary SQLite file and, when TEST_POSTGRES_URL is set, on
PostgreSQL (in a throw-away schema, so other tests' tables are never touched)."""
from __future__ import annotations

import os
import secrets

import pytest
from sqlalchemy import create_engine, text

from clinic.db import make_engine, make_session_factory
from clinic.handoff.models import Handoff, StaffAccount

TABLES = [Handoff.__table__, StaffAccount.__table__]


def _postgres_engine():
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    schema = f"handoff_test_{secrets.token_hex(4)}"
    admin = create_engine(url, future=True)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(url, future=True, connect_args={"options": f"-csearch_path={schema}"})

    def drop():
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    return engine, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def factory(request, tmp_path):
    """A session factory on an empty database holding the handoff tables."""
    if request.param == "sqlite":
        engine, drop = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}"), None
    else:
        engine, drop = _postgres_engine()
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
