"""A greeting or a connecting word in front of a message: "hi i had my session yesterday",
"salam doctor, can i ...", "ok book me then", "and sunscreen?".

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
             r"marhaba+|mar7aba+|ahlan|hala|"
             # in Arabic script: "السلام عليكم (ورحمة الله وبركاته)", "مرحبا", "هلا", "صباح الخير" ...
             r"ال?سلام (?:عليكم ورحمه الله|عليكم ورحمة الله|عليكم)(?: وبركاته)?|السلام|سلام|مرحب[اًا]+|مرحبتين|"
             r"[اأ]هلا(?: وسهلا)?|هلا(?: والله)?|هاي|هلو|(?:صباح|مساء) (?:الخير|النور|الورد))")
_ADDRESS = (r"(?:doctor|doc|dr|madam|ma'?am|mam|sir|team|there|all|guys|dear|habibi|habibti|bro|sis|ji|"
            r"(?:يا )?(?:دكتور|دكتوره|دكتورة|دكتوري)|(?:يا )?(?:حبيبي|حبيبتي|الغالي|الغاليه))")
_LEAD = re.compile(rf"\s*(?:{_GREETING}\b[\s,.!:;،؛\-]*)+(?:{_ADDRESS}\b[\s,.!:;،؛\-]*)*", re.IGNORECASE)
MIN_REST_WORDS = 2  # "hi there" stays a greeting; "hi price?" is one word of question
# words that join a message to the conversation before it and say nothing themselves:
# "ok book me then", "and sunscreen?", "so how many sessions", "btw do you work weekends",
# "what about alcohol" (a follow-up to the answer before). They are read away like a greeting;
# one word after them is enough ("and sunscreen?": the topic is the question)
_CONNECTOR = (r"(?:ok(?:ay|ey)?|okk+|ohk|kk|alright|allright|aight|so|and|also|then|hmm+|um+|uh+|"
              r"btw|by the way|acha|achha|accha|achcha|one more (?:thing|question)|another question|"
              r"(?:what|wat|wht|how) (?:about|abt|abut)|طيب|[اأ]وكي|[اأ]وك|تمام)")
_CONNECTORS = re.compile(rf"\s*(?:{_CONNECTOR}\b[\s,.!:;،؛\-]*)+", re.IGNORECASE)


def without_greeting(text: str) -> Optional[str]:
    """The message after a leading greeting or connecting words ("ok", "and", "what about"),
    when they lead and enough words follow (:data:`MIN_REST_WORDS` after a greeting alone,
    one after a connector); else None."""
    text = text or ""
    end, connected = 0, False
    while True:  # "hi ok so ...", "ok hi, ..."
        greeting = _LEAD.match(text, end)
        if greeting and greeting.end() > end:
            end = greeting.end()
            continue
        connector = _CONNECTORS.match(text, end)
        if connector and connector.end() > end:
            end, connected = connector.end(), True
            continue
        break
    if end == 0:
        return None
    rest = text[end:].strip()
    words = [w for w in rest.split() if any(ch.isalnum() for ch in w)]
    return rest if len(words) >= (1 if connected else MIN_REST_WORDS) else None


def more_confident(whole: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """Of two readings of one message (label probabilities), the one whose best label is surer."""
    return rest if float(np.max(rest)) > float(np.max(whole)) else whole
