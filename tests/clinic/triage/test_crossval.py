"""Grouped cross-validation of the learned warning-sign signal (clinic/triage/crossval.py)."""
from __future__ import annotations

import numpy as np
import pytest

from clinic.triage import crossval as cv
from clinic.triage.engine import TriageResult
from clinic.triage.evaluate import load_corpus
from clinic.triage.signal import SignalConfig, WarningSignModel


def _row(id_, source, label="urgent", text=None):
    return {"id": id_, "text": text or f"text {id_}", "label": label, "source": source, "kind": "real"}


def test_a_website_is_one_group_whatever_the_page_or_subdomain():
    a = _row("R1", "https://www.example.co.uk/forum/1")
    b = _row("R2", "https://health.example.co.uk/q?id=2")
    c = _row("R3", "https://other.com/x")
    assert cv.group_of(a) == cv.group_of(b) == "example.co.uk" != cv.group_of(c)


def test_written_rows_are_grouped_in_blocks_of_ids():
    assert cv.group_of(_row("W001", "written")) == cv.group_of(_row("W009", "written"))
    assert cv.group_of(_row("W009", "written")) != cv.group_of(_row("W011", "written"))


def test_no_website_in_two_folds_of_the_dev_corpus():
    rows = load_corpus("dev")
    assignment = cv.folds(rows, 5)
    fold_of = {}
    for row, fold in zip(rows, assignment, strict=True):
        assert fold_of.setdefault(cv.group_of(row), fold) == fold
    sizes = [assignment.count(f) for f in range(5)]
    largest = max(sum(1 for r in rows if cv.group_of(r) == g) for g in fold_of)
    assert max(sizes) - min(sizes) <= largest


def test_a_held_out_fold_is_never_trained_on(monkeypatch):
    rows = [_row(f"R{i}", f"https://site{i % 7}.com/p", "urgent" if i % 2 else "expected") for i in range(40)]
    seen = []
    original = WarningSignModel.fit

    def fit(self, text_views, urgent, emergency, weights=None, texts=None):
        seen.append(set(texts))
        return original(self, text_views, urgent, emergency, weights, texts)

    monkeypatch.setattr(WarningSignModel, "fit", fit)
    rng = np.random.default_rng(0)
    row_views = [rng.normal(size=(1, 8)) for _ in rows]
    extras = [{"id": "", "text": "extra urgent", "label": "warning"}, {"id": "", "text": "extra calm",
                                                                          "label": "question"}]
    cv.out_of_fold(rows, row_views, extras, [rng.normal(size=(1, 8)) for _ in extras],
                   SignalConfig(pooling="whole", tfidf=False), k=4)
    assignment = cv.folds(rows, 4)
    assert len(seen) == 4
    for fold, trained in enumerate(seen):
        held = {r["text"] for r, f in zip(rows, assignment, strict=True) if f == fold}
        assert not held & trained and {"extra urgent", "extra calm"} <= trained


def test_extra_rows_leave_out_the_corpus_rows():
    corpus = [{"id": "R1", "text": "Pus everywhere!", "label": "urgent"}]
    training = [corpus[0], {"id": "S1", "text": "pus everywhere", "label": "warning"},
                {"id": "S2", "text": "a fever since the session", "label": "warning"}]
    assert [r["id"] for r in cv.extra_rows(corpus, training)] == ["S2"]


def test_the_threshold_is_the_lowest_within_the_false_alarm_budget():
    rows = ([{"text": f"u{i}", "label": "urgent"} for i in range(10)]
            + [{"text": f"e{i}", "label": "expected"} for i in range(20)]
            + [{"text": f"q{i}", "label": "question"} for i in range(5)])
    texts = [r["text"] for r in rows]
    rules = [TriageResult(urgent=False) for _ in rows]
    p = np.zeros((len(rows), 2))
    p[:10, 0] = 0.9
    p[10, 0] = 0.6   # one expected report of 20 (0.05): allowed
    p[11, 0] = 0.4   # a second one: over the budget below 0.45
    p[30, 0] = 0.2   # a question: never allowed
    assert cv.choose_threshold(rows, texts, rules, p) == 0.45
    p[30, 0] = 0.95
    assert cv.choose_threshold(rows, texts, rules, p) is None


def test_the_decision_rule_needs_recall_and_few_false_alarms():
    base = {"urgent_recall": 0.3, "added_expected": 0.02}
    assert cv.ships({"urgent_recall": 0.45}, {"expected": 0.03}, base)
    assert not cv.ships({"urgent_recall": 0.35}, {"expected": 0.03}, base)   # too little gained
    assert not cv.ships({"urgent_recall": 0.6}, {"expected": 0.05}, base)    # too many added false alarms


@pytest.mark.parametrize("alone", [False, True])
def test_combine_only_adds_on_messages_needs_learned_hands_over(alone):
    texts = ["my face feels strange", "what are the signs of infection?", "pus here", "وجهي متورم"]
    rules = [TriageResult(urgent=False), TriageResult(urgent=False), TriageResult(urgent=True, categories=["x"]),
             TriageResult(urgent=False, language="ar")]
    fired = [("warning_sign", False, 0.9)] * 4
    verdicts = cv.combine(texts, rules, fired, alone=alone)
    assert [v.urgent for v in verdicts] == [True, False, True, False]
    assert verdicts[2].learned is alone
