import time

import pytest
from sqlalchemy import func, select

from clinic.privacy.models import ErasureAudit
from clinic.privacy.retention import apply_retention, stale_conversations

DAY = 86400
NOW = time.time()


def test_only_conversations_idle_longer_than_the_limit_are_erased(dbs):
    dbs.add_events("old", timestamp=NOW - 400 * DAY)
    dbs.add_events("old-but-active", timestamp=NOW - 400 * DAY)
    dbs.add_events("old-but-active", timestamp=NOW - 2 * DAY)
    dbs.add_events("recent", timestamp=NOW - DAY)
    assert stale_conversations(dbs.tracker, 365, NOW) == ["old"]

    reports = apply_retention(365, session_factory=dbs.factory, tracker_engine=dbs.tracker, now=NOW,
                              audit_key="k")

    assert [r.tracker_events for r in reports] == [2]
    assert stale_conversations(dbs.tracker, 1, NOW) == ["old-but-active"]
    with dbs.tracker.connect() as conn:
        from tests.clinic.privacy.conftest import EVENTS
        senders = {row[0] for row in conn.execute(select(EVENTS.c.sender_id))}
    assert senders == {"old-but-active", "recent"}
    with dbs.factory.begin() as session:
        assert session.execute(select(func.count()).select_from(ErasureAudit)
                               .where(ErasureAudit.reason == "retention")).scalar() == 1


def test_nothing_to_do_without_events(sqlite_dbs):
    assert apply_retention(30, session_factory=sqlite_dbs.factory, tracker_engine=sqlite_dbs.tracker,
                           audit_key="k") == []


def test_zero_days_is_refused(sqlite_dbs):
    with pytest.raises(ValueError):
        stale_conversations(sqlite_dbs.tracker, 0)
