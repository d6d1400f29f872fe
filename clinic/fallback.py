"""What to say when the assistant did not understand a message.

A low-confidence message gets "did you mean" with the two likeliest topics as
buttons plus a way to reach a person; a second failure in a row goes straight to the
offer of a person, so the patient is never stuck in a loop. Messages that cannot be
understood at all (empty, only symbols or emoji, not in English) get their own answer.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Sequence

from clinic.topics import Topic

FALLBACK_INTENT = "nlu_fallback"
FAQ_INTENT = "faq"
FAILURES_BEFORE_PERSON = 2
MAX_CHOICES = 2

_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class FallbackDecision:
    """``kind`` is one of ``empty``, ``no_words``, ``not_english``, ``did_you_mean``, ``offer_human``."""

    kind: str
    topics: List[Topic] = field(default_factory=list)


def script_of(text: str) -> str:
    """``latin`` when the text has Latin letters or digits, ``other`` when it has only
    letters of other scripts (Arabic, ...), ``none`` when it has no letters at all."""
    if _LATIN_OR_DIGIT.search(text):
        return "latin"
    if any(unicodedata.category(ch).startswith("L") for ch in text):
        return "other"
    return "none"


def consecutive_failures(user_intents: Iterable[str]) -> int:
    """How many of the most recent user messages in a row were not understood."""
    count = 0
    for name in reversed(list(user_intents)):
        if name != FALLBACK_INTENT:
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
        if name == FAQ_INTENT:
            p_faq = confidence
        elif name in topics:
            scores[name] = max(scores.get(name, 0.0), confidence)
    for item in faq_ranking:
        name = item.get("intent_response_key")
        if name in topics:
            scores[name] = max(scores.get(name, 0.0), p_faq * float(item.get("confidence") or 0.0))
    return [topics[name] for name in sorted(scores, key=lambda n: -scores[n])]


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
    script = script_of(text)
    if script == "other":
        return FallbackDecision("not_english")
    if script == "none":
        return FallbackDecision("no_words")
    if failures_in_a_row >= FAILURES_BEFORE_PERSON:
        return FallbackDecision("offer_human")
    choices = rank_topics(intent_ranking, faq_ranking, topics)[:MAX_CHOICES]
    if not choices:
        return FallbackDecision("offer_human")
    return FallbackDecision("did_you_mean", choices)
