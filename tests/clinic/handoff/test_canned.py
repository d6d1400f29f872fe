"""Canned replies (clinic/handoff/canned.py) and their migration (0010_canned_replies)."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from clinic.db import make_engine
from clinic.handoff import canned
from clinic.handoff.staff import authenticate, create_staff, set_admin
from clinic.migrate import downgrade, upgrade

PASSWORD = "a long enough password"


def test_create_list_update_delete(factory):
    with factory.begin() as session:
        first = canned.create(session, "admin", {"title": " Reading  now ", "language": "en",
                                                 "text": "Thanks for waiting.\r\nI am reading now."})
        canned.create(session, "admin", {"title": "Anything else", "language": "ar", "text": "هل من شيء آخر؟"})
        canned.create(session, "admin", {"title": "Call us", "language": "en", "text": "Could we call you?"})
        first_id = first.id
        assert first.title == "Reading now" and first.body == "Thanks for waiting.\nI am reading now."
    with factory() as session:
        assert [r.title for r in canned.list_replies(session)] == ["Anything else", "Call us", "Reading now"]
        assert [r.language for r in canned.list_replies(session, "en")] == ["en", "en", "ar"]
        assert [r.language for r in canned.list_replies(session, "ar")][0] == "ar"
    with factory.begin() as session:
        reply = canned.update(session, first_id, "boss", {"title": "Reading", "language": "en", "text": "On it."})
        assert canned.as_json(reply)["text"] == "On it." and reply.updated_by == "boss"
    with factory.begin() as session:
        canned.delete(session, first_id)
    with factory() as session:
        assert len(canned.list_replies(session)) == 2
    with factory.begin() as session, pytest.raises(canned.CannedError) as missing:
        canned.delete(session, first_id)
    assert missing.value.status == 404


@pytest.mark.parametrize("values, message", [
    ({"title": "", "language": "en", "text": "x"}, "title"),
    ({"title": "x" * 81, "language": "en", "text": "x"}, "title"),
    ({"title": "a\nb", "language": "en", "text": "x"}, "one line"),
    ({"title": "t", "language": "en", "text": "   "}, "empty"),
    ({"title": "t", "language": "en", "text": "x" * 1001}, "at most"),
    ({"title": "t", "language": "en", "text": "bell\x07"}, "control"),
    ({"title": "t", "language": "fr", "text": "x"}, "language"),
    ({"title": 5, "language": "en", "text": "x"}, "title"),
])
def test_bad_input_is_refused_with_a_clear_message(sqlite_factory, values, message):
    with sqlite_factory.begin() as session, pytest.raises(canned.CannedError) as error:
        canned.create(session, "admin", values)
    assert message in str(error.value) and error.value.status == 400


def test_a_title_is_unique_per_language(sqlite_factory):
    with sqlite_factory.begin() as session:
        canned.create(session, "admin", {"title": "Hello", "language": "en", "text": "Hi"})
        canned.create(session, "admin", {"title": "Hello", "language": "ar", "text": "مرحبا"})
    with sqlite_factory.begin() as session, pytest.raises(canned.CannedError) as error:
        canned.create(session, "admin", {"title": "Hello", "language": "en", "text": "Hi again"})
    assert error.value.status == 409


def test_admin_flag(sqlite_factory):
    with sqlite_factory.begin() as session:
        create_staff(session, "boss", "Maya", PASSWORD, is_admin=True)
        create_staff(session, "sara", "Sara", PASSWORD)
    with sqlite_factory.begin() as session:
        assert authenticate(session, "boss", PASSWORD).is_admin
        assert not authenticate(session, "sara", PASSWORD).is_admin
        set_admin(session, "sara", True)
    with sqlite_factory.begin() as session:
        assert authenticate(session, "sara", PASSWORD).is_admin


def test_migration_adds_the_table_the_flag_and_starting_replies_and_removes_them(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url, "0010_canned_replies")
    engine = make_engine(url)
    assert "is_admin" in {c["name"] for c in inspect(engine).get_columns("staff_accounts")}
    with engine.connect() as connection:
        languages = [row[0] for row in connection.execute(text("SELECT language FROM canned_replies"))]
    assert sorted(set(languages)) == ["ar", "en"] and languages.count("ar") == languages.count("en")
    engine.dispose()
    downgrade(url, "0009_staff_role")
    engine = make_engine(url)
    assert "canned_replies" not in inspect(engine).get_table_names()
    assert "is_admin" not in {c["name"] for c in inspect(engine).get_columns("staff_accounts")}
    engine.dispose()
