"""Privacy actions run with a rasa-sdk Tracker and CollectingDispatcher."""
import threading

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.privacy import ActionEraseMyData, ActionRecordConsent, is_first_session, schedule_erasure
from clinic.db import Base, import_models, make_engine, make_session_factory


def tracker(sender="conv-1", events=None, metadata=None):
    latest = {"text": "x", "intent": {"name": "request_erasure"}, "metadata": metadata or {}}
    return Tracker(sender, {}, latest, events or [], False, None, {}, "action_listen")


def test_erasure_request_confirms_and_schedules_the_erasure():
    scheduled = []
    dispatcher = CollectingDispatcher()
    events = ActionEraseMyData(scheduler=scheduled.append).run(dispatcher, tracker("wa-9715"), {})
    assert scheduled == ["wa-9715"] and events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_erasure_done"]


def test_erasure_that_cannot_be_scheduled_says_so():
    def broken(_):
        raise RuntimeError("no threads")

    dispatcher = CollectingDispatcher()
    ActionEraseMyData(scheduler=broken).run(dispatcher, tracker(), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_erasure_failed"]


def test_schedule_erasure_runs_after_each_delay():
    done = []
    finished = threading.Event()

    def erase(conversation_id):
        done.append(conversation_id)
        if len(done) == 2:
            finished.set()

    schedule_erasure("c", delays=(0.01, 0.02), erase=erase)
    assert finished.wait(5) and done == ["c", "c"]


def test_first_session_until_the_first_user_message():
    assert is_first_session(tracker(events=[{"event": "action", "name": "action_session_start"}]))
    assert not is_first_session(tracker(events=[{"event": "user", "text": "hi"}]))


@pytest.fixture
def factory(tmp_path):
    import_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def test_consent_action_records_consent_and_sets_the_slot(factory):
    from clinic.privacy.models import ConsentRecord

    events = ActionRecordConsent(factory).run(CollectingDispatcher(), tracker(metadata={"channel": "whatsapp"}), {})
    assert events == [{"event": "slot", "timestamp": None, "name": "privacy_consent", "value": True}]
    with factory.begin() as session:
        [row] = session.execute(select(ConsentRecord)).scalars().all()
        assert (row.conversation_id, row.channel) == ("conv-1", "whatsapp")


def test_consent_action_with_database_down_sets_the_slot_false():
    class Broken:
        @staticmethod
        def begin():
            raise RuntimeError("down")

    events = ActionRecordConsent(Broken()).run(CollectingDispatcher(), tracker(), {})
    assert events[0]["value"] is False
