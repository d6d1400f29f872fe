"""Revision 0002_handoff creates and drops the handoff tables."""
from sqlalchemy import inspect

from clinic.db import make_engine
from clinic.migrate import downgrade, upgrade


def test_upgrade_and_downgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url, "0002_handoff")
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert {"handoffs", "staff_accounts"} <= tables
    indexes = {i["name"]: i for i in inspect(engine).get_indexes("handoffs")}
    assert indexes["uq_handoffs_open_conversation"]["unique"]
    engine.dispose()
    downgrade(url, "0001_booking")
    engine = make_engine(url)
    assert not {"handoffs", "staff_accounts"} & set(inspect(engine).get_table_names())
    engine.dispose()
