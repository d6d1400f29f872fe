"""Start the real Rasa and action servers on free ports, probe them, stop them
(through ops/launch.py, the one launcher the tests and the load test use too).

Each run uses fresh random tokens, a fresh ``CLINIC_VAR_DIR`` (so the SQLite tracker
starts empty) and ``ACTION_SERVER_URL`` pointing ``endpoints.yml`` at the bench's action server.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import statistics
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import httpx
import psutil

from bench import BUILD, ROOT, VENV_BIN, BenchError
from ops import launch
from ops.launch import StackError, prepare_clinic_database
from ops.topology import free_ports

START_TIMEOUT_S = float(os.environ.get("BENCH_START_TIMEOUT", "300"))
STOP_TIMEOUT_S = 15.0
WEBHOOK = "/webhooks/rest/webhook"
HEALTH = "/webhooks/rest/"


def auth(token: str) -> Dict[str, str]:
    """The REST channel answers only callers holding the API token."""
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Servers:
    rasa_url: str
    action_url: str
    rasa_token: str
    rasa: subprocess.Popen
    actions: subprocess.Popen
    rasa_log: Path
    actions_log: Path


def server_env(var_dir: Path, rasa_token: str, action_token: str, action_port: int) -> Dict[str, str]:
    """The environment for both servers: fresh secrets, fresh SQLite files."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "TRACKER_DATABASE_URL"):
        env.pop(name, None)  # always a fresh SQLite tracker under var_dir
    env.update(
        PYTHONPATH=str(ROOT),
        RASA_TELEMETRY_ENABLED="false",
        RASA_AUTH_TOKEN=rasa_token,
        ACTION_SERVER_TOKEN=action_token,
        ACTION_SERVER_HOST="127.0.0.1",
        ACTION_SERVER_PORT=str(action_port),
        # endpoints.yml reads ${ACTION_SERVER_URL} (clinic/config_schema.py): no rewritten copy
        ACTION_SERVER_URL=f"http://127.0.0.1:{action_port}/webhook",
        CLINIC_VAR_DIR=str(var_dir),
        # a load test, not abuse: the per-sender webhook limit would refuse the
        # 80-message turn-growth conversation
        WEBHOOK_RATE_LIMIT="100000",
    )
    return env


def peak_rss_mb(pid: int) -> float:
    """Sum of VmHWM (peak resident memory) of ``pid`` and its children, in MB."""
    try:
        procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
    except psutil.Error as error:
        raise BenchError(f"cannot read the memory of process {pid}: {error}") from None
    total_kb = 0
    for proc in procs:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text(encoding="utf-8")
        except OSError:
            continue
        match = re.search(r"^VmHWM:\s+(\d+)\s+kB", status, re.MULTILINE)
        total_kb += int(match.group(1)) if match else 0
    return total_kb / 1024.0


@contextmanager
def running_servers(model: Path) -> Iterator[Servers]:
    """Start both servers, wait until the model is loaded, always stop them."""
    var_dir = BUILD / "var"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    rasa_port, action_port = free_ports(2)  # never `make run`'s or `make run-prod`'s ports
    rasa_token, action_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    env = server_env(var_dir, rasa_token, action_token, action_port)
    try:  # without the tables, booking and handoff turns fail fast and cheap: flattering figures
        prepare_clinic_database(env)
    except StackError as error:
        raise BenchError(str(error)) from None
    services = [launch.action_server(action_port, python=str(VENV_BIN / "python")),
                launch.rasa_server(rasa_port, model, rasa_token, python=str(VENV_BIN / "python"))]
    try:  # logs build/bench/{actions,rasa}.log; Ctrl-C is ours to handle (new session)
        with launch.launched(services, env, BUILD, start_timeout=START_TIMEOUT_S,
                             stop_timeout=STOP_TIMEOUT_S, new_session=True, poll=1.0) as group:
            yield Servers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}",
                          rasa_token, group.processes["rasa"], group.processes["actions"],
                          group.log("rasa"), group.log("actions"))
    except StackError as error:
        raise BenchError(str(error)) from None


def warm_up(servers: Servers, messages: List[str]) -> None:
    """Send a few turns so first-request costs stay out of the figures.

    A non-200 answer stops the bench; an empty reply is only reported here, since the
    load runs count it as a failed turn.
    """
    with httpx.Client(base_url=servers.rasa_url, timeout=60.0, headers=auth(servers.rasa_token)) as client:
        for text in messages:
            try:
                response = client.post(WEBHOOK, json={"sender": "bench-warm-up", "message": text})
            except httpx.HTTPError as error:
                raise BenchError(f"warm-up turn failed: {error}; log {servers.rasa_log}") from None
            if response.status_code != 200:
                raise BenchError(f"warm-up turn failed: HTTP {response.status_code}; "
                                 f"log {servers.rasa_log}:\n{launch.tail(servers.rasa_log)}")
            if not response.json():
                print(f"    warning: warm-up message {text!r} got an empty reply "
                      f"(see {servers.rasa_log})", flush=True)


def _wait_until_idle(client: httpx.Client, quick_ms: float = 50.0, timeout_s: float = 60.0) -> None:
    """Until the REST channel's health route answers quickly twice in a row (it waits behind
    any turns still running on Rasa's event loop)."""
    deadline, quick = time.monotonic() + timeout_s, 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.perf_counter()
        client.get(HEALTH)
        quick = quick + 1 if (time.perf_counter() - started) * 1000.0 < quick_ms else 0
        time.sleep(0.1)


def turn_growth(servers: Servers, messages: int = 80, window: int = 10) -> Tuple[float, float]:
    """Mean turn latency (ms) of the first and the last ``window`` turns of one long
    conversation sent one message at a time: how the per-turn cost grows with length."""
    texts = ["what is mesotherapy", "how much does it cost", "does it hurt",
             "when will I see results", "is redness normal after treatment"]
    sender = f"bench-growth-{secrets.token_hex(4)}"
    timings: List[float] = []
    with httpx.Client(base_url=servers.rasa_url, timeout=60.0, headers=auth(servers.rasa_token)) as client:
        _wait_until_idle(client)  # the turns a load run abandoned are not timed below
        for i in range(messages):
            started = time.perf_counter()
            response = client.post(WEBHOOK, json={"sender": sender, "message": texts[i % len(texts)]})
            timings.append((time.perf_counter() - started) * 1000.0)
            if response.status_code != 200:
                raise BenchError(f"turn-growth turn failed: HTTP {response.status_code}")
    return statistics.mean(timings[:window]), statistics.mean(timings[-window:])
