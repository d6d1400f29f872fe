"""Server-side console sessions: expiry, ending, the list, the purge, password changes."""
from datetime import timedelta

from sqlalchemy import select

from clinic.handoff import sessions
from clinic.handoff.models import ConsoleSession, utcnow
from clinic.handoff.staff import create_staff, set_password

PASSWORD = "a long enough password"


def test_a_session_is_found_by_its_token_only_while_live(factory):
    now = utcnow()
    with factory.begin() as db:
        token, row = sessions.start_session(db, "sara", "192.0.2.1", "Firefox" * 50, now=now)
        assert row.token_hash == sessions.token_hash(token) and token not in (row.token_hash, row.csrf_token)
        assert len(row.user_agent) == 200
    with factory.begin() as db:
        assert sessions.find_session(db, token, now + timedelta(minutes=29)).username == "sara"
    with factory.begin() as db:  # used at 29 minutes, so still live 29 minutes later
        assert sessions.find_session(db, token, now + timedelta(minutes=58)) is not None
        assert sessions.find_session(db, token, now + timedelta(minutes=89)) is None  # idle
    with factory.begin() as db:
        for minutes in range(20, 8 * 60, 20):  # busy all day, still ends after the shift
            assert sessions.find_session(db, token, now + timedelta(minutes=minutes)) is not None
        assert sessions.find_session(db, token, now + sessions.ABSOLUTE) is None
    with factory.begin() as db:
        for bad in (None, "", "x" * 500, token[:-1] + "A" if token[-1] != "A" else token[:-1] + "B"):
            assert sessions.find_session(db, bad, now) is None


def test_ending_one_all_and_the_list(factory):
    with factory.begin() as db:
        first, _ = sessions.start_session(db, "sara")
        second, row = sessions.start_session(db, "sara")
        other, omar = sessions.start_session(db, "omar")
    with factory.begin() as db:
        assert [s.username for s in sessions.sessions_of(db, "sara")] == ["sara", "sara"]
        assert not sessions.end_session_of(db, "sara", omar.id)  # not hers
        assert sessions.end_session_of(db, "sara", row.id)
        assert sessions.find_session(db, second) is None and sessions.find_session(db, first) is not None
        assert sessions.end_all_sessions(db, "sara") == 1
        assert sessions.find_session(db, other) is not None


def test_expired_rows_are_purged_and_sessions_per_user_capped(factory):
    now = utcnow()
    with factory.begin() as db:
        sessions.start_session(db, "sara", now=now - sessions.ABSOLUTE)
        sessions.start_session(db, "omar", now=now - timedelta(hours=1))  # idle for an hour
        for _ in range(sessions.MAX_SESSIONS_PER_USER + 3):
            sessions.start_session(db, "rita", now=now)
    with factory() as db:
        names = db.execute(select(ConsoleSession.username)).scalars().all()
    assert names.count("rita") == sessions.MAX_SESSIONS_PER_USER and set(names) == {"rita"}


def test_a_password_change_ends_the_members_sessions(factory):
    with factory.begin() as db:
        create_staff(db, "sara", "Sara", PASSWORD)
        create_staff(db, "omar", "Omar", PASSWORD)
        token, _ = sessions.start_session(db, "sara")
        kept, _ = sessions.start_session(db, "omar")
    with factory.begin() as db:
        set_password(db, "Sara", "another long password")
    with factory.begin() as db:
        assert sessions.find_session(db, token) is None and sessions.find_session(db, kept) is not None
