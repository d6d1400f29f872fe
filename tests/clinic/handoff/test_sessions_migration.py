"""Revision 0005_console_sessions creates and drops the console session table."""
from sqlalchemy import inspect

from clinic.db import make_engine
from clinic.handoff.models import ConsoleSession
from clinic.migrate import downgrade, upgrade


def test_upgrade_and_downgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url, "0005_console_sessions")
    engine = make_engine(url)
    columns = {c["name"] for c in inspect(engine).get_columns("console_sessions")}
    assert columns == set(ConsoleSession.__table__.columns.keys())
    inspector = inspect(engine)
    assert any(u["column_names"] == ["token_hash"] for u in inspector.get_unique_constraints("console_sessions")) \
        or any(i["unique"] and i["column_names"] == ["token_hash"] for i in inspector.get_indexes("console_sessions"))
    engine.dispose()
    downgrade(url, "0004_privacy")
    engine = make_engine(url)
    assert "console_sessions" not in inspect(engine).get_table_names()
    engine.dispose()
