"""The database layer against a real SQLite file and a real PostgreSQL server."""
import os
import threading
import uuid

import pytest
from sqlalchemy import Column, Integer, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base

from clinic.db import make_engine, make_session_factory

Probe = declarative_base()


class Note(Probe):
    __tablename__ = f"probe_note_{uuid.uuid4().hex[:8]}"
    id = Column(Integer, primary_key=True)
    key = Column(String(40), nullable=False)
    __table_args__ = (UniqueConstraint("key"),)


def _urls(tmp_path):
    urls = [f"sqlite:///{tmp_path}/clinic.db", "sqlite://"]
    if os.environ.get("TEST_POSTGRES_URL"):
        urls.append(os.environ["TEST_POSTGRES_URL"])
    return urls


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "postgresql"])
def engine(request, tmp_path):
    urls = dict(zip(["sqlite-file", "sqlite-memory", "postgresql"], _urls(tmp_path), strict=False))
    if request.param not in urls:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL must be set in CI (.ci/run sets it)")
        pytest.skip("TEST_POSTGRES_URL not set")
    engine = make_engine(urls[request.param])
    Probe.metadata.create_all(engine)
    yield engine
    Probe.metadata.drop_all(engine)
    engine.dispose()


def test_unit_of_work_commits_and_reads_back(engine):
    Session = make_session_factory(engine)
    with Session.begin() as session:
        session.add(Note(key="a"))
    with Session() as session:
        assert session.scalars(select(Note.key)).all() == ["a"]


def test_failed_unit_of_work_rolls_back(engine):
    Session = make_session_factory(engine)
    with pytest.raises(IntegrityError):
        with Session.begin() as session:
            session.add_all([Note(key="dup"), Note(key="dup")])
    with Session() as session:
        assert session.scalars(select(Note)).all() == []


def test_sessions_work_across_threads(engine):
    if engine.url.database in (None, "", ":memory:"):
        pytest.skip("in-memory SQLite shares one connection: no concurrent writers (tests only)")
    Session = make_session_factory(engine)
    errors = []

    def write(i):
        try:
            with Session.begin() as session:
                session.add(Note(key=f"t{i}"))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Session() as session:
        assert len(session.scalars(select(Note)).all()) == 8
