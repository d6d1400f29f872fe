"""Slips of the finger corrected before the English classifier reads a message.

One slip in one word ("how long will my resuls last", "is it pianful") cost the classifier
about a fifth of the real dev questions it answered as written (in scope 0.820 -> 0.647 with
one slip per question, :mod:`clinic.retype`): the word's TF-IDF features are new to it and the
sentence encoder splits it into odd pieces. :class:`TypoCorrector` reads a word the classifier
never saw in training and that is not everyday English (:func:`clinic.words.common_words`) as
the training word one slip away (:func:`clinic.words.one_slip_from`): the only one, or the one
the training examples use most when that is clear. A word as near an everyday word the training
examples never use is left as typed: it may be a name ("Noura" is one slip from "nora", "Saeed"
from "saved" and "speed"), and so is any other word. Only messages are corrected
(``TextClassifier.predict``): the vocabulary is the training examples' own words, so a
misspelling that is in the training data is a known word.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, Mapping, Optional, Tuple

from clinic.words import common_word_list, common_words, one_slip_from

# words shorter than this are left alone: "teh", "hwo" are one slip from too many words
MIN_LETTERS = 4
_WORD = re.compile(r"[^\W\d_]+")


class TypoCorrector:
    """Corrects slips towards the training words ``use`` scores (any score that grows with
    how many training examples use the word, e.g. minus its IDF)."""

    def __init__(self, use: Mapping[str, float]) -> None:
        self._use: Dict[str, float] = {w: float(s) for w, s in use.items() if w.isalpha()}
        self._words: Tuple[str, ...] = tuple(sorted(self._use))
        self._common = common_words()
        self.word = lru_cache(maxsize=8192)(self._word)

    def _word(self, word: str) -> Optional[str]:
        """The word that ``word`` (lowercase) is a slip of, or None to keep it as typed."""
        if (len(word) < MIN_LETTERS or not word.isascii() or word in self._use or word in self._common
                or not self._common):
            return None
        near = set(one_slip_from(word, self._words)) | set(one_slip_from(word, common_word_list()))
        if not near or not near <= self._use.keys():
            return None  # no word, or an everyday word the classifier never saw ("noura": nora, a name)
        used = sorted(near, key=lambda w: self._use[w], reverse=True)
        if len(used) == 1 or self._use[used[0]] > self._use[used[1]]:
            return used[0]  # "resuls": results, used more than result
        return None

    def correct(self, text: str) -> str:
        """``text`` with each slip replaced by the word it most likely is (in lowercase)."""
        return _WORD.sub(lambda m: self.word(m.group(0).lower()) or m.group(0), text)
