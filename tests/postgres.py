"""PostgreSQL for tests: each caller gets a throw-away schema of ``TEST_POSTGRES_URL``, so
tests never touch each other's tables or a migrated clinic database in the public schema."""
from __future__ import annotations

import os
import uuid
from typing import Callable, Tuple

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from clinic.db import make_engine


def postgres_url() -> str:
    """``TEST_POSTGRES_URL``; skips the test without it (fails in CI, which sets it)."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL must be set in CI (.ci/run sets it)")
        pytest.skip("TEST_POSTGRES_URL not set: PostgreSQL tests skipped")
    return url


def schema_engine(prefix: str) -> Tuple[Engine, Callable[[], None], str]:
    """An engine on a new schema named ``<prefix>_<random>``, a function that drops the
    schema (and disposes the engine), and the URL that selects the schema."""
    base = postgres_url()
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    engine = make_engine(url)

    def drop() -> None:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return engine, drop, url
