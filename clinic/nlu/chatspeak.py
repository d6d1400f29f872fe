"""Chat shorthand spelt out before the English classifier reads a message.

Patients on WhatsApp write "wat r ur timings", "pls", "tmrw", "hw many sessions": the sentence
encoder (all-MiniLM-L6-v2) was trained on edited English and places "ur timings" far from
"your timings", and our training examples are mostly written out. :func:`spell_out` replaces
whole words from a short table of shorthand whose meaning is not in doubt in a clinic chat
("u", "ur", "r", "pls", "tmrw", "appt"...); words that could be something else ("y", "k",
"bc", "tom", "wer", "fr") are left alone. The classifier applies it to its training examples
and to every message alike (``clinic.nlu.classifier.TextClassifier``), so both sides read the
same words.
"""
from __future__ import annotations

import re
from typing import Dict

SHORTHAND: Dict[str, str] = {
    "u": "you", "ur": "your", "urs": "yours", "r": "are", "ru": "are you",
    "pls": "please", "plz": "please", "plss": "please", "plzz": "please", "pleas": "please",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tmro": "tomorrow", "2moro": "tomorrow",
    "2mrw": "tomorrow", "2morrow": "tomorrow", "2day": "today", "2nite": "tonight", "tonite": "tonight",
    "wat": "what", "wht": "what", "wot": "what", "hw": "how", "wen": "when", "whn": "when", "whr": "where",
    "abt": "about", "bcoz": "because", "bcos": "because", "coz": "because", "cuz": "because",
    "thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tnx": "thanks", "tq": "thank you", "ty": "thank you",
    "cn": "can", "cud": "could", "shud": "should", "shld": "should", "wud": "would", "wid": "with",
    "hv": "have", "hav": "have", "gv": "give", "dnt": "dont", "nt": "not", "b4": "before", "bfr": "before",
    "aftr": "after", "nxt": "next", "frm": "from", "sry": "sorry", "gud": "good", "gr8": "great",
    "msg": "message", "txt": "text", "pic": "picture", "pics": "pictures", "appt": "appointment",
    "appts": "appointments", "sesh": "session", "dr": "doctor", "hrs": "hours", "hr": "hour",
    "mins": "minutes", "wk": "week", "wks": "weeks", "yr": "year", "yrs": "years",
    "ppl": "people", "smth": "something", "sth": "something", "idk": "i dont know", "ryt": "right",
    "dat": "that", "dis": "this", "der": "there", "n": "and", "nd": "and", "bt": "but", "luk": "look",
    "im": "i am", "iam": "i am", "ive": "i have", "wanna": "want to",
    "gonna": "going to", "gotta": "have to", "kinda": "kind of", "lemme": "let me",
}
# a whole word: "u", "ur", "2moro" (digits count as letters here); not part of "u-shaped",
# "n95", "don't" or a path ("/u/r")
_WORD = re.compile(r"(?<![\w'’/-])[a-z0-9]+(?![\w'’/-])", re.IGNORECASE)


def spell_out(text: str) -> str:
    """``text`` with whole-word chat shorthand written out (case of other words kept):
    ``"wat r ur timings"`` -> ``"what are your timings"``."""
    def replace(match: "re.Match[str]") -> str:
        word = match.group(0)
        return SHORTHAND.get(word.lower(), word)

    return _WORD.sub(replace, text)
