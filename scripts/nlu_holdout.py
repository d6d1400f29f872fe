"""Held-out NLU check: train on 80 % of our own examples, test on the other 20 %.

Prints the weighted intent F1 and FAQ response-selection F1 on the held-out part
against the target (0.90), and fails (exit 1) when either drops below the regression
floor. The floor sits below the target on purpose while the target is not yet met
(0.85 measured when this was written; see README): the check still catches a model
that gets worse, and the printed figures show the distance to the target. Raise
FLOOR to TARGET once the model reaches it. The split is fixed by a seed, so the
figures are reproducible. Results go to build/holdout/.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "holdout"
TARGET = 0.90
FLOOR = 0.80
SEED = "42"


def rasa(*args: str) -> None:
    rasa_bin = Path(sys.executable).with_name("rasa")
    subprocess.run([str(rasa_bin), *args], cwd=ROOT, check=True)


def weighted_f1(report: Path) -> float:
    return json.loads(report.read_text())["weighted avg"]["f1-score"]


def main() -> int:
    shutil.rmtree(OUT, ignore_errors=True)
    split = OUT / "split"
    rasa("data", "split", "nlu", "--nlu", "data", "--training-fraction", "0.8",
         "--random-seed", SEED, "--out", str(split))
    rasa("train", "nlu", "--nlu", str(split / "training_data.yml"), "--config", "config.yml",
         "--out", str(OUT), "--fixed-model-name", "holdout")
    rasa("test", "nlu", "--nlu", str(split / "test_data.yml"), "--model", str(OUT / "holdout.tar.gz"),
         "--out", str(OUT / "results"))
    scores = {
        "intent F1": weighted_f1(OUT / "results" / "intent_report.json"),
        "FAQ key F1": weighted_f1(OUT / "results" / "response_selection_report.json"),
    }
    failed = False
    for name, score in scores.items():
        failed |= score < FLOOR
        verdict = "target met" if score >= TARGET else (
            "TARGET MISSED" if score >= FLOOR else "BELOW REGRESSION FLOOR: FAIL")
        print(f"held-out {name}: {score:.3f} (target >= {TARGET}, floor {FLOOR}): {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
