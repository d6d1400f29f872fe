"""Words the triage patterns match on: normal forms, typo lexicon, fuzzy correction.

Every token gets one *key*: its lemma, mapped through :data:`NORMAL` (inflections and
synonyms patients use) and, for misspelt words, through :data:`TYPOS` or a small fuzzy
match against :data:`FUZZY_TARGETS`. The patterns in :mod:`clinic.triage.patterns`
match keys only, so "swolen", "swelled" and "swelling" are one word to them.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from typing import Dict, Optional, Tuple

from clinic.nlu.chatspeak import SHORTHAND
from clinic.triage.patterns import RULES
from clinic.words import common_word_list, one_slip_from

# Misspellings seen in patient messages -> the word meant.
TYPOS = {
    "puss": "pus", "pusss": "pus", "pusy": "pus", "pous": "pus", "pusses": "pus", "pussing": "pus",
    "pussed": "pus",
    "feaver": "fever", "fevr": "fever", "fevar": "fever", "feverr": "fever", "fver": "fever",
    "fevers": "fever", "fiever": "fever",
    "swolen": "swollen", "swollon": "swollen", "swolln": "swollen", "swallen": "swollen",
    "sweling": "swelling", "sweeling": "swelling", "swellin": "swelling", "swelled": "swollen",
    "swolled": "swollen", "swelon": "swollen",
    "brething": "breathing", "breating": "breathing", "breathng": "breathing", "breth": "breathe",
    "brathing": "breathing",
    "uneble": "unable", "unabel": "unable", "unble": "unable",
    "swalow": "swallow", "swallo": "swallow", "swolow": "swallow", "swalowing": "swallowing",
    "blistr": "blister", "blisterd": "blister", "blistered": "blister", "bliser": "blister",
    "numbnes": "numbness", "numbess": "numbness", "numm": "numb", "numbe": "numb",
    "dizy": "dizzy", "dizzi": "dizzy", "dizzyness": "dizziness", "dizines": "dizziness",
    "infekted": "infected", "infacted": "infected", "infectd": "infected", "infeccion": "infection",
    "ozing": "oozing", "oozin": "oozing", "ooz": "ooze",
    "rashs": "rash", "rashes": "rash", "rach": "rash", "hivez": "hives", "hivs": "hives",
    "alergic": "allergic", "allergic": "allergic", "alergy": "allergy", "allergie": "allergy",
    "spreding": "spreading", "spred": "spread", "spredding": "spreading",
    "painfull": "painful", "panful": "painful", "paning": "paining",
    "sever": "severe", "severly": "severe", "severe": "severe", "severeley": "severe",
    "throught": "throat", "thraot": "throat", "throte": "throat",
    "tounge": "tongue", "toung": "tongue", "tung": "tongue", "tonge": "tongue",
    "vission": "vision", "vison": "vision", "blury": "blurry", "blurr": "blurry", "bluured": "blurred",
    "feint": "faint", "fainetd": "fainted", "fainded": "fainted", "fanted": "fainted",
    "pased": "passed", "unconcious": "unconscious",
    "temprature": "temperature", "tempreture": "temperature", "temperture": "temperature",
    "chils": "chills", "shivring": "shivering", "shivvering": "shivering",
    "yelow": "yellow", "yello": "yellow", "purpel": "purple", "purplish": "purple",
    "bluish": "blue", "blueish": "blue", "greyish": "grey", "grayish": "grey", "whitish": "white",
    "blackish": "black", "modeled": "mottled", "motled": "mottled",
    "unbearble": "unbearable", "unberable": "unbearable", "excrutiating": "excruciating",
    "throbing": "throbbing", "lightheaded": "lightheaded", "lite": "light",
    "lumpy": "lump", "nodules": "nodule", "noduls": "nodule",
    "wepping": "weeping", "weaping": "weeping", "leakin": "leaking",
    "discharg": "discharge", "dischage": "discharge",
    "anaphylatic": "anaphylactic", "anafylaxis": "anaphylaxis",
}

# Inflections and synonyms -> one key. Lemmas cover most; these cover the rest and
# keep the patterns working on a tokenizer without a lemmatizer.
NORMAL = {
    "swelling": "swell", "swollen": "swell", "swell": "swell", "swells": "swell", "swelled": "swell",
    "puffy": "puffy", "puffed": "puffy", "puff": "puffy", "bloated": "puffy",
    "breathing": "breathe", "breathe": "breathe", "breath": "breathe", "breathes": "breathe",
    "breathless": "breathless", "wheezing": "wheeze", "wheezy": "wheeze",
    "swallowing": "swallow", "swallow": "swallow",
    "blisters": "blister", "blistering": "blister",
    "numbness": "numb", "numb": "numb", "numbed": "numb", "tingling": "tingle", "tingly": "tingle",
    "dizzy": "dizzy", "dizziness": "dizzy", "giddy": "dizzy", "giddiness": "dizzy", "woozy": "dizzy",
    "lightheaded": "dizzy", "vertigo": "dizzy",
    "fainted": "faint_v", "fainting": "faint_v", "faints": "faint_v", "blackout": "faint_v",
    "unconscious": "faint_v", "collapsed": "faint_v", "collapse": "faint_v",
    "infected": "infect", "infection": "infect", "infect": "infect", "infections": "infect",
    "abscess": "infect", "cellulitis": "infect",
    "oozing": "ooze", "ooze": "ooze", "oozes": "ooze", "weeping": "weep", "weep": "weep",
    "leaking": "leak", "leak": "leak", "seeping": "leak", "draining": "drain", "drain": "drain",
    "discharge": "discharge", "discharging": "discharge",
    "rash": "rash", "rashes": "rash", "hives": "hive", "hive": "hive", "welts": "hive", "welt": "hive",
    "urticaria": "hive",
    "allergic": "allergic", "allergy": "allergic", "anaphylaxis": "anaphylaxis",
    "anaphylactic": "anaphylaxis",
    "spreading": "spread", "spread": "spread", "spreads": "spread",
    "worsening": "worsen", "worsen": "worsen", "worse": "worse", "worst": "worst",
    "pain": "pain", "paining": "pain", "pains": "pain", "painful": "painful", "hurting": "hurt",
    "hurts": "hurt", "hurt": "hurt", "aching": "ache", "ache": "ache", "sore": "sore",
    "severe": "severe", "severely": "severe", "unbearable": "severe", "excruciating": "severe",
    "intense": "severe", "extreme": "severe", "agonising": "severe", "agonizing": "severe",
    "throbbing": "throbbing", "throb": "throbbing",
    "fever": "fever", "feverish": "fever", "chills": "chill", "chill": "chill",
    "shivering": "shiver", "shiver": "shiver", "shivers": "shiver", "rigors": "shiver",
    "temperature": "temperature", "temp": "temperature",
    "lips": "lip", "lip": "lip", "eyes": "eye", "eye": "eye", "eyelid": "eye", "eyelids": "eye",
    "throat": "throat", "tongue": "tongue", "mouth": "mouth", "face": "face",
    "vision": "vision", "eyesight": "vision", "sight": "vision",
    "blurry": "blur", "blurred": "blur", "blur": "blur", "blurring": "blur",
    "white": "white", "pale": "white", "grey": "grey", "gray": "grey", "blue": "blue",
    "purple": "purple", "black": "black", "dusky": "mottled", "mottled": "mottled",
    "blanching": "mottled", "blanched": "mottled", "lacy": "mottled",
    "lumps": "lump", "lump": "lump", "nodule": "lump", "knot": "lump", "knots": "lump",
    "bump": "bump", "bumps": "bump", "cyst": "lump", "granuloma": "lump",
    "bruise": "bruise", "bruising": "bruise", "bruised": "bruise", "bruises": "bruise",
    "scab": "scab", "scabs": "scab", "crust": "scab", "crusts": "scab", "crusty": "scab",
    "vomiting": "vomit", "vomit": "vomit", "puking": "vomit", "palpitations": "palpitation",
    "necrosis": "necrosis", "necrotic": "necrosis",
    "passed": "pass", "blacked": "black", "numbing": "numbing",
    "slurred": "slur", "slurring": "slur", "slurs": "slur", "clamminess": "clammy",
    "bleeding": "bleed", "bled": "bleed", "bleeds": "bleed",
    "choking": "choke", "choke": "choke", "choked": "choke", "chokes": "choke",
    "suffocate": "suffocate", "suffocating": "suffocate", "suffocated": "suffocate", "suffocation": "suffocate",
    "whistling": "whistle", "whistle": "whistle", "wheezes": "wheeze",
    "boils": "infect", "furuncle": "infect", "septic": "infect", "sepsis": "infect",
    "pustule": "pustule", "pustules": "pustule", "whitehead": "whitehead", "whiteheads": "whitehead",
    "blind": "blind", "blindness": "blind", "foggy": "foggy", "hazy": "foggy", "misty": "foggy",
    "fuzzy": "foggy",
    "bearable": "bearable", "tolerable": "bearable",
    # comparatives kept (their lemma is the plain adjective): "getting bigger" is growth
    "bigger": "bigger", "larger": "larger",
    "blotchy": "mottled", "greyish": "grey", "grayish": "grey", "bluey": "blue",
    "badly": "badly", "terribly": "badly",
    "burned": "burnt", "burnt": "burnt", "drooping": "droop", "drooped": "droop",
    "droopy": "droopy", "agonies": "agony", "occluded": "occlude", "occluding": "occlude",
    "arteries": "artery", "vessels": "vessel", "veins": "vein",
    # "taped" is not a "tap" (a leaking tap is off topic)
    "taped": "tape", "taping": "tape",
    "paralysed": "paralyse", "paralyzed": "paralyse", "paralysis": "paralyse", "paralyse": "paralyse",
    "paralyze": "paralyse", "palsy": "paralyse", "frozen": "frozen",
    "icu": "icu", "phlegm": "mucus", "mucous": "mucus",
    "blotch": "blotch", "blotches": "blotch", "patches": "patch",
    "hardness": "hardness", "firmness": "firmness", "extends": "extend", "extending": "extend", "extended": "extend",
    "n't": "not", "nt": "not", "not": "not", "no": "no", "never": "never", "without": "without",
}
# Hindi and Urdu words in Latin letters (Hinglish: fever, breath, trouble, swelling ...), read as
# the English key. They are never a target of the slip correction (sign_vocabulary): an unknown
# word one slip from them is as likely Arabizi ("bukra", tomorrow, is one swap from "bukar").
TRANSLITERATED = {
    "bukhar": "fever", "bukhaar": "fever", "bukar": "fever", "bokhar": "fever", "jwar": "fever",
    "saans": "breathe", "taklif": "problem", "takleef": "problem",
    "taqleef": "problem", "dikkat": "problem", "pareshani": "problem",
    "sujan": "swell", "soojan": "swell", "sujaan": "swell", "sujjan": "swell", "soojh": "swell",
    "bahut": "very", "bohot": "very", "bhot": "very", "bht": "very", "dard": "pain", "khujli": "itch",
    "chehra": "face", "chehre": "face", "aankh": "eye", "honth": "lip",
}
NORMAL.update(TRANSLITERATED)

# Correctly spelt words a misspelling is corrected to (only words of 5+ letters).
FUZZY_TARGETS = sorted(
    {w for w in list(NORMAL) + list(set(TYPOS.values())) if len(w) >= 5 and w.isalpha()}
)
# Real words that are one letter away from a target and must never be "corrected".
PROTECTED = {
    "never", "conscious", "consciously", "self-conscious", "fewer", "forever", "river", "lever", "clever",
    "fever", "selling", "spelling",
    "telling", "smelling", "dwelling", "yelling", "feeling", "breadth", "swallow", "shallow",
    "follow", "hollow", "mellow", "yellow", "pales", "sales", "valley", "bumpy", "lumpy",
    "faith", "paint", "saint", "point", "joint", "taint", "reach", "teach", "beach", "roach",
    "infant", "intent", "sorry", "story", "worry", "paid", "plain", "brain", "drain", "train",
    "chill", "child", "white", "while", "write", "whole", "black", "block", "blank", "hours",
    "house", "mouse", "moist", "misty", "blood", "bloody", "wheel", "sweet", "sweat", "sweating",
    "thought", "through", "throw", "throne", "tough", "touch", "touches", "tonight", "hives",
    "blurb", "blues", "bluer", "purse", "nurse", "pulse", "shave", "spray", "spend", "spent",
    "spring", "strength", "swimming", "sweeping", "sleeping", "keeping", "weeping", "peeping",
    "peeling", "healing", "sealing", "ceiling", "dealing", "wearing", "bearing", "hearing",
    "leaking", "leaving", "rashid", "visions", "vision", "revision", "vission",
    "inject", "injects", "injected", "injecting", "injection", "injections", "injector",
    "slight", "slightly", "flight", "fight", "night", "right", "light", "tight", "might", "bright",
    "seeing", "being", "sting", "stinging", "swinging", "singing", "bringing", "thinking",
    "reading", "leading", "heading", "needing", "drinking", "training", "raining", "staining",
    "straining", "ringing", "session", "sessions", "passion", "fashion", "mention", "question",
    "rashly", "brushing", "washing", "washed", "crashing", "flashing", "flushing", "flushed",
}
_PROTECTED_LIST = sorted(PROTECTED)
_WORD = re.compile(r"^[a-z]+$")
_RUN = re.compile(r"([a-z])\1{2,}")  # a letter three or more times: "sooo", "swollennn"
# short words whose stretched spelling means the word itself ("sooo" is "so", not "soo")
_STRETCHED = {"so", "too", "very", "bad", "hot", "red", "help", "pain", "sore", "swollen", "big", "huge"}
# zero-width and control characters that hide a word from the patterns ("\u200bpus")
_INVISIBLE = {cp: None for cp in [*range(0, 32), 0x7F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD]}


# "can`t", "couldn´t", "could`nt": a contraction written with a backtick or an accent stays one
# token for spaCy, so its negation would be lost ("i don`t have a fever", "i can`t breath")
_ODD_CONTRACTION = re.compile(r"^([a-z]+?)(n[`´]t|[`´]nt)$")
_CONTRACTED_BASE = {"ca": "can", "wo": "will", "sha": "shall", "ai": "be", "did": "do", "does": "do", "was": "be",
                    "were": "be", "is": "be", "are": "be", "has": "have", "had": "have"}


def split_contraction(lower: str) -> Optional[Tuple[str, str]]:
    """``(verb key, "not")`` for a negative contraction spaCy left whole, else None."""
    match = _ODD_CONTRACTION.match(lower)
    if not match:
        return None
    base = _CONTRACTED_BASE.get(match.group(1), match.group(1))
    return NORMAL.get(base, base), "not"


@lru_cache(maxsize=4096)
def correct(word: str) -> Optional[str]:
    """The word a misspelt ``word`` most likely means, or None."""
    if word in TYPOS:
        return TYPOS[word]
    if len(word) < 5 or word in PROTECTED or word in NORMAL or not _WORD.match(word):
        return None
    close = difflib.get_close_matches(word, FUZZY_TARGETS, n=1, cutoff=0.88)
    if not close or any(rival not in NORMAL for rival in one_slip_from(word, _PROTECTED_LIST)):
        return None  # "inection" is one slip from "injection" as much as from "infection"
    return close[0]


# Chat shorthand whose spelt-out word the patterns read ("i cud not see", "lips r swollen n sore"):
# the NLU's table (clinic.nlu.chatspeak), one-word expansions only (a key is one word).
SPELT_OUT = {short: word for short, word in SHORTHAND.items() if " " not in word}
# endings a pattern word takes in a message: "itch" -> "itching", "black" -> "blacked"
_ENDINGS = ("s", "es", "ed", "d", "ing", "y")


def _forms(word: str) -> Tuple[str, ...]:
    """``word`` and its usual inflections (spelt as English spells them, roughly)."""
    stem = word[:-1] if word.endswith("e") else word
    forms = [word] + [word + e for e in _ENDINGS] + [stem + "ing", stem + "ed"]
    if word.endswith("y"):
        forms += [word[:-1] + "ies", word[:-1] + "ied"]
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", word):  # "swell" no, "throb" -> "throbbing"
        forms += [word + word[-1] + "ing", word + word[-1] + "ed"]
    return tuple(forms)


@lru_cache(maxsize=1)
def sign_vocabulary() -> Dict[str, str]:
    """Surface word -> key, for every word a pattern is written in (with its inflections),
    every normal form and every word a listed typo means: what an unknown word may be
    corrected to (:func:`correct_unknown`)."""
    vocabulary: Dict[str, str] = {}
    for word, key in NORMAL.items():
        if word not in TRANSLITERATED:
            vocabulary.setdefault(word, key)
    for word in set(TYPOS.values()):
        vocabulary.setdefault(word, NORMAL.get(word, word))
    for rule in RULES:
        for pattern in rule.patterns:
            for step in pattern.split():
                for word in step.lstrip("?").split("|"):
                    if word.isalpha() and len(word) >= 3:
                        for form in _forms(word):
                            vocabulary.setdefault(form, word)
    return {w: k for w, k in vocabulary.items() if len(w) >= 3 and w.isalpha() and w not in TRANSLITERATED}


@lru_cache(maxsize=4096)
def correct_unknown(word: str) -> Optional[str]:
    """The sign word (a surface form of :func:`sign_vocabulary`) that an unknown ``word`` (no
    word vector: not English as spaCy knows it) is one typing slip away from: a letter dropped,
    added, changed or two swapped ("ithcing" -> "itching", "ambulnce", "viison"). None when no
    sign word is that near, when two are that near with different keys ("balcked": "blacked" or
    "backed"), or when an everyday word is as near ("resuls": "results" as much as "resus")."""
    if len(word) < 5 or not _WORD.match(word) or word in PROTECTED:
        return None
    vocabulary = sign_vocabulary()
    near = one_slip_from(word, list(vocabulary))
    # rivals of five letters or more: the short pieces are names and abbreviations as often
    # as words ("bdaly" is "badly", not "daly")
    common = common_word_list(min_letters=5)
    if len({vocabulary[surface] for surface in near}) != 1 or not common:
        return None
    if any(rival not in vocabulary for rival in one_slip_from(word, common)):
        return None
    return near[0]


def read_word(lower: str, lemma: str, unknown: bool = False) -> Tuple[str, str]:
    """``(key, written)`` for a token from its lowercase text and lemma: the matching key the patterns read, and the
    word the context checks read. Both come from one cleaned word (hidden characters removed, stretched letters
    collapsed: "sooo" is "so"), so they cannot disagree: chat shorthand is spelt out in both ("cud" -> "could"); a
    listed typo or close match gives the key of the word meant and stays as typed for the context checks (they were
    written over them); ``unknown`` (the word has no word vector: spaCy does not know it) lets a word one typing slip
    from a sign word be read as it in both ("ithcing" -> "itching")."""
    clean = unicodedata.normalize("NFKC", lower).translate(_INVISIBLE) or lower
    if clean != lower:  # spaCy's lemma is of the text with the hidden characters
        lower, lemma = clean, clean
    lower = lower.strip("'’") or lower
    if _RUN.search(lower):
        single, double = _RUN.sub(r"\1", lower), _RUN.sub(r"\1\1", lower)
        lower = single if (single in _STRETCHED or single in NORMAL or single in TYPOS) else double
        lemma = lower
    if lower in SPELT_OUT:
        lower = SPELT_OUT[lower]
        lemma = "be" if lower == "are" else lower
    fixed = correct(lower)
    if fixed is not None:
        return NORMAL.get(fixed, fixed), lower
    if unknown and lower not in NORMAL:
        surface = correct_unknown(lower)
        if surface is not None:
            return sign_vocabulary()[surface], surface
    if lower in NORMAL:
        return NORMAL[lower], lower
    lemma = (lemma or "").lower()
    return NORMAL.get(lemma, lemma or lower), lower
