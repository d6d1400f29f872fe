"""Start the real Rasa and action servers on free ports, probe them, stop them.

Each run uses fresh random tokens, a fresh ``CLINIC_VAR_DIR`` (so the SQLite tracker
starts empty) and a copy of ``endpoints.yml`` pointing at the bench's action server.
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
from typing import Dict, Iterator, List, Optional, Tuple

import httpx
import psutil

from bench import BUILD, ROOT, VENV_BIN, BenchError
from ops.stack import StackError, prepare_clinic_database
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


def write_endpoints(action_port: int, path: Path) -> Path:
    """Copy ``endpoints.yml`` with the action server URL moved to ``action_port``."""
    text = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    new, count = re.subn(r"(http://127\.0\.0\.1:)\d+(/webhook)", rf"\g<1>{action_port}\2", text)
    if count != 1:
        raise BenchError("endpoints.yml: expected exactly one action_endpoint URL on 127.0.0.1")
    path.write_text(new, encoding="utf-8")
    return path


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
        CLINIC_VAR_DIR=str(var_dir),
        # a load test, not abuse: the per-sender webhook limit would refuse the
        # 80-message turn-growth conversation
        WEBHOOK_RATE_LIMIT="100000",
    )
    return env


def _spawn(command: List[str], env: Dict[str, str], log: Path) -> subprocess.Popen:
    """Start `command` in the project root, its output going to `log`."""
    with log.open("w", encoding="utf-8") as handle:  # the child keeps its own descriptor
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)  # Ctrl-C is ours to handle


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_ready(name: str, proc: subprocess.Popen, url: str, log: Path, deadline: float) -> None:
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise BenchError(f"{name} exited with code {proc.returncode} while starting; "
                                 f"log {log}:\n{_tail(log)}")
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1.0)
    raise BenchError(f"{name} was not ready after {START_TIMEOUT_S:.0f} s; log {log}:\n{_tail(log)}")


def stop(proc: Optional[subprocess.Popen]) -> None:
    """Terminate ``proc`` and its children; wait, then kill what is left."""
    if proc is None or proc.poll() is not None:
        return
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        children = []
    proc.terminate()
    try:
        proc.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(STOP_TIMEOUT_S)
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass


def peak_rss_mb(pid: int) -> float:
    """Sum of VmHWM (peak resident memory) of ``pid`` and its children, in MB."""
    try:
        procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
    except psutil.Error as error:
        raise BenchError(f"cannot read the memory of process {pid}: {error}")
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
    endpoints = write_endpoints(action_port, BUILD / "endpoints.yml")
    rasa_log, actions_log = BUILD / "rasa.log", BUILD / "actions.log"
    actions = rasa = None
    try:
        actions = _spawn([str(VENV_BIN / "python"), "-m", "addons.action_server"], env, actions_log)
        rasa = _spawn([str(VENV_BIN / "python"), "-m", "addons.rasa_server", "--port", str(rasa_port),
                       "--model", str(model), "--endpoints", str(endpoints),
                       "--credentials", "credentials.yml"],
                      env, rasa_log)
        servers = Servers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}",
                          rasa_token, rasa, actions, rasa_log, actions_log)
        deadline = time.monotonic() + START_TIMEOUT_S
        _wait_ready("action server", actions, f"{servers.action_url}/health", actions_log, deadline)
        # Rasa's --auth-token is checked as the `token` query parameter (not a header).
        _wait_ready("Rasa server", rasa, f"{servers.rasa_url}/status?token={rasa_token}",
                    rasa_log, deadline)
        yield servers
    finally:
        stop(rasa)
        stop(actions)


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
                raise BenchError(f"warm-up turn failed: {error}; log {servers.rasa_log}")
            if response.status_code != 200:
                raise BenchError(f"warm-up turn failed: HTTP {response.status_code}; "
                                 f"log {servers.rasa_log}:\n{_tail(servers.rasa_log)}")
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
