"""Arabizi written back in Arabic letters, for the multilingual encoder.

multilingual-e5-small reads Arabic script well and Arabizi ("kaif t3mal el meso",
"abi a7jiz maw3ed") poorly: it saw little Arabic written in Latin letters with digits.
:func:`to_arabic_script` spells each Arabizi word in Arabic letters by fixed rules (the
chat digits 2 ء, 3 ع, 5 خ, 6 ط, 7 ح, 8 ق, 9 ص and their apostrophe forms, the
consonant pairs sh, kh, gh, th, dh, long vowels written, short vowels inside a word
dropped, the article el/al/il), so that "kaif t3mal el jalsa" becomes "كيف تعمل الجلسة".
The spelling is rough, as Arabizi itself is, but close enough for the encoder to place most
questions. Treatment names are written as the Arabic examples write them (:data:`NAMES`:
"el mesotherapy" -> "الميزوثيرابي"), other English words patients mix in are kept.

Short words the rules would spell wrongly (the final -a of "mata" is no ta marbuta, "hya" is
هي) are looked up in :data:`WORDS`, common chat words of the Gulf, the Levant and Egypt in
their usual Arabic spelling. A doubled letter is written once (Arabic writes a shadda, which
chat leaves out: "7assasa"), "2" is a hamza on its usual seat ("nata2ej" نتائج, "nesa2"
نساء, "as2al" اسأل), a vowel after the article is written ("el adaa" الادا) and a
plural "-at" keeps its alef ("jalsat" جلسات). Some short "a"s are long by the word's
pattern, and are written: after a doubled consonant ("7assasa" حساسة, "5abbaz" خباز) and in
faa3il / mafaa3il ("kateb" كاتب, "7awamel" حوامل, "m5a6er" مخاطر; not in a verb's
imperfect, "y3awer" يعوّر). A final "-ha" or "-na" after a consonant is a pronoun ("3anha"
عنها, "jalsatna" جلستنا), not a ta marbuta.

Framework-free; used by the NLU component (``addons/nlu/intent_classifier.py``) for
messages :func:`clinic.language.detect` calls ``arabizi``.
"""
from __future__ import annotations

import re

# words kept in Latin letters: product names the encoder knows in any language and English
# words patients mix in (the treatment names of NAMES are written in Arabic instead)
KEEP = frozenset(
    "mesotherapy meso mesotherapie prp plasma filler fillers botox laser fractional co2 "
    "microneedling dermapen peeling peel hydrafacial collagen hyaluronic retinol vitamin "
    "vitamins serum cream sunblock spf gym sauna appointment booking book cancel session "
    "sessions price offer offers discount package doctor dr clinic dubai location online "
    "cash card tabby tamara insurance whatsapp ok okay please thanks thank you the is are "
    "and or for with to of in on at my your what how when where why much many can do does "
    "i me it this that please pls vs".split())

def _spellings(table):
    """{Arabic: "spelling spelling ..."} -> {spelling: Arabic}."""
    return {spelling: arabic for arabic, spellings in table.items() for spelling in spellings.split()}


# treatment names written the way the Arabic examples write them, so that an Arabizi
# question reads like the Arabic ones ("shu el meso" -> "شو الميزو")
NAMES = _spellings({
    "ميزوثيرابي": "mesotherapy mesotherapie mesotherapi", "ميزو": "meso mezo", "بلازما": "prp plasma blazma",
    "فيلر": "filler fillers feller", "بوتوكس": "botox", "ليزر": "laser", "فراكشنال": "fractional",
    "ديرمابن": "dermapen derma microneedling", "تقشير": "peel peeling", "كولاجين": "collagen",
})

# common chat words in their usual Arabic spelling (the rules would get them wrong)
WORDS = _spellings({
    "ما هو": "mahu mahw", "ما هي": "mahi mahy", "متى": "mata meta emta imta", "على": "3la 3ala 3al 3ale ala",
    "هذا": "hatha haza hada hadha", "هذي": "hathi hazi hadi hadhi", "هي": "hya hiya hia heya hiye",
    "هو": "hu huwa howa hwa huwwa", "شو": "shu sho shou shoo", "شنو": "shno shnu shnoo",
    "كيف": "kaif kef keef kif kaef", "وين": "wain wein wen wayn", "ليش": "lesh leish laish leesh lish",
    "ولا": "wla walla wala willa", "من": "mn min men mnn", "في": "fi fe fee fii", "عن": "3n 3an 3en",
    "انا": "ana ena", "انت": "enta inta enty", "انتي": "enti inti", "لا": "la laa", "ما": "ma maa",
    "و": "w wa we", "يمكن": "ymkn yimkin yemken", "ممكن": "mumkin momken mumken mmkn momkin",
    "لازم": "lazem lazim lazm", "بعد": "ba3d b3d ba3ad", "بس": "bas bs", "يعني": "ya3ni yani y3ni",
    "لو": "law lo", "وايد": "wayed wayid wajed", "الحين": "el7een al7in hal7een", "ساعة": "sa3a sa3ah",
    "ان شاء الله": "inshallah inshalla insha2allah", "شكرا": "shukran shokran", "مرحبا": "mar7aba mar7ba",
    "نتيجة": "nateeja natija nateja", "نتائج": "nata2ej nataej",
    # adverbs with tanween (the rules would end them in ن) and words whose ض, ظ or ص the
    # Latin letters cannot tell from د, ذ or س
    "فعلا": "fe3lan fi3lan fa3lan", "طبعا": "tab3an 6ab3an", "اصلا": "aslan asln", "ابدا": "abadan abadn",
    "جدا": "jiddan jeddan jdn", "دايما": "daiman dayman da2iman", "مثلا": "mathalan mthlan masalan",
    "بعدين": "ba3dain ba3den ba3dein", "اضرار": "adrar adraar", "ضرر": "darar", "مرض": "marad",
    "مريض": "mareed mareedh", "ابيض": "abyad", "بيضاء": "bedha baidha", "تظهر": "tdhhar tedhhar tidhhar",
})

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


# a doubled consonant (not h: "dhh" is ظه), written once
_DOUBLED = re.compile(r"([b-df-gj-np-tv-z])\1+")
# an "a" after a doubled consonant is mostly long (fa33aal: "7assasa" حساسة, "5abbaz" خباز)
_LONG_AFTER_DOUBLE = re.compile(r"([b-df-gj-np-tv-z])\1+a(?=.)")
# the "a" of faa3il and mafaa3il ("kateb" كاتب, "7awamel" حوامل, "m5a6er" مخاطر): after a
# consonant, before one consonant (not the hamza, whose seat is written), e or i and a last
# consonant (not the pronouns -ek, -ech); not in a verb's imperfect (y3awer يعوّر, nantather)
_C = r"(?:sh|kh|gh|th|dh|ch|[b-df-hj-np-tv-z2356789])"
_FAA3IL = re.compile(rf"(?<=[b-df-hj-np-tv-z2356789])a(?=(?!2){_C}[ei](?!k$|ch$){_C}$)")
# a final -ha or -na after a consonant, or -ha after a long vowel, is a pronoun ("3anha"
# عنها, "mawa3edna" مواعدنا, "feeha" فيها), not a ta marbuta ("madeena" stays مدينة)
_PRONOUN = re.compile(rf"(?:{_C}[hn]a|(?:ee|ii|oo|ou|aa)ha)$")


def _hamza(word: str, i: int) -> str:
    """The "2" at ``word[i]`` on its usual seat: ئ before e/i (after a long a: ائ), اء at the
    end after a, ء at the end, أ elsewhere."""
    before, after = word[i - 1:i], word[i + 1:i + 2]
    if after and after in "ei":
        return "ائ" if before == "a" else "ئ"
    if not after:
        return "اء" if before == "a" else "ء"
    return "أ"


def _word(word: str) -> str:
    """One Latin-letter word in Arabic letters (see the module docstring)."""
    if word in NAMES:
        return NAMES[word]
    if word in KEEP or not any(ch.isalpha() for ch in word):
        return word
    if word in WORDS:
        return WORDS[word]
    out = []
    article = _ARTICLE.match(word)
    if article:  # el/al/il, w-el, b-el, f-el, l-el: the article, joined to its word
        prefix = {"w": "و", "b": "ب", "f": "ف", "l": "ل"}.get(article.group(1) or "", "")
        out.append(prefix + ("ل" if prefix == "ل" else "ال"))
        word = word[article.end():]
        if word in NAMES:
            return out[0] + NAMES[word]
        if word in KEEP:
            return out[0] + " " + word
        if word in WORDS:
            return out[0] + WORDS[word]
    if word in ("el", "al", "il"):
        return "ال"
    word = _LONG_AFTER_DOUBLE.sub(r"\1aa", word)
    word = _DOUBLED.sub(r"\1", word)
    if word[:1] not in ("y", "t", "n"):
        word = _FAA3IL.sub("aa", word)
    pronoun = bool(_PRONOUN.search(word))
    start = len(out)
    plural = len(word) >= 5 and word.endswith("at") and word[-3] not in _VOWELS
    if plural:  # a plural -at keeps its alef (jalsat, nadbat)
        word = word[:-2]
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
        if ch == "2":
            out.append(_hamza(word, i))
            i += 1
            continue
        if ch in _VOWELS:
            if i == 0 and len(out) == start:
                out.append("ا")                        # a word starting with a vowel
            elif i == n - 1:
                # a final -a of a longer word is mostly ta marbuta (jalsa, nateeja)
                out.append("ة" if ch == "a" and n >= 4 and not pronoun else
                           {"a": "ا", "e": "ي", "i": "ي", "o": "و", "u": "و"}[ch])
            # a short vowel inside a word is not written
        elif ch != "'":
            out.append(_LETTERS.get(ch, ch))
        i += 1
    if plural:
        out.append("ات")
    return "".join(out)


_SEPARATE_ARTICLE = re.compile(r"\b([wbfl]?)(?:el|al|il)[ -]+(?=[a-z2356789'])")


def to_arabic_script(text: str) -> str:
    """``text`` with its Arabizi words spelt in Arabic letters (lower-cased; spaces,
    punctuation and kept English words as they were). A separate article joins its
    word ("el jalsa" -> "الجلسة")."""
    text = _SEPARATE_ARTICLE.sub(r"\1el", (text or "").lower())
    return "".join(_word(part) if part[0].isalnum() or part[0] == "'" else part
                   for part in _WORD.findall(text))
