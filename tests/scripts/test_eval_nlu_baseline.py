"""scripts/eval_nlu.py: the same-run baseline is fitted once per training data and code.

make test fits it in the trainings step (``--baseline-only``) and eval-nlu reads it; a
cached baseline must never stand in for one fitted on other examples.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("eval_nlu", ROOT / "scripts" / "eval_nlu.py")
eval_nlu = importlib.util.module_from_spec(spec)
sys.modules["eval_nlu"] = eval_nlu
spec.loader.exec_module(eval_nlu)

from clinic.nlu.classifier import TextClassifier  # noqa: E402

TEXTS = ["how much does it cost", "what is the price", "price of a session please",
         "does it hurt", "is it painful", "how painful is the needle",
         "book me in", "i want an appointment", "can i book for friday"]
LABELS = ["faq/price"] * 3 + ["faq/pain"] * 3 + ["book_appointment"] * 3


def _labels(baseline, texts):
    return [p.classifier for p in baseline.predict(texts)]


def test_a_second_run_reads_the_baseline_and_predicts_the_same(tmp_path, monkeypatch):
    first = eval_nlu.Baseline.trained(TEXTS, LABELS, cache=tmp_path)
    assert len(list(tmp_path.glob("*.joblib"))) == 1

    def no_fit(*args, **kwargs):
        raise AssertionError("refitted although the cache holds this baseline")

    monkeypatch.setattr(TextClassifier, "fit", no_fit)
    second = eval_nlu.Baseline.trained(TEXTS, LABELS, cache=tmp_path)
    probe = ["how much is it", "will it hurt", "book an appointment"]
    assert _labels(second, probe) == _labels(first, probe)
    assert second.model.predict_proba(probe).tolist() == first.model.predict_proba(probe).tolist()


@pytest.mark.parametrize("change", ["a label", "a text"])
def test_other_examples_fit_a_new_baseline_and_replace_the_old(tmp_path, change):
    eval_nlu.Baseline.trained(TEXTS, LABELS, cache=tmp_path)
    (old,) = tmp_path.glob("*.joblib")
    texts, labels = list(TEXTS), list(LABELS)
    if change == "a label":
        labels[0] = "faq/pain"
    else:
        texts[0] = "how much is a session"
    fitted = []
    real_fit = TextClassifier.fit

    def counting_fit(self, *args, **kwargs):
        fitted.append(1)
        return real_fit(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TextClassifier, "fit", counting_fit)
        eval_nlu.Baseline.trained(texts, labels, cache=tmp_path)
    assert fitted == [1]
    (new,) = tmp_path.glob("*.joblib")
    assert new.name != old.name


def test_the_key_follows_the_classifier_code(monkeypatch):
    from clinic.nlu import embedding_cache

    before = eval_nlu.Baseline.key(TEXTS, LABELS)
    assert eval_nlu.Baseline.key(TEXTS, LABELS) == before
    monkeypatch.setattr(embedding_cache, "fingerprint", lambda files: "changed code")
    assert eval_nlu.Baseline.key(TEXTS, LABELS) != before
