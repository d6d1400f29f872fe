"""Full training time: ``rasa train --force`` (as ``make train`` runs it) into a throw-away directory."""
from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from bench import BUILD, ROOT, VENV_BIN, BenchError

TRAIN_TIMEOUT_S = 3600


def time_training(log_path: Path) -> float:
    """Train a full model from scratch; return the wall-clock seconds it took."""
    BUILD.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD, prefix="train-") as out, \
            log_path.open("w", encoding="utf-8") as log:
        command = [str(VENV_BIN / "python"), "-m", "addons.rasa_cli", "train", "--force", "--out", out,
                   "--fixed-model-name", "bench"]
        started = time.monotonic()
        try:
            completed = subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, timeout=TRAIN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise BenchError(f"training took more than {TRAIN_TIMEOUT_S} s (log: {log_path})") from None
        seconds = time.monotonic() - started
        if completed.returncode != 0 or not (Path(out) / "bench.tar.gz").exists():
            raise BenchError(f"training failed (exit {completed.returncode}); see {log_path}")
    return seconds
