"""The webhook pipeline (addons.channels.webhook) with a stand-in platform: the order of
its steps and what each answers. The WhatsApp and Twilio adapters are tested over real
HTTP in test_whatsapp_channel.py and test_twilio_channel.py."""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from types import SimpleNamespace

from sanic import response

from addons.channels.messaging import BackgroundTasks
from addons.channels.webhook import MessagingWebhook, Refused
from clinic.ratelimit import RateLimiter


@dataclass(frozen=True)
class Item:
    message_id: str
    sender_id: str


class Store:
    def __init__(self, down=False):
        self.claimed, self.down = set(), down

    async def claim(self, message_id, channel, conversation_id):
        if self.down:
            raise ConnectionError("database down")
        first = message_id not in self.claimed
        self.claimed.add(message_id)
        return first


class Platform(MessagingWebhook):
    channel = "test"
    not_configured = "The test channel is not configured."

    def __init__(self, enabled=True, store=None, limit=100):
        self.settings = SimpleNamespace(enabled=enabled)
        self.store, self.limiter = store or Store(), RateLimiter(limit)
        self.background, self.max_body = BackgroundTasks(), 100
        self.read, self.processed = [], []

    def _read(self, request, body):
        self.read.append(body)
        if body == b"unsigned":
            raise Refused(403, "Invalid signature.", "missing or wrong signature")
        return [Item(*part.split(":")) for part in body.decode().split(",") if part]

    def _accepted(self):
        return response.text("accepted")

    async def _process(self, items, on_new_message, app=None):
        self.processed.append([item.message_id for item in items])


def post(platform, body):
    async def go():
        answer = await platform.receive(SimpleNamespace(body=body, app=None), None)
        await platform.background.drain()
        return answer
    return asyncio.run(go())


def error(answer):
    return json.loads(answer.body)["error"]


def test_new_messages_are_claimed_and_processed_in_one_task_after_the_answer():
    platform = Platform()
    answer = post(platform, b"m1:s1,m2:s2")
    assert (answer.status, answer.body) == (200, b"accepted")
    assert platform.processed == [["m1", "m2"]]


def test_a_redelivery_is_answered_but_not_processed_again():
    platform = Platform()
    post(platform, b"m1:s1")
    assert post(platform, b"m1:s1,m2:s1").status == 200
    assert platform.processed == [["m1"], ["m2"]]


def test_gate_then_size_then_the_platform_s_reading():
    off = Platform(enabled=False)
    assert (post(off, b"m1:s1").status, error(post(off, b"m1:s1"))) == (503, off.not_configured)
    big = Platform()
    assert post(big, b"x" * 101).status == 413 and big.read == []  # not read: not even its signature
    refused = Platform()
    answer = post(refused, b"unsigned")
    assert (answer.status, error(answer), refused.processed) == (403, "Invalid signature.", [])


def test_the_database_down_is_503_so_the_platform_delivers_again():
    platform = Platform(store=Store(down=True))
    answer = post(platform, b"m1:s1")
    assert (answer.status, platform.processed) == (503, [])


def test_past_the_rate_limit_messages_are_answered_but_get_no_turn():
    platform = Platform(limit=1)
    assert post(platform, b"m1:s1,m2:s1,m3:s2").status == 200
    assert platform.processed == [["m1", "m3"]]


def test_a_status_callback_without_messages_is_accepted_and_nothing_runs():
    platform = Platform()
    assert post(platform, b"").status == 200 and platform.processed == []
