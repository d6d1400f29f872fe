"""action_urgent_care with a rasa-sdk Tracker, a CollectingDispatcher and a real handoff table."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.urgent import ActionUrgentCare
from clinic.db import Base, import_models, make_engine, make_session_factory


@pytest.fixture
def factory(tmp_path):
    import_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def tracker(triage, sender="conv-1", metadata=None):
    latest = {"text": "x", "intent": {"name": "urgent_symptom", "confidence": 1.0}, "triage": triage,
              "metadata": metadata or {}}
    events = [{"event": "user", "text": "x", "parse_data": latest, "input_channel": "rest"}]
    return Tracker(sender, {}, latest, events, False, None, {}, "action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return [m["response"] for m in dispatcher.messages], events


def handoffs(factory):
    from clinic.handoff.models import Handoff

    with factory.begin() as session:
        return [(h.conversation_id, h.channel, h.reason, h.priority)
                for h in session.execute(select(Handoff)).scalars()]


def test_infection_gets_the_clinic_phone_an_urgent_handoff_and_a_pause(factory):
    responses, events = run(ActionUrgentCare(factory), tracker({"urgent": True, "categories": ["infection"],
                                                                "emergency": False}))
    assert responses == ["utter_urgent_care", "utter_urgent_nurse_alerted"]
    assert events == [{"event": "pause", "timestamp": None}]
    assert handoffs(factory) == [("conv-1", "rest", "urgent", "urgent")]


def test_emergency_gets_998_response(factory):
    t = tracker({"urgent": True, "categories": ["allergic"], "emergency": True}, sender="wa-971500000000",
                metadata={"channel": "whatsapp", "phone": "+971500000000"})
    responses, _ = run(ActionUrgentCare(factory), t)
    assert responses[0] == "utter_urgent_emergency"
    assert handoffs(factory) == [("wa-971500000000", "whatsapp", "urgent", "urgent")]


def test_repeated_urgent_messages_keep_one_handoff(factory):
    action = ActionUrgentCare(factory)
    run(action, tracker({"urgent": True, "categories": ["pain"], "emergency": False}))
    run(action, tracker({"urgent": True, "categories": ["pain"], "emergency": False}))
    assert len(handoffs(factory)) == 1


def test_classifier_urgent_without_triage_data_still_answers(factory):
    responses, events = run(ActionUrgentCare(factory), tracker(None))
    assert responses[0] == "utter_urgent_care"
    assert events


def test_database_down_still_gives_the_numbers_and_does_not_pause(caplog):
    def broken():
        raise RuntimeError("db down")

    class Broken:
        begin = staticmethod(broken)

    responses, events = run(ActionUrgentCare(Broken()), tracker({"urgent": True, "categories": [],
                                                                 "emergency": True}, sender="wa-971501234567"))
    assert responses == ["utter_urgent_emergency"]
    assert events == []
    assert "971501234567" not in caplog.text
