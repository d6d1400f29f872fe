"""action_handoff and action_session_start run with a rasa-sdk Tracker."""
from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import RESPONSES_USED, ActionGreet, ActionHandoff, ActionSessionStart, handoff_reason
from clinic.db import make_engine, make_session_factory
from clinic.facts import load_facts
from clinic.handoff import service
from clinic.handoff.models import REASONS, Handoff
from tests.conftest import ROOT

FACTS = load_facts(ROOT / "clinic.yml")
MONDAY_NOON = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)       # 12:00 in Dubai
SATURDAY_EVENING = datetime(2026, 11, 28, 15, 0, tzinfo=timezone.utc)  # 19:00, closed till Monday


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Handoff.metadata.create_all(engine, tables=[Handoff.__table__])
    yield make_session_factory(engine)
    engine.dispose()


def tracker(intent="human_handoff", slots=None, metadata=None, channel="socketio", paused=False):
    latest = {"text": "x", "intent": {"name": intent, "confidence": 0.9}, "metadata": metadata or {}}
    events = [{"event": "user", "text": "x", "input_channel": channel, "parse_data": latest}]
    return Tracker("conv-1", slots or {}, latest, events, paused, None, {}, "action_listen")


def run(factory, t, now=MONDAY_NOON):
    dispatcher = CollectingDispatcher()
    events = ActionHandoff(session_factory=factory, facts=FACTS, clock=lambda: now).run(dispatcher, t, {})
    return dispatcher.messages, events


def test_within_opening_hours_a_person_will_reply_here(factory):
    [message], events = run(factory, tracker())
    assert message["response"] == "utter_handoff_open_hours"
    assert events[-1] == {"event": "pause", "timestamp": None}
    with factory.begin() as session:
        [handoff] = service.queue(session)
        assert (handoff.conversation_id, handoff.channel, handoff.reason, handoff.priority) == (
            "conv-1", "socketio", "asked", "normal")


def test_outside_opening_hours_says_when_the_clinic_opens_and_keeps_answering(factory):
    [message, meanwhile], events = run(factory, tracker(intent="human_handoff"), now=SATURDAY_EVENING)
    assert message["response"] == "utter_handoff_closed"
    assert message["next_opening"] == "on Monday at 10:00"
    assert meanwhile["response"] == "utter_handoff_keep_asking"
    assert all(e["event"] != "pause" for e in events)


def test_not_understood_twice_queues_for_staff_and_keeps_answering_until_someone_takes_over(factory):
    # Saturday night: nobody replies before Monday, so the bot does not go silent for the weekend
    messages, events = run(factory, tracker(intent="nlu_fallback", slots={"handoff_reason": "not_understood"}),
                           now=SATURDAY_EVENING)
    assert [m["response"] for m in messages] == ["utter_handoff_closed", "utter_handoff_keep_asking"]
    assert all(e["event"] != "pause" for e in events)
    with factory.begin() as session:
        [handoff] = service.queue(session)
        assert (handoff.reason, handoff.priority, handoff.status) == ("not_understood", "normal", "waiting")
    # a later failure while it waits: no second handoff, no repeat of the opening hours
    messages, events = run(factory, tracker(intent="nlu_fallback", slots={"handoff_reason": "not_understood"}),
                           now=SATURDAY_EVENING)
    assert [m["response"] for m in messages] == ["utter_handoff_already_waiting"]
    assert all(e["event"] != "pause" for e in events)
    with factory.begin() as session:
        assert len(service.queue(session)) == 1
    # asking for a person then pauses, whatever was open
    _, events = run(factory, tracker(intent="human_handoff"))
    assert events[-1] == {"event": "pause", "timestamp": None}


def test_only_urgent_not_understood_and_a_complaint_leave_the_bot_on():
    assert {reason for reason in REASONS if service.bot_stays_on(reason)} == {"urgent", "not_understood",
                                                                              "frustration"}


def test_urgent_goes_first_says_so_at_once_and_upgrades_an_open_handoff(factory):
    run(factory, tracker())
    [message], events = run(factory, tracker(intent="urgent_symptom", metadata={"channel": "whatsapp"}),
                            now=SATURDAY_EVENING)
    assert message["response"] == "utter_handoff_urgent"
    assert all(e["event"] != "pause" for e in events)  # a warning sign leaves the bot answering
    with factory.begin() as session:
        [handoff] = service.queue(session)
        assert (handoff.priority, handoff.reason) == ("urgent", "urgent")


def test_reason_comes_from_the_slot_then_the_intent():
    assert handoff_reason(tracker(slots={"handoff_reason": "frustration"})) == "frustration"
    assert handoff_reason(tracker(slots={"handoff_reason": "nonsense"}, intent="book_appointment")) == "booking"
    assert handoff_reason(tracker(intent="greet")) == "asked"


def test_database_down_is_said_honestly_and_the_bot_is_not_paused():
    class Broken:
        def begin(self):
            raise RuntimeError("database is down")

    [message], events = run(Broken(), tracker())
    assert message["response"] == "utter_handoff_unavailable"
    assert all(e["event"] != "pause" for e in events)


def greet(factory):
    dispatcher = CollectingDispatcher()
    assert ActionGreet(session_factory=factory).run(dispatcher, tracker(intent="greet"), {}) == []
    return [m["response"] for m in dispatcher.messages]


def test_a_greeting_while_the_handoff_waits_says_the_team_has_it_and_the_welcome_otherwise(factory):
    assert greet(factory) == ["utter_greet"]
    run(factory, tracker(intent="human_handoff"), now=SATURDAY_EVENING)  # closed: the bot stays on
    assert greet(factory) == ["utter_handoff_already_waiting"]  # "hello??" on Saturday night
    with factory.begin() as session:
        [handoff] = service.queue(session)
        service.take_over(session, handoff.id, "nurse")
        service.resolve(session, handoff.id, "nurse", "answered")
    assert greet(factory) == ["utter_greet"]  # resolved: a greeting later is a new start


def test_a_greeting_when_the_database_is_down_gets_the_welcome():
    class Broken:
        def __call__(self):
            raise RuntimeError("database is down")

    assert greet(Broken()) == ["utter_greet"]


def test_session_start_keeps_a_paused_conversation_paused_and_carries_slots():
    domain = {"session_config": {"carry_over_slots_to_new_session": True}}
    paused = tracker(paused=True, slots={"name": "Amal", "empty": None, "requested_slot": "x"})
    events = ActionSessionStart().run(CollectingDispatcher(), paused, domain)
    assert [e["event"] for e in events] == ["session_started", "slot", "pause", "action"]
    assert events[1]["name"] == "name" and events[-1]["name"] == "action_listen"
    events = ActionSessionStart().run(CollectingDispatcher(), tracker(slots={"name": "Amal"}),
                                      {"session_config": {"carry_over_slots_to_new_session": False}})
    assert [e["event"] for e in events] == ["session_started", "action"]


def test_every_response_it_uses_is_named():
    assert set(RESPONSES_USED) == {
        "utter_handoff_open_hours", "utter_handoff_closed", "utter_handoff_closed_no_hours",
        "utter_handoff_urgent", "utter_handoff_unavailable", "utter_handoff_keep_asking",
        "utter_handoff_already_waiting", "utter_handoff_waiting", "utter_greet", "utter_privacy_notice"}


def test_the_first_session_opens_with_the_privacy_notice_and_later_ones_do_not():
    first = Tracker("p-1", {}, {}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    ActionSessionStart().run(dispatcher, first, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_privacy_notice"]
    later = Tracker("p-1", {}, {}, [{"event": "user", "text": "hi", "parse_data": {}}], False, None, {},
                    "action_listen")
    dispatcher = CollectingDispatcher()
    ActionSessionStart().run(dispatcher, later, {})
    assert dispatcher.messages == []
