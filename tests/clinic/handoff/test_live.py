"""Change notices for the console's live stream (clinic/handoff/live.py)."""
from __future__ import annotations

import asyncio

import pytest

from clinic.handoff import live, service


def test_changes_names_new_changed_and_gone_handoffs_once_each():
    before = {1: ("waiting", "normal", None, False, None, False), 2: ("active", "urgent", "sara", False, None, False)}
    after = {2: ("active", "urgent", "sara", False, None, False), 3: ("waiting", "urgent", None, False, None, False)}
    notices = live.changes(before, after, {1: 1.0, 2: 2.0}, {2: 2.0, 3: 3.0})
    assert notices == [{"type": "queue"}, {"type": "conversation", "handoff_id": 1},
                       {"type": "conversation", "handoff_id": 3}]


def test_changes_on_a_new_message_but_not_on_an_unreadable_marker():
    rows = {1: ("waiting", "normal", None, False, None, False)}
    assert live.changes(rows, rows, {1: 1.0}, {1: 1.0}) == []
    assert live.changes(rows, rows, {1: 1.0}, {1: None}) == []  # Rasa did not answer: no news
    assert live.changes(rows, rows, {1: 1.0}, {1: 1.5}) == [{"type": "queue"},
                                                          {"type": "conversation", "handoff_id": 1}]


def test_tracker_mark_prefers_latest_event_time():
    assert live.tracker_mark({"latest_event_time": 12.5, "events": None}) == 12.5
    assert live.tracker_mark({"events": [{"timestamp": 1}, {"timestamp": 2}]}) == (2, 2)
    assert live.tracker_mark({}) is None


def test_hub_bounds_streams_per_session_and_in_total():
    async def run():
        hub = live.Hub(per_key=2, total=3)
        a1, a2 = hub.subscribe("a"), hub.subscribe("a")
        with pytest.raises(live.TooManyStreams):
            hub.subscribe("a")
        hub.subscribe("b")
        with pytest.raises(live.TooManyStreams):
            hub.subscribe("c")  # the process limit
        hub.unsubscribe(a1)
        hub.subscribe("a")  # a closed stream frees its place
        assert hub.count("a") == 2 and hub.count() == 3
        hub.publish({"type": "queue"})
        assert await a2.next(0.1) == {"type": "queue"}
        assert await a2.next(0.01) is None
    asyncio.run(run())


def test_a_stalled_reader_gets_one_resync_instead_of_an_endless_backlog():
    async def run():
        hub = live.Hub(backlog=3)
        sub = hub.subscribe("a")
        for n in range(10):
            hub.publish({"type": "conversation", "handoff_id": n})
        assert await sub.next(0.1) == {"type": "resync"}
        assert await sub.next(0.01) is None
        hub.publish({"type": "queue"})  # delivered normally again
        assert await sub.next(0.1) == {"type": "queue"}
    asyncio.run(run())


def test_watcher_publishes_new_cases_messages_and_state_changes(sqlite_factory):
    marks = {}

    async def source(ids):
        return {c: marks.get(c) for c in ids}

    async def run():
        hub = live.Hub()
        sub = hub.subscribe("session-1")
        forgotten = []
        watcher = live.Watcher(lambda: sqlite_factory, source, hub, interval=0.01,
                               on_change=lambda ids: forgotten.extend(ids))
        with sqlite_factory.begin() as session:
            first = service.open_handoff(session, conversation_id="web-a", channel="socketio",
                                         reason="asked", priority="normal").id
        marks["web-a"] = 1.0
        assert await watcher.look() == []  # the first look only notes what is there
        with sqlite_factory.begin() as session:
            second = service.open_handoff(session, conversation_id="wa-971500000009", channel="whatsapp",
                                          reason="urgent", priority="urgent").id
        marks["wa-971500000009"] = 5.0
        assert await watcher.look() == [{"type": "queue"}, {"type": "conversation", "handoff_id": second}]
        marks["web-a"] = 2.0  # the patient wrote
        assert await watcher.look() == [{"type": "queue"}, {"type": "conversation", "handoff_id": first}]
        assert forgotten == ["wa-971500000009", "web-a"]  # queue cards are read again
        with sqlite_factory.begin() as session:
            service.take_over(session, first, "sara")
        assert await watcher.look() == [{"type": "queue"}, {"type": "conversation", "handoff_id": first}]
        with sqlite_factory.begin() as session:
            service.resolve(session, first, "sara", "answered")
        assert await watcher.look() == [{"type": "queue"}, {"type": "conversation", "handoff_id": first}]
        assert await watcher.look() == []
        received = []
        while (notice := await sub.next(0.01)) is not None:
            received.append(notice)
        assert len(received) == 8
        # no personal data: handoff ids only, never a conversation id (it may hold a number)
        assert all(set(n) <= {"type", "handoff_id"} for n in received)
    asyncio.run(run())


def test_watcher_runs_only_while_someone_listens(sqlite_factory):
    looked = []

    async def source(ids):
        looked.append(ids)
        return {}

    async def run():
        hub = live.Hub()
        watcher = live.Watcher(lambda: sqlite_factory, source, hub, interval=0.01)
        task = asyncio.create_task(watcher.run())
        await asyncio.sleep(0.05)
        assert looked == []
        sub = hub.subscribe("x")
        await asyncio.sleep(0.05)
        assert looked
        hub.unsubscribe(sub)
        await asyncio.sleep(0.03)
        count = len(looked)
        await asyncio.sleep(0.05)
        assert len(looked) == count
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    asyncio.run(run())


def test_rasa_marks_asks_for_the_state_only_and_survives_failures():
    calls = []

    async def get_tracker(conversation_id, include_events="ALL"):
        calls.append((conversation_id, include_events))
        if conversation_id == "down":
            raise OSError("refused")
        return {"latest_event_time": 7.0}

    found = asyncio.run(live.rasa_marks(get_tracker)(["a", "down"]))
    assert found == {"a": 7.0, "down": None}
    assert {c[1] for c in calls} == {"NONE"}


def test_the_hub_is_noted_only_after_the_watchers_first_look_since_listeners_came(sqlite_factory):
    """A stream says "ready" after this: a case opened right after "ready" is a change the
    next look publishes, not part of the state the first look noted (a CI hang, stop 29)."""
    async def source(ids):
        return {}

    async def run():
        hub = live.Hub()
        watcher = live.Watcher(lambda: sqlite_factory, source, hub, interval=0.01)
        assert not await hub.wait_noted(0.01)  # nobody has looked yet
        task = asyncio.create_task(watcher.run())
        sub = hub.subscribe("x")
        assert await hub.wait_noted(2.0)
        with sqlite_factory.begin() as session:
            handoff_id = service.open_handoff(session, conversation_id="wa-1", channel="whatsapp",
                                              reason="asked", priority="normal").id
        assert await sub.next(2.0) == {"type": "queue"}
        assert await sub.next(2.0) == {"type": "conversation", "handoff_id": handoff_id}
        hub.unsubscribe(sub)
        await asyncio.sleep(0.05)  # the watcher goes idle and forgets its look
        assert not hub.noted.is_set()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    asyncio.run(run())
