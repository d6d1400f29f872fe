"""Scoring understanding on real text: the figures ``make eval-nlu`` reports.

A row of a question set has the labels a right answer may carry (``accept``); a
prediction is right when its contract label (:func:`clinic.nlu.labels.contract_label`)
is one of theirs. Rows whose accepted labels are all "declined" (``out_of_scope``)
measure rejection; the others measure in-scope accuracy. Off-domain rows (requests
from public intent datasets of other domains) must all be declined.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from clinic.nlu.decline import OUT_OF_SCOPE, DeclineRule
from clinic.nlu.labels import DECLINED, contract_label, contract_labels


@dataclass(frozen=True)
class Question:
    text: str
    accept: Tuple[str, ...]
    source: str

    @property
    def in_scope(self) -> bool:
        return contract_labels(self.accept) != {DECLINED}


@dataclass(frozen=True)
class Prediction:
    """What the assistant does with a message (``label``) and what the classifier said
    before the fallback rule (``classifier``, its ``confidence`` and the runner-up's), so
    the fallback threshold can be swept. ``forced``: declined whatever the confidence
    (no English words in the message)."""

    label: str
    classifier: str
    confidence: float
    runner_up: float = 0.0
    forced: bool = False
    out_of_scope: float = 0.0  # the classifier's out_of_scope share

    def decided(self, threshold: float, ambiguity: float, out_of_scope: Optional[float] = None) -> str:
        """The label under other fallback settings (:class:`clinic.nlu.decline.DeclineRule`:
        too unsure, too close to call or too likely off-topic: declined)."""
        return self.under(DeclineRule(threshold, ambiguity, out_of_scope))

    def under(self, rule: DeclineRule) -> str:
        """The label under the fallback ``rule``."""
        if self.forced or self.classifier == DECLINED:
            return DECLINED
        # the classifier's label is declined or an intent/key; the rule reads the intent
        top = self.classifier.partition("/")[0]
        if rule.declines(top, self.confidence, self.runner_up, self.out_of_scope):
            return DECLINED
        return self.classifier


def read_questions(path: Path) -> List[Question]:
    """A question TSV: columns text, accept (labels joined by ``|``), and url or source."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    questions = []
    for row in rows:
        if "accept" in row:
            accept = tuple(a.strip() for a in row["accept"].split("|") if a.strip())
        else:  # an off-domain set: every row must be declined
            accept = ("out_of_scope",)
        questions.append(Question(row["text"], accept, row.get("url") or row.get("source") or ""))
    return questions


ARABIC_SCRIPTS = ("arabic", "arabizi")


def read_arabic_questions(path: Path) -> Tuple[List[Question], List[str]]:
    """The Arabic set (``evaluation/arabic/<split>.tsv``: text, accept, url, kind, script)
    and each row's script, ``arabic`` or ``arabizi``."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    questions, scripts = [], []
    for row in rows:
        accept = tuple(a.strip() for a in (row.get("accept") or "").split("|") if a.strip())
        script = (row.get("script") or "").strip().lower()
        if not accept or script not in ARABIC_SCRIPTS:
            raise ValueError(f"{path}: a row needs accept and script arabic|arabizi: {row}")
        questions.append(Question(row["text"], accept, row.get("url") or ""))
        scripts.append(script)
    return questions, scripts


def arabic_scores(questions: Sequence[Question], scripts: Sequence[str],
                  labels: Sequence[str]) -> Dict[str, Optional[float]]:
    """Arabic-script and Arabizi in-scope accuracy and off-topic rejection, separately,
    and the off-topic rejection of both scripts together."""
    result: Dict[str, Optional[float]] = {}
    for script in ARABIC_SCRIPTS:
        chosen = [(q, label) for q, label, s in zip(questions, labels, scripts, strict=True) if s == script]
        inside, inside_labels, _, outside_labels = split_by_scope(
            [q for q, _ in chosen], [label for _, label in chosen])
        result[f"{script}_in_scope_accuracy"] = accuracy(inside, inside_labels)
        result[f"{script}_off_topic_rejection"] = declined_rate(outside_labels)
        result[f"n_{script}_in_scope"] = len(inside)
        result[f"n_{script}_off_topic"] = len(outside_labels)
    _, _, _, outside_labels = split_by_scope(questions, labels)
    result["off_topic_rejection"] = declined_rate(outside_labels)
    result["n_off_topic"] = len(outside_labels)
    return result


def is_right(question: Question, label: str) -> bool:
    return contract_label(label) in contract_labels(question.accept)


def accuracy(questions: Sequence[Question], labels: Sequence[str]) -> Optional[float]:
    if not questions:
        return None
    return sum(is_right(q, label) for q, label in zip(questions, labels, strict=True)) / len(questions)


def fine_accuracy(questions: Sequence[Question], labels: Sequence[str]) -> Optional[float]:
    """Exact label match, refined FAQ keys included (``faq/aftercare_makeup``)."""
    if not questions:
        return None
    return sum(label in q.accept for q, label in zip(questions, labels, strict=True)) / len(questions)


def declined_rate(labels: Sequence[str]) -> Optional[float]:
    if not labels:
        return None
    return sum(contract_label(label) == DECLINED for label in labels) / len(labels)


def split_by_scope(questions: Sequence[Question], labels: Sequence[str]
                   ) -> Tuple[List[Question], List[str], List[Question], List[str]]:
    inside = [(q, p) for q, p in zip(questions, labels, strict=True) if q.in_scope]
    outside = [(q, p) for q, p in zip(questions, labels, strict=True) if not q.in_scope]
    return ([q for q, _ in inside], [p for _, p in inside],
            [q for q, _ in outside], [p for _, p in outside])


def scores(questions: Sequence[Question], labels: Sequence[str],
           off_domain_labels: Sequence[str]) -> Dict[str, Optional[float]]:
    """In-scope accuracy (contract keys and refined keys), in-scope messages wrongly
    declined, off-topic rejection and off-domain rejection."""
    inside, inside_labels, _, outside_labels = split_by_scope(questions, labels)
    return {
        "in_scope_accuracy": accuracy(inside, inside_labels),
        "in_scope_fine_accuracy": fine_accuracy(inside, inside_labels),
        "in_scope_declined": declined_rate(inside_labels),
        "off_topic_rejection": declined_rate(outside_labels),
        "off_domain_rejection": declined_rate(off_domain_labels),
        "n_in_scope": len(inside),
        "n_off_topic": len(outside_labels),
        "n_off_domain": len(off_domain_labels),
    }


def balanced_score(result: Dict[str, Optional[float]]) -> float:
    """The mean of in-scope accuracy, off-topic and off-domain rejection (the targets'
    three figures, weighted alike): what a threshold is chosen for on the dev split."""
    parts = [result[k] for k in ("in_scope_accuracy", "off_topic_rejection", "off_domain_rejection")]
    present = [p for p in parts if p is not None]
    return sum(present) / len(present) if present else 0.0


def choose_threshold(questions: Sequence[Question], predictions: Sequence[Prediction],
                     off_domain: Sequence[Prediction], ambiguity: float,
                     candidates: Iterable[float]) -> Tuple[float, List[Tuple[float, float]]]:
    """The fallback threshold for the balanced score, and the whole sweep (the same-run
    baseline's; the served model's is :func:`operating_rule`).

    The lowest threshold whose score is within one row of the best: a difference of one
    row of the smallest set is noise, and answering beats asking when the data cannot
    tell them apart.
    """
    sweep = []
    sizes = []
    for t in candidates:
        labels = [p.decided(t, ambiguity) for p in predictions]
        off = [p.decided(t, ambiguity) for p in off_domain]
        result = scores(questions, labels, off)
        sweep.append((round(t, 3), balanced_score(result)))
        sizes = [n for n in (result["n_in_scope"], result["n_off_topic"], result["n_off_domain"]) if n]
    if not sweep:
        raise ValueError("no candidate thresholds")
    one_row = 1.0 / (len(sizes) * min(sizes)) if sizes else 0.0
    best = max(score for _, score in sweep)
    chosen = min(t for t, score in sweep if score >= best - one_row - 1e-12)
    return chosen, sweep


@dataclass(frozen=True)
class SweepRow:
    """One fallback rule's dev figures: in-scope served, off-topic and off-domain
    declined, and the brief's real questions (``dev_questions``) answered right."""

    rule: DeclineRule
    in_scope: Optional[float]
    off_topic: Optional[float]
    off_domain: Optional[float]
    dev_questions: Optional[float]

    @property
    def served(self) -> float:
        return self.in_scope or 0.0


def _answering_first(rule: DeclineRule) -> Tuple[float, float]:
    """Of rules that serve alike, the one that declines least: lowest threshold, then the
    highest out_of_scope share (or none)."""
    return rule.threshold, -(rule.out_of_scope if rule.out_of_scope is not None else 2.0)


def operating_rule(questions: Sequence[Question], predictions: Sequence[Prediction],
                   off_domain: Sequence[Prediction], dev_questions: Sequence[Question],
                   dev_predictions: Sequence[Prediction], candidates: Iterable[DeclineRule],
                   off_topic_target: float, dev_questions_floor: float,
                   off_domain_target: Optional[float] = None
                   ) -> Tuple[Optional[DeclineRule], List[SweepRow]]:
    """The served model's fallback rule by the documented rule, and the whole sweep.

    Among the candidates with which off-topic rejection reaches its target, off-domain
    rejection reaches its own (when given) and the brief's real questions stay at or above
    their floor (they must not regress), the one that answers most in-scope questions
    right; of equals, the one that declines least (answering beats asking). ``None`` when
    no candidate meets every condition.
    """
    sweep = []
    for rule in candidates:
        result = scores(questions, [p.under(rule) for p in predictions], [p.under(rule) for p in off_domain])
        answered = accuracy(dev_questions, [p.under(rule) for p in dev_predictions])
        sweep.append(SweepRow(rule, result["in_scope_accuracy"], result["off_topic_rejection"],
                              result["off_domain_rejection"], answered))
    if not sweep:
        raise ValueError("no candidate rules")
    allowed = [row for row in sweep
               if (row.off_topic is None or row.off_topic >= off_topic_target - 1e-12)
               and (off_domain_target is None or row.off_domain is None
                    or row.off_domain >= off_domain_target - 1e-12)
               and (row.dev_questions is None or row.dev_questions >= dev_questions_floor - 1e-12)]
    if not allowed:
        return None, sweep
    best = max(row.served for row in allowed)
    return min((row.rule for row in allowed if row.served >= best - 1e-12), key=_answering_first), sweep


def paired_bootstrap(questions: Sequence[Question], ours: Sequence[str], theirs: Sequence[str],
                     rounds: int = 2000, seed: int = 7) -> Tuple[float, float, float]:
    """Accuracy difference (ours - theirs) on the same questions, with a 95 % interval."""
    right_a = [is_right(q, p) for q, p in zip(questions, ours, strict=True)]
    right_b = [is_right(q, p) for q, p in zip(questions, theirs, strict=True)]
    n = len(questions)
    if n == 0:
        return 0.0, 0.0, 0.0
    diff = (sum(right_a) - sum(right_b)) / n
    rng = random.Random(seed)
    samples = []
    for _ in range(rounds):
        idx = [rng.randrange(n) for _ in range(n)]
        samples.append(sum(right_a[i] - right_b[i] for i in idx) / n)
    samples.sort()
    return diff, samples[int(0.025 * rounds)], samples[int(0.975 * rounds) - 1]


def confusion(questions: Sequence[Question], labels: Sequence[str]
              ) -> Tuple[List[str], List[List[int]]]:
    """Counts of (expected contract label, predicted contract label); the expected label
    of a row with several accepted ones is the predicted one when it is accepted, else
    the first."""
    pairs = []
    for q, label in zip(questions, labels, strict=True):
        predicted = contract_label(label)
        accepted = [contract_label(a) for a in q.accept]
        expected = predicted if predicted in accepted else accepted[0]
        pairs.append((expected, predicted))
    names = sorted({name for pair in pairs for name in pair})
    index = {name: i for i, name in enumerate(names)}
    matrix = [[0] * len(names) for _ in names]
    for expected, predicted in pairs:
        matrix[index[expected]][index[predicted]] += 1
    return names, matrix


def _label(intent: str, parse: Dict) -> str:
    if intent == "faq":
        selectors = parse.get("response_selector") or {}
        for name in ("faq", "default"):
            key = ((selectors.get(name) or {}).get("response") or {}).get("intent_response_key")
            if key:
                return key if key.startswith("faq/") else f"faq/{key}"
        return "faq"
    return DECLINED if contract_label(intent) == DECLINED else intent


def prediction_of(parse: Dict) -> Prediction:
    """What a Rasa parse result means: ``faq/<key>`` for the retrieval intent ``faq``,
    ``declined`` for ``out_of_scope`` and ``nlu_fallback``, else the intent name."""
    intent = parse.get("intent") or {}
    name = intent.get("name") or "none"
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    top = ranking[0]["name"] if ranking else name
    confidence = float(ranking[0]["confidence"]) if ranking else 1.0
    runner_up = float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0
    share = sum(float(r["confidence"]) for r in ranking if r.get("name") == OUT_OF_SCOPE)
    # MessageGuard's fallback (no English words) is certain; FallbackClassifier's is not
    forced = name == "nlu_fallback" and float(intent.get("confidence") or 0.0) >= 1.0
    return Prediction(label=_label(name, parse), classifier=_label(top, parse),
                      confidence=confidence, runner_up=runner_up, forced=forced, out_of_scope=share)


@dataclass(frozen=True)
class GridPoint:
    """One setting of a calibration grid (``setting``: one index per swept dimension, in
    the order of the grid's values) and its dev figures."""

    setting: Tuple[int, ...]
    score: float        # the balanced score the choice maximises
    off_topic: float    # off-topic rejection, held at the floor


def plateau_choice(points: Sequence[GridPoint], off_topic_floor: float
                   ) -> Tuple[Optional[GridPoint], Dict[Tuple[int, ...], float]]:
    """The setting in the middle of the best plateau, and every setting's plateau score.

    A setting's plateau score is the mean balanced score of itself and its grid
    neighbours (one step along one dimension, either side; the neighbours that were
    measured), so a lone peak among worse settings loses to a setting whose neighbours
    score alike. Among the settings whose off-topic rejection reaches ``off_topic_floor``,
    the one with the best plateau score; of equals, the better own score. ``None`` when no
    setting reaches the floor.
    """
    by_setting = {p.setting: p for p in points}
    plateau: Dict[Tuple[int, ...], float] = {}
    for p in points:
        near = [p.score]
        for axis in range(len(p.setting)):
            for step in (-1, 1):
                other = p.setting[:axis] + (p.setting[axis] + step,) + p.setting[axis + 1:]
                if other in by_setting:
                    near.append(by_setting[other].score)
        plateau[p.setting] = sum(near) / len(near)
    allowed = [p for p in points if p.off_topic >= off_topic_floor - 1e-12]
    if not allowed:
        return None, plateau
    return max(allowed, key=lambda p: (round(plateau[p.setting], 9), p.score)), plateau
