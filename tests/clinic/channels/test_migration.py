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
    from tests.postgres import schema_engine

    engine, drop, url = schema_engine("test_channels_mig")  # its search_path is the new schema
    try:
        upgrade(url, "0003_channels")
        assert inspect(engine).default_schema_name.startswith("test_channels_mig_")
        assert TABLES <= set(inspect(engine).get_table_names())
        downgrade(url, "0002_handoff")
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        drop()
