"""The language of a message and of a conversation: English or Arabic (script or Arabizi).

Framework-free; used by the NLU pipeline, the triage, the response generator, the
fallback and the staff console, so that they all agree.

* :func:`normalise_arabic` writes Arabic in one spelling (one alef, ya and ha, no
  diacritics or tatweel, ASCII digits); the triage's Arabic warning signs are written
  over this spelling.
* :func:`detect` names the language of one message: ``ar`` (Arabic script), ``arabizi``
  (Arabic in Latin letters: words with the digits 2 3 5 6 7 8 9 for Arabic sounds, or
  common Arabizi words: two of them, or one distinctive one on its own), ``en``
  (Latin letters), ``other`` (Persian or Urdu in Arabic script, Cyrillic, CJK, ...) or
  ``unknown`` (nothing to read: empty, emoji, digits, punctuation).
* :func:`switch_request` recognises "English please" / "عربي" / "3arabi".
* :func:`conversation_language` is the language the assistant answers in: it keeps
  the language of the conversation until the patient writes in the other one (an
  Arabic or Arabizi message, or an English one of at least two content words, one of
  them a common English word) or asks to switch; short neutral messages ("ok", "1",
  emoji, button payloads: "/intent" and the did-you-mean questions of clinic/topics.yml)
  and names or e-mail addresses change nothing.

Why rules and not a detector library: the decision that matters here is Arabic script
vs Arabizi vs English on chat messages of one to five words. Arabic script is a
character-range question. Arabizi is not a language that langdetect or
lingua-language-detector know, and both are unreliable on one- and two-word messages.
Measured on 31 short chat messages (14 English such as "hi", "ok", "price", "how much";
14 Arabizi; 3 Persian/Urdu/Russian), in a throwaway venv: langdetect 1.0.9 got 12 right
(it read "hi" as Swahili, "ok" Slovak, "yes" Turkish, "price" Romanian, and Arabizi as
Somali, Estonian...), lingua-language-detector 2.1.1 (all languages) 14 ("hi" Maori,
"ok" Zulu, "yes" Tsonga, Arabizi as Somali, Shona...), these rules all 31 (written with
these messages in view, so that is no held-out figure). On the Arabic dev split
(evaluation/arabic/dev.tsv: 72 Arabic-script and 28 Arabizi rows) they named 96 of 100
first and all 100 after its misses were looked at (mixed scripts count words, not
letters; "من" is no Persian cue; a few Arabizi function words). On English text they
never say Arabizi: all 258 English dev questions (evaluation/dev/questions.tsv), 822
off-domain English requests (evaluation/dev/off_domain.tsv) and the 58 of
/work/shared/dev_questions.tsv with letters read ``en``. So no library: no dependency, no model file,
microseconds per message. A message in another Latin-script language reads as ``en``
and gets the English fallback, which offers a person. Later additions (8 as an Arabizi
digit: "8ali", "a8rab"; Arabizi words written without digits: "abi ahjiz", "kifak",
"mawed", "jalsa"; tests/clinic/test_language_short_messages.py) were checked the same way: still
all 100 of the Arabic dev split, and none of the 258 + 822 English dev rows nor the 61 rows
of /work/shared/dev_questions.tsv read as Arabizi.

>>> detect("kam el se3r"), detect("كم السعر؟"), detect("how much"), detect("قیمت چقدر است")
('arabizi', 'ar', 'en', 'other')
>>> conversation_language(["hi", "كم السعر", "ok", "English please"])
'en'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Optional

EN = "en"
AR = "ar"
ARABIZI = "arabizi"
OTHER = "other"
UNKNOWN = "unknown"

# an English message switches an Arabic conversation back only with this many content words
MIN_ENGLISH_WORDS = 2

# --- Arabic spelling ---------------------------------------------------------------------

_DIACRITICS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]")
_TRANSLATE = str.maketrans({
    "\u0640": None,                      # tatweel
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه",
    "٫": ".", "،": ",", "؛": ";", "؟": "?",
    **{chr(0x0660 + i): str(i) for i in range(10)},   # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},   # Eastern Arabic-Indic (Persian) digits
})


def normalise_arabic(text: str) -> str:
    """Arabic text in one spelling: diacritics and tatweel removed, alef/hamza forms -> ا,
    ى and ئ -> ي, ؤ -> و, ة -> ه, Arabic-Indic and Persian digits -> ASCII, Arabic
    punctuation -> ASCII; lower case, one space between words.

    >>> normalise_arabic("أَهلاً ـ بِكُم في العِيادَة ٣٨٫٥")
    'اهلا بكم في العياده 38.5'
    """
    text = _DIACRITICS.sub("", text or "").translate(_TRANSLATE).lower()
    return re.sub(r"\s+", " ", text).strip()


# --- one message -------------------------------------------------------------------------

# letters of Persian / Urdu that Arabic does not use. چ and گ are left out: Gulf Arabic
# writes them ("باچر", "گال").
_PERSIAN_URDU_LETTERS = frozenset("پژکیےۓٹڈںھہۀۃ")
# words that only Persian or Urdu use
# (not those Arabic writes too, such as من and ما)
_PERSIAN_URDU_WORDS = frozenset(
    "است هست نیست چه چی چقدر چند می میں ہے ہیں نہیں کیا کی کے اور آپ را برای این آن از "
    "شما خیلی ممنون لطفا کجا کو".split())
# Arabic cues: letters Persian/Urdu writing avoids, the article, common Arabic words
_ARABIC_ONLY_LETTERS = frozenset("ةىإؤئأ")
_ARABIC_WORDS = frozenset(
    "في من على عن الى هل كم ما ماذا شو شنو ليش كيف وين متى انا عندي ابي ابغى ابغي اريد ممكن "
    "لو سمحت مرحبا السلام عليكم شكرا يعطيك العافيه هذا هذي الحين بكره باچر وايد كثير".split())

# Arabizi: a word mixing Latin letters with the digits that stand for Arabic sounds
# (2 ء, 3 ع, 5 خ, 6 ط, 7 ح, 8 غ/ق, 9 ص/ق: "8ali", "a8rab", "w8t")
_ARABIZI_WORD = re.compile(r"\b(?=[a-z']*[2356789])(?=[2356789']*[a-z])[a-z2356789']{3,}\b")
# digit-letter words that are English, not Arabizi: ordinals, times, units, text speak
_NOT_ARABIZI = re.compile(
    r"^(?:\d+(?:st|nd|rd|th|am|pm|h|hr|hrs|min|mins|ml|mg|cm|mm|kg|k|x|s|d|yo|yrs?)|"
    r"2day|2moro|2morrow|2morow|2nite|2night|2gether|mp3|3d|h2o|co2|b2b|p2p|u2|4u|l8r|l8er|gr8|m8|h8|"
    r"w8|str8|sk8|d8|8ball|ca8)$")
_ARABIZI_COMMON = frozenset(
    "mafi mafeesh mafish 3ndi 3andi andi ana wajhi wejhi shu shou shoo shlon shlonak shlonich kteer ktir "
    "wayed wayid bas mish msh ya3ni yani inshallah inshalla habibi habibti sadeed sadid 7arara harara "
    "ebar ibar abi abgha abga mabi abgi kam kem el il al fi fe feh fih min mn 3la 3ala ana enta enti "
    "inta inti ahlan marhaba mar7aba salam salaam shukran shokran yalla wallah walla akeed tayeb tayyib "
    "zain zen 7ilo helo hala eshloon keef kif kaif wain wein mata leish laish ghali rkhees bkam "
    "bikam sa3r se3r si3r maw3ed maw3id mow3ed mo3ed 7ajz 7jz a7jiz a7jez ab7jz bukra bokra bachir "
    "baker elyom alyom lyom ma hya hiya hia huwa howa mahu mahi lel lil wajh wejh wijh 3an "
    "3indkom 3ndkom 3andkom "
    # without digits: booking and courtesy words patients write in Latin letters
    "ahjiz ahjez ahjoz a7joz hajz hajez mawed mawid moed mawad mauid mwad mw3d "
    "abghi abgha abgy ab8a ab8y abiy bagha baghi biddi bidi "
    "kifak kifik kaifak kefak kefik keefak shlonik shlonkum eshlonak "
    "afwan mumkin momken mumken mmkn lazem lazim ahlain ahleen tfaddal tfadal "
    "indak indik 3indak 3ndk endak eyada el3yada 3iyada dawa duktor daktor "
    "sabah saba7 masa masaa elsa3a sa3a ba3d b3d ghadan bachir bacher "
    # the session, as patients write it without digits
    "jalsa jalsat jalseh eljalsa".split())
# common Arabizi words that are also English, names or other languages' words: on their own
# they do not make a message Arabizi
_ARABIZI_AMBIGUOUS = frozenset(
    "el il al fi fe feh fih min mn ana andi bas kam kem helo zen zain mata enta inta enti inti "
    "yani salam salaam baker ma hia lil sabah masa bidi".split())
# Arabic words Gulf English speakers of every mother tongue use inside English ("yalla saturday
# morning inshallah", "wallah too expensive"): in a message with English words they are English
_GULF_ENGLISH_LOANS = frozenset(
    "yalla yallah inshallah inshalla wallah walla habibi habibti khalas khalaas mashallah salam salaam "
    "marhaba hala shukran akeed".split())
# words that mark English (function words and the clinic's common words)
_ENGLISH_WORDS = frozenset(
    "the a an is are am was be do does did can could would will i you he she it we they my your "
    "me to of in on at for with and or but not no yes what how when where why which who much many "
    "price cost book booking appointment session please thanks thank hi hello hey ok okay have has "
    "want need is there this that any about treatment scar scars acne mesotherapy after before from "
    "like just also here if so should will get go come long does doing time today tomorrow morning "
    "afternoon evening available cancel reschedule change session sessions doctor nurse pain hurt "
    "results side effects help speak talk someone person".split())
# courtesy words and acknowledgements: English, but they do not switch a conversation
_NEUTRAL_WORDS = frozenset(
    "ok okay k kk yes yeah yep no nope thanks thank thx ty you hi hello hey bye goodbye sure fine "
    "please pls plz cool great good nice alright right hmm hm lol oh ah".split())

_LATIN_WORD = re.compile(r"[a-z0-9']+")


def _script(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "other"
    if name.startswith("ARABIC"):
        return "arabic"
    if name.startswith("LATIN"):
        return "latin"
    return "other"


def _word_counts(text: str):
    """Words by script (a word's script is its first letter's)."""
    arabic = latin = other = 0
    for word in text.split():
        letter = next((ch for ch in word if unicodedata.category(ch).startswith("L")), None)
        if letter is None:
            continue
        script = _script(letter)
        if script == "arabic":
            arabic += 1
        elif script == "latin":
            latin += 1
        else:
            other += 1
    return arabic, latin, other


def _arabic_script_language(text: str) -> str:
    """``ar`` unless the Arabic-script text is Persian or Urdu (and not clearly Arabic)."""
    words = re.findall(r"[\u0600-\u06FF]+", text)
    persian = sum(1 for ch in text if ch in _PERSIAN_URDU_LETTERS)
    persian += 2 * sum(1 for w in words if w in _PERSIAN_URDU_WORDS)
    if not persian:
        return AR
    norm_words = [normalise_arabic(w) for w in words]
    arabic = sum(1 for ch in text if ch in _ARABIC_ONLY_LETTERS)
    arabic += 2 * sum(1 for w in norm_words if w in _ARABIC_WORDS)
    arabic += 2 * sum(1 for w in norm_words if len(w) > 3 and re.match(r"^(?:ال|وال|بال|فال|لل)", w))
    return AR if arabic > persian else OTHER


# codes that mix letters and digits without being Arabizi: booking references ("NS-7K3D",
# typed "ns-7k3d" too), postcodes and other upper-case codes ("9B2C", "A3X")
_CODE = re.compile(r"\b[A-Za-z]{1,4}-[A-Za-z0-9]{3,}\b|\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{3,}\b")


def arabizi_score(text: str) -> int:
    """How strongly a Latin-letter message reads as Arabizi: 2 per digit-letter word, 1 per
    common Arabizi word (codes such as booking references are not words)."""
    score = 0
    for word in _LATIN_WORD.findall(_CODE.sub(" ", text or "").lower()):
        word = word.strip("'")
        if _ARABIZI_WORD.fullmatch(word) and not _NOT_ARABIZI.match(word):
            score += 2
        elif word in _ARABIZI_COMMON:
            score += 1
    return score


def _english_score(text: str) -> int:
    return sum(1 for w in _LATIN_WORD.findall((text or "").lower()) if w in _ENGLISH_WORDS)


def _only_arabizi_words(text: str) -> bool:
    """Every word a common Arabizi word, one of them unambiguous ("marhaba", "yalla", "shlonak")."""
    words = [w.strip("'") for w in _LATIN_WORD.findall((text or "").lower())]
    words = [w for w in words if w and not w.isdigit()]
    return bool(words) and all(w in _ARABIZI_COMMON for w in words) and \
        any(w not in _ARABIZI_AMBIGUOUS for w in words)


def detect(text: str) -> str:
    """``ar``, ``arabizi``, ``en``, ``other`` or ``unknown`` for one message.

    Mixed scripts: the script with more words decides, a tie goes to Arabic ("ما هو PRP -
    Mesotherapy؟" is Arabic: product names are often written in Latin letters, and Arabic
    script is a strong sign of an Arabic speaker; counting letters would let one long
    Latin name outweigh the Arabic words).
    """
    text = text or ""
    arabic, latin, other = _word_counts(text)
    if not (arabic or latin or other):
        return UNKNOWN
    if other > max(arabic, latin):
        return OTHER
    if arabic and arabic >= latin:
        return _arabic_script_language(text)
    score = arabizi_score(text)
    english = _english_score(text)
    if english:
        score -= sum(1 for w in _LATIN_WORD.findall(text.lower()) if w in _GULF_ENGLISH_LOANS)
    if score >= 2 and score >= english:
        return ARABIZI
    if score and _only_arabizi_words(text):
        return ARABIZI
    return EN


# --- switching -----------------------------------------------------------------------------

# "[please / can you / I want] [speak / reply in / switch to] <language> [please]", whole message
_ASK = r"(?:please\s+|pls\s+|(?:can|could)\s+(?:you|we)\s+|do\s+you\s+|let'?s\s+|i\s+(?:want|prefer|need)\s+)?"
_VERB = (r"(?:(?:speak|talk|write|reply|answer|respond|continue|switch|change)"
         r"(?:\s+(?:me|us|to\s+me))?(?:\s+(?:to|in))?\s+|in\s+|(?:to\s+)?)?")
_POLITE = r"\s*(?:language|law\s+sama7t|lw\s+sm7t)?(?:please|pls|plz|pleas|thanks|only|\?|!|\.|,|\s)*$"
_ENGLISH = r"(?:english|eng|inglish|engleezi|englizi|ingilizi|inglizi|enjlizi)"
_ARABIC = (r"(?:arabic|arabi|3arabi|3rabi|arabee|3arabee|"
           r"(?:bel|bil|bl|b)\s*3arabi|(?:bel|bil)\s*arabi)")
_SWITCH_EN = re.compile("^" + _ASK + _VERB + _ENGLISH + _POLITE)
_SWITCH_AR = re.compile("^" + _ASK + _VERB + _ARABIC + _POLITE)
# Arabic-script commands ("بالعربي لو سمحت", "ممكن انجليزي؟"), over normalised text
_AR_ASK = (r"^(?:ممكن\s+|لو\s+سمحت\s+|ابي\s+|ابغى\s+|ابغي\s+|اريد\s+|تكلم\s+|تكلمني\s+|كلمني\s+|احكي\s+|"
           r"احچي\s+|رد\s+|رد\s+علي\s+|ردي\s+علي\s+|جاوبني\s+)?(?:باللغه\s+|اللغه\s+)?")
_AR_POLITE = r"(?:\s+(?:لو\s+سمحت|من\s+فضلك|اذا\s+ممكن|ممكن|بليز|رجاء))?[\s?!.,]*$"
_SWITCH_AR_SCRIPT = re.compile(_AR_ASK + r"(?:بالعربي|عربي|العربي|بالعربيه|العربيه|عربيه|عربى)" + _AR_POLITE)
_SWITCH_EN_SCRIPT = re.compile(
    _AR_ASK + r"(?:بالانجليزي|انجليزي|الانجليزي|بالانجليزيه|الانجليزيه|انجليزيه|بالانقلش|انقلش|انجلش|بالانجلش|"
    r"انكليزي|بالانكليزي)" + _AR_POLITE)


def switch_request(text: str) -> Optional[str]:
    """``en`` or ``ar`` when the message asks for that language, else ``None``.

    Only a message that is the request ("English please", "can you speak arabic?",
    "بالعربي لو سمحت") counts; a question that mentions a language in passing does not.
    """
    norm = normalise_arabic(text or "")
    if not norm or len(norm) > 60:
        return None
    if _SWITCH_EN.match(norm) or _SWITCH_EN_SCRIPT.match(norm):
        return EN
    if _SWITCH_AR.match(norm) or _SWITCH_AR_SCRIPT.match(norm):
        return AR
    return None


# --- the conversation ------------------------------------------------------------------------

def _english_content_words(text: str) -> int:
    return sum(1 for w in _LATIN_WORD.findall(text.lower()) if w.isalpha() and w not in _NEUTRAL_WORDS)


def _is_button_payload(text: str) -> bool:
    """``/intent`` payloads and the questions the did-you-mean buttons send (their titles
    are in the conversation's language, their payload is the English question)."""
    if text.startswith("/"):
        return True
    from clinic.topics import button_questions  # framework-free too; read once

    return text in button_questions()


def _vote(text: str) -> Optional[str]:
    """``en`` or ``ar`` when the message sets the conversation's language, ``None`` when it keeps it."""
    text = (text or "").strip()
    if not text or _is_button_payload(text):
        return None
    requested = switch_request(text)
    if requested:
        return requested
    detected = detect(text)
    if detected in (AR, ARABIZI):
        return AR
    # English words, not just Latin letters: a name or an e-mail address typed into a
    # booking form ("Sara Ahmed", "sara@example.com") keeps an Arabic conversation Arabic
    if detected == EN and _english_content_words(text) >= MIN_ENGLISH_WORDS and _english_score(text):
        return EN
    return None


# the whole conversation is read again for every response: remember short messages' votes
_remembered_vote = lru_cache(maxsize=8192)(_vote)
_REMEMBER_UP_TO = 500  # characters


def message_language(text: str, previous: str = EN) -> str:
    """The conversation's language after this message (``en`` or ``ar``), given the language before it."""
    text = text or ""
    vote = _remembered_vote(text) if len(text) <= _REMEMBER_UP_TO else _vote(text)
    return vote or previous


def conversation_language(texts_oldest_first: Iterable[Optional[str]], default: str = EN) -> str:
    """``en`` or ``ar``: the language the assistant should answer the conversation in."""
    language = default
    for text in texts_oldest_first:
        language = message_language(text or "", language)
    return language
