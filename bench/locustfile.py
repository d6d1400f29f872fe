"""Locust users for the bench: one chat conversation per user over the REST channel.

Run by ``bench.load`` in a subprocess (Locust uses gevent; never import it elsewhere).
``BENCH_PROFILE`` picks the behaviour:

* ``steady``   - each user sends one message per second on a fixed schedule, whatever
  the reply time (an offered load), each at its own moment of the second. Locust
  starts all 20 users in one step, and its ``constant_throughput`` keeps every user
  on the second it was started at, so every second was one burst of 20 messages sent
  at the same instant: that measured the queue behind a burst, not a steady load;
* ``saturate`` - each user sends the next message as soon as the reply arrives.

A turn fails on a non-200 answer or an empty list of bot messages.

Each user keeps one conversation going for ``CONVERSATION_LENGTH`` messages, then starts
a new one (a new visitor), so the load is always 20 (or 40) concurrent conversations of
a realistic length. Rasa's cost per turn grows with the length of the conversation
(it reloads and replays it every turn); ``bench.turn_growth`` reports that separately.
"""
from __future__ import annotations

import os
import random
import time
import uuid

import gevent
from locust import HttpUser, task

from loadtest import conversations

PROFILE = os.environ.get("BENCH_PROFILE", "steady")
if PROFILE not in ("steady", "saturate"):
    raise SystemExit(f"BENCH_PROFILE must be steady or saturate, not {PROFILE!r}")
WEBHOOK = "/webhooks/rest/webhook"
# the REST channel answers only callers holding the API token (bench.load passes it)
AUTH = {"Authorization": f"Bearer {os.environ.get('BENCH_RASA_TOKEN', '')}"}
REQUEST_TIMEOUT_S = 30
CONVERSATION_LENGTH = 12  # messages per visitor: a typical website chat

# Written for load generation only (not the held-out dev set): the load test's questions
# plus ones it leaves out (they overlap its aftercare list or need no follow-up).
FAQ = conversations.FAQ + [
    "what do you inject into the skin",
    "am I a good candidate if I'm breastfeeding",
    "what should I avoid before my session",
    "is some redness normal the day after",
    "how should I look after my skin afterwards",
    "can i go back to work the next day",
    "do I need follow up sessions to keep the results",
    "can I pay in instalments",
    "is there parking near you",
    "what do you do with my personal data",
]
SMALL_TALK = [
    "hi",
    "hello there",
    "good morning",
    "thanks!",
    "bye",
    "are you a real person?",
    "I want to book a consultation",
    "what can you help me with?",
]
# Arabic and Arabizi (the clinic is in Dubai): read by the multilingual encoder, which costs
# more than the English one (left out of the mix before 2026-12-06)
ARABIC = [
    "كم سعر الجلسة",
    "هل الابر مؤلمة؟",
    "ابي احجز موعد",
    "شكرا",
    "متى تبين النتيجة",
    "kam el se3r",
    "shu el a3rad el janibiya",
    "marhaba",
]
# No request for a person: a handed-off conversation is paused and silent by design, and
# its remaining turns would count as failed (empty) and cost nothing.
UNCLEAR = [
    "asdf qwer",
    "purple elephants dance at midnight",
    "hmm",
    "what is the capital of peru",
]
MESSAGES = FAQ * 3 + SMALL_TALK + ARABIC + UNCLEAR  # mostly FAQ, like real traffic


class ChatUser(HttpUser):
    """A visitor chatting in one conversation (random sender id)."""

    def on_start(self) -> None:
        self._new_conversation()
        if PROFILE == "steady":
            gevent.sleep(random.random())  # this user's moment within each second
        self._next_send = time.monotonic()

    def wait_time(self) -> float:
        """No wait when saturating; else until this user's next second."""
        if PROFILE == "saturate":
            return 0.0
        self._next_send += 1.0
        return max(0.0, self._next_send - time.monotonic())

    def _new_conversation(self) -> None:
        self.sender = f"bench-{uuid.uuid4().hex}"
        self.sent = 0

    @task
    def send_message(self) -> None:
        if self.sent >= CONVERSATION_LENGTH:
            self._new_conversation()
        self.sent += 1
        body = {"sender": self.sender, "message": random.choice(MESSAGES)}
        with self.client.post(WEBHOOK, json=body, name="turn", catch_response=True, headers=AUTH,
                              timeout=REQUEST_TIMEOUT_S) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            try:
                replies = response.json()
            except ValueError:
                response.failure("reply is not JSON")
                return
            if isinstance(replies, list) and replies:
                response.success()
            else:
                response.failure("empty reply")
