"""Train a model only when none exists for the current data, config and domain.

The model's name carries a hash of everything that shapes it (config.yml, domain.yml,
data/, the custom NLU components and the dependency lock), so "is it current?" is a
file lookup. ``models/current.tar.gz`` links to the model for this checkout.

    python scripts/ensure_model.py           # train if needed
    python scripts/ensure_model.py --force   # always train (prints the time taken)
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional, Set

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
CURRENT = MODELS / "current.tar.gz"
KEEP = 3
# what is read when training: the data, the graph, the trained components' code, the locks
# (the encoders' weights are pinned there by hash)
# The triage component (addons/nlu/triage.py) fits the learned warning-sign signal on
# data/triage/reports.tsv with the code of these two modules (the rest of clinic/triage, the
# rules, runs when serving only: changing a rule must not retrain)
INPUTS = ["config.yml", "domain.yml", "data", "addons/nlu", "addons/policies",
          "requirements.txt", "requirements-encoder.txt",
          "clinic/triage/learned.py", "clinic/triage/signal.py"]
# the trained components; every project module they import, directly or not, at module level
# or inside a function, shapes the model too (found by model_code(), not listed by hand)
TRAINED = ["addons/nlu/intent_classifier.py", "addons/policies"]
PACKAGES = ("clinic", "addons")


def _module_file(dotted: str) -> Optional[Path]:
    """The project file of a dotted module name (a module or a package's __init__)."""
    base = ROOT.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(file: Path) -> Set[Path]:
    """The project modules ``file`` imports, anywhere in it (lazy imports too)."""
    found: Set[Path] = set()
    package = ".".join(file.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(file.read_bytes(), filename=str(file))):
        names: List[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(parent + ([module] if module else []))
            # "from clinic.nlu import logistic" imports clinic/nlu/logistic.py
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        for name in names:
            if name.split(".")[0] in PACKAGES:
                parts = name.split(".")
                # a package's __init__ runs on the way to any module inside it
                for depth in range(1, len(parts) + 1):
                    path = _module_file(".".join(parts[:depth]))
                    if path is not None:
                        found.add(path)
    return found


def model_code() -> List[Path]:
    """Every project module the trained components import, transitively."""
    todo: List[Path] = []
    for entry in TRAINED:
        path = ROOT / entry
        todo += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    seen: Set[Path] = set()
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        todo.extend(_imports(file) - seen)
    return sorted(seen)


def fingerprint() -> str:
    digest = hashlib.sha256()
    entries = [ROOT / entry for entry in INPUTS] + model_code()
    seen: Set[Path] = set()
    for path in entries:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file in seen:
                continue
            seen.add(file)
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
