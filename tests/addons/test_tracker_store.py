"""Conversations persist in SQLite by default and in PostgreSQL when configured."""
import os
import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.tracker_store import ClinicSQLTrackerStore


def urls(tmp_path):
    out = {"sqlite": f"sqlite:///{tmp_path}/sub/tracker.db"}
    if os.environ.get("TEST_POSTGRES_URL"):
        out["postgresql"] = os.environ["TEST_POSTGRES_URL"]
    return out


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tracker_round_trip(backend, tmp_path):
    available = urls(tmp_path)
    if backend not in available:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL must be set in CI")
        pytest.skip("TEST_POSTGRES_URL not set")
    import asyncio

    domain = Domain.from_dict({"intents": ["greet"]})
    store = ClinicSQLTrackerStore(domain=domain, host=available[backend])
    sender = f"test-{uuid.uuid4()}"
    tracker = DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen"),
        UserUttered("مرحبا 😀 <b>hi</b>", {"name": "greet", "confidence": 1.0}),
        BotUttered("Hello"),
    ])
    asyncio.run(store.save(tracker))
    loaded = asyncio.run(store.retrieve(sender))
    texts = [e.text for e in loaded.events if isinstance(e, (UserUttered, BotUttered))]
    assert texts == ["مرحبا 😀 <b>hi</b>", "Hello"]
    assert sender in asyncio.run(store.keys())


def test_default_url_comes_from_settings(monkeypatch, tmp_path):
    from clinic import settings as settings_module

    monkeypatch.setattr(settings_module, "get_settings", lambda: settings_module.settings_from_env(
        {"CLINIC_VAR_DIR": str(tmp_path / "var")}))
    import addons.tracker_store as module

    monkeypatch.setattr(module, "get_settings", settings_module.get_settings)
    ClinicSQLTrackerStore(domain=Domain.empty())
    assert (tmp_path / "var" / "tracker.db").exists()


def test_cached_deserialisation_builds_the_same_events_as_rasa():
    from rasa.shared.core import events as rasa_events
    from rasa.shared.core.events import (
        ActiveLoop, ActionExecutionRejected, ConversationPaused, ConversationResumed,
        FollowupAction, LoopInterrupted, Restarted, SessionStarted, SlotSet,
    )

    from addons.tracker_store import deserialise_events

    originals = [
        SessionStarted(), ActionExecuted("action_session_start"), SlotSet("name", "x"),
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet", "confidence": 0.9}, metadata={"channel": "rest"}),
        BotUttered("Hello", {"buttons": [{"title": "A", "payload": "/a"}]}),
        ActiveLoop("booking_form"), LoopInterrupted(True), ActionExecutionRejected("a"),
        FollowupAction("action_x"), ConversationPaused(), ConversationResumed(), Restarted(),
    ]
    dumped = [event.as_dict() for event in originals] + [{"event": "topic", "topic": "x"}, {"no": "event"}]
    assert deserialise_events(dumped) == rasa_events.deserialise_events(dumped)
    assert [type(e) for e in deserialise_events(dumped)] == [type(e) for e in originals]


def test_unknown_event_names_are_refused_like_rasa_does():
    from addons.tracker_store import deserialise_events

    with pytest.raises(ValueError):
        deserialise_events([{"event": "no_such_event"}])


def _stores(backend, tmp_path):
    """Our store and Rasa's own SQLTrackerStore, each on its own empty database."""
    from rasa.core.tracker_store import SQLTrackerStore

    domain = Domain.from_dict({"intents": ["greet", "faq"], "slots": {
        "name": {"type": "text", "mappings": [{"type": "custom"}]}}})
    if backend == "sqlite":
        ours = ClinicSQLTrackerStore(domain=domain, host=f"sqlite:///{tmp_path}/ours.db")
        theirs = SQLTrackerStore(domain=domain, dialect="sqlite", db=f"{tmp_path}/theirs.db")
        return ours, theirs, lambda: None
    from tests.postgres import schema_engine

    _, drop_ours, url_ours = schema_engine("tracker_ours")
    _, drop_theirs, url_theirs = schema_engine("tracker_theirs")
    ours = ClinicSQLTrackerStore(domain=domain, host=url_ours)
    theirs = SQLTrackerStore(domain=domain, host=url_theirs)
    return ours, theirs, lambda: (ours.engine.dispose(), theirs.engine.dispose(), drop_ours(), drop_theirs())


def _rows(store):
    with store.engine.connect() as connection:
        table = store.SQLEvent.__table__
        rows = connection.execute(sa_select(table).order_by(table.c.id)).mappings().all()
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


def sa_select(table):
    import sqlalchemy as sa

    return sa.select(table)


def _turn(text, intent, reply, at):
    return [ActionExecuted("action_listen", timestamp=at),
            UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=at + 0.1),
            ActionExecuted("utter_x", timestamp=at + 0.2), BotUttered(reply, timestamp=at + 0.3)]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_writes_and_reads_exactly_what_rasas_own_store_does(backend, tmp_path):
    """Conversations of several turns, a second save of a turn, a new session and a turn
    taken by another process: same rows, same trackers as Rasa's own store."""
    import asyncio
    from rasa.shared.core.events import SessionStarted, SlotSet

    if backend == "postgresql":
        from tests.postgres import postgres_url
        postgres_url()  # skips (or fails in CI) without PostgreSQL
    ours, theirs, cleanup = _stores(backend, tmp_path)
    try:
        async def scenario(store, other_process):
            sender = "conversation-1"
            tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
            tracker.update_with_events([ActionExecuted("action_session_start", timestamp=1.0),
                                        SessionStarted(timestamp=1.1)] + _turn("hi", "greet", "Hello", 2.0),
                                       None, override_timestamp=False)
            await store.save(tracker)
            for i in range(3):
                tracker = await store.retrieve(sender)
                tracker.update_with_events(_turn(f"q{i}", "faq", f"a{i}", 10.0 + i)
                                           + [SlotSet("name", f"n{i}", timestamp=10.5 + i)],
                                           None, override_timestamp=False)
                await store.save(tracker)
                tracker.update(ActionExecuted("action_listen", timestamp=10.8 + i))
                await store.save(tracker)  # a second save of the same turn
            # the next turn is taken by another process sharing the database
            tracker = await other_process.retrieve(sender)
            tracker.update_with_events(_turn("elsewhere", "faq", "b", 20.0), None, override_timestamp=False)
            await other_process.save(tracker)
            # a new session
            tracker = await store.retrieve(sender)
            tracker.update_with_events([ActionExecuted("action_session_start", timestamp=30.0),
                                        SessionStarted(timestamp=30.1)] + _turn("back", "greet", "Hi again", 31.0),
                                       None, override_timestamp=False)
            await store.save(tracker)
            latest = await store.retrieve(sender)
            full = await store.retrieve_full_tracker(sender)
            return latest, full

        other_ours = ClinicSQLTrackerStore(domain=ours.domain, host=str(ours.engine.url))
        ours_latest, ours_full = asyncio.run(scenario(ours, other_ours))
        theirs_latest, theirs_full = asyncio.run(scenario(theirs, type(theirs)(domain=theirs.domain,
                                                                               host=str(theirs.engine.url))))
        other_ours.engine.dispose()
        assert _rows(ours) == _rows(theirs)
        assert len(_rows(ours)) == 2 + 4 + 3 * 6 + 4 + 6
        assert ours_latest.events == theirs_latest.events and len(ours_latest.events) == 5
        assert ours_full.events == theirs_full.events
        assert ours_latest.current_state() == theirs_latest.current_state()
    finally:
        cleanup()


def test_saving_a_new_conversation_twice_writes_each_event_once(tmp_path):
    """Rasa's store counts stored events from the latest session start's timestamp, which
    leaves out the ``action_session_start`` before it: a second save of a new session's
    tracker writes its last event again. This store knows what it wrote."""
    import asyncio
    from rasa.shared.core.events import SessionStarted

    store = ClinicSQLTrackerStore(domain=Domain.from_dict({"intents": ["greet"]}),
                                  host=f"sqlite:///{tmp_path}/t.db")

    async def scenario():
        tracker = await store.get_or_create_tracker("c", append_action_listen=False)
        tracker.update_with_events([ActionExecuted("action_session_start", timestamp=1.0),
                                    SessionStarted(timestamp=1.1)] + _turn("hi", "greet", "Hello", 2.0),
                                   None, override_timestamp=False)
        await store.save(tracker)
        await store.save(tracker)
        tracker.update(BotUttered("more", timestamp=3.0))
        await store.save(tracker)

    asyncio.run(scenario())
    assert [row["data"].count('"Hello"') for row in _rows(store)] == [0, 0, 0, 0, 0, 1, 0]
