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
