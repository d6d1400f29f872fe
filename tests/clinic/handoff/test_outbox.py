"""The durable outbox for warning signs answered while the staff queue was down."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from clinic.channels.models import Undelivered
from clinic.db import Base, make_engine, make_session_factory
from clinic.handoff import outbox as outbox_module
from clinic.handoff.models import Handoff, StaffAccount
from clinic.handoff.outbox import PendingUrgent, UrgentOutbox


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine, tables=[Handoff.__table__, StaffAccount.__table__, Undelivered.__table__])
    yield make_session_factory(engine)
    engine.dispose()


class Switchable:
    """A session factory that fails until ``up`` is set (a database outage)."""

    def __init__(self, factory):
        self.factory, self.up, self.calls = factory, False, 0

    def begin(self):
        self.calls += 1
        if not self.up:
            raise ConnectionError("database down")
        return self.factory.begin()


def queue(factory):
    with factory.begin() as session:
        return [(h.conversation_id, h.reason, h.priority, h.status)
                for h in session.execute(select(Handoff)).scalars()]


def test_put_survives_a_new_outbox_object_and_drain_moves_it_to_the_staff_queue(tmp_path, factory):
    UrgentOutbox(tmp_path / "o.db").put(PendingUrgent("c1", "whatsapp", "pus and fever", ["infection"]))
    box = UrgentOutbox(tmp_path / "o.db", factory)  # as after a restart
    assert box.pending() == 1
    assert box.drain() == 1
    assert box.pending() == 0
    assert queue(factory) == [("c1", "urgent", "urgent", "waiting")]
    with factory.begin() as session:
        [note] = session.execute(select(Undelivered)).scalars().all()
        assert note.reason == "urgent_outage" and "pus and fever" in note.text and "infection" in note.text


def test_a_failed_drain_keeps_every_entry_in_order(tmp_path, factory):
    db = Switchable(factory)
    box = UrgentOutbox(tmp_path / "o.db", db)
    for name in ("first", "second"):
        box.put(PendingUrgent(name, "rest", f"{name} message"))
    with pytest.raises(ConnectionError):
        box.drain()
    assert box.pending() == 2
    assert box.drain_if_pending() == 0  # logged, not raised
    db.up = True
    assert box.drain() == 2
    with factory.begin() as session:
        assert [n.conversation_id for n in session.execute(select(Undelivered).order_by(Undelivered.id)).scalars()] \
            == ["first", "second"]


def test_drain_soon_retries_until_the_database_is_back(tmp_path, factory, monkeypatch):
    monkeypatch.setattr(outbox_module, "FIRST_RETRY_S", 0.05)
    db = Switchable(factory)
    box = UrgentOutbox(tmp_path / "o.db", db)
    box.put(PendingUrgent("c1", "rest", "my lips are blue", ["vascular"], emergency=True))
    box.drain_soon()
    time.sleep(0.3)
    assert db.calls >= 2 and queue(factory) == []  # tried, still down
    db.up = True
    assert box.wait_idle(10)
    assert queue(factory) == [("c1", "urgent", "urgent", "waiting")] and box.pending() == 0


def test_drain_upgrades_an_open_handoff_instead_of_opening_a_second(tmp_path, factory):
    from clinic.handoff.service import open_handoff

    with factory.begin() as session:
        open_handoff(session, conversation_id="c1", channel="rest", reason="asked", priority="normal")
    box = UrgentOutbox(tmp_path / "o.db", factory)
    box.put(PendingUrgent("c1", "rest", "it is oozing"))
    box.drain()
    assert queue(factory) == [("c1", "urgent", "urgent", "waiting")]


def test_pending_without_a_file_is_zero_and_creates_nothing(tmp_path):
    box = UrgentOutbox(tmp_path / "missing" / "o.db")
    assert box.pending() == 0 and box.drain() == 0
    assert not (tmp_path / "missing").exists()


def test_a_read_only_var_directory_falls_back_to_the_temporary_directory(tmp_path, monkeypatch):
    from clinic.handoff.outbox import writable_path

    wanted = tmp_path / "var" / "urgent-outbox.db"
    assert writable_path(wanted) == wanted
    monkeypatch.setattr(outbox_module.os, "access", lambda path, mode: False)
    fallback = writable_path(wanted)
    assert fallback != wanted and fallback.name == "urgent-outbox.db"
