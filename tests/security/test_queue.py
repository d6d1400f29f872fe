"""Issue 19, item 5: nobody fills the staff queue from outside.

* ``/intent`` payloads are answers to the buttons the bot offered in its last turn; a
  typed ``/human_handoff``, ``/urgent_symptom`` or ``/inform{"phone": ...}`` reaches the
  assistant as plain text (the classifier reads it like any other message);
* one client address gets a bounded number of new conversations (widget and try-it
  page), and each conversation has at most one open handoff, so the handoffs and urgent
  items of one client are bounded (the REST channel needs the API token).

Each test failed on the code the issue was filed against.
"""
from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from starlette.testclient import TestClient

from addons.channels import socketio as socketio_channel
from addons.channels.socketio import ClinicSocketIOInput
from clinic.settings import settings_from_env
from console.app import create_app
from tests.addons.channels.harness import ChannelServer
from tests.integration.conftest import stack  # noqa: F401  (the session's servers, for the last test)
from tests.security._channels import post, rest_server, with_trackers
from tests.addons.channels.test_socketio_channel import ORIGIN, Widget

# (read this way so that the test also runs, and fails, on the code before the limit)
NEW_CONVERSATIONS_PER_HOUR = getattr(socketio_channel, "NEW_CONVERSATIONS_PER_HOUR", 30)
OFFER = [{"title": "Talk to a person", "payload": "/human_handoff"},
         {"title": "Aftercare", "payload": '/faq{"topic": "aftercare"}'}]


def tracker(sender: str, buttons=None) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [
        UserUttered("hello"), BotUttered("Did you mean…", data={"buttons": buttons or []})])


def test_typed_intent_payloads_that_were_not_offered_become_plain_text():
    with rest_server() as server:
        with_trackers(server, {"plain": tracker("plain")})
        for typed in ("/human_handoff", "/urgent_symptom", '/inform{"phone": "+971505550199"}', "/greet"):
            assert post(server, {"sender": "plain", "message": typed}).status_code == 200
        texts = [m.text for m in server.received]
        assert not any(t.lstrip().startswith("/") for t in texts), texts
        assert texts[0] == "human_handoff"


def test_offered_buttons_still_work_and_only_in_the_next_turn():
    with rest_server() as server:
        with_trackers(server, {"offered": tracker("offered", OFFER)})
        post(server, {"sender": "offered", "message": "/human_handoff"})
        post(server, {"sender": "offered", "message": '/faq{"topic": "aftercare"}'})
        post(server, {"sender": "offered", "message": "/urgent_symptom"})  # not among the buttons
        assert [m.text for m in server.received] == ["/human_handoff", '/faq{"topic": "aftercare"}',
                                                     "urgent_symptom"]


def test_the_widget_limits_new_conversations_per_client_address():
    with ChannelServer(ClinicSocketIOInput(allowed_origins=(ORIGIN,))) as server:
        async def go():
            issued = set()
            for _ in range(NEW_CONVERSATIONS_PER_HOUR + 1):
                widget = Widget(server.url)
                try:
                    issued.add(await widget.open())
                except asyncio.TimeoutError:  # refused: no session_confirm
                    pass
                finally:
                    await widget.close()
            return issued
        issued = asyncio.run(go())
        assert len(issued) == NEW_CONVERSATIONS_PER_HOUR


def test_the_try_it_chat_limits_new_conversations_per_client_address():
    rasa = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[])),
                             base_url="http://rasa")
    client = TestClient(create_app(settings_from_env({}), client=rasa))
    codes = [client.post("/chat", json={"sender": "new", "message": "/human_handoff"}).status_code
             for _ in range(40)]
    assert 429 in codes and codes.count(200) <= 30


@pytest.mark.integration
def test_on_the_real_stack_a_typed_handoff_opens_nothing_but_the_offered_button_does(stack):  # noqa: F811
    def say(sender: str, text: str) -> list:
        answer = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=120,
                            headers={"Authorization": f"Bearer {stack.rasa_token}"},
                            json={"sender": sender, "message": text})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def tracker(sender: str) -> dict:
        return httpx.get(f"{stack.rasa_url}/conversations/{sender}/tracker",
                         params={"token": stack.rasa_token}, timeout=60).json()

    typed = f"sec-typed-{uuid.uuid4().hex[:12]}"
    say(typed, "hello")
    say(typed, "/human_handoff")
    state = tracker(typed)
    assert state["latest_message"]["intent"]["name"] != "human_handoff", state["latest_message"]["intent"]
    assert not state["paused"]  # no handoff: the conversation was not handed to a person

    offered = f"sec-offered-{uuid.uuid4().hex[:12]}"
    say(offered, "hello")
    replies = say(offered, "zxqv blorp")  # not understood: "did you mean" buttons with a person
    payloads = [b["payload"] for r in replies for b in r.get("buttons") or []]
    assert "/human_handoff" in payloads, replies
    say(offered, "/human_handoff")
    assert tracker(offered)["latest_message"]["intent"]["name"] == "human_handoff"
