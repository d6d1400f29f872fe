"""Held-out NLU check: train on 80 % of our own examples, test on the other 20 %.

    python scripts/nlu_holdout.py train   # split and train (skipped when build/holdout is current)
    python scripts/nlu_holdout.py check   # train if needed, test, print the figures

``check`` prints the weighted intent F1 and FAQ response-selection F1 on the held-out
part against the target (0.90), and fails (exit 1) when either drops below it. ``make
test`` runs ``train`` beside the main model's training, both reading the sentence
embeddings of their examples from the training cache (clinic/nlu/embedding_cache.py) that
``scripts/embed_examples.py`` filled before, then ``check``.
The split is fixed by a seed, so the figures are reproducible on one machine; a change to
the training data reshuffles the split of the intents it touches, which has moved the
figures by up to 0.02 either way.
Results go to build/holdout/ (no plots: nothing reads them here).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from ensure_model import fingerprint

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "holdout"
SPLIT = OUT / "split"
NAME = "holdout"
MODEL = OUT / f"{NAME}.tar.gz"
TRAINED_FOR = OUT / "fingerprint"  # data, config and components the model was trained on
TARGET = 0.90
SEED = "42"


def rasa(*args: str) -> None:
    """``rasa *args`` with the speed-ups the server runs with (addons/rasa_cli.py)."""
    subprocess.run([sys.executable, "-m", "addons.rasa_cli", *args], cwd=ROOT, check=True)


def train() -> None:
    current = fingerprint()  # taken before training: an edit made meanwhile retrains next time
    if MODEL.exists() and TRAINED_FOR.exists() and TRAINED_FOR.read_text() == current:
        print(f"==> held-out model is current: {MODEL.relative_to(ROOT)}", flush=True)
        return
    shutil.rmtree(OUT, ignore_errors=True)
    rasa("data", "split", "nlu", "--nlu", "data", "--training-fraction", "0.8",
         "--random-seed", SEED, "--out", str(SPLIT))
    # `rasa data split nlu` keeps the examples but not the retrieval intents' responses
    # (data/responses/): put them beside the training part, or every faq/ and
    # out_of_scope/ example warns that it has no response (4,600 lines of CI log).
    train_dir = SPLIT / "train"
    train_dir.mkdir()
    shutil.move(str(SPLIT / "training_data.yml"), train_dir / "training_data.yml")
    for responses in sorted((ROOT / "data" / "responses").glob("*.yml")):
        shutil.copy(responses, train_dir / responses.name)
    rasa("train", "nlu", "--nlu", str(train_dir), "--config", "config.yml",
         "--out", str(OUT), "--fixed-model-name", NAME)
    TRAINED_FOR.write_text(current)


def weighted_f1(report: Path) -> float:
    return json.loads(report.read_text())["weighted avg"]["f1-score"]


def check() -> int:
    train()
    results = OUT / "results"
    shutil.rmtree(results, ignore_errors=True)
    rasa("test", "nlu", "--nlu", str(SPLIT / "test_data.yml"), "--model", str(MODEL),
         "--out", str(results), "--no-plot")
    scores = {
        "intent F1": weighted_f1(results / "intent_report.json"),
        "FAQ key F1": weighted_f1(results / "response_selection_report.json"),
    }
    failed = False
    for name, score in scores.items():
        failed |= score < TARGET
        verdict = "target met" if score >= TARGET else "BELOW TARGET: FAIL"
        print(f"held-out {name}: {score:.3f} (target >= {TARGET}): {verdict}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["train", "check"], nargs="?", default="check")
    args = parser.parse_args()
    if args.step == "train":
        train()
        return 0
    return check()


if __name__ == "__main__":
    sys.exit(main())
