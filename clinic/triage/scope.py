"""Which part of a message a matched sign belongs to, and whether it is denied.

A message is cut into clauses at punctuation and at conjunctions ("but", "and",
"though", ...), so "no pain but there's pus" keeps the pus. Inside a clause a
negation word ("no", "not", "n't", "never", "without") cancels a sign that follows it
within a few words, unless a new subject starts in between ("no fever my lips are
swollen"). "not sure if", "don't know if" are not negations. A clause that asks about
risks in general ("can it cause an infection?", "what if I get a fever") is
hypothetical and does not count.
"""
from __future__ import annotations

import re
from typing import List, Sequence

CLAUSE_PUNCT = {",", ";", ".", "!", "?", ":", "…", "...", "--", "—", "–", "\n", "(", ")"}
STRONG_CLAUSE_WORDS = {"but", "though", "although", "however", "yet", "except", "whereas", "while",
                       "because", "cause", "coz", "cuz", "bcoz", "bcz", "bt"}
# "and" ends the reach of a negation ("no fever and pus") but a sign may span it
# ("eyelid is drooping and swollen")
WEAK_CLAUSE_WORDS = {"and", "plus", "also", "n", "&"}
NEGATIONS = {"no", "not", "never", "without", "none", "nothing", "nor", "neither", "nil", "zero"}
# after a negation these mean uncertainty, not denial: "not sure if it's pus"
PSEUDO_AFTER = {"sure", "certain", "know", "idea", "understand", "stop"}  # "can't stop itching" is itching
PSEUDO_NEXT = {"only", "just"}  # "not only", "not just"
# a new subject ends the reach of a negation ("no fever my lips are swollen")
TERMINATORS = {"my", "i", "it", "its", "there", "theres", "she", "he", "her", "his", "now",
               "today", "this", "that", "which", "still", "then", "suddenly", "just", "only",
               "apart", "except"}
# negations of a thought reach further: "I don't think it's infected"
THOUGHT_VERBS = {"think", "believe", "feel", "look", "seem", "see", "notice", "appear"}
NEGATION_REACH = 5
THOUGHT_REACH = 8

HYPOTHETICAL = re.compile(
    r"\b(risks? of|chances? of|possible to|possibility of|what if|in case|what happens if|what (should|do|to) (i )?do if"
    r"|how (do|can|would|will) i (know|tell)|how to (avoid|prevent|tell|know)|prevent\w*|avoid\w*"
    r"|(can|could|will|would|does|do|might|may) (it|this|that|mesotherapy|botox|fillers?|microneedling|peels?|prp|threads?|they|injections?"
    r"|the (treatment|injections?|procedure|session|needles?|(numbing )?cream)) (cause|make|give|lead|result|trigger|hurt|block|damage|spread|migrate|be (very |really |so |too |more |less )?painful)"
    r"|(will|can|could|would|might) i (get|have|develop)"
    r"|how (much )?(painful|does it hurt|bad)|what are the (signs|symptoms|risks|side effects)"
    r"|(what|which|how)\b[^.?!]{0,80}\b(signs?|symptoms?) of"
    r"|(is|are) (it|meso|mesotherapy|this|the (treatment|injections?|procedure|needles?)) (very |really |so |more |less )?painful"
    r"|(stop|pause) if|history of|can a person with|eligible|suitable for|before (the |my )?(treatment|session|procedure))\b"
)


def clause_ids(keys: Sequence[str], texts: Sequence[str], is_conj: Sequence[bool],
               weak: bool = False) -> List[int]:
    """One clause number per token; punctuation and conjunctions start a new clause.

    With ``weak``, "and"-like words also start one (the reach of a negation).
    """
    ids, current = [], 0
    for key, text, conj in zip(keys, texts, is_conj):
        if (text in CLAUSE_PUNCT or text.strip() == "" or key in STRONG_CLAUSE_WORDS or conj
                or (weak and key in WEAK_CLAUSE_WORDS)):
            current += 1
        ids.append(current)
    return ids


def is_negated(keys: Sequence[str], clauses: Sequence[int], start: int, end: int,
               negation_inside: bool) -> bool:
    """Whether the sign at tokens ``start:end`` is denied by a negation before (or in) it."""
    clause = clauses[start]
    if not negation_inside and any(_negates(keys, i) for i in range(start, end)):
        return True
    i = start - 1
    seen: List[str] = []
    while i >= 0 and clauses[i] == clause:
        if _negates(keys, i):
            thought = any(k in THOUGHT_VERBS for k in keys[i + 1:i + 3])
            reach = THOUGHT_REACH if thought else NEGATION_REACH
            blocked = not thought and any(k in TERMINATORS for k in seen)
            return len(seen) < reach and not blocked
        seen.append(keys[i])
        i -= 1
    return False


def _negates(keys: Sequence[str], i: int) -> bool:
    if keys[i] not in NEGATIONS:
        return False
    following = keys[i + 1:i + 3]
    if following[:1] and following[0] in PSEUDO_NEXT:
        return False
    return not any(k in PSEUDO_AFTER for k in following)


# comparisons with other procedures anywhere in the sentence: "is it worse than a tattoo"
COMPARISON = re.compile(
    r"\bthan (on |with )?(a |an |the )?(tattoo|botox|laser|microneedling|fillers?|injections?|waxing"
    r"|threading|piercing|dermaroller|peel|other (treatments?|procedures?|injections?|clinics?|peels?))\b"
)
# a fresh report after a general cue: "before the session i was fine, now my lips are swollen"
RESET = re.compile(r"\b(but|now|today|still|since|yesterday|tonight|this morning|suddenly|then|currently)\b")
# the sign is in the past: "i had fever last month, can i still do the session"
PAST = re.compile(
    r"\b(last (week|month|year|summer|winter)|(a|one|two|three|few|\d+) (weeks?|months?|years?) ago"
    r"|in the past|previously|history of|years? back|months? back|in (january|february|march|april|may|june"
    r"|july|august|september|october|november|december))\b")
PAST_VERB = re.compile(r"\b(had|was|were|got|used to|suffered)\b")
PRESENT = re.compile(r"\b(now|still|today|currently|since|again|this morning|tonight)\b")
# a general question: a wh- sentence that says nothing about the writer
WH_START = re.compile(r"^\W*(what|which|how|why|who|where|when)\b")
FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|ive|me|my|mine|myself|we|our|us)\b")


def is_hypothetical(text_so_far: str, sentence: str = "", clause: str = "") -> bool:
    """Whether a sentence asks about risks in general rather than describing a symptom.

    ``text_so_far`` runs from the start of the sentence to the end of the sign; a general
    cue followed by a fresh report ("... but now it's oozing") does not count. ``clause``
    is the sign's clause: a sign put in the past ("had fever last month") is history.
    """
    cues = list(HYPOTHETICAL.finditer(text_so_far))
    if cues and not RESET.search(text_so_far[cues[-1].end():]):
        return True
    if COMPARISON.search(sentence):
        return True
    if clause and PAST.search(clause) and PAST_VERB.search(clause) and not PRESENT.search(clause):
        return True
    return bool(sentence and WH_START.search(sentence) and not FIRST_PERSON.search(sentence))
