"""`python -m clinic erase` and `python -m clinic retention` print counts, never ids."""
import time

import pytest

from clinic.__main__ import main
from clinic.privacy import erasure


@pytest.fixture
def wired(sqlite_dbs, monkeypatch):
    monkeypatch.setattr(erasure, "default_factory", lambda: sqlite_dbs.factory)
    monkeypatch.setattr(erasure, "default_tracker_engine", lambda: sqlite_dbs.tracker)
    from tests.clinic.privacy.conftest import EVENTS

    EVENTS.create(sqlite_dbs.tracker, checkfirst=True)
    return sqlite_dbs


def test_erase_command(wired, capsys):
    wired.add_events("wa-971500000001", texts=("hi", "bye"))
    assert main(["erase", "wa-971500000001"]) == 0
    out = capsys.readouterr().out
    assert "erased: 4 tracker events" in out and "971500000001" not in out


def test_retention_command(wired, capsys):
    wired.add_events("old", timestamp=time.time() - 40 * 86400)
    wired.add_events("new")
    assert main(["retention", "--days", "30"]) == 0
    assert "erased 1 conversations (2 tracker events)" in capsys.readouterr().out


def test_retention_command_removes_expired_console_sessions_only(wired, capsys):
    from datetime import timedelta

    from sqlalchemy import func, select

    from clinic.handoff.models import ConsoleSession, utcnow
    from clinic.handoff.sessions import start_session

    with wired.factory.begin() as session:
        start_session(session, "nurse", address="203.0.113.7", user_agent="Firefox")
        _, stale = start_session(session, "nurse", address="203.0.113.8", user_agent="Chrome")
        stale.expires_at = utcnow() - timedelta(minutes=1)
    assert main(["retention", "--days", "30"]) == 0
    assert "expired staff console sessions removed: 1" in capsys.readouterr().out
    with wired.factory.begin() as session:
        assert session.scalar(select(func.count()).select_from(ConsoleSession)) == 1


def test_retention_command_refuses_zero_days(wired, capsys):
    assert main(["retention", "--days", "0"]) == 2


def test_retention_command_removes_old_treatment_records(wired, capsys):
    from datetime import date, datetime, timedelta

    from clinic.aftercare.models import Treatment

    today = date.today()
    with wired.factory.begin() as session:
        for days_ago in (40, 5):
            session.add(Treatment(conversation_id=f"wa-97150000000{days_ago}",
                                  treated_on=today - timedelta(days=days_ago), area="face",
                                  practitioner_key="layla-haddad", recorded_by="sara",
                                  created_at=datetime.utcnow()))
    assert main(["retention", "--days", "30"]) == 0
    assert "treatment records older than 30 days removed: 1" in capsys.readouterr().out
