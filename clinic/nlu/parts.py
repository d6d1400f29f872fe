"""A message that carries more than one thing: a question and a booking request, or two questions.

"how long is the mesotherapy session and can i come saturday for one", "can i come tmrw 5pm
for the consultation? also does it hurt", "how much is it and does it hurt": the classifier
reads the whole message as one intent, so one of the two things was dropped (the booking after
the answer, or the answer before the booking form). Here the message is cut into its parts
(:func:`split`: at a question mark, a full stop, a semicolon, a comma or "and"/"also"/"btw"
before a new question or request); the booking part is found in words
(:func:`clinic.booking.request.asks_to_book`), and the other parts are read by the classifier
one by one (``addons/nlu/intent_classifier.py``). :func:`read` turns those readings into what
the assistant does: the answers to give (FAQ keys, in the message's order) and whether the
booking form follows them. The rule that acts on it (``data/rules/faq.yml``) and the action
(``actions/parts.py``) only carry it out.

Nothing here answers on a guess: a part counts as a question only when the classifier reads it
as a FAQ question at the fallback threshold; a message with one thing in it is left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import List, Optional, Sequence, Tuple

from clinic.booking.request import BookingRequest, asks_to_book, read_request

MAX_TEXT = 300
MAX_PARTS = 4
MAX_ANSWERS = 3
MIN_PART_WORDS = 2
FAQ_INTENT = "faq"
BOOKING_INTENT = "book_appointment"
# where a part ends: a question mark (also Arabic), "!", ";", a full stop before a space or the end,
# "..", a comma, or a joining word in front of a new question or request
_QUESTION_OR_REQUEST = (r"(?:can|could|may|do|does|did|is|are|will|would|should|how|what|whats|what's|when|where|"
                        r"which|who|why|pls|please|plz|kindly|book|i|i'm|im|i'd|id|wanna|want|need|also|and|btw)")
_SPLIT = re.compile(rf"[?؟!;\n]+|\.{{2,}}|\.(?=\s|$)|[,،](?:\s*(?:and|also|plus|but)\b)?|"
                    rf"\s(?:and also|also|btw|by the way|plus)\s|"
                    rf"\s(?:and|&|n|w|wa)\s(?={_QUESTION_OR_REQUEST}\b)", re.IGNORECASE)
# one-word or greeting parts say nothing of their own ("hi", "thanks", "salam")
_NOTHING = re.compile(r"^(?:hi+|hello|hey|salam|salaam|marhaba|hala|thanks?|thank (?:you|u)|thx|ok|okay|pls|please)$",
                      re.IGNORECASE)


# a part that only names something ("the bruise on my cheek, how long till it goes"): a noun
# phrase with no verb, the topic of the part after it, not a question of its own
_TOPIC_ONLY = re.compile(r"^(?:the|my|this|that|these|those|a|an|your)\b", re.IGNORECASE)
_VERB = re.compile(r"\b(?:is|are|was|were|am|be|been|being|do|does|did|can|could|will|would|should|shall|may|"
                   r"might|must|have|has|had|get|gets|got|go|goes|went|feel|feels|felt|hurt|hurts|look|looks|"
                   r"want|need|take|takes|took|last|lasts|cost|costs|come|came|use|used|start|started|"
                   r"\w+(?:ed|ing)|\w+'s|\w+s'|isn't|aren't|doesn't|don't|didn't|can't|won't|cant|dont|wont)\b",
                   re.IGNORECASE)


# a short question with no verb after another part ("how many sessions do people need and how far
# apart", "how long does it take and how often"): the rest of the question before, not a new one
_ELLIPTICAL = re.compile(r"^(?:how|what|when|where|which|why)\b(?:\s+\S+){0,2}$", re.IGNORECASE)


def split(text: str) -> List[str]:
    """The parts of a message, in order (at most :data:`MAX_PARTS`; empty and one-word parts
    dropped): "how much is it, does it hurt, and can u book me for saturday 2pm" ->
    ["how much is it", "does it hurt", "can u book me for saturday 2pm"]. A part that only names
    its topic is joined to the part after it ("the bruise on my cheek, how long till it goes" is
    one question), and so is a short question with no verb to the part before it ("how many
    treatments do people need and how far apart")."""
    pieces = [p.strip(" ,.-–") for p in _SPLIT.split((text or "")[:MAX_TEXT])]
    parts = [p for p in pieces if len(p.split()) >= MIN_PART_WORDS and not _NOTHING.match(p)]
    joined: List[str] = []
    topic = ""
    for part in parts:
        if _TOPIC_ONLY.match(part) and not _VERB.search(part):
            topic = f"{topic}, {part}" if topic else part
            continue
        if joined and not topic and _ELLIPTICAL.match(part) and not _VERB.search(part):
            joined[-1] = f"{joined[-1]}, {part}"  # "... need and how far apart": the same question
            continue
        joined.append(f"{topic}, {part}" if topic else part)
        topic = ""
    if topic:
        joined.append(topic)
    return joined[:MAX_PARTS]


@dataclass(frozen=True)
class Parts:
    """A message cut into its parts: ``booking`` the index of the part that asks to book (None:
    none does), ``others`` the rest, to be read by the classifier."""

    parts: List[str] = field(default_factory=list)
    booking: Optional[int] = None

    @property
    def others(self) -> List[str]:
        return [p for i, p in enumerate(self.parts) if i != self.booking]

    @property
    def worth_reading(self) -> bool:
        """More than one part: the other parts are worth a classifier reading each."""
        return len(self.parts) > 1


def cut(text: str, now: datetime) -> Parts:
    """The parts of ``text`` and which of them asks to book (the first that does)."""
    parts = split(text)
    if len(parts) < 2:
        return Parts(parts)
    booking = next((i for i, part in enumerate(parts) if asks_to_book(part, now)), None)
    return Parts(parts, booking)


def booking_request(text: str, now: datetime) -> BookingRequest:
    """What a message says about the booking wanted (:func:`clinic.booking.request.read_request`),
    with what the whole message leaves open (the service, the day and time) read from its booking
    part when it has several parts: "shu el se3r lel jalsa? w abi maw3ed esteshara yom el
    thulatha" asks the price of a session and books a consultation (the whole names both services,
    so none). What the whole says stays ("can I come thursday after work? I finish at 5:30": after
    5:30, said in another part)."""
    whole = read_request(text, now)
    if whole.service and whole.has_time:
        return whole
    parts = cut(text, now)
    if parts.booking is None:
        return whole
    part = read_request(parts.parts[parts.booking], now)
    if part.has_time and not whole.has_time:
        whole = replace(whole, when=part.when, when_text=part.when_text, not_before=part.not_before,
                        earliest=part.earliest)
    return replace(whole, service=whole.service or part.service)


# a classifier reading of one part: (intent, confidence, the FAQ key or None)
Reading = Tuple[str, float, Optional[str]]


@dataclass(frozen=True)
class Plan:
    """What to do with a message of several parts: give ``answers`` (FAQ keys such as
    ``faq/pain``, in the message's order), then start the booking form when ``book``."""

    answers: List[str] = field(default_factory=list)
    book: bool = False

    @property
    def several(self) -> bool:
        """Two things or more to do (else the usual single answer or booking serves)."""
        return len(self.answers) + int(self.book) >= 2

    def as_dict(self) -> dict:
        return {"answers": list(self.answers), "book": self.book}


def read(parts: Parts, readings: Sequence[Reading], whole: Reading, threshold: float) -> Plan:
    """The plan for a message cut into ``parts``, from the classifier's reading of each of its
    other parts (``readings``, in the order of :attr:`Parts.others`) and of the whole message.

    A part is a question when it is read as ``faq`` at ``threshold`` or above; its key is
    answered once. When no part alone is, but the whole message is a FAQ question at the
    threshold (the booking said inside it: "how long is the session and can i come saturday
    for one"), the whole message's key is the answer. Booking follows when a part asks to book."""
    answers: List[str] = []
    for intent, confidence, key in readings:
        if intent == FAQ_INTENT and key and confidence >= threshold and key not in answers:
            answers.append(key)
    whole_intent, whole_confidence, whole_key = whole
    if not answers and whole_intent == FAQ_INTENT and whole_key and whole_confidence >= threshold:
        answers.append(whole_key)
    return Plan(answers[:MAX_ANSWERS], parts.booking is not None)


def plan_of(parse: Optional[dict]) -> Optional[Plan]:
    """The plan an NLU parse carries (its ``parts`` entry, see addons/nlu/intent_classifier.py),
    or None when it carries none or only one thing."""
    entry = (parse or {}).get(PARSE_KEY)
    if not isinstance(entry, dict):
        return None
    answers = [a for a in entry.get("answers") or [] if isinstance(a, str) and a.startswith(f"{FAQ_INTENT}/")]
    plan = Plan(answers[:MAX_ANSWERS], bool(entry.get("book")))
    return plan if plan.several else None


PARSE_KEY = "parts"  # the parse entry; the entity of the same name lets the rules see it
