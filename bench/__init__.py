"""The clinic assistant's benchmark: ``python -m bench`` (or ``make bench``).

Measures NLU accuracy on the held-out dev set, NLU parse latency, end-to-end REST
latency and throughput against real servers (driven by Locust), full training time and
the Rasa server's peak memory, then prints one table and writes
``build/bench/results.json``.

This package must stay light to import: Rasa is imported lazily (``bench.nlu``) and
Locust (gevent) only ever runs in a subprocess (``bench/locustfile.py``).
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "current.tar.gz"


class BenchError(RuntimeError):
    """Something could not be measured (missing input, a server did not start, ...)."""


def env_flag(name: str) -> bool:
    """True when the environment variable ``name`` is set to a yes-like value."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
