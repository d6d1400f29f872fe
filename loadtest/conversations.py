"""The conversations a load test plays: FAQ visitors, bookers and aftercare patients.

Pure Python (no Locust, no gevent): a conversation is a generator that yields what the
patient sends next (:class:`Say`, or a :class:`Burst` of messages typed in quick
succession) and receives the bot's replies, so a booking can pick a service and a time
from the buttons it was offered. Written for load only (not from the dev questions), and
free of warning signs and requests for a person: a handed-off conversation is paused and
silent by design, which the checks would count as a missing reply.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Generator, List, Optional, Sequence, Union

FAQ = [
    "what exactly is mesotherapy for scars?",
    "How does the treatment work on old scar tissue",
    "can it help with my acne scars",
    "does it work on stretch marks?",
    "what happens during the appointment",
    "will the injections hurt",
    "how long does one session last",
    "how many sessions will i need",
    "when will I see results",
    "what are the side effects",
    "is the procedure safe",
    "how much does it cost?",
    "do you have any package deals",
    "do I need a consultation first",
    "what is your cancellation policy",
    "where is the clinic and when are you open",
    "is this better than laser for scars",
]
AFTERCARE = [
    "is redness normal after meso",
    "how long does the redness last",
    "how should I look after my skin afterwards",
    "can i go back to work the next day",
    "when can I wear makeup again",
    "can I go to the gym after my session",
    "do I need follow up sessions to keep the results",
]
GREETINGS = ["hi", "hello there", "good morning", "hey"]
THANKS = ["thanks!", "thank you", "ok thanks"]
NAMES = ["Amal Haddad", "Rahul Nair", "Fatima Al Marzouqi", "Sarah Thompson", "Omar Khalil",
         "Priya Menon", "Layla Hassan", "John Carter"]
BOOK = "I'd like to book a consultation please"
BOOKING_MESSAGES = 8  # book, service, time, name, phone, consent, confirm (+ a greeting)
BURST = 3
REFERENCE = re.compile(r"\bNS-[A-Z0-9]{4}\b")


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Burst:
    texts: Sequence[str]


Step = Union[Say, Burst]
Replies = List[dict]
Conversation = Generator[Step, Union[Replies, List[Replies]], None]


def payloads(replies: Replies, containing: str) -> List[str]:
    """Payloads of the offered buttons that contain ``containing``."""
    return [b["payload"] for m in replies for b in (m.get("buttons") or [])
            if containing in (b.get("payload") or "")]


def _questions(rng: random.Random, pool: Sequence[str], count: int) -> List[str]:
    return [rng.choice(pool) for _ in range(count)]


def _chat(rng: random.Random, pool: Sequence[str], count: int, burst_at: Optional[int]) -> Conversation:
    """``count`` messages from ``pool``; three of them typed in a burst at ``burst_at``."""
    sent = 0
    while sent < count:
        if burst_at is not None and sent == burst_at and count - sent >= BURST:
            yield Burst(_questions(rng, pool, BURST))
            sent += BURST
        else:
            yield Say(rng.choice(pool))
            sent += 1


def visitor(rng: random.Random, messages: int) -> Conversation:
    """A website visitor asking about the treatment, with one burst."""
    yield Say(rng.choice(GREETINGS))
    yield from _chat(rng, FAQ, messages - 2, burst_at=rng.randrange(max(1, messages - 4)))
    yield Say(rng.choice(THANKS))


def aftercare(rng: random.Random, messages: int) -> Conversation:
    """A treated patient asking aftercare questions, with one burst."""
    yield Say(rng.choice(GREETINGS))
    yield from _chat(rng, AFTERCARE + FAQ[:4], messages - 1, burst_at=rng.randrange(max(1, messages - 3)))


def booker(rng: random.Random, messages: int) -> Conversation:
    """Books a consultation the way a patient taps through it: the service if asked, a
    time among the first two offered (so bookers compete for the same slots), name,
    number, yes, yes; when a time was taken meanwhile, one of the times offered instead.
    Then asks questions until ``messages`` were sent."""
    yield Say(rng.choice(GREETINGS))
    replies = yield Say(BOOK)
    sent = 2
    services = payloads(replies, "consultation")
    if services:  # asked which appointment (the request named none the bot could read)
        replies = yield Say(services[0])
        sent += 1
    details = [rng.choice(NAMES), f"050 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"]
    while sent < messages and not booked(replies):
        times = payloads(replies, "slot_start")
        if times:
            step = rng.choice(times[:2])
        elif payloads(replies, "/affirm"):
            step = "/affirm"  # consent to keep the details, then "book it"
        elif details:
            step = details.pop(0)
        else:
            break
        replies = yield Say(step)
        sent += 1
    if messages - sent > 0:
        yield from _chat(rng, FAQ + AFTERCARE, messages - sent, burst_at=None)


def booked(replies: Replies) -> List[str]:
    """Booking references shown in ``replies``."""
    return REFERENCE.findall(" ".join(str(m.get("text") or "") for m in replies))


KINDS = {"visitor": visitor, "aftercare": aftercare, "booker": booker}
MIX = ["visitor"] * 4 + ["aftercare"] * 3 + ["booker"] * 3  # 40% / 30% / 30%


def start(rng: random.Random, messages: int) -> Conversation:
    """A conversation of a random kind. A booking needs ``BOOKING_MESSAGES`` messages,
    so a booker sends that many when ``messages`` is fewer."""
    kind = rng.choice(MIX)
    length = max(messages, BOOKING_MESSAGES) if kind == "booker" else messages
    return KINDS[kind](rng, length)
