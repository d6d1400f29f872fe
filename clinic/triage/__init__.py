"""Warning-sign triage after treatment: deterministic patterns over spaCy tokens.

>>> from clinic.triage import assess_text
>>> assess_text("no pain but there's pus").categories
['infection']
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, List

from clinic.triage.arabic import says_expected_course as says_expected_course_in_arabic
from clinic.triage.calm import says_expected_course
from clinic.triage.engine import Finding, Triage, TriageResult
from clinic.triage.evaluate import evaluate, load_reports

__all__ = ["Finding", "Triage", "TriageResult", "assess_text", "assess_texts", "evaluate", "load_reports",
           "overrules_classifier", "triage_for", "with_learned"]


@lru_cache(maxsize=4)
def triage_for(vocab) -> Triage:
    """One :class:`Triage` per spaCy vocabulary (building the matcher takes a moment)."""
    return Triage(vocab)


def assess_text(text: str, learned: bool = False) -> TriageResult:
    """Assess a raw message with the default spaCy pipeline (see :mod:`clinic.triage.nlp`)."""
    return assess_texts([text], learned=learned)[0]


def with_learned(result: TriageResult, judgement) -> TriageResult:
    """The rules' verdict, plus the learned signal's ``(category, emergency, score)`` if it fired.

    The signal only adds: a message the rules flagged stays as the rules said.
    """
    if result.urgent or judgement is None:
        return result
    category, emergency, _score = judgement
    return TriageResult(urgent=True, categories=[category], emergency=bool(emergency),
                        signs=["learned.warning_sign"], language=result.language, learned=True)


def needs_learned(text: str, result: TriageResult) -> bool:
    """Whether the learned signal should look at a message the rules did not flag."""
    from clinic.triage.learned import is_general_question

    return (not result.urgent and result.language == "en" and bool(text and text.strip())
            and not text.startswith("/") and not is_general_question(text) and not says_expected_course(text))


def overrules_classifier(text: str, result: TriageResult) -> bool:
    """Whether the rules' "not urgent" should stand against the classifier's own ``urgent_symptom``.

    Only for a message that tells the expected course in its own words
    (:func:`clinic.triage.calm.says_expected_course`; in Arabic and Arabizi
    :func:`clinic.triage.arabic.says_expected_course`: "لا يوجد صديد ولا حرارة بس احمرار خفيف");
    a message the rules simply found no sign words in keeps the classifier's verdict (it may
    be a paraphrase the lexicon lacks).
    """
    if result.urgent or not (text and text.strip()):
        return False
    if result.language == "ar":
        return says_expected_course_in_arabic(text)
    return result.language == "en" and says_expected_course(text)


def assess_texts(texts: Iterable[str], learned: bool = False) -> List[TriageResult]:
    """Assess many messages at once (spaCy's ``pipe``: faster for test sets).

    With ``learned`` the messages the rules did not flag also get the learned signal
    (:mod:`clinic.triage.learned`, fitted once per process on its training file, which holds
    the dev corpus: for dev figures use :func:`clinic.triage.crossval.out_of_fold_verdicts`;
    one sentence-encoder pass for all of them).
    """
    from clinic.triage.nlp import load_nlp, prepare

    texts = [str(t or "") for t in texts]
    nlp = load_nlp()
    triage = triage_for(nlp.vocab)
    results = [triage.assess(doc) for doc in nlp.pipe(prepare(t) for t in texts)]
    if learned:
        from clinic.triage import learned as L

        todo = [i for i, (t, r) in enumerate(zip(texts, results, strict=True)) if needs_learned(t, r)]
        if todo:
            judgements = L.judge(L.fitted(), [texts[i] for i in todo])
            for i, judgement in zip(todo, judgements, strict=True):
                results[i] = with_learned(results[i], judgement)
    return results
