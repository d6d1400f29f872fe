"""A patient's answer to a yes/no confirmation ("Shall I book it?", "Shall I cancel NS-...?").

``read_reply`` turns the reply into YES, NO or UNSURE. A button payload ("/affirm",
"/deny") is taken as the classifier read it. Typed words are read with a small phrase
list ("yes cancel it", "go ahead", "ok do it", "nope", "not now", "let me check first");
the classifier's affirm/deny is used when the words say neither, and when the words and
the classifier disagree the answer is UNSURE (the assistant asks once more). Nothing is
ever booked, cancelled or moved on anything but a clear YES.

Arabic (Gulf and MSA) and Arabizi replies are read the same way, from the lists at the
end of each group below ("نعم", "ايوه", "تمام", "لا", "مو الحين", "ما ابي", "الغيه",
"خليه", "ee", "aywa", "la2", "mabi" ...), over :func:`clinic.language.normalise_arabic`
spelling (one alef, ya and ha; no diacritics or tatweel; a letter stretched three times or
more written once: "لاااا", "ايوووه"). Choices, for review by a native speaker:

* "لا" and the other Arabic "no" words count only as the first word of a question
  ("لا، كم السعر؟") or in a message that is no question: "هل لا يوجد موعد بعد العصر؟"
  and "ليش ما في مواعيد؟" are questions, answered first and asked again. A message is a
  question when it has "?"/"؟" or starts with an Arabic question word (هل، ليش، كم ...),
  since Arabic chat often leaves the question mark out.
* "لا بأس", "لا مانع", "ما في مشكلة", "مو مشكلة", "ليش لا" agree.
* "خلاص" is neither yes nor no at a confirmation ("خلاص احجز" is a yes, "خلاص لا" a no,
  "خلاص" alone is asked again unless the classifier settles it); on its own in the middle
  of a form it leaves the form ("enough"). "يمكن" is unsure; "ان شاء الله" on its own is
  unsure too (the classifier does not settle it), with a yes it is a yes ("ايوه ان شاء الله").
* "اي" (Gulf "yes", also "any/which") is a yes only on its own or with courtesy words
  ("اي والله"); "اي وقت" and "اي نوع" are no answer. "اجل" (MSA "yes", also "postpone")
  is left out. An Arabic or Arabizi yes with a question mark ("تمام؟", "aywa?") asks.
* "ما ابي" (I don't want) is a no at a confirmation; in the middle of a form it leaves the
  form only as the whole message or with احجز/الموعد/اكمل ("ما ابي الصبح، ابي العصر" is a
  wish about the time, not a stop).
"""
from __future__ import annotations

import enum
import re
from typing import Iterable, Optional, Tuple

from clinic.language import normalise_arabic


class Reply(str, enum.Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


MAX_CHARS = 300

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s'👍👎✅❌]")
_STRETCHED = re.compile(r"(\w)\1{2,}")  # "yesss", "noooo", "okkkk"
_STRETCHED_ARABIC = re.compile(r"([\u0621-\u064A])\1{2,}")  # "لاااا", "ايوووه": Arabic doubles no letter thrice
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


def normalise(text: str) -> str:
    """Lowercase, straight apostrophes, punctuation to spaces, stretched letters shortened;
    Arabic in one spelling (:func:`clinic.language.normalise_arabic`)."""
    text = normalise_arabic((text or "")[:MAX_CHARS]).replace("’", "'").replace("`", "'")
    text = _STRETCHED_ARABIC.sub(r"\1", text)
    text = _STRETCHED.sub(r"\1\1", _NOT_WORD.sub(" ", text))
    return " " + _SPACES.sub(" ", text).strip() + " "


def _words(*phrases: str) -> Tuple[str, ...]:
    """Phrases in the spelling :func:`normalise` gives the patient's text."""
    return tuple(dict.fromkeys(normalise(p).strip() for p in phrases if normalise(p).strip()))


# what the patient says to agree to a question about ``kind`` ("cancel it" agrees to a cancellation)
ACTION_WORDS = {
    "book": ("book it", "book me", "book that", "book this", "book please", "please book", "confirm",
             "reserve it", "lock it", "take it", "i'll take it", "ill take it")
    + _words("احجز", "احجزه", "احجزها", "احجزيه", "احجزي", "احجزلي", "احجز لي", "احجزوه", "احجزوا", "ثبت",
             "ثبته", "ثبتها", "ثبتيه", "ثبتوه", "ثبت الموعد", "ثبت الحجز", "أكد", "أكده", "أكد الحجز",
             "أكد الموعد", "أبيه", "أبغاه", "أبيها", "أبغاها",
             "a7jiz", "a7jez", "a7joz", "ahjiz", "ahjez", "e7jez", "i7jiz", "thabbit", "thabit", "sabbit",
             "akkid", "abeeh", "abeh", "abgah"),
    "cancel": ("cancel it", "cancel that", "cancel this", "cancel please", "please cancel", "cancel my",
               "cancel the", "go ahead and cancel", "cancel", "confirm")
    + _words("ألغي", "ألغيه", "ألغيها", "ألغ", "ألغوه", "ألغوها", "الغاء", "إلغاء", "ألغي الموعد", "ألغي الحجز",
             "كنسل", "كنسله", "كنسلها", "كنسليه", "كنسلوه", "أكد الإلغاء",
             "alghi", "elghi", "ilghi", "al8i", "el8i", "alghih", "elghih", "kansil", "kansel", "kanselah",
             "kansilah"),
    "reschedule": ("move it", "change it", "reschedule it", "move please", "please move", "confirm",
                   "switch it", "that works")
    + _words("غيره", "غيرها", "غيريه", "غيروه", "غير الموعد", "غير الوقت", "بدله", "بدلها", "بدل الموعد",
             "انقله", "انقلها", "انقل الموعد", "حوله", "حولها", "أجله", "أجلها", "ثبت الموعد الجديد",
             "ghayyir", "ghayer", "ghayreh", "ghayra", "8ayer", "8ayyir", "baddil", "badel", "baddilah",
             "anqil", "an8il", "7awil", "7awleh", "ajjil"),
}
# ... and what declines it ("keep it" declines a cancellation)
_KEEP_AR = _words("خليه", "خليها", "خلوه", "خلي الموعد", "خلي الحجز", "ابقيه", "ابقيها", "زي ما هو", "مثل ما هو",
                  "على ما هو", "5alleh", "khalleh", "5aleh", "khalih", "5alih", "khalli", "5alli", "khallih")
DECLINE_WORDS = {
    "book": ("cancel", "start again", "start over", "don't book", "dont book", "do not book")
    + _words("ألغي", "ألغيه", "ألغ", "كنسل", "كنسله", "لا تحجز", "لا تحجزه", "ما ابي احجز", "ما ابغى احجز",
             "ابدا من جديد", "من البداية", "alghi", "elghi", "kansil", "kansel", "la t7jiz", "mabi a7jiz"),
    "cancel": ("keep it", "keep my", "keep the", "don't cancel", "dont cancel", "do not cancel")
    + _KEEP_AR + _words("لا تلغي", "لا تلغيه", "لا تلغيها", "لا تلغون", "ما ابي الغي", "ما ابغى الغي",
                        "لا تكنسل", "لا تكنسله", "la tlghi", "la tilghi", "la tlghih", "la tkansil", "mabi alghi"),
    "reschedule": ("keep it", "keep my", "keep the", "don't move", "dont move", "do not move",
                   "don't change", "dont change", "leave it as")
    + _KEEP_AR + _words("لا تغير", "لا تغيره", "لا تغيرها", "لا تنقله", "ما ابي اغير", "ما ابغى اغير",
                        "la t8ayer", "la tghayyir", "la tghayer", "mabi a8ayer", "mabi aghayer"),
}

YES_PHRASES: Tuple[str, ...] = (
    "yes", "yess", "yes please", "yeah", "yea", "yep", "yup", "ya", "yah", "yas", "y", "sure", "ok", "okay",
    "okey", "okk", "k", "kk", "alright", "all right", "fine", "correct", "right", "go ahead", "go for it",
    "do it", "please do", "sounds good", "sounds great", "perfect", "great", "absolutely", "definitely",
    "of course", "affirmative", "agreed", "done", "proceed", "pls do", "plz do", "why not", "haan", "han ji",
    "ji", "tamam", "tayeb", "aywa", "yalla", "👍", "✅", "no problem", "no worries", "that's right",
    "thats right", "that is right", "works for me", "good", "cool", "please", "pls", "plz",
)
YES_ARABIC = _words(
    # Gulf and MSA
    "نعم", "ايوه", "ايوا", "إيه", "ايي", "أكيد", "تمام", "اوكي", "اوك", "اوكيه", "أوكي", "موافق", "موافقة",
    "أوافق", "صحيح", "مضبوط", "بلى", "ممتاز", "يب", "نعم من فضلك", "أكيد أكيد", "على بركة الله",
    # Arabizi
    "ee", "eeh", "aywa", "aiwa", "aywah", "aiwah", "iwa", "eiwa", "na3am", "n3am", "naam", "akeed", "akid",
    "akkeed", "tamam", "tmam", "tamaam", "tayeb", "tayyib", "6ayeb", "6ayib", "mwafiq", "mowafeq", "mwafeg",
    "sa7i7", "mumtaz",
)
YES_PHRASES += YES_ARABIC
# words that are a yes only in a reply of one or two words ("زين" is "ok", and "well" in "ما أقدر
# أتنفس زين"; "تم" is "done", and the passive in "تم خصم مبلغ"; "يلا مع السلامة" says goodbye)
YES_SHORT = _words("زين", "حلو", "تم", "صح", "طيب", "ماشي", "يلا", "zain", "zein", "mashi", "mashy", "sa7", "7ilo")
# "or not" ("يوجع ولا لا", "tooja3 wala la"): no "no"
NEUTRAL = _words("ولا لا", "والا لا", "او لا", "أم لا", "wala la", "walla la", "willa la", "aw la")
# "اي" is the Gulf "yes" and also "any / which" ("اي وقت", "اي نوع"): a yes only on its own or
# with courtesy words ("اي والله", "اي لو سمحت")
_AI = frozenset(_words("اي"))
_AI_WITH = frozenset(_words("والله", "لو", "سمحت", "من", "فضلك", "بليز", "شكرا", "يعطيك", "العافيه", "الله",
                            "مشكور", "مشكوره", "حبيبي", "please", "pls", "habibi"))
# putting the decision off ("i'll get back to u", "will confirm after i check my schedule", "let me
# discuss with my family"): a no that wins over a yes word in the same message ("ok i will let u
# know" books nothing); clinic/booking/deferral.py reads them outside a confirmation too
DEFER_PHRASES = (
    "let me think", "think about it", "think it over", "i'll think", "ill think", "i will think", "will think",
    "need to think", "need some time", "need time", "some time to decide", "time to think", "let me decide",
    "will decide", "i'll decide", "ill decide", "need to decide", "get back to you", "get back to u",
    "get back to ya", "come back to you", "come back to u", "come back later", "i'll come back", "ill come back",
    "will come back", "let you know", "let u know", "let ya know", "will revert", "and revert", "revert back",
    "revert later", "check with my", "check with the", "ask my", "talk to my", "speak to my", "discuss with my",
    "discuss it with", "consult my", "check my schedule", "check my calendar", "check my diary", "see my calendar",
    "see my schedule", "confirm later", "will confirm after", "i'll confirm after", "will confirm once",
    "will msg you", "will message you", "will text you", "msg you later", "message you later", "text you later",
    "maybe later", "later inshallah", "later insha allah", "not now", "not yet", "not ready", "not sure yet",
)
NO_PHRASES = (
    "no", "nope", "nah", "na", "nahi", "nahin", "not now", "not yet", "not today", "later", "maybe later",
    "wait", "hold on", "hang on", "let me check", "check first", "check with", "i'll check", "ill check",
    "let me think", "think about it", "i'll think", "ill think", "ask my", "talk to my", "speak to my",
    "never mind", "nevermind", "nvm", "forget it", "leave it", "stop", "don't", "dont", "do not",
    "changed my mind", "change my mind", "no thanks", "no thank you", "not interested", "not anymore",
    "actually no", "rather not", "skip it", "👎", "❌",
) + DEFER_PHRASES
# Arabic and Arabizi "no": counted only as the first word of a question, or in a message that
# is no question ("هل لا يوجد موعد بعد العصر؟" asks; "لا، كم السعر؟" says no, then asks)
_DELAY_AR = _words(
    "مو الحين", "مب الحين", "مش الحين", "مو هالحين", "ليس الآن", "مش دلوقتي", "بعدين", "لاحقا", "خلني افكر",
    "خليني افكر", "ابي افكر", "بفكر", "افكر فيها", "خلني اشوف", "خليني اشوف", "بشوف", "اشاور", "بشاور",
    "اسال زوجي", "اسال زوجتي", "اسال اهلي", "بسال زوجي", "بسال زوجتي", "براجع", "لحظة", "انتظر", "شوي شوي",
    "غيرت رأيي", "mo al7een", "mo el7ein", "mo al7ein", "mub al7een", "mob al7in", "mu al7in", "mo alhin",
    "ba3dain", "ba3dein", "ba3den", "ba3deen", "5alni afakir", "khalni afakir", "bafakir", "befakir",
    "bashoof", "bashuf", "ashawir", "bashawir", "la7tha", "la7za", "lahza", "ghayart ra2yi", "8ayart ra2yi",
    "ghayart rayi")
# the Arabic and Arabizi deferrals among them ("let me think", "I'll consult", "I'll ask my husband",
# "not now"), which also leave a form (clinic/booking/deferral.py); "بعدين" (later) and "لحظة" (a
# moment) alone do not: "بعدين" may be a wish about the time
DEFER_ARABIC = _words(
    "مو الحين", "مب الحين", "مش الحين", "مو هالحين", "ليس الآن", "خلني افكر", "خليني افكر", "ابي افكر", "بفكر",
    "افكر فيها", "اشاور", "بشاور", "اسال زوجي", "اسال زوجتي", "اسال اهلي", "بسال زوجي", "بسال زوجتي", "براجع",
    "mo al7een", "mo el7ein", "mo al7ein", "mub al7een", "mob al7in", "mu al7in", "mo alhin", "5alni afakir",
    "khalni afakir", "bafakir", "befakir", "ashawir", "bashawir")
NO_ARABIC = _DELAY_AR + _words(
    "لا", "لأ", "لاء", "كلا", "لا لا", "لا شكرا", "لا مشكور", "لا تسلم", "مو اليوم", "ما ابي", "مابي", "ما ابغى",
    "مابغى", "ما ابغي", "مابغي", "ما اريد", "لا اريد", "لا أرغب", "ما ارغب", "ما بدي", "مش عايز", "مو لازم",
    "مب لازم", "ما يحتاج", "مايحتاج", "ما احتاج", "انسى", "انسي", "وقف", "توقف", "لا تحجز",
    "la", "la2", "laa", "la'", "la shukran", "la shokran", "kalla", "mabi", "ma abi", "mabgha", "ma abgha",
    "mabghi", "mabgi", "ma abgi", "ma areed", "mo lazim", "mub lazim", "ma y7taj", "may7taj", "wagf", "wa2if",
    "wagif", "waqif", "ensa", "insa")
# short Arabic / Arabizi "no" words that are something else inside a sentence: whole message only
NO_ALONE = frozenset(_words("مو", "مب", "مش", "mo", "mub", "mob", "mu", "moo"))
UNSURE_PHRASES = ("not sure", "maybe", "i don't know", "i dont know", "idk", "dunno", "hmm", "perhaps",
                  "no idea", "unsure") + _words(
    "مو متأكد", "مو متأكدة", "مب متأكد", "مب متأكدة", "مش متأكد", "مش متأكدة", "لست متأكد", "لست متأكدة",
    "غير متأكد", "غير متأكدة", "ما ادري", "مادري", "مدري", "ما اعرف", "مااعرف", "مش عارف", "مش عارفة", "يمكن",
    "ربما", "احتمال", "mo mit2akid", "mu mit2akid", "mub mit2akid", "mo mt2kd", "mu muta2akid", "mo muta2akid", "madri",
    "ma adri", "mdri", "ma a3rif", "ma a3ref", "yimkin", "yemkin", "ymkn", "rubbama", "ehtimal")
# "God willing": with a yes it is a yes ("yes inshallah"), on its own it is no clear answer
UNSURE_ALONE = _words("ان شاء الله", "إن شاء الله", "انشالله", "انشاءالله", "ان شاءالله", "الله كريم", "inshallah",
                      "inshalla", "insha allah", "in sha allah", "inshaallah", "enshallah", "nshallah")
# phrases that contain a "no" word but agree
AGREEING_NEGATIONS = ("no problem", "no worries", "why not", "no issue", "no issues") + _words(
    "لا بأس", "لا مانع", "ما في مانع", "مافي مانع", "ما عندي مانع", "ماعندي مانع", "مو مشكلة", "مب مشكلة",
    "مش مشكلة", "ما في مشكلة", "مافي مشكلة", "لا مشكلة", "ما عندي مشكلة", "ليش لا", "ليه لا", "لم لا",
    "mafi mushkila", "mafi moshkila", "mafi mshkla", "ma fi mushkila", "mo mushkila", "mub mushkila",
    "mo moshkila", "la ba2s", "la bas", "laish la", "leish la", "lesh la", "mafi mani3", "ma 3indi mani3")
QUESTION_START = ("what", "how", "when", "where", "why", "who", "which", "is", "are", "do", "does", "can",
                  "could", "will", "should", "would")
# Arabic chat often leaves the question mark out: a message that starts with one of these asks
QUESTION_START_ARABIC = frozenset(_words(
    "هل", "ليش", "ليه", "لماذا", "كم", "بكم", "متى", "وين", "أين", "كيف", "شلون", "اشلون", "شو", "ايش", "إيش",
    "شنو", "وش", "منو", "مين", "ماذا", "قديش",
    "hal", "laish", "leish", "lesh", "laysh", "kam", "bkam", "bikam", "mata", "wain", "wein", "kaif", "keef",
    "kif", "shu", "shou", "eish", "shino", "shinu", "wesh", "minu", "meen", "shlon", "eshlon"))
# a delay wins over a yes ("yes but not now"): doing nothing is the answer that can be undone
DELAY_PHRASES = ("not now", "not yet", "later", "wait", "hold on", "hang on", "let me check", "check first",
                 "check with", "let me think", "think about it", "ask my", "talk to my", "speak to my",
                 "actually no", "changed my mind", "never mind", "nevermind", "forget it") + DEFER_PHRASES + _DELAY_AR


_ACK_WORDS = (r"(?:ok+|okay|okey|k|great|perfect|cool|nice|good|fine|thanks?|thank you|thx|ty|noted|awesome|"
              r"super|sure|alright|all right|sounds good|yes|yeah|yep|yup|تمام|اوكي|اوك|شكرا|ممتاز|حلو)")
ACKNOWLEDGEMENTS = re.compile(rf"^{_ACK_WORDS}(?: {_ACK_WORDS})*$")


def _has(text: str, phrases: Iterable[str]) -> bool:
    return any(f" {phrase} " in text for phrase in phrases)


def _starts(text: str, phrases: Iterable[str]) -> bool:
    return any(text.startswith(f" {phrase} ") for phrase in phrases)


def _strip(text: str, phrases: Iterable[str]) -> str:
    for phrase in phrases:
        text = text.replace(f" {phrase} ", " ")
    return text if text.startswith(" ") else " " + text


def _asks(text: str, words: str) -> bool:
    """Whether the message is a question: a question mark with an English question word or
    any Arabic word, or an Arabic / Arabizi question word first ("هل عندكم موعد ثاني")."""
    marked = "?" in text or "؟" in text
    if marked and (_has(words, QUESTION_START) or _ARABIC_LETTER.search(words) or _has(words, YES_ARABIC)
                   or _has(words, YES_SHORT) or _has(words, _AI)):
        return True
    first = words.split()[:1]
    return bool(first) and first[0] in QUESTION_START_ARABIC


def _ai_yes(words: str) -> bool:
    """"اي" / "اي والله" (yes), not "اي وقت" (any time) nor "اي نوع؟" (which kind)."""
    parts = words.split()
    return bool(parts) and parts[0] in _AI and all(p in _AI_WITH for p in parts[1:])


def read_words(text: str, kind: str = "book") -> Reply:
    """YES / NO / UNSURE from the words alone."""
    text = text or ""
    words = normalise(text)
    if not words.strip():
        return Reply.UNSURE
    agrees = _has(words, AGREEING_NEGATIONS)
    rest = _strip(_strip(words, AGREEING_NEGATIONS), NEUTRAL)
    question = _asks(text, rest)
    # "don't cancel" / "keep it" decline before "cancel" can read as agreement
    declines = _has(rest, DECLINE_WORDS.get(kind, ()))
    rest_for_yes = _strip(rest, DECLINE_WORDS.get(kind, ()))
    yes = (agrees or _has(rest_for_yes, YES_PHRASES) or _has(rest_for_yes, ACTION_WORDS.get(kind, ()))
           or _ai_yes(rest_for_yes) or (len(rest_for_yes.split()) <= 2 and _has(rest_for_yes, YES_SHORT)))
    arabic_no = _has(rest, NO_ARABIC) and (not question or _starts(rest, NO_ARABIC))
    no = declines or _has(rest, NO_PHRASES) or arabic_no or rest.strip() in NO_ALONE
    if _has(words, UNSURE_PHRASES) and not (no and not yes):
        return Reply.UNSURE
    if _has(words, UNSURE_ALONE) and not (yes or no):
        return Reply.UNSURE
    if yes and not no:
        if question:
            return Reply.UNSURE  # "ok but is it painful?": answer first, then ask again
        return Reply.YES
    if no and not yes:
        return Reply.NO
    if no and yes:
        # "yes but not now", "ok let me check with my husband first": a delay wins, since
        # doing nothing is the answer that can be undone; anything else is asked again
        return Reply.NO if _has(rest, DELAY_PHRASES) else Reply.UNSURE
    return Reply.UNSURE


# "ok fine u can keep my number, book it" after refusing the consent question: the details may
# be kept after all (a bare "yes" says too little once the booking was let go)
_KEEP_DETAILS = re.compile(r"\b(?:keep|store|save|use|have|take)\b.*\b(?:number|no|details|data|contact|info|mobile|"
                           r"phone|name)\b|\bbook (?:it|me)\b|\bgo ahead\b")


def consents_after_refusing(text: str) -> bool:
    """Whether a message sent just after the consent was refused gives it after all, and says
    so in more than a bare yes ("ok fine u can keep my number, book it")."""
    text = text or ""
    if text.strip().startswith("/") or "?" in text:
        return False
    return read_words(text, "book") is Reply.YES and bool(_KEEP_DETAILS.search(normalise(text)))


def acknowledges(text: str) -> bool:
    """"ok", "great thanks", "perfect", "تمام": a bare acknowledgement of what was just said
    (a free time read back), neither a name nor an answer to the question asked with it.
    Words that are also names ("Zain") are left out."""
    return bool(ACKNOWLEDGEMENTS.match(normalise(text).strip()))


def read_reply(text: Optional[str], intent: Optional[str] = None, kind: str = "book") -> Reply:
    """The patient's answer to a confirmation about ``kind`` (book, cancel or reschedule).

    ``intent`` is the classifier's intent for the message (affirm/deny count, and defer
    as a no; anything else is ignored); a button payload ("/affirm") is taken at its intent.
    """
    said = {"affirm": Reply.YES, "deny": Reply.NO, "defer": Reply.NO}.get(intent or "")
    text = text if isinstance(text, str) else ""
    if text.strip().startswith("/"):
        return said or Reply.UNSURE
    words = read_words(text, kind)
    if words is Reply.UNSURE:
        # the classifier may settle a reply the phrase list does not know, but never a
        # question or a doubt it read as one
        normal = normalise(text)
        doubt = _has(normal, UNSURE_PHRASES) or _has(normal, UNSURE_ALONE) or _asks(text, normal)
        return said if said and not doubt and "?" not in text and "؟" not in text else Reply.UNSURE
    if said and said is not words:
        return Reply.UNSURE
    return words


class Step(str, enum.Enum):
    """What the assistant does with a reply to a confirmation."""

    DO = "do"            # book / cancel / move, then say it is done
    KEEP = "keep"        # change nothing (release a hold) and say what stays as it was
    ASK_AGAIN = "again"  # one clear re-ask with Yes/No buttons


def next_step(reply: Reply, asked_again: bool) -> Step:
    """Only a clear YES changes anything; an unclear reply is asked once more, and after
    that re-ask the patient is told that nothing changed."""
    if reply is Reply.YES:
        return Step.DO
    if reply is Reply.UNSURE and not asked_again:
        return Step.ASK_AGAIN
    return Step.KEEP


CHANGE_CUES = ("instead", "make it", "change it", "change to", "change the", "rather", "actually", "move it",
               "can we do", "could we do", "how about", "what about", "better", "wait", "sorry", "switch",
               "prefer") + _words(
    "بدل", "بدال", "بدلا", "بدلها", "بدله", "عوضا", "غير الموعد", "غير الوقت", "غير اليوم", "غيره", "غيرها",
    "خلها", "خليها", "خله", "خليه", "نخليه", "نخليها", "نخليها", "وقت ثاني", "وقت آخر", "يوم ثاني", "يوم آخر",
    "موعد ثاني", "موعد آخر", "أحسن", "أفضل", "الأفضل", "يناسبني أكثر", "آسف", "آسفة", "سوري", "معليش",
    "معلش", "عفوا", "لحظة", "انتظر", "انقله", "انقلها", "أجله", "قدمه", "حوله", "ما رأيك", "شرايك", "شو رايك",
    "badal", "bdal", "bedal", "5alleha", "khalliha", "5aliha", "khaliha", "5alha", "wa8t thani", "waqt thani",
    "wagt thani", "yom thani", "maw3ed thani", "a7san", "afdal", "asif", "asfa", "ma3lesh", "ma3leish",
    "ma3lish", "la7tha", "la7za", "lahza", "8ayer", "ghayer", "shrayik", "shrayek")


def changes_the_time(text: str) -> bool:
    """"wait sorry, can we make it saturday morning instead?": words that change a time
    already given (whether the message names a day or time is for clinic.booking.dates)."""
    return _has(normalise(text), CHANGE_CUES)


STOP_PHRASES = ("stop", "never mind", "nevermind", "nvm", "forget it", "start again", "start over",
                "cancel that", "leave it", "no thanks", "no thank you", "changed my mind", "not interested",
                "don't want", "dont want", "not anymore") + _words(
    "وقف", "توقف", "خلاص وقف", "خلاص انسى", "انسى", "انسي", "انسى الموضوع", "انسي الموضوع", "مو مهم",
    "مب مهم", "مش مهم", "غيرت رأيي", "ابدا من جديد", "نبدا من جديد", "من البداية", "لا شكرا", "مو مهتم",
    "مب مهتم", "مش مهتم", "ما ابي احجز", "ما ابغى احجز", "مابي احجز", "ما ابي الموعد", "ما ابي اكمل",
    "ما ابغى اكمل", "ما ابي شي", "ما ابغى شي", "خلاص ما ابي", "لا خلاص", "خلاص لا",
    "wagf", "wa2if", "wagif", "waqif", "ensa", "insa", "ensa el mawdoo3", "mo mohim", "mub mohim", "mo muhim",
    "khalas mabi", "5alas mabi", "la shukran", "la shokran", "ghayart ra2yi", "8ayart ra2yi", "mabi a7jiz",
    "mabi akammil", "la khalas", "la 5alas")
# stop only as the whole message: "خلاص" ("enough", but "خلاص احجز" is a yes), "ما ابي" ("ما ابي
# الصبح" is a wish about the time, not a stop)
STOP_ALONE = frozenset(_words("خلاص", "ما ابي", "مابي", "ما ابغى", "مابغى", "ما اريد", "لا اريد",
                              "khalas", "5alas", "5alaas", "khalaas", "mabi", "ma abi", "mabgha", "ma abgha"))
STOP_MAX_WORDS = 8
# leaving to come back another time ("i will check my schedule and come back", "ok i'll call later")
LEAVING_PHRASES = ("come back", "get back to you", "revert back", "call later", "call you later", "will call",
                   "i'll call", "ill call", "check my schedule", "check my calendar", "check my diary",
                   "let me check", "will check and", "i will check", "i'll check",
                   # "actually no its fine, dont book, i'll see how it goes"
                   "see how it goes", "dont book yet", "don't book yet", "do not book yet", "dont book it",
                   "don't book it", "dont book anything", "don't book anything", "no need to book",
                   # "thanks, maybe another time" / "شكرا، خليها مرة ثانية" (leave it for another time)
                   "maybe another time", "another time maybe", "some other time", "maybe next time",
                   "next time inshallah", "next time insha allah") + _words(
    "خليها مرة ثانية", "خلها مرة ثانية", "خليه مرة ثانية", "خله مرة ثانية", "خليها مرة اخرى", "خليها مرة أخرى",
    "مرة ثانية ان شاء الله", "مرة ثانية إن شاء الله", "مرة ثانية انشالله", "يمكن مرة ثانية", "مرة ثانية يمكن",
    "khaliha mara thanya", "khalliha marra thanya", "5aliha mara thanya", "5alliha marra thanya",
    "khaliha mara thania", "5aliha mara thania", "mara thanya inshallah", "marra thanya inshallah")
LEAVING_MAX_WORDS = 16


def wants_to_stop(text: str) -> bool:
    """"stop", "never mind", "start again" in the middle of a form, or leaving to come back
    later ("nvm i will check my schedule and come back"): leave it (not a question such as
    "should I stop retinol before?", but a stop said after one: "3400?? no thanks, leave it";
    a longer message only when it starts with the stop or says the patient will come back)."""
    text = text or ""
    if text.strip().startswith("/"):
        return False
    # "3400?? no thanks, leave it": a question, then a stop; only what follows the last question counts
    text = re.split(r"[?؟]", text)[-1]
    words = normalise(text)
    if not words.strip():
        return False
    count = len(words.split())
    if count <= STOP_MAX_WORDS and (_has(words, STOP_PHRASES) or words.strip() in STOP_ALONE):
        return True
    return (_starts(words, STOP_PHRASES) and count <= LEAVING_MAX_WORDS) or (
        count <= LEAVING_MAX_WORDS and _has(words, LEAVING_PHRASES))


# "too expensive for me, cancel it pls" while a new booking is being made: nothing is booked yet,
# so "cancel it" drops this booking (only in the booking form: in a cancel form it is the request)
_DROP_THIS = re.compile(r"\bcancel (?:it|this|that|the booking|this booking|my booking|the appointment|"
                        r"this appointment|the whole thing)\b")


_ASKING = ("can", "could", "how", "what", "will", "if", "when", "do", "does", "is")


def drops_the_booking(text: str) -> bool:
    """Whether a message said in the middle of a new booking drops it ("too expensive for me,
    cancel it pls", "cancel this booking"): a cancel of "it"/"this"/"the booking" in a short
    message that asks nothing ("can i cancel it later?" is a question about the rules)."""
    text = text or ""
    if text.strip().startswith("/") or "?" in text or "؟" in text:
        return False
    words = normalise(text)
    first = words.split()[:1]
    if not first or first[0] in _ASKING or len(words.split()) > LEAVING_MAX_WORDS:
        return False
    return bool(_DROP_THIS.search(words))
