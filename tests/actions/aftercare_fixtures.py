"""What the aftercare action tests share: the injected "now", a WhatsApp conversation id and
a real clinic database (every table) in a temporary SQLite file."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy.orm import sessionmaker

from clinic.db import Base, import_models, make_engine, make_session_factory

NOW = datetime(2026, 12, 4, 6, 0, tzinfo=timezone.utc)  # Friday 4 December, 10:00 in Dubai
WA = "wa-971501234567"


@contextmanager
def clinic_sessions(tmp_path: Path) -> Iterator[sessionmaker]:
    """A session factory over a fresh clinic database; the engine is disposed afterwards."""
    import_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()
