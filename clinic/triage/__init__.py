"""Warning-sign triage after treatment: deterministic patterns over spaCy tokens.

>>> from clinic.triage import assess_text
>>> assess_text("no pain but there's pus").categories
['infection']
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, List

from clinic.triage.engine import Finding, Triage, TriageResult
from clinic.triage.evaluate import evaluate, load_reports

__all__ = ["Finding", "Triage", "TriageResult", "assess_text", "assess_texts", "evaluate", "load_reports",
           "triage_for"]


@lru_cache(maxsize=4)
def triage_for(vocab) -> Triage:
    """One :class:`Triage` per spaCy vocabulary (building the matcher takes a moment)."""
    return Triage(vocab)


def assess_text(text: str) -> TriageResult:
    """Assess a raw message with the default spaCy pipeline (see :mod:`clinic.triage.nlp`)."""
    from clinic.triage.nlp import load_nlp, prepare

    nlp = load_nlp()
    return triage_for(nlp.vocab).assess(nlp(prepare(text)))


def assess_texts(texts: Iterable[str]) -> List[TriageResult]:
    """Assess many messages at once (spaCy's ``pipe``: faster for test sets)."""
    from clinic.triage.nlp import load_nlp, prepare

    nlp = load_nlp()
    triage = triage_for(nlp.vocab)
    return [triage.assess(doc) for doc in nlp.pipe(prepare(t) for t in texts)]
