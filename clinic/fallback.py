"""What to say when the assistant did not understand a message.

A low-confidence message gets "did you mean" with the two likeliest topics as
buttons (labelled in the conversation's language, :func:`buttons`) plus a way to reach
a person; a second failure in a row goes straight to the offer of a person, so the
patient is never stuck in a loop. Messages that cannot be understood at all get their
own answer: empty, only symbols or emoji; and a script the assistant does not read
(Persian, Urdu, ...: a short English and Arabic reply offering a person, and the offer
of a person itself when it happens again, never the same refusal in a loop). A request
for the other language ("عربي", "English please") that the model missed is confirmed
(:func:`clinic.language.switch_request` decides, not the model).

A short follow-up the model was unsure of is read in the conversation's context
(:func:`follow_up`): "and saturday?" after the opening hours, "is she a woman" after who does
the treatment, "and high bp?" after who it suits get that answer again when it is also the
message's own likeliest FAQ key, instead of "did you mean".
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from clinic.language import AR, ARABIZI, EN, OTHER, detect, switch_request
from clinic.topics import Topic

FALLBACK_INTENT = "nlu_fallback"
FAQ_INTENT = "faq"
FAILURES_BEFORE_PERSON = 2
MAX_CHOICES = 2
HANDOFF_TOPIC = "human_handoff"
# a follow-up: at most this many words, and the FAQ intent at least this likely
FOLLOW_UP_WORDS = 8
FOLLOW_UP_FAQ_SHARE = 0.15
FAQ_RESPONSE_PREFIX = "utter_faq/"


@dataclass(frozen=True)
class FallbackDecision:
    """``kind`` is one of ``empty``, ``no_words``, ``other_language``, ``switch_language``,
    ``did_you_mean``, ``offer_human``."""

    kind: str
    topics: List[Topic] = field(default_factory=list)


def script_of(text: str) -> str:
    """What the assistant can read in a message, by :func:`clinic.language.detect`:

    ``latin`` for English or Arabizi (Latin letters), and for a message of digits alone
    (a phone number, an option, a time; Arabic-Indic digits too); ``arabic`` for Arabic
    in Arabic script, mixed messages that ``detect`` reads as Arabic included;
    ``other`` for letters of other scripts only or mostly (Persian and Urdu in Arabic
    script, Cyrillic, CJK, ...); ``none`` when there is nothing to read (empty, emoji,
    symbols, punctuation)."""
    language = detect(text)
    if language == AR:
        return "arabic"
    if language in (EN, ARABIZI):
        return "latin"
    if language == OTHER:
        return "other"
    return "latin" if any(unicodedata.category(ch) == "Nd" for ch in text) else "none"


# slots set on every turn or by the fallback itself: setting them does not mean a message was taken
BOOKKEEPING_SLOTS = frozenset({"requested_slot", "message_language", "session_started_metadata", "handoff_reason"})


def consecutive_failures(events: Iterable[Mapping[str, Any]]) -> int:
    """How many of the most recent user messages in a row were not understood.

    ``events``: the conversation's events as dicts (Rasa's tracker events, oldest first). A
    message is not understood when the classifier gave it ``nlu_fallback`` and nothing was
    taken from it: a number or a name that a form accepted (a slot set from it before the
    next message) was understood, whatever the classifier thought of it."""
    failures: List[bool] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            failures.append(intent == FALLBACK_INTENT)
        elif (kind == "slot" and failures and event.get("value") is not None
              and event.get("name") not in BOOKKEEPING_SLOTS):
            failures[-1] = False
        elif failures and answered_key(event):  # answered in context (follow_up)
            failures[-1] = False
    count = 0
    for failed in reversed(failures):
        if not failed:
            break
        count += 1
    return count


def rank_topics(
    intent_ranking: Sequence[Mapping[str, Any]],
    faq_ranking: Sequence[Mapping[str, Any]],
    topics: Mapping[str, Topic],
) -> List[Topic]:
    """Offerable topics, likeliest first.

    A FAQ key's score is P(faq) x P(key | faq); other intents score their own
    confidence. Intents that are not topics (greet, out_of_scope, ...) are skipped.
    """
    scores: Dict[str, float] = {}
    p_faq = 0.0
    for item in intent_ranking:
        name, confidence = item.get("name"), float(item.get("confidence") or 0.0)
        if name is None:
            continue
        if name == FAQ_INTENT:
            p_faq = confidence
        elif name in topics:
            scores[name] = max(scores.get(name, 0.0), confidence)
    for item in faq_ranking:
        name = item.get("intent_response_key")
        if name is not None and name in topics:
            scores[name] = max(scores.get(name, 0.0), p_faq * float(item.get("confidence") or 0.0))
    return [topics[name] for name in sorted(scores, key=lambda n: -scores[n])]


def answered_key(event: Mapping[str, Any]) -> Optional[str]:
    """The FAQ key a bot message answered ("faq/location_hours"), from the response name Rasa
    records in its metadata (``utter_faq/location_hours``), else None."""
    if event.get("event") != "bot":
        return None
    action = (event.get("metadata") or {}).get("utter_action") or ""
    return action[len("utter_"):] if isinstance(action, str) and action.startswith(FAQ_RESPONSE_PREFIX) else None


def last_answered_key(events: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The FAQ key answered in reply to the user message before the latest one (the turn a
    follow-up follows), else None. ``events``: Rasa's tracker events as dicts, oldest first."""
    users = 0
    for event in reversed(events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return None
        elif users == 1 and answered_key(event):
            return answered_key(event)
    return None


def follow_up(text: str, intent_ranking: Sequence[Mapping[str, Any]],
              faq_ranking: Sequence[Mapping[str, Any]], previous_key: Optional[str]) -> Optional[str]:
    """The FAQ key to answer a short message the model was unsure of, read as a follow-up to
    the answer before it: ``previous_key`` when it is also the message's own likeliest FAQ key
    and the FAQ intent holds a fair share ("and saturday?" after the opening hours), else None.
    The context only confirms the model's own best guess; it never picks an answer alone."""
    if not previous_key or len(text.split()) > FOLLOW_UP_WORDS or script_of(text) not in ("latin", "arabic"):
        return None
    p_faq = next((float(i.get("confidence") or 0.0) for i in intent_ranking if i.get("name") == FAQ_INTENT), 0.0)
    best = max(faq_ranking, key=lambda r: float(r.get("confidence") or 0.0), default=None)
    if p_faq < FOLLOW_UP_FAQ_SHARE or best is None or best.get("intent_response_key") != previous_key:
        return None
    return previous_key


def decide(
    text: str,
    intent_ranking: Sequence[Mapping[str, Any]],
    faq_ranking: Sequence[Mapping[str, Any]],
    failures_in_a_row: int,
    topics: Mapping[str, Topic],
) -> FallbackDecision:
    """Choose the answer to a message that the model could not classify confidently."""
    if not text.strip():
        return FallbackDecision("empty")
    if switch_request(text):  # "عربي", "English please" the model did not recognise
        return FallbackDecision("switch_language")
    script = script_of(text)
    if script == "none":
        return FallbackDecision("no_words")
    if failures_in_a_row >= FAILURES_BEFORE_PERSON:
        return FallbackDecision("offer_human")
    if script == "other":
        return FallbackDecision("other_language")
    choices = rank_topics(intent_ranking, faq_ranking, topics)[:MAX_CHOICES]
    if not choices:
        return FallbackDecision("offer_human")
    return FallbackDecision("did_you_mean", choices)


def buttons(decision: FallbackDecision, topics: Mapping[str, Topic],
            language: str = "en") -> Optional[List[Dict[str, str]]]:
    """The buttons of a did-you-mean answer: its topics and a person (once, last), titled in
    ``language`` (``en`` or ``ar``); ``None`` for the other answers (their response has its own)."""
    if decision.kind != "did_you_mean":
        return None
    choices = [t for t in decision.topics if t.name != HANDOFF_TOPIC]
    if HANDOFF_TOPIC in topics:
        choices.append(topics[HANDOFF_TOPIC])
    return [{"title": t.label_in(language), "payload": t.ask} for t in choices]
