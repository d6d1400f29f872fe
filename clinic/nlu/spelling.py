"""Treatment names written one way before the English classifier reads a message.

People write the same treatment several ways: "micro-needling", "micro needling",
"microneedeling"; "meso therapy", "mezotherapy"; "derma pen"; "platelet-rich plasma". Most
training examples spell them as one word, and the classifier reads the variants differently:
"What is micro-needling?" fell under the fallback threshold with the wrong key on top (0.82,
`faq/scar_types`) where "What is microneedling?" was answered (0.99, `faq/what_is`): the
word and character n-grams of "micro" and "needling" apart are other features, and the
sentence encoder splits them into other pieces. :func:`one_spelling` writes each such name
the way most of the training examples do. The classifier applies it to its training
examples and to every message alike (``clinic.nlu.classifier.english_input``), so both sides
read the same words. Only names of treatments and scar words are in the table, and only
spellings that cannot mean anything else.
"""
from __future__ import annotations

import re
from typing import List, Tuple

# (pattern, the spelling most training examples use); whole words, any case
_NAMES: List[Tuple[str, str]] = [
    # microneedling, microneedle(s), microneedled
    (r"micro[\s-]?ne+d+e?l+ing|micro[\s-]?needl?ing|microneedeling|microneedleing", "microneedling"),
    (r"micro[\s-]needles?", "microneedle"),
    (r"micro[\s-]needled", "microneedled"),
    # mesotherapy and its common misspellings
    (r"meso[\s-]therapy|me[sz]ot(?:h)?[ae]r[ae]ph?y|mezotherapy|mesothrapy|mesotherpy|mesoterapia", "mesotherapy"),
    # dermapen, dermaroller
    (r"derma[\s-]pen", "dermapen"),
    (r"derma[\s-]roller", "dermaroller"),
    # hydrafacial
    (r"hydra[\s-]facials?", "hydrafacial"),
    # platelet-rich plasma: the training examples mostly say "prp" or "platelet rich plasma"
    (r"platelet[\s-]rich[\s-]plasma", "platelet rich plasma"),
    # skin needling
    (r"skin-needling", "skin needling"),
]
_COMPILED = [(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE), spelling)
             for pattern, spelling in _NAMES]


def one_spelling(text: str) -> str:
    """``text`` with treatment names spelt one way (other words, and names already spelt
    that way in any case, untouched): ``"What is Micro-needling?"`` -> ``"What is
    microneedling?"``."""
    for pattern, spelling in _COMPILED:
        text = pattern.sub(_Replace(spelling), text)
    return text


class _Replace:
    """A match replaced by ``spelling``, unless it is that spelling in another case."""

    def __init__(self, spelling: str) -> None:
        self.spelling = spelling

    def __call__(self, match: "re.Match[str]") -> str:
        word = match.group(0)
        return word if word.lower() == self.spelling else self.spelling
