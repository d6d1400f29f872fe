"""Everyday English words, and the words one typing slip away from a word.

Patients type fast: "pianful", "ithcing", "resuls". Two readers correct such slips, each
towards its own vocabulary: the warning-sign triage towards the words its patterns are
written in (:mod:`clinic.triage.lexicon`), the English intent classifier towards the words
of its training examples (:mod:`clinic.nlu.typos`). Both need to know which words are
everyday English (never corrected, and a rival when a slip is as near to one of them) and
which words are one slip away: :func:`common_words` and :func:`one_slip_from`.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import FrozenSet, List, Sequence, Tuple

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein


@lru_cache(maxsize=1)
def common_words() -> FrozenSet[str]:
    """Everyday English words: the whole lowercase words of the sentence encoder's word-piece
    vocabulary (all-MiniLM-L6-v2's, from English Wikipedia and books: ~22,000 of its 30,522
    pieces). Empty when the encoder's files are not installed (then nothing is corrected)."""
    from clinic.nlu.encoder import package_model_dir

    try:
        with open(package_model_dir() / "tokenizer.json", encoding="utf-8") as handle:
            pieces = json.load(handle)["model"]["vocab"]
    except (OSError, RuntimeError, KeyError, ValueError):
        return frozenset()
    return frozenset(p for p in pieces if p.isalpha() and p.islower())


@lru_cache(maxsize=4)
def common_word_list(min_letters: int = 1) -> Tuple[str, ...]:
    """:func:`common_words` of ``min_letters`` or more, sorted: choices for :func:`one_slip_from`."""
    return tuple(sorted(w for w in common_words() if len(w) >= min_letters))


def one_slip_from(word: str, choices: Sequence[str]) -> List[str]:
    """The ``choices`` one typing slip from ``word`` (a letter dropped, added or changed, or
    two neighbours swapped: Damerau-Levenshtein distance 1), nearest first, then those as long
    as ``word`` (two letters swapped is a likelier slip than one dropped: "weesk" is "weeks"
    before "week"), then by spelling; ``word`` itself if it is one of them."""
    near = process.extract(word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=None)
    return [choice for choice, _distance, _index
            in sorted(near, key=lambda m: (m[1], abs(len(m[0]) - len(word)), m[0]))]
