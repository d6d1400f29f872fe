"""The 0004_privacy migration creates the tables the models describe, and reverses."""
from sqlalchemy import inspect

from clinic.db import make_engine
from clinic.migrate import downgrade, upgrade
from clinic.privacy.models import ConsentRecord, ErasureAudit


def test_upgrade_and_downgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url)
    engine = make_engine(url)
    inspector = inspect(engine)
    for model in (ConsentRecord, ErasureAudit):
        columns = {c["name"] for c in inspector.get_columns(model.__tablename__)}
        assert columns == set(model.__table__.columns.keys())
    downgrade(url, "0003_channels")
    assert not inspect(engine).has_table(ConsentRecord.__tablename__)
    engine.dispose()
