"""action_urgent_care and action_urgent_stand_down with a rasa-sdk Tracker, a
CollectingDispatcher, a real handoff table and a real outbox file."""
import time

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.urgent import ActionUrgentCare, ActionUrgentStandDown
from clinic.db import Base, import_models, make_engine, make_session_factory
from clinic.handoff.outbox import UrgentOutbox


@pytest.fixture
def factory(tmp_path):
    import_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def outbox(tmp_path, factory):
    box = UrgentOutbox(tmp_path / "outbox.db", factory)
    yield box
    box.wait_idle()


class Broken:
    """A session factory whose database is down."""

    @staticmethod
    def begin():
        raise RuntimeError("db down")


def tracker(triage, sender="conv-1", metadata=None, text="x", intent="urgent_symptom"):
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "triage": triage,
              "metadata": metadata or {}}
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": "rest"}]
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


def test_infection_gets_the_clinic_phone_an_urgent_handoff_and_no_pause(factory, outbox):
    responses, events = run(ActionUrgentCare(factory, outbox), tracker({"urgent": True, "categories": ["infection"],
                                                                        "emergency": False}))
    assert responses == ["utter_urgent_care", "utter_urgent_nurse_alerted"]
    assert events == []  # the patient keeps getting answers; a person taking over pauses the bot
    assert handoffs(factory) == [("conv-1", "rest", "urgent", "urgent")]


def test_emergency_puts_998_first_then_says_staff_are_alerted(factory, outbox):
    t = tracker({"urgent": True, "categories": ["allergic"], "emergency": True}, sender="wa-971500000000",
                metadata={"channel": "whatsapp", "phone": "+971500000000"})
    responses, _ = run(ActionUrgentCare(factory, outbox), t)
    assert responses == ["utter_urgent_emergency", "utter_urgent_emergency_alerted"]
    assert handoffs(factory) == [("wa-971500000000", "whatsapp", "urgent", "urgent")]


def test_emergency_response_order_is_998_then_clinic_then_staff(domain):
    """The texts themselves: {emergency_number} before {clinic_phone}, staff last, in English and Arabic."""
    responses = domain["responses"]
    pairs = zip(responses["utter_urgent_emergency"], responses["utter_urgent_emergency_alerted"], strict=True)
    for first, second in pairs:
        text = first["text"]
        assert text.index("{emergency_number}") < text.index("{clinic_phone}")
        assert first.get("condition") == second.get("condition")
    english = responses["utter_urgent_emergency_alerted"][0]["text"].lower()
    assert "alerted" in english and "{clinic_phone}" not in english


def test_repeated_urgent_messages_keep_one_handoff(factory, outbox):
    action = ActionUrgentCare(factory, outbox)
    run(action, tracker({"urgent": True, "categories": ["pain"], "emergency": False}))
    run(action, tracker({"urgent": True, "categories": ["pain"], "emergency": False}))
    assert len(handoffs(factory)) == 1


def test_classifier_urgent_without_triage_data_still_answers(factory, outbox):
    responses, _ = run(ActionUrgentCare(factory, outbox), tracker(None))
    assert responses[0] == "utter_urgent_care"
    assert handoffs(factory) == [("conv-1", "rest", "urgent", "urgent")]


def test_database_down_still_gives_the_numbers_and_keeps_the_sign_for_staff(tmp_path, factory, caplog):
    box = UrgentOutbox(tmp_path / "outbox.db", factory)
    box.drain_soon = lambda: None  # no background retry: drained by hand below
    responses, events = run(ActionUrgentCare(Broken(), box),
                            tracker({"urgent": True, "categories": ["vascular"], "emergency": True},
                                    sender="wa-971501234567", text="my lips went blue"))
    assert responses == ["utter_urgent_emergency"]  # no "staff alerted" claim
    assert events == []
    assert "971501234567" not in caplog.text and "lips" not in caplog.text
    assert box.pending() == 1 and handoffs(factory) == []
    assert box.drain() == 1  # the database is back
    assert handoffs(factory) == [("wa-971501234567", "rest", "urgent", "urgent")]
    from clinic.channels.store import undelivered_for

    with factory.begin() as session:
        [note] = undelivered_for(session, "wa-971501234567")
        assert note.reason == "urgent_outage" and "EMERGENCY" in note.text and "my lips went blue" in note.text


def test_the_next_successful_urgent_turn_drains_the_outbox(tmp_path, factory):
    box = UrgentOutbox(tmp_path / "outbox.db", factory)
    box.drain_soon = lambda: None
    run(ActionUrgentCare(Broken(), box), tracker({"urgent": True, "categories": [], "emergency": False},
                                                 sender="earlier"))
    run(ActionUrgentCare(factory, box), tracker({"urgent": True, "categories": [], "emergency": False},
                                                sender="later"))
    assert {h[0] for h in handoffs(factory)} == {"earlier", "later"} and box.pending() == 0


def test_urgent_reply_and_staff_queue_are_fast(factory, outbox):
    """Targets of issue 15: the reply within 1 s, the staff queue within 3 s (measured
    through the action on SQLite; the Rasa round trip adds a few ms)."""
    started = time.perf_counter()
    responses, _ = run(ActionUrgentCare(factory, outbox), tracker({"urgent": True, "categories": ["infection"],
                                                                   "emergency": False}, sender="timed"))
    elapsed = time.perf_counter() - started
    assert responses[0] == "utter_urgent_care"
    assert ("timed", "rest", "urgent", "urgent") in handoffs(factory)
    assert elapsed < 1.0, f"{elapsed:.3f} s"


def test_stand_down_says_staff_still_check_in_and_keeps_the_handoff_open_and_urgent(factory, outbox):
    from clinic.handoff.models import Handoff

    run(ActionUrgentCare(factory, outbox), tracker({"urgent": True, "categories": ["infection"], "emergency": False}))
    responses, events = run(ActionUrgentStandDown(factory, outbox),
                            tracker({"urgent": False, "categories": [], "emergency": False}, intent="deny",
                                    text="no no i'm fine, i was asking in general"))
    assert responses == ["utter_urgent_stand_down"] and events == []
    with factory.begin() as session:
        [handoff] = session.execute(select(Handoff)).scalars().all()
        assert handoff.status == "waiting" and handoff.priority == "urgent" and handoff.stood_down_at is not None


def test_stand_down_without_a_handoff_or_database_still_answers(factory, outbox):
    responses, _ = run(ActionUrgentStandDown(factory, outbox), tracker({}, intent="deny"))
    assert responses == ["utter_urgent_stand_down"]
    responses, _ = run(ActionUrgentStandDown(Broken(), outbox), tracker({}, intent="deny"))
    assert responses == ["utter_urgent_stand_down"]


def test_a_new_warning_sign_clears_earlier_not_meant_marks(factory, outbox):
    from clinic.handoff import service
    from clinic.handoff.models import Handoff

    urgent = tracker({"urgent": True, "categories": ["pain"], "emergency": False})
    run(ActionUrgentCare(factory, outbox), urgent)
    with factory.begin() as session:
        handoff_id = session.execute(select(Handoff.id)).scalar_one()
        service.note_stood_down(session, "conv-1")
        service.mark_false_alarm(session, handoff_id, "sara")
    run(ActionUrgentCare(factory, outbox), urgent)
    with factory.begin() as session:
        handoff = session.get(Handoff, handoff_id)
        assert (handoff.priority, handoff.stood_down_at, handoff.false_alarm_by) == ("urgent", None, None)
