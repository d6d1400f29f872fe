"""Drive the REST channel with Locust in a subprocess and read its stats CSV."""
from __future__ import annotations

import csv
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench import BUILD, ROOT, VENV_BIN, BenchError

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
GRACE_S = 120  # start-up and shutdown on top of the run time
PROFILES = ("steady", "saturate")  # what bench/locustfile.py knows


@dataclass(frozen=True)
class LoadResult:
    profile: str
    users: int
    seconds: int
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    log: Path

    @property
    def ok_rps(self) -> float:
        """Successful turns per second."""
        return self.rps * (self.requests - self.failures) / self.requests if self.requests else 0.0


def run_locust(profile: str, users: int, seconds: int, host: str, label: str = "",
               token: str = "") -> LoadResult:
    """Run ``bench/locustfile.py`` headless with ``users`` users for ``seconds``.

    ``profile`` is the users' behaviour (``steady`` or ``saturate``); ``label`` names
    the run's files (default: the profile); ``token`` is the servers' API token (the REST
    channel answers only callers holding it).
    """
    if profile not in PROFILES:
        raise BenchError(f"unknown load profile {profile!r}")
    label = label or profile
    BUILD.mkdir(parents=True, exist_ok=True)
    prefix = BUILD / f"locust-{label}"
    log = BUILD / f"locust-{label}.log"
    stats = Path(f"{prefix}_stats.csv")
    stats.unlink(missing_ok=True)
    command = [str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--host", host, "--headless",
               "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
               "--csv", str(prefix), "--only-summary"]
    env = dict(os.environ, BENCH_PROFILE=profile, PYTHONPATH=str(ROOT), BENCH_RASA_TOKEN=token)
    with log.open("w", encoding="utf-8") as handle:
        try:
            # Locust exits 1 when any request failed: failures are figures, not errors.
            subprocess.run(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=seconds + GRACE_S)
        except subprocess.TimeoutExpired:
            raise BenchError(f"locust ({label}) did not finish; see {log}") from None
    return _read_stats(stats, label, users, seconds, log)


def _number(row: dict, column: str) -> float:
    value = (row.get(column) or "").strip()
    return float(value) if value and value != "N/A" else 0.0


def _read_stats(path: Path, profile: str, users: int, seconds: int, log: Path) -> LoadResult:
    if not path.exists():
        raise BenchError(f"locust ({profile}) wrote no stats; see {log}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("Name") == "Aggregated"]
    if not rows or not int(_number(rows[0], "Request Count")):
        raise BenchError(f"locust ({profile}) sent no requests; see {log}")
    row = rows[0]
    return LoadResult(profile=profile, users=users, seconds=seconds,
                      requests=int(_number(row, "Request Count")),
                      failures=int(_number(row, "Failure Count")),
                      rps=_number(row, "Requests/s"), p50_ms=_number(row, "50%"),
                      p95_ms=_number(row, "95%"), log=log)
