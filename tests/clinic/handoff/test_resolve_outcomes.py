"""Resolving asks for an outcome, and only a waiting conversation or one's own active one
can be resolved (issue 18)."""
import pytest

from clinic.handoff import service
from clinic.handoff.models import RESOLVED


def open_one(factory, conversation_id="c1"):
    with factory.begin() as session:
        return service.open_handoff(session, conversation_id=conversation_id, channel="socketio",
                                    reason="urgent", priority="urgent").id


@pytest.mark.parametrize("outcome", ["answered", "called_patient", "false_alarm", "no_answer_needed"])
def test_outcome_is_recorded(factory, outcome):
    handoff_id = open_one(factory)
    with factory.begin() as session:
        handoff = service.resolve(session, handoff_id, "sara", outcome)
        assert (handoff.status, handoff.outcome, handoff.assigned_to) == (RESOLVED, outcome, "sara")


@pytest.mark.parametrize("outcome", [None, "", "resolved", "handed_back", "x" * 40])
def test_missing_or_unknown_outcome_is_refused(factory, outcome):
    handoff_id = open_one(factory)
    with factory.begin() as session, pytest.raises(service.InvalidHandoff, match="Choose an outcome"):
        service.resolve(session, handoff_id, "sara", outcome)
    with factory.begin() as session:
        assert service.get_handoff(session, handoff_id).is_open


def test_only_the_holder_resolves_an_active_conversation(factory):
    handoff_id = open_one(factory)
    with factory.begin() as session:
        service.take_over(session, handoff_id, "sara")
    with factory.begin() as session, pytest.raises(service.AlreadyTaken, match="sara has already taken over"):
        service.require_resolvable(session, handoff_id, "omar")
    with factory.begin() as session, pytest.raises(service.AlreadyTaken):
        service.resolve(session, handoff_id, "omar", "answered")
    with factory.begin() as session:
        assert service.require_resolvable(session, handoff_id, "sara").status == "active"
        assert service.resolve(session, handoff_id, "sara", "answered").outcome == "answered"
    with factory.begin() as session, pytest.raises(service.HandoffClosed):
        service.require_resolvable(session, handoff_id, "sara")
