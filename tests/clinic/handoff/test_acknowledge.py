"""A patient who writes while waiting gets exactly one acknowledgement."""
import asyncio

from clinic.handoff import service
from clinic.handoff.acknowledge import Acknowledger, render_response
from clinic.rasa_client import RasaError


class FakeRasa:
    """Just enough of RasaClient: trackers in memory, sent messages recorded."""

    def __init__(self):
        self.events = {}
        self.sent = []
        self.fail = False
        self.domain = {"responses": {"utter_handoff_waiting": [
            {"text": "Thanks, we have your message. Call {clinic_phone} if it is urgent. {unknown}"}]}}

    async def get_tracker(self, conversation_id):
        return {"events": list(self.events.get(conversation_id, []))}

    async def get_domain(self):
        return self.domain

    async def send_bot_message(self, conversation_id, text, metadata=None):
        if self.fail:
            raise RasaError("The assistant is not reachable (ConnectError).")
        self.sent.append((conversation_id, text))
        self.events[conversation_id].append({"event": "bot", "text": text})


def run(coro):
    return asyncio.run(coro)


def test_fifty_messages_while_waiting_get_one_acknowledgement(sqlite_factory):
    rasa = FakeRasa()
    rasa.events["c1"] = [{"event": "user", "text": "I want a person"}, {"event": "pause"}]
    with sqlite_factory.begin() as session:
        service.open_handoff(session, conversation_id="c1", channel="rest", reason="asked", priority="normal")
    ack = Acknowledger(sqlite_factory, rasa, values={"clinic_phone": "+971 4 000 0000"})
    assert run(ack.run_once()) == 0  # nothing written since the pause yet
    for n in range(50):
        rasa.events["c1"].append({"event": "user", "text": f"hello? {n}"})
        run(ack.run_once())
    assert rasa.sent == [("c1", "Thanks, we have your message. Call +971 4 000 0000 if it is urgent. {unknown}")]


def test_a_failed_send_is_retried_and_taken_over_conversations_are_left_alone(sqlite_factory):
    rasa = FakeRasa()
    for conversation in ("c1", "c2"):
        rasa.events[conversation] = [{"event": "pause"}, {"event": "user", "text": "hi"}]
        with sqlite_factory.begin() as session:
            handoff = service.open_handoff(session, conversation_id=conversation, channel="rest",
                                           reason="asked", priority="normal")
    with sqlite_factory.begin() as session:
        service.take_over(session, handoff.id, "sara")  # c2 is with a person already
    ack = Acknowledger(sqlite_factory, rasa, values={})
    rasa.fail = True
    try:
        run(ack.run_once())
    except RasaError:
        pass
    rasa.fail = False
    assert run(ack.run_once()) == 1 and [c for c, _ in rasa.sent] == ["c1"]


def test_no_response_in_the_domain_means_no_acknowledgement(sqlite_factory):
    rasa = FakeRasa()
    rasa.domain = {"responses": {}}
    rasa.events["c1"] = [{"event": "pause"}, {"event": "user", "text": "hi"}]
    with sqlite_factory.begin() as session:
        service.open_handoff(session, conversation_id="c1", channel="rest", reason="asked", priority="normal")
    assert run(Acknowledger(sqlite_factory, rasa, values={}).run_once()) == 0 and rasa.sent == []
    assert render_response({}, "utter_x", {}) is None
