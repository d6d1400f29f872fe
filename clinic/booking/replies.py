"""A patient's answer to a yes/no confirmation ("Shall I book it?", "Shall I cancel NS-...?").

``read_reply`` turns the reply into YES, NO or UNSURE. A button payload ("/affirm",
"/deny") is taken as the classifier read it. Typed words are read with a small phrase
list ("yes cancel it", "go ahead", "ok do it", "nope", "not now", "let me check first");
the classifier's affirm/deny is used when the words say neither, and when the words and
the classifier disagree the answer is UNSURE (the assistant asks once more). Nothing is
ever booked, cancelled or moved on anything but a clear YES.
"""
from __future__ import annotations

import enum
import re
from typing import Iterable, Optional


class Reply(str, enum.Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


# what the patient says to agree to a question about ``kind`` ("cancel it" agrees to a cancellation)
ACTION_WORDS = {
    "book": ("book it", "book me", "book that", "book this", "book please", "please book", "confirm",
             "reserve it", "lock it", "take it", "i'll take it", "ill take it"),
    "cancel": ("cancel it", "cancel that", "cancel this", "cancel please", "please cancel", "cancel my",
               "cancel the", "go ahead and cancel", "cancel", "confirm"),
    "reschedule": ("move it", "change it", "reschedule it", "move please", "please move", "confirm",
                   "switch it", "that works"),
}
# ... and what declines it ("keep it" declines a cancellation)
DECLINE_WORDS = {
    "book": ("cancel", "start again", "start over", "don't book", "dont book", "do not book"),
    "cancel": ("keep it", "keep my", "keep the", "don't cancel", "dont cancel", "do not cancel"),
    "reschedule": ("keep it", "keep my", "keep the", "don't move", "dont move", "do not move",
                   "don't change", "dont change", "leave it as"),
}

YES_PHRASES = (
    "yes", "yess", "yes please", "yeah", "yea", "yep", "yup", "ya", "yah", "yas", "y", "sure", "ok", "okay",
    "okey", "okk", "k", "kk", "alright", "all right", "fine", "correct", "right", "go ahead", "go for it",
    "do it", "please do", "sounds good", "sounds great", "perfect", "great", "absolutely", "definitely",
    "of course", "affirmative", "agreed", "done", "proceed", "pls do", "plz do", "why not", "haan", "han ji",
    "ji", "tamam", "tayeb", "aywa", "yalla", "👍", "✅", "no problem", "no worries", "that's right",
    "thats right", "that is right", "works for me", "good", "cool", "please", "pls", "plz",
)
NO_PHRASES = (
    "no", "nope", "nah", "na", "nahi", "nahin", "la", "not now", "not yet", "not today", "later", "maybe later",
    "wait", "hold on", "hang on", "let me check", "check first", "check with", "i'll check", "ill check",
    "let me think", "think about it", "i'll think", "ill think", "ask my", "talk to my", "speak to my",
    "never mind", "nevermind", "nvm", "forget it", "leave it", "stop", "don't", "dont", "do not",
    "changed my mind", "change my mind", "no thanks", "no thank you", "not interested", "not anymore",
    "actually no", "rather not", "skip it", "👎", "❌",
)
UNSURE_PHRASES = ("not sure", "maybe", "i don't know", "i dont know", "idk", "dunno", "hmm", "perhaps",
                  "no idea", "unsure")
# phrases that contain a "no" word but agree
AGREEING_NEGATIONS = ("no problem", "no worries", "why not", "no issue", "no issues")
QUESTION_START = ("what", "how", "when", "where", "why", "who", "which", "is", "are", "do", "does", "can",
                  "could", "will", "should", "would")
MAX_CHARS = 300

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s'👍👎✅❌]")
_STRETCHED = re.compile(r"(\w)\1{2,}")  # "yesss", "noooo", "okkkk"


def normalise(text: str) -> str:
    """Lowercase, straight apostrophes, punctuation to spaces, stretched letters shortened."""
    text = (text or "")[:MAX_CHARS].lower().replace("’", "'").replace("`", "'")
    text = _STRETCHED.sub(r"\1\1", _NOT_WORD.sub(" ", text))
    return " " + _SPACES.sub(" ", text).strip() + " "


def _has(text: str, phrases: Iterable[str]) -> bool:
    return any(f" {phrase} " in text for phrase in phrases)


def _strip(text: str, phrases: Iterable[str]) -> str:
    for phrase in phrases:
        text = text.replace(f" {phrase} ", " ")
    return text if text.startswith(" ") else " " + text


def read_words(text: str, kind: str = "book") -> Reply:
    """YES / NO / UNSURE from the words alone."""
    words = normalise(text)
    if not words.strip():
        return Reply.UNSURE
    agrees = _has(words, AGREEING_NEGATIONS)
    rest = _strip(words, AGREEING_NEGATIONS)
    # "don't cancel" / "keep it" decline before "cancel" can read as agreement
    declines = _has(rest, DECLINE_WORDS.get(kind, ()))
    rest_for_yes = _strip(rest, DECLINE_WORDS.get(kind, ()))
    yes = agrees or _has(rest_for_yes, YES_PHRASES) or _has(rest_for_yes, ACTION_WORDS.get(kind, ()))
    no = declines or _has(rest, NO_PHRASES)
    if _has(words, UNSURE_PHRASES) and not (no and not yes):
        return Reply.UNSURE
    if yes and not no:
        if "?" in (text or "") and _has(rest, QUESTION_START):
            return Reply.UNSURE  # "ok but is it painful?": answer first, then ask again
        return Reply.YES
    if no and not yes:
        return Reply.NO
    if no and yes:
        # "yes but not now", "ok let me check with my husband first": a delay wins, since
        # doing nothing is the answer that can be undone; anything else is asked again
        delay = ("not now", "not yet", "later", "wait", "hold on", "hang on", "let me check", "check first",
                 "check with", "let me think", "think about it", "ask my", "talk to my", "speak to my",
                 "actually no", "changed my mind", "never mind", "nevermind", "forget it")
        return Reply.NO if _has(rest, delay) else Reply.UNSURE
    return Reply.UNSURE


def read_reply(text: Optional[str], intent: Optional[str] = None, kind: str = "book") -> Reply:
    """The patient's answer to a confirmation about ``kind`` (book, cancel or reschedule).

    ``intent`` is the classifier's intent for the message (affirm/deny count, anything
    else is ignored); a button payload ("/affirm") is taken at its intent.
    """
    said = {"affirm": Reply.YES, "deny": Reply.NO}.get(intent or "")
    text = text if isinstance(text, str) else ""
    if text.strip().startswith("/"):
        return said or Reply.UNSURE
    words = read_words(text, kind)
    if words is Reply.UNSURE:
        # the classifier may settle a reply the phrase list does not know, but never a
        # question or a doubt it read as one
        return said if said and not _has(normalise(text), UNSURE_PHRASES) and "?" not in text else Reply.UNSURE
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
               "prefer")


def changes_the_time(text: str) -> bool:
    """"wait sorry, can we make it saturday morning instead?": words that change a time
    already given (whether the message names a day or time is for clinic.booking.dates)."""
    return _has(normalise(text), CHANGE_CUES)


STOP_PHRASES = ("stop", "never mind", "nevermind", "nvm", "forget it", "start again", "start over",
                "cancel that", "leave it", "no thanks", "no thank you", "changed my mind", "not interested",
                "don't want", "dont want", "not anymore")
STOP_MAX_WORDS = 8


def wants_to_stop(text: str) -> bool:
    """"stop", "never mind", "start again" in the middle of a form: leave it (a short
    message, not a question such as "should I stop retinol before?")."""
    words = normalise(text)
    return ("?" not in (text or "") and len(words.split()) <= STOP_MAX_WORDS
            and not (text or "").strip().startswith("/") and _has(words, STOP_PHRASES))
