"""The clinic's own database: SQLAlchemy 1.4 in 2.0 style.

SQLite file under ``var/`` by default, PostgreSQL when ``DATABASE_URL`` says so. One
engine per process; one session per unit of work::

    engine = make_engine(get_settings().database_url)
    Session = make_session_factory(engine)
    with Session.begin() as session:
        session.add(...)
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine import create_engine
from sqlalchemy.orm import declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

Base = declarative_base()
CONNECT_TIMEOUT_S = 3  # PostgreSQL: give up connecting after this many seconds

# Modules that declare tables on ``Base``; Alembic and tests import them all.
MODEL_MODULES = (
    "clinic.booking.models",
    "clinic.handoff.models",
    "clinic.channels.models",
    "clinic.privacy.models",
    "clinic.aftercare.models",
)


def import_models() -> None:
    """Import every model module so ``Base.metadata`` knows all tables."""
    for name in MODEL_MODULES:
        importlib.import_module(name)


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pre-ping: after a database restart, stale pooled connections are replaced
        # instead of failing a request; a short connect timeout keeps an outage fast to report
        postgres = parsed.get_backend_name() == "postgresql"
        return create_engine(url, future=True, echo=echo, pool_pre_ping=True,
                             connect_args={"connect_timeout": CONNECT_TIMEOUT_S} if postgres else {})

    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        future=True,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": 15},
        # one shared connection for in-memory databases, across threads; a pool for files
        # (SQLAlchemy 1.4 would open, set up and close a connection per statement)
        poolclass=StaticPool if in_memory else QueuePool,
    )

    use_sqlite_pragmas(engine, wal=not in_memory)
    return engine


def use_sqlite_pragmas(engine: Engine, wal: bool = True) -> None:
    """Set the clinic's SQLite pragmas on every new connection of ``engine``.

    Foreign keys on; with ``wal``, write-ahead logging and ``synchronous=NORMAL``:
    commits survive a crash of the process and only a power cut can lose the last
    moments (PostgreSQL is the choice where that matters). Shared by the clinic
    database and the SQLite tracker store.
    """

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    """A session factory bound to ``engine`` (use ``with factory.begin() as session``)."""
    return sessionmaker(engine, future=True, expire_on_commit=False)


@lru_cache(maxsize=1)
def default_session_factory() -> sessionmaker:
    """The process-wide session factory for the configured ``DATABASE_URL``.

    Actions, channels and the console call this; tests build their own with
    :func:`make_engine` and :func:`make_session_factory` on a temporary database.
    """
    from clinic.settings import get_settings

    return make_session_factory(make_engine(get_settings().database_url))
