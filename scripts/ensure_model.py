"""Train a model only when none exists for the current data, config and domain.

The model's name carries a hash of everything that shapes it (config.yml, domain.yml,
data/, the custom NLU components and the dependency lock), so "is it current?" is a
file lookup. ``models/current.tar.gz`` links to the model for this checkout.

    python scripts/ensure_model.py           # train if needed
    python scripts/ensure_model.py --force   # always train (prints the time taken)
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
CURRENT = MODELS / "current.tar.gz"
KEEP = 3
# the classifier's code and the encoder's weights shape the model too (clinic/nlu/)
INPUTS = ["config.yml", "domain.yml", "data", "addons/nlu", "addons/policies",
          "clinic/nlu/classifier.py", "clinic/nlu/encoder.py", "clinic/nlu/labels.py",
          "clinic/nlu/logistic.py",
          "requirements.txt", "requirements-encoder.txt"]


def fingerprint() -> str:
    digest = hashlib.sha256()
    for entry in INPUTS:
        path = ROOT / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def train(name: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "addons.rasa_cli", "train", "--fixed-model-name", name,
         "--out", str(MODELS), "--force"],
        cwd=ROOT,
        check=True,
    )
    return time.monotonic() - started


def prune() -> None:
    models = sorted(MODELS.glob("clinic-*.tar.gz"), key=os.path.getmtime, reverse=True)
    for old in models[KEEP:]:
        old.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if the model is current")
    args = parser.parse_args()

    name = f"clinic-{fingerprint()}"
    model = MODELS / f"{name}.tar.gz"
    if args.force or not model.exists():
        print(f"==> training {model.name} (data, config or domain changed)", flush=True)
        seconds = train(name)
        print(f"==> trained in {seconds:.0f} s", flush=True)
    else:
        print(f"==> model is current: {model.name}", flush=True)
    if CURRENT.is_symlink() or CURRENT.exists():
        CURRENT.unlink()
    CURRENT.symlink_to(model.name)
    prune()
    return 0


if __name__ == "__main__":
    sys.exit(main())
