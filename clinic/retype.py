"""Real messages typed again the way patients type on WhatsApp: a robustness reading.

The evaluation corpora hold real reports and questions, mostly as their writers edited them
for a forum or a review: capitals, full stops, commas, words spelt out. Patients in a chat
write "my lips r swollen n i cant breath properly", with no full stop, a shorthand word or two
and a slip of the finger. :func:`retype` renders a text in one of :data:`STYLES`, so that an
evaluation can read the same real rows as typed (``scripts/eval_triage.py --as-typed``):

- ``run-on``: lowercase, no punctuation or apostrophes, one space between words;
- ``shorthand``: run-on, and common words in chat shorthand ("you" -> "u", "the" -> "d");
- ``slip``: as written, with one finger slip (a letter dropped, doubled, or two swapped) in
  one word of five or more letters;
- ``shorthand+slip``: both.

The shorthand table is written here from chat habits and on purpose differs from the table the
assistant spells out (:data:`clinic.nlu.chatspeak.SHORTHAND`: "d", "nw", "rly" are not in it),
so the reading does not only test the words the assistant already knows. Renderings are
deterministic: the random choices are seeded by the text and the style.
"""
from __future__ import annotations

import hashlib
import random
import re
from typing import Dict, Tuple

STYLES: Tuple[str, ...] = ("run-on", "shorthand", "slip", "shorthand+slip")
# word -> how it is often typed in a chat (each replaced with probability SHORTHAND_RATE)
CHAT_SHORTHAND: Dict[str, str] = {
    "you": "u", "your": "ur", "are": "r", "please": "pls", "because": "coz", "tomorrow": "tmrw",
    "what": "wat", "thanks": "thx", "today": "2day", "before": "b4", "about": "abt", "with": "wid",
    "have": "hv", "people": "ppl", "something": "smth", "doctor": "dr", "hours": "hrs",
    "minutes": "mins", "week": "wk", "weeks": "wks", "really": "rly", "should": "shud",
    "could": "cud", "would": "wud", "and": "n", "the": "d", "yes": "ya", "okay": "ok", "now": "nw",
    "know": "knw",
}
SHORTHAND_RATE = 0.7
_PUNCTUATION = re.compile(r"[.,;:!?…()\"“”]+")
_APOSTROPHE = re.compile(r"['’`´]")
_WORD = re.compile(r"[A-Za-z]+")


def _random(text: str, style: str) -> random.Random:
    return random.Random(hashlib.sha256(f"{style}\n{text}".encode("utf-8")).hexdigest())


def run_on(text: str) -> str:
    """Lowercase, no punctuation or apostrophes, one space between words."""
    return " ".join(_PUNCTUATION.sub(" ", _APOSTROPHE.sub("", text.lower())).split())


def shorthand(text: str, rng: random.Random) -> str:
    """Each word of :data:`CHAT_SHORTHAND` replaced with probability :data:`SHORTHAND_RATE`."""
    def swap(match: re.Match) -> str:
        short = CHAT_SHORTHAND.get(match.group(0).lower())
        return short if short is not None and rng.random() < SHORTHAND_RATE else match.group(0)

    return _WORD.sub(swap, text)


def slip(text: str, rng: random.Random) -> str:
    """One finger slip in one word of five or more letters (the text unchanged if it has none):
    a letter inside the word dropped, doubled, or swapped with the next one."""
    words = list(_WORD.finditer(text))
    candidates = [m for m in words if len(m.group(0)) >= 5]
    if not candidates:
        return text
    match = rng.choice(candidates)
    word = match.group(0)
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        slipped = word[:i] + word[i + 1:]
    elif kind == "double":
        slipped = word[:i] + word[i] + word[i:]
    else:
        slipped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return text[:match.start()] + slipped + text[match.end():]


def retype(text: str, style: str) -> str:
    """``text`` as typed in ``style`` (one of :data:`STYLES`)."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}: one of {', '.join(STYLES)}")
    if style == "slip":
        return slip(text, _random(text, "slip"))
    typed = run_on(text)
    if style == "run-on":
        return typed
    typed = shorthand(typed, _random(text, "shorthand"))  # the same words as the shorthand style
    return slip(typed, _random(text, "slip")) if style == "shorthand+slip" else typed
