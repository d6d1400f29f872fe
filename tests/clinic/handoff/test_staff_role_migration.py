"""Revision 0009_staff_role adds and drops staff_accounts.role."""
from sqlalchemy import inspect

from clinic.db import make_engine
from clinic.migrate import downgrade, upgrade


def test_upgrade_and_downgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url, "0009_staff_role")
    engine = make_engine(url)
    assert "role" in {c["name"] for c in inspect(engine).get_columns("staff_accounts")}
    engine.dispose()
    downgrade(url, "0008_aftercare_optin")
    engine = make_engine(url)
    assert "role" not in {c["name"] for c in inspect(engine).get_columns("staff_accounts")}
    engine.dispose()
