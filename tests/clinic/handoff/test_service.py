"""The handoff state machine on SQLite and PostgreSQL."""
from __future__ import annotations

import threading

import pytest

from clinic.handoff import service
from clinic.handoff.models import ACTIVE, RESOLVED, WAITING


def open_one(factory, conversation_id="c1", reason="asked", priority="normal", channel="rest"):
    with factory.begin() as session:
        return service.open_handoff(session, conversation_id=conversation_id, channel=channel,
                                    reason=reason, priority=priority).id


def test_open_is_idempotent_and_upgrades_to_urgent(factory):
    first = open_one(factory)
    assert open_one(factory) == first
    assert open_one(factory, reason="urgent", priority="urgent") == first
    assert open_one(factory, reason="asked", priority="normal") == first  # never downgraded
    with factory.begin() as session:
        handoff = service.get_handoff(session, first)
        assert (handoff.status, handoff.priority, handoff.reason) == (WAITING, "urgent", "urgent")
        assert len(service.queue(session)) == 1


@pytest.mark.parametrize("kwargs", [
    {"conversation_id": ""}, {"conversation_id": "x" * 256}, {"reason": "bored"}, {"priority": "high"},
])
def test_open_refuses_bad_values(factory, kwargs):
    values = {"conversation_id": "c1", "channel": "rest", "reason": "asked", "priority": "normal", **kwargs}
    with factory.begin() as session, pytest.raises(service.InvalidHandoff):
        service.open_handoff(session, **values)


def test_odd_conversation_ids_and_channels_are_stored_as_given(factory):
    for conversation in ["wa-971500000000", "مرحبا-😀", "'; DROP TABLE handoffs; --"]:
        handoff_id = open_one(factory, conversation_id=conversation, channel="c" * 100)
        with factory.begin() as session:
            handoff = service.get_handoff(session, handoff_id)
            assert handoff.conversation_id == conversation and len(handoff.channel) == 32


def test_full_life_cycle(factory):
    handoff_id = open_one(factory)
    with factory.begin() as session:
        handoff = service.take_over(session, handoff_id, "sara")
        assert (handoff.status, handoff.assigned_to) == (ACTIVE, "sara") and handoff.taken_at
    with factory.begin() as session:
        assert service.take_over(session, handoff_id, "sara").status == ACTIVE  # double click
        service.reply(session, handoff_id, "sara", "Hello")
    with factory.begin() as session:
        handoff = service.hand_back(session, handoff_id, "sara")
        assert (handoff.status, handoff.outcome) == (RESOLVED, "handed_back") and handoff.resolved_at
        assert service.queue(session) == []
    # the conversation can be handed off again later: a new record
    assert open_one(factory) != handoff_id


def test_replying_or_acting_on_a_resolved_handoff_is_refused_clearly(factory):
    handoff_id = open_one(factory)
    with factory.begin() as session:
        service.resolve(session, handoff_id, "sara", "answered")
    for act in (lambda s: service.reply(s, handoff_id, "sara", "hi"),
                lambda s: service.take_over(s, handoff_id, "omar"),
                lambda s: service.hand_back(s, handoff_id, "sara"),
                lambda s: service.resolve(s, handoff_id, "sara", "answered")):
        with factory.begin() as session, pytest.raises(service.HandoffClosed, match="already resolved"):
            act(session)


def test_only_the_assigned_member_of_staff_replies_or_hands_back(factory):
    handoff_id = open_one(factory)
    with factory.begin() as session, pytest.raises(service.NotAssigned, match="Take over"):
        service.reply(session, handoff_id, "sara", "hi")
    with factory.begin() as session:
        service.take_over(session, handoff_id, "sara")
    with factory.begin() as session, pytest.raises(service.AlreadyTaken, match="sara"):
        service.reply(session, handoff_id, "omar", "hi")
    with factory.begin() as session, pytest.raises(service.AlreadyTaken):
        service.hand_back(session, handoff_id, "omar")
    with factory.begin() as session, pytest.raises(service.InvalidHandoff):
        service.reply(session, handoff_id, "sara", "   ")


def test_two_concurrent_take_overs_one_wins_the_other_is_told(factory):
    for round_ in range(5):
        handoff_id = open_one(factory, conversation_id=f"race-{round_}")
        barrier = threading.Barrier(2)
        outcomes = {}

        def take(name, barrier=barrier, handoff_id=handoff_id, outcomes=outcomes):
            barrier.wait()
            try:
                with factory.begin() as session:
                    service.take_over(session, handoff_id, name)
                outcomes[name] = "won"
            except service.AlreadyTaken as error:
                outcomes[name] = str(error)

        threads = [threading.Thread(target=take, args=(name,)) for name in ("sara", "omar")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["omar", "sara"]
        winners = [n for n, o in outcomes.items() if o == "won"]
        assert len(winners) == 1, outcomes
        loser = ({"sara", "omar"} - set(winners)).pop()
        assert outcomes[loser] == f"{winners[0]} has already taken over this conversation."
        with factory.begin() as session:
            assert service.get_handoff(session, handoff_id).assigned_to == winners[0]


def test_queue_puts_urgent_first_then_longest_waiting(factory):
    a = open_one(factory, "a")
    b = open_one(factory, "b")
    c = open_one(factory, "c", reason="urgent", priority="urgent")
    with factory.begin() as session:
        service.take_over(session, b, "sara")
        assert [h.id for h in service.queue(session)] == [c, a, b]


def test_acknowledgement_is_claimed_once_and_only_while_waiting(factory):
    handoff_id = open_one(factory)
    with factory.begin() as session:
        assert [h.id for h in service.waiting_unacknowledged(session)] == [handoff_id]
    claims = []
    for _ in range(50):
        with factory.begin() as session:
            claims.append(service.claim_acknowledgement(session, handoff_id))
    assert claims.count(True) == 1 and claims[0] is True
    with factory.begin() as session:
        service.release_acknowledgement(session, handoff_id)  # the send failed
        assert service.claim_acknowledgement(session, handoff_id)
        service.take_over(session, handoff_id, "sara")
        service.release_acknowledgement(session, handoff_id)
        assert not service.claim_acknowledgement(session, handoff_id)


def test_erased_conversation_is_gone_and_later_calls_say_so(factory):
    handoff_id = open_one(factory, "gone")
    open_one(factory, "kept")
    with factory.begin() as session:
        service.resolve(session, handoff_id, "sara", "answered")
    open_one(factory, "gone")
    with factory.begin() as session:
        assert service.erase_conversation(session, "gone") == 2
        assert service.erase_conversation(session, "gone") == 0
    with factory.begin() as session, pytest.raises(service.HandoffNotFound, match="no longer exists"):
        service.take_over(session, handoff_id, "sara")
    with factory.begin() as session:
        assert [h.conversation_id for h in service.queue(session)] == ["kept"]
