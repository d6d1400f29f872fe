"""The widget's socket.io channel over real HTTP with a python-socketio client."""
from __future__ import annotations


import asyncio
import re
import uuid

import pytest
import socketio

from addons.channels.socketio import ClinicSocketIOInput
from tests.addons.channels.harness import ChannelServer

ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture
def channel():
    return ClinicSocketIOInput.from_credentials({"session_persistence": True})


@pytest.fixture
def server(channel):
    channel.allowed_origins = (ORIGIN, "http://localhost:8000")
    channel.limiter.limit = 5
    channel.max_chars = 200
    with ChannelServer(channel) as s:
        yield s


class Widget:
    """A minimal rasa-webchat: session_request, user_uttered, collects bot_uttered."""

    def __init__(self, url: str, origin: str = ORIGIN) -> None:
        self.url, self.origin = url, origin
        self.client = socketio.AsyncClient(reconnection=False)
        self.bot: list = []
        self.session = asyncio.get_running_loop().create_future()
        self.client.on("bot_uttered", lambda data: self.bot.append(data))
        self.client.on("session_confirm", lambda sid: self.session.done() or self.session.set_result(sid))

    async def open(self, session_id=None, transports=("polling",)) -> str:
        # polling only: the python client's websocket needs aiohttp >= 3.10 (Rasa pins
        # 3.9); the browser test covers the websocket transport
        await self.client.connect(self.url, headers={"Origin": self.origin}, transports=list(transports),
                                  socketio_path="/socket.io")
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.session, 5)

    async def say(self, text: str, session_id: str = "", custom=None) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": session_id,
                                                "customData": custom or {"language": "en"}})

    async def close(self) -> None:
        # abort: do not wait for the pending long-poll (up to the 25 s ping interval)
        await self.client.eio.disconnect(abort=True)

    async def wait_for(self, count: int, timeout: float = 5.0) -> list:
        for _ in range(int(timeout / 0.05)):
            if len(self.bot) >= count:
                break
            await asyncio.sleep(0.05)
        return self.bot


def run(coro):
    return asyncio.run(coro)


def test_session_is_persisted_and_bot_messages_reach_the_browser(server, channel):
    async def go():
        widget = Widget(server.url)
        session_id = await widget.open()  # the signed token; the conversation id is before the dot
        conversation_id = session_id.rsplit(".", 1)[0]
        assert re.fullmatch(r"web-[0-9a-f]{32}", conversation_id)
        await widget.say("hello", session_id)
        [answer] = await widget.wait_for(1)
        assert answer == {"text": "echo: hello"}
        message = server.received[0]
        assert message.sender_id == conversation_id and message.input_channel == "socketio"
        assert message.metadata == {"language": "en", "channel": "web"}
        # a reload: a new socket with the stored session id joins the same conversation
        await widget.close()
        again = Widget(server.url)
        assert await again.open(session_id) == session_id
        # a staff reply pushed through the output channel (output_channel=latest) arrives
        await channel.get_output_channel().send_text_message(conversation_id, "Hi, this is Nurse Sara.")
        assert await again.wait_for(1) == [{"text": "Hi, this is Nurse Sara."}]
        await again.close()
    run(go())


def test_buttons_arrive_as_quick_replies(server):
    async def go():
        widget = Widget(server.url)
        session_id = await widget.open()
        await widget.say("buttons", session_id)
        [answer] = await widget.wait_for(1)
        assert [q["payload"] for q in answer["quick_replies"]][-1] == "/book_appointment"
        await widget.close()
    run(go())


def test_an_invented_session_id_is_replaced_and_cannot_be_spoofed(server):
    async def go():
        widget = Widget(server.url)
        session_id = await widget.open("default")
        assert session_id != "default"
        await widget.say("hi", session_id="someone-elses-session", custom={"channel": "whatsapp", "phone": "+1"})
        await widget.wait_for(1)
        assert server.received[0].sender_id == session_id.rsplit(".", 1)[0]
        assert server.received[0].metadata == {"channel": "web"}
        await widget.close()
    run(go())


def test_other_origins_are_refused(server):
    async def go():
        widget = Widget(server.url, origin="http://evil.example")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await widget.open()
    run(go())


def test_localhost_origin_is_accepted(server):
    async def go():
        widget = Widget(server.url, origin="http://localhost:8000")
        assert await widget.open()
        await widget.close()
    run(go())


def test_too_long_messages_and_the_rate_limit_get_a_polite_answer(server):
    async def go():
        widget = Widget(server.url)
        session_id = await widget.open()
        await widget.say("x" * 201, session_id)
        for i in range(6):
            await widget.say(f"message {i}", session_id)
        answers = await widget.wait_for(7)
        texts = [a["text"] for a in answers]
        assert texts[0].startswith("That message is too long")
        assert len([t for t in texts if t.startswith("echo:")]) == 5
        assert any(t.startswith("You are sending messages very quickly") for t in texts)
        assert len(server.received) == 5
        await widget.close()
    run(go())


def test_messages_before_a_session_and_odd_payloads_are_ignored(server):
    async def go():
        widget = Widget(server.url)
        await widget.client.connect(server.url, headers={"Origin": ORIGIN}, transports=["polling"])
        await widget.client.emit("user_uttered", {"message": "no session yet"})
        await widget.client.emit("user_uttered", "just a string")
        await widget.client.emit("user_uttered", {"message": {"nested": 1}})
        await asyncio.sleep(0.5)
        assert server.received == [] and widget.bot == []
        await widget.close()
    run(go())


def test_with_redis_a_staff_reply_reaches_a_socket_on_another_process(redis_url):
    url = redis_url
    channel_name = f"clinic-socketio-test-{uuid.uuid4().hex}"
    a = ClinicSocketIOInput(redis_url=url, redis_channel=channel_name, allowed_origins=(ORIGIN,))
    b = ClinicSocketIOInput(redis_url=url, redis_channel=channel_name, allowed_origins=(ORIGIN,))
    with ChannelServer(a) as server_a, ChannelServer(b) as server_b:
        async def go():
            widget = Widget(server_a.url)
            session_id = await widget.open()
            await asyncio.sleep(0.5)  # both managers subscribed
            # the staff reply is handled by process B (its event loop), the browser is on A
            sent = asyncio.run_coroutine_threadsafe(
                b.get_output_channel().send_text_message(session_id.rsplit(".", 1)[0],
                                                         "Reply from the other process."),
                server_b.loop)
            await asyncio.wrap_future(sent)
            assert await widget.wait_for(1) == [{"text": "Reply from the other process."}]
            await widget.close()

        run(go())


@pytest.mark.parametrize("text", ["crash", "silent"])
def test_when_the_assistant_fails_or_says_nothing_the_browser_gets_the_apology(server, text):
    async def go():
        widget = Widget(server.url)
        session_id = await widget.open()
        await widget.say(text, session_id)
        [answer] = await widget.wait_for(1)
        assert "technical problem on our side" in answer["text"]
        await widget.say("hello", session_id)
        assert (await widget.wait_for(2))[1] == {"text": "echo: hello"}
        await widget.close()
    run(go())
