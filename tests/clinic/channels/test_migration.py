"""The 0003_channels migration creates and drops the channel tables."""
from __future__ import annotations

from sqlalchemy import inspect

from clinic.db import make_engine
from clinic.migrate import downgrade, upgrade

TABLES = {"channel_inbound_messages", "channel_contacts", "channel_media", "channel_choices",
          "channel_undelivered"}


def test_upgrade_and_downgrade_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0003_channels")
    engine = make_engine(url)
    assert TABLES <= set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("channel_media")}
    assert {"conversation_id", "media_ref", "mime_type", "received_at"} <= columns
    engine.dispose()
    downgrade(url, "0002_handoff")
    engine = make_engine(url)
    assert not TABLES & set(inspect(engine).get_table_names())
    engine.dispose()


def test_upgrade_and_downgrade_on_postgresql():
    import os
    import uuid

    import pytest
    from sqlalchemy import text

    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        pytest.skip("TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    schema = f"test_channels_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        upgrade(url, "0003_channels")
        engine = make_engine(url)
        assert TABLES <= set(inspect(engine).get_table_names(schema=schema))
        engine.dispose()
        downgrade(url, "0002_handoff")
        engine = make_engine(url)
        assert not TABLES & set(inspect(engine).get_table_names(schema=schema))
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
