"""Aftercare tests: every clinic table on a temporary SQLite file."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from clinic.booking.models import Practitioner
from clinic.db import Base, import_models, make_engine, make_session_factory

# Friday 4 December 2026, 10:00 in Dubai
NOW = datetime(2026, 12, 4, 6, 0, tzinfo=timezone.utc)
PRACTITIONERS = ("layla-haddad", "arjun-menon")


@pytest.fixture
def factory(tmp_path):
    import_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine)
    session_factory = make_session_factory(engine)
    with session_factory.begin() as session:
        for key in PRACTITIONERS:
            session.add(Practitioner(key=key, name=key.title(), title=""))
    yield session_factory
    engine.dispose()
