"""Warning signs that were not meant: the patient stands down, staff mark a false alarm."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect

from clinic.db import make_engine
from clinic.handoff import service
from clinic.migrate import downgrade, upgrade


def urgent(session, conversation="c1"):
    return service.open_urgent(session, conversation_id=conversation, channel="whatsapp")


def test_patient_stand_down_is_noted_and_the_handoff_stays_urgent_and_open(factory):
    with factory.begin() as session:
        handoff_id = urgent(session).id
    with factory.begin() as session:
        handoff = service.note_stood_down(session, "c1")
        assert handoff.id == handoff_id and handoff.stood_down_at is not None
        assert (handoff.status, handoff.priority) == ("waiting", "urgent")
    with factory.begin() as session:
        assert [h.id for h in service.queue(session)] == [handoff_id]


def test_stand_down_ignores_conversations_without_an_open_urgent_handoff(factory):
    with factory.begin() as session:
        service.open_handoff(session, conversation_id="asked", channel="rest", reason="asked", priority="normal")
        assert service.note_stood_down(session, "asked") is None
        assert service.note_stood_down(session, "nobody") is None


def test_staff_false_alarm_keeps_it_open_at_normal_priority_behind_real_warning_signs(factory):
    with factory.begin() as session:
        marked = urgent(session, "c1").id
        other = urgent(session, "c2").id
    with factory.begin() as session:
        handoff = service.mark_false_alarm(session, marked, "sara")
        assert (handoff.false_alarm_by, handoff.priority, handoff.status) == ("sara", "normal", "waiting")
        assert handoff.false_alarm_at is not None
    with factory.begin() as session:
        assert [h.id for h in service.queue(session)] == [other, marked]
        again = service.mark_false_alarm(session, marked, "omar")  # a double click: the first mark stays
        assert again.false_alarm_by == "sara"


def test_only_open_urgent_handoffs_can_be_marked(factory):
    with factory.begin() as session:
        asked = service.open_handoff(session, conversation_id="a", channel="rest", reason="asked",
                                     priority="normal").id
        closed = urgent(session, "b").id
    with factory.begin() as session:
        service.resolve(session, closed, "sara", "answered")
    with factory.begin() as session:
        with pytest.raises(service.InvalidHandoff):
            service.mark_false_alarm(session, asked, "sara")
        with pytest.raises(service.HandoffClosed):
            service.mark_false_alarm(session, closed, "sara")
        with pytest.raises(service.HandoffNotFound):
            service.mark_false_alarm(session, 999, "sara")


def test_migration_adds_and_removes_the_columns(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url, "0006_handoff_false_alarm")
    engine = make_engine(url)
    columns = {c["name"] for c in inspect(engine).get_columns("handoffs")}
    assert {"stood_down_at", "false_alarm_by", "false_alarm_at"} <= columns
    assert inspect(engine).get_indexes("handoffs")  # the one-open-handoff index survives
    engine.dispose()
    downgrade(url, "0005_console_sessions")
    engine = make_engine(url)
    columns = {c["name"] for c in inspect(engine).get_columns("handoffs")}
    assert not {"stood_down_at", "false_alarm_by", "false_alarm_at"} & columns
    indexes = {i["name"]: i for i in inspect(engine).get_indexes("handoffs")}
    assert indexes["uq_handoffs_open_conversation"]["unique"]
    engine.dispose()
