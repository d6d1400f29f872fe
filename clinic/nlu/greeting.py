"""A greeting in front of a message: "hi i had my session yesterday", "salam doctor, can i ...".

Patients on WhatsApp open with a greeting and go on in the same message. The training
examples of each intent rarely start with one, so the greeting words pull the classifier
between ``greet`` and the real intent and the message can fall under the fallback
threshold ("hi i had my meso session today morning": 0.79 against 0.94 without "hi").
:func:`without_greeting` gives the rest of such a message; the intent classifier reads both
and keeps the more confident reading (:func:`more_confident`), so a message that is only a
greeting, or reads better whole ("hey how are you"), is unchanged.
"""
from __future__ import annotations

import re
from typing import Optional

import numpy as np

# greetings in English, Gulf and South Asian usage, and Arabizi, each optionally followed by
# a form of address ("hi doctor,", "salam habibti", "good morning mam")
_GREETING = (r"(?:h+i+|hello+|helo+|hlo+|hey+|heya|hiya|yo|dear|greetings|namaste|"
             r"good (?:morning|afternoon|evening|day)|gm|"
             r"sala+m|salam alaikum|salaam alaikum|as+ala+m+u? ?(?:o |u |-)?(?:alaikum|alaykum|aleikum|3alaikum)|"
             r"marhaba+|mar7aba+|ahlan|hala)")
_ADDRESS = r"(?:doctor|doc|dr|madam|ma'?am|mam|sir|team|there|all|guys|dear|habibi|habibti|bro|sis|ji)"
_LEAD = re.compile(rf"^\s*(?:{_GREETING}\b[\s,.!:;\-]*)+(?:{_ADDRESS}\b[\s,.!:;\-]*)*", re.IGNORECASE)
MIN_REST_WORDS = 2  # "hi there" stays a greeting; "hi price?" is one word of question


def without_greeting(text: str) -> Optional[str]:
    """The message after a leading greeting, when a greeting leads and at least
    :data:`MIN_REST_WORDS` words follow; else None."""
    match = _LEAD.match(text or "")
    if not match or match.end() == 0:
        return None
    rest = text[match.end():].strip()
    return rest if len(rest.split()) >= MIN_REST_WORDS else None


def more_confident(whole: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """Of two readings of one message (label probabilities), the one whose best label is surer."""
    return rest if float(np.max(rest)) > float(np.max(whole)) else whole
