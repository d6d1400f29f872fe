"""scripts/ensure_model.py: "is the model current?" sees every file that shapes the model.

The model's name carries a hash of its inputs; a module the trained classifier imports
but the hash leaves out would let a changed classifier serve a stale model (the
multilingual encoder's code was such a module until the inputs were found by imports).
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("ensure_model", ROOT / "scripts" / "ensure_model.py")
ensure_model = importlib.util.module_from_spec(spec)
sys.modules["ensure_model"] = ensure_model
spec.loader.exec_module(ensure_model)


def _relative(paths):
    return {str(path.relative_to(ensure_model.ROOT)) for path in paths}


def test_the_classifiers_imports_are_found_lazy_ones_included():
    code = _relative(ensure_model.model_code())
    # imported at module level by the component
    assert {"clinic/nlu/classifier.py", "clinic/language.py", "clinic/booking/references.py"} <= code
    # imported inside functions only (the encoders are loaded lazily)
    assert {"clinic/nlu/encoder.py", "clinic/nlu/multilingual.py"} <= code
    # imported by a module the component imports ("from clinic.nlu import logistic")
    assert "clinic/nlu/logistic.py" in code
    # read at run time only: changing them must not retrain
    assert not code & {"clinic/triage/__init__.py", "clinic/nlu/evaluate.py", "addons/nlu/triage.py"}


def test_the_learned_triage_signals_fitting_code_is_an_input_and_the_rules_are_not():
    # addons/nlu/triage.py fits clinic.triage.learned's signal (clinic.triage.signal) at training time
    inputs = set(ensure_model.INPUTS)
    assert {"clinic/triage/learned.py", "clinic/triage/signal.py", "data"} <= inputs
    assert not any(i.startswith("clinic/triage") for i in inputs - {"clinic/triage/learned.py",
                                                                     "clinic/triage/signal.py"})


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A small project: a trained component importing a module that imports another lazily."""
    (tmp_path / "addons" / "nlu").mkdir(parents=True)
    (tmp_path / "addons" / "policies").mkdir()
    (tmp_path / "clinic" / "nlu").mkdir(parents=True)
    for package in ("addons", "addons/nlu", "addons/policies", "clinic", "clinic/nlu"):
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "addons" / "nlu" / "intent_classifier.py").write_text("from clinic.nlu import model\n")
    (tmp_path / "clinic" / "nlu" / "model.py").write_text("def f():\n    from . import weights\n")
    (tmp_path / "clinic" / "nlu" / "weights.py").write_text("W = 1\n")
    (tmp_path / "clinic" / "unrelated.py").write_text("X = 1\n")
    (tmp_path / "clinic" / "triage").mkdir()
    for name in ("learned.py", "signal.py"):  # inputs by name (the learned triage signal's fit)
        (tmp_path / "clinic" / "triage" / name).write_text("T = 1\n")
    for name in ("config.yml", "domain.yml", "requirements.txt", "requirements-encoder.txt"):
        (tmp_path / name).write_text("x\n")
    (tmp_path / "data").mkdir()
    monkeypatch.setattr(ensure_model, "ROOT", tmp_path)
    return tmp_path


def test_a_change_to_an_imported_module_changes_the_fingerprint(project):
    before = ensure_model.fingerprint()
    (project / "clinic" / "nlu" / "weights.py").write_text("W = 2\n")
    assert ensure_model.fingerprint() != before


def test_a_change_to_the_triage_signals_code_changes_the_fingerprint(project):
    before = ensure_model.fingerprint()
    (project / "clinic" / "triage" / "signal.py").write_text("T = 2\n")
    assert ensure_model.fingerprint() != before


def test_a_change_to_a_module_nobody_imports_keeps_it(project):
    before = ensure_model.fingerprint()
    (project / "clinic" / "unrelated.py").write_text("X = 2\n")
    assert ensure_model.fingerprint() == before
