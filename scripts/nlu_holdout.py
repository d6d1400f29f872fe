"""Held-out NLU check: train on 80 % of our own examples, test on the other 20 %.

Fails (exit 1) when the weighted intent F1 or the FAQ response-selection F1 on the
held-out part is below the threshold. The split is stratified per intent and fixed by
a seed, so the figure is reproducible. Results go to build/holdout/.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "holdout"
THRESHOLD = 0.90
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
        ok = score >= THRESHOLD
        failed |= not ok
        print(f"held-out {name}: {score:.3f} (target >= {THRESHOLD}) {'PASS' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
