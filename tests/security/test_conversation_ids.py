"""Issue 19, item 2: conversation ids belong to the server, one namespace per channel.

Each test failed on the code the issue was filed against (the REST channel took any
client-chosen sender, the widget any UUID the browser offered, ``/chat`` any sender).
"""
from __future__ import annotations

import asyncio
import json

import httpx
from starlette.testclient import TestClient

from addons.channels.socketio import ClinicSocketIOInput
from clinic.settings import settings_from_env
from console.app import create_app
from tests.addons.channels.harness import ChannelServer
from tests.addons.channels.test_socketio_channel import ORIGIN, Widget
from tests.security._channels import post, rest_server

def test_rest_answers_only_callers_with_the_api_token():
    # before: anyone could write "yes" into another visitor's conversation by its sender id
    with rest_server() as server:
        refused = post(server, {"sender": "alice-victim", "message": "yes"}, auth=False)
        assert refused.status_code == 401 and "token" in refused.json()["error"]
        wrong = httpx.post(server.url + "/webhooks/rest/webhook", headers={"Authorization": "Bearer nope"},
                           json={"sender": "alice-victim", "message": "delete my data"}, timeout=10)
        assert wrong.status_code == 401
        assert server.received == []  # nothing reached the assistant
        assert post(server, {"sender": "alice-victim", "message": "hi"}).status_code == 200


def test_rest_cannot_write_into_whatsapp_twilio_or_widget_conversations():
    with rest_server() as server:
        for sender in ("wa-971505550199", "tw-971505550199", "web-" + "a" * 32):
            answer = post(server, {"sender": sender, "message": "yes"})
            assert answer.status_code == 403, sender
        assert server.received == []


def test_the_widget_joins_only_conversations_whose_signed_token_it_holds():
    with ChannelServer(ClinicSocketIOInput(allowed_origins=(ORIGIN,))) as server:
        async def go():
            alice = Widget(server.url)
            token = await alice.open()
            await alice.say("my name is Alice", token)
            for _ in range(100):
                if server.received:
                    break
                await asyncio.sleep(0.05)
            alice_conversation = server.received[0].sender_id
            await alice.close()
            # the id staff see in the console (and any UUID-looking guess) is not enough
            mallory = Widget(server.url)
            got = await mallory.open(alice_conversation)
            await mallory.say("yes", got)
            for _ in range(100):
                if len(server.received) > 1:
                    break
                await asyncio.sleep(0.05)
            assert server.received[1].sender_id != alice_conversation
            assert got != alice_conversation
            assert server.received[1].sender_id.startswith("web-")
            await mallory.close()
        asyncio.run(go())


def test_the_try_it_chat_gives_each_visitor_a_conversation_of_its_own():
    seen = []

    def handler(request):
        seen.append((json.loads(request.content), request.headers.get("Authorization")))
        return httpx.Response(200, json=[])

    rasa = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://rasa")
    settings = settings_from_env({"RASA_AUTH_TOKEN": "t" * 40})
    client = TestClient(create_app(settings, client=rasa))
    client.post("/chat", json={"sender": "alice-victim", "message": "yes"})
    forwarded, auth = seen[-1]
    assert forwarded["sender"] != "alice-victim" and forwarded["sender"].startswith("rest-")
    assert auth == "Bearer " + "t" * 40
    client.post("/chat", json={"sender": forwarded["sender"], "message": "yes"})  # the bare id: new again
    assert seen[-1][0]["sender"] != forwarded["sender"]


def _chat_client(seen: list) -> TestClient:
    def handler(request):
        seen.append(request)
        return httpx.Response(200, json=[])

    rasa = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://rasa")
    return TestClient(create_app(settings_from_env({}), client=rasa), base_url="http://127.0.0.1:8000")


def test_the_try_it_chat_refuses_posts_from_other_sites():
    # item 7: before, a page on any site could post into /chat in the visitor's browser
    seen: list = []
    client = _chat_client(seen)
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = client.post("/chat", json={"sender": "new", "message": "/human_handoff"}, headers=headers)
        assert refused.status_code == 403 and refused.json()["error"], headers
    assert seen == []
    same = client.post("/chat", json={"sender": "new", "message": "hi"},
                       headers={"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 200 and len(seen) == 1
    assert client.post("/chat", json={"sender": "new", "message": "hi"}).status_code == 200  # curl: no Origin


def test_a_lone_surrogate_is_a_clear_400_on_chat():
    # item 7: before, "\ud800" was a bare 500 (the proxy could not encode it for Rasa)
    seen: list = []
    client = _chat_client(seen)
    answer = client.post("/chat", content=b'{"sender": "new", "message": "\\ud800"}',
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and "Unicode" in answer.json()["error"]
    assert seen == []
