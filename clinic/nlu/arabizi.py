"""Arabizi written back in Arabic letters, for the multilingual encoder.

multilingual-e5-small reads Arabic script well and Arabizi ("kaif t3mal el meso",
"abi a7jiz maw3ed") poorly: it saw little Arabic written in Latin letters with digits.
:func:`to_arabic_script` spells each Arabizi word in Arabic letters by fixed rules (the
chat digits 2 ء, 3 ع, 5 خ, 6 ط, 7 ح, 8 ق, 9 ص and their apostrophe forms, the
consonant pairs sh, kh, gh, th, dh, long vowels written, short vowels inside a word
dropped, the article el/al/il), so that "kaif t3mal el mesotherapy" becomes
"كيف تعمل ال mesotherapy". The spelling is rough, as Arabizi itself is, but close enough
for the encoder to place most questions. English words (the clinic's treatment names,
common English words) are kept as they are.

Framework-free; used by the NLU component (``addons/nlu/intent_classifier.py``) for
messages :func:`clinic.language.detect` calls ``arabizi``.
"""
from __future__ import annotations

import re

# words kept in Latin letters: treatment and product names the encoder knows in any
# language, and English words patients mix in
KEEP = frozenset(
    "mesotherapy meso mesotherapie prp plasma filler fillers botox laser fractional co2 "
    "microneedling dermapen peeling peel hydrafacial collagen hyaluronic retinol vitamin "
    "vitamins serum cream sunblock spf gym sauna appointment booking book cancel session "
    "sessions price offer offers discount package doctor dr clinic dubai location online "
    "cash card tabby tamara insurance whatsapp ok okay please thanks thank you the is are "
    "and or for with to of in on at my your what how when where why much many can do does "
    "i me it this that please pls vs".split())

_PAIRS = [
    ("3'", "غ"), ("9'", "ض"), ("6'", "ظ"), ("7'", "خ"), ("d'", "ذ"), ("t'", "ث"), ("s'", "ش"),
    ("sh", "ش"), ("ch", "ش"), ("kh", "خ"), ("gh", "غ"), ("th", "ث"), ("dh", "ذ"),
]
_LETTERS = {
    "2": "ء", "3": "ع", "5": "خ", "6": "ط", "7": "ح", "8": "ق", "9": "ص",
    "b": "ب", "p": "ب", "t": "ت", "j": "ج", "g": "ج", "d": "د", "r": "ر", "z": "ز", "s": "س",
    "f": "ف", "v": "ف", "q": "ق", "k": "ك", "c": "ك", "l": "ل", "m": "م", "n": "ن", "h": "ه",
    "w": "و", "y": "ي", "x": "كس",
}
_LONG = [("aa", "ا"), ("ee", "ي"), ("ii", "ي"), ("ai", "ي"), ("ay", "ي"), ("ei", "ي"),
         ("oo", "و"), ("ou", "و"), ("uu", "و"), ("ow", "و"), ("aw", "و")]
_VOWELS = "aeiou"
_ARTICLE = re.compile(r"^(w|b|f|l)?(el|al|il)(?=[a-z2356789]{2,})")
_WORD = re.compile(r"[a-z2356789']+|[^a-z2356789']+")


def _word(word: str) -> str:
    """One Latin-letter word in Arabic letters (see the module docstring)."""
    if word in KEEP or not any(ch.isalpha() for ch in word):
        return word
    out = []
    article = _ARTICLE.match(word)
    if article:  # el/al/il, w-el, b-el, f-el, l-el: the article, joined to its word
        prefix = {"w": "و", "b": "ب", "f": "ف", "l": "ل"}.get(article.group(1) or "", "")
        out.append(prefix + ("ل" if prefix == "ل" else "ال"))
        word = word[article.end():]
        if word in KEEP:
            return out[0] + " " + word
    if word in ("el", "al", "il"):
        return "ال"
    i, n = 0, len(word)
    while i < n:
        two = word[i:i + 2]
        pair = next((ar for lat, ar in _PAIRS if lat == two), None)
        if pair:
            out.append(pair)
            i += 2
            continue
        long_vowel = next((ar for lat, ar in _LONG if lat == two), None)
        if long_vowel:
            out.append(long_vowel)
            i += 2
            continue
        ch = word[i]
        if ch in _VOWELS:
            if i == 0 and not out:
                out.append("ا")                        # a word starting with a vowel
            elif i == n - 1:
                # a final -a of a longer word is mostly ta marbuta (jalsa, nateeja)
                out.append("ة" if ch == "a" and n >= 4 else
                           {"a": "ا", "e": "ي", "i": "ي", "o": "و", "u": "و"}[ch])
            # a short vowel inside a word is not written
        elif ch != "'":
            out.append(_LETTERS.get(ch, ch))
        i += 1
    return "".join(out)


_SEPARATE_ARTICLE = re.compile(r"\b([wbfl]?)(?:el|al|il)[ -]+(?=[a-z2356789'])")


def to_arabic_script(text: str) -> str:
    """``text`` with its Arabizi words spelt in Arabic letters (lower-cased; spaces,
    punctuation and kept English words as they were). A separate article joins its
    word ("el jalsa" -> "الجلسة")."""
    text = _SEPARATE_ARTICLE.sub(r"\1el", (text or "").lower())
    return "".join(_word(part) if part[0].isalnum() or part[0] == "'" else part
                   for part in _WORD.findall(text))
