"""How a story tells the course of a symptom: still there days later, back weeks later.

Patients rarely write "persistent swelling". They tell a course: "it's been four days and
the swelling hasn't gone down at all", "3 days later still swollen and sore", "got filler
2 months ago and suddenly both cheeks are swollen, red and tender again", "the bump has
been there 3 weeks and this week it got red and started to hurt". The token patterns see
one clause at a time; these families read the sentence (or the message) for the symptom,
the time cue and the change together.

Each family needs all three parts, so the expected course stays quiet: swelling that is
still there on day 1 or 2, or that "hasn't gone down yet" a few hours later, a bump that
"went down", a lump that has been there for weeks with nothing new about it, and general
questions ("how long until the swelling goes down?").
"""
from __future__ import annotations

import re
from typing import List, Tuple

# swelling or pain words (not redness or bumps: those fade on their own schedule)
SWELLING = r"(swell\w*|swollen|swolen|puff\w*|bloat\w*|hard|firm)"
PAIN = r"(sore\w*|pain\w*|hurt\w*|ache\w*|aching|tender\w*|throb\w*)"
SYMPTOM = re.compile(rf"\b({SWELLING}|{PAIN})\b")
PAIN_ONLY = re.compile(rf"\b{PAIN}\b")

# the symptom is not settling: "hasn't gone down at all", "won't go away", "still swollen",
# "not getting any better", "bigger than yesterday", "if anything it's worse"
NOT_SETTLING = re.compile(
    r"\b((has ?n[o']?t|hasnt|have ?n[o']?t|havent|is ?n[o']?t|isnt|wo ?n[o']?t|wont|did ?n[o']?t|didnt|does ?n[o']?t"
    r"|doesnt|not|never|no) (\w+ ){0,2}(gone|go|going|went|come|coming|settled?|settling|improv\w*|better"
    r"|reduc\w*|subsid\w*|eas\w*|down|away|smaller|less)"
    r"|still (\w+ ){0,2}(there|the same|as \w+|swollen|swolen|swelling|puffy|sore|painful|hurting|hurts?|tender"
    r"|hard|firm|huge|massive|big|throbbing|aching|lumpy)"
    r"|same as (day|the first day)|(bigger|larger|worse|harder|puffier|more swollen) than (yesterday|before"
    r"|this morning|last night|the day before|on day))\b")

# long enough that swelling or soreness is no longer the usual course (3 days or more)
LONG_ENOUGH = re.compile(
    r"\b(([3-9]|[1-9]\d|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|many)"
    r" ?(full )?(days?|dayz|weeks?|wks?|months?)"
    r"|(a|one|over a|more than a|almost a|nearly a) (week|month)|weeks|months"
    r"|day ?([3-9]|1\d)|(days|weeks) (later|after|now)|since last week)\b")
# lips after filler stay swollen longer: two weeks is the usual course there
LONG_FOR_LIPS = re.compile(
    r"\b(([2-9]|[1-9]\d|two|three|four|five|six|several|few) ?(weeks?|wks?|months?)|(a|one|over a|more than a) "
    r"month|months)\b")
LIP_FILLER = re.compile(r"\b(lip (filler|injection)s?|fillers? in (my|her) lips?|lips? (were|was|got) "
                        r"(filled|done|injected)|juvederm|volbella|restylane kysse)\b")

# a later return: a time long ago in the story, a sudden or repeated onset, and the symptom now
LONG_AGO = re.compile(
    r"\b(((\d+|a|one|two|three|four|five|six|few|several|couple of) )?(weeks?|months?|years?|yrs?) "
    r"(ago|after|later|back)|(weeks|months|years) later)\b")
SUDDEN = re.compile(r"\b(again|suddenly|out of nowhere|came back|come back|coming back|flared? up|flaring"
                    r"|started (to )?(swell|hurt)|woke up with|all of a sudden"
                    r"|(it'?s|its|it is|is|are|they'?re|theyre) (all )?back)\b")
RETURN_SYMPTOM = re.compile(rf"\b({SWELLING}|{PAIN}|red|redness|hot|warm|inflamed)\b")

# a lump that has been there for weeks and is now changing: "this week it got red and started to hurt"
LUMP = re.compile(r"\b(lump\w*|bump\w*|knot\w*|nodules?|ball|pea|bead|cyst)\b")
WEEKS = re.compile(r"\b(weeks?|wks?|months?|years?)\b")
TURNED_INFLAMED = re.compile(
    r"\b(got|gotten|getting|gone|went|turned|turning|became|becoming|started|starting|begun|began|now"
    r"|is now|it'?s now)( \w+){0,3} (red|redder|sore|painful|hurt\w*|hot|warm|tender|inflamed|angry|swollen"
    r"|bigger|to hurt|to swell)\b")

# inflamed now, weeks after the procedure, in the present tense: "she got her ears pierced a month ago;
# both earlobes are swollen and sore" (swelling and soreness together, not one of them alone)
WEEKS_AGO = re.compile(r"\b((a|one|two|three|four|five|six|\d+|few|several|couple of) (weeks?|wks?|months?) ago"
                       r"|(a|one|two|\d+) (weeks?|months?) (since|now))\b")
NOW_INFLAMED = re.compile(r"\b(is|are|'s|'re|am|feels?|looks?|keeps?|getting|gotten)( \w+)?( \w+)? "
                          r"(swollen|swolen|puffy|inflamed|red|sore|painful|tender|hot)\b")
INFLAMED_PAIR = (re.compile(r"\b(swollen|swolen|swell\w*|puffy|inflamed|red|redness|hot)\b"),
                 re.compile(rf"\b({PAIN}|inflamed)\b"))

MILD = re.compile(r"\b(a (little|bit|tad|touch)|little bit|slight(ly)?|mild(ly)?|barely|hardly|bit of)\b")
# the course is better, or the sentence is a question about courses in general
IMPROVING = re.compile(
    r"\b((getting|much|a bit|a little|slightly|lot) (better|smaller|less swollen)|improving|settling( down)?"
    r"|went down|gone down|going down)\b")
GENERAL = re.compile(
    r"^\W*(how long|when (will|does|do|should)|what if|is it normal (for|to) (be )?swell\w* (for|to last)"
    r"|does (it|the swelling)|can (it|the swelling))\b")
NEGATED_IMPROVING = re.compile(r"\b(not|n't|no|never|hasn'?t|isn'?t|wasn'?t) (\w+ ){0,2}(getting |going )?"
                               r"(better|smaller|down|improving|settling)\b")
SENTENCES = re.compile(r"[^.!?\n]+[.!?\n]*")


def course_signs(text: str) -> List[Tuple[str, str]]:
    """``(label, sentence)`` for each course family the message tells (at most one per family)."""
    low = (text or "").lower().replace("’", "'").replace("`", "'").replace("´", "'")
    sentences = [s.strip() for s in SENTENCES.findall(low) if s.strip()]
    found: List[Tuple[str, str]] = []
    persistent = _persistent(low, sentences) or _inflamed_weeks_later(low, sentences)
    if persistent:
        found.append(persistent)
    late = _returned_late(low, sentences)
    if late:
        found.append(late)
    lump = _lump_changing(sentences)
    if lump:
        found.append(lump)
    return found


def _improving(text: str) -> bool:
    return bool(IMPROVING.search(text)) and not NEGATED_IMPROVING.search(text)


def _persistent(low: str, sentences: List[str]):
    """Swelling or soreness that is not settling, in a message that says it has been 3 days or more."""
    long_enough = LONG_FOR_LIPS if LIP_FILLER.search(low) else LONG_ENOUGH
    if not long_enough.search(low) or _improving(low):
        return None
    for i, sentence in enumerate(sentences):
        if GENERAL.search(sentence):
            continue
        cue = NOT_SETTLING.search(sentence)
        if not cue or MILD.search(sentence):
            continue  # "4 days later still a little puffy": the tail of the usual course
        # the symptom in the sentence, or the one before it ("swollen on day 2. it's been 4 days, no change")
        scope = sentence if SYMPTOM.search(sentence) else (sentences[i - 1] + " " + sentence if i else "")
        if SYMPTOM.search(scope):
            label = "pain.persistent" if PAIN_ONLY.search(scope) and not re.search(SWELLING, scope) \
                else "swelling.persistent"
            return label, sentence
    return None


def _inflamed_weeks_later(low: str, sentences: List[str]):
    """Swollen (or red) and sore now, in a message that puts the procedure a week or more ago."""
    if not WEEKS_AGO.search(low) or LIP_FILLER.search(low) or _improving(low):
        return None
    for sentence in sentences:
        if GENERAL.search(sentence) or MILD.search(sentence) or not NOW_INFLAMED.search(sentence):
            continue
        if all(word.search(sentence) for word in INFLAMED_PAIR):
            return "swelling.persistent", sentence
    return None


def _returned_late(low: str, sentences: List[str]):
    """Swelling, redness or pain that starts or comes back weeks or months after the treatment."""
    if not LONG_AGO.search(low):
        return None
    for i, sentence in enumerate(sentences):
        sudden = SUDDEN.search(sentence)
        # improving after the return settles it; before it ("it went down but now it's back") it does not
        if not sudden or GENERAL.search(sentence) or _improving(sentence[sudden.start():]):
            continue
        window = " ".join(sentences[max(0, i - 1):i + 1])
        if RETURN_SYMPTOM.search(sentence) and LONG_AGO.search(window):
            return "swelling.late", sentence
    return None


def _lump_changing(sentences: List[str]):
    """A lump that has been there for weeks and has now turned red, sore or bigger."""
    for sentence in sentences:
        if GENERAL.search(sentence) or _improving(sentence):
            continue
        if LUMP.search(sentence) and WEEKS.search(sentence) and TURNED_INFLAMED.search(sentence):
            return "lump.late", sentence
    return None
