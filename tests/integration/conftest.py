"""Starts the real stack once per test session: Rasa server, action server, web app."""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict

import httpx
import pytest

from tests.conftest import ROOT

MODEL = ROOT / "models" / "current.tar.gz"
STARTUP_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    rasa_url: str
    action_url: str
    web_url: str
    rasa_token: str
    action_token: str
    var_dir: Path
    log_dir: Path
    env: Dict[str, str] = field(default_factory=dict)  # what the servers were started with (secrets for signing)

    def say(self, sender: str, message: str) -> httpx.Response:
        return httpx.post(f"{self.rasa_url}/webhooks/rest/webhook",  # REST: the API token
                          json={"sender": sender, "message": message}, timeout=60,
                          headers={"Authorization": f"Bearer {self.rasa_token}"})


def print_log_tails(logs, log_dir: Path) -> None:
    """Show the end of each server's log (a server that did not start says why there)."""
    for name, handle in logs.items():
        handle.flush()
        print(f"----- {name}.log -----\n{(log_dir / f'{name}.log').read_text()[-4000:]}")


def stop(procs, logs) -> None:
    """Terminate the servers (killed after 20 s) and close their logs."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    for handle in logs.values():
        handle.close()


def wait_until(check, what: str, procs, timeout: float = STARTUP_TIMEOUT) -> None:
    """Wait until ``check()`` is true; fail at once when a server process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} while starting")
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail("no trained model: run `make model` (make test does this)")
    tmp = tmp_path_factory.mktemp("stack")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text().replace(
        "127.0.0.1:5055", f"127.0.0.1:{action_port}"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "CLINIC_VAR_DIR": str(tmp / "var"),
        "RASA_AUTH_TOKEN": secrets.token_urlsafe(32),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),
        "ACTION_SERVER_PORT": str(action_port),
        "WEB_PORT": str(web_port),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        # WhatsApp and Twilio configured (their webhooks verify signatures); nothing is
        # listening at the API URL, so anything they would send fails fast and is logged
        "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9",
        "WHATSAPP_ACCESS_TOKEN": secrets.token_hex(20),
        "WHATSAPP_APP_SECRET": secrets.token_hex(16),
        "WHATSAPP_VERIFY_TOKEN": secrets.token_hex(16),
        "WHATSAPP_PHONE_NUMBER_ID": "100000000000001",
        "WHATSAPP_TIMEOUT_SECONDS": "2",
        "WHATSAPP_SEND_ATTEMPTS": "2",  # one retry: its log line is searched too, and it is quick
        "TWILIO_API_URL": "http://127.0.0.1:9",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 31 + "1",
        "TWILIO_AUTH_TOKEN": secrets.token_hex(16),
        "TWILIO_WHATSAPP_NUMBER": "+15550000000",
        "TWILIO_SEND_ATTEMPTS": "2",
        "SOCKETIO_ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}",
    }
    env.pop("DATABASE_URL", None)
    env.pop("TRACKER_DATABASE_URL", None)
    # the clinic database at the newest schema, with the demo schedule
    subprocess.run([sys.executable, "-m", "clinic", "migrate"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "-m", "clinic", "seed-demo"], cwd=ROOT, env=env, check=True)
    logs = {name: open(tmp / f"{name}.log", "w") for name in ("rasa", "actions", "web")}
    procs = [
        subprocess.Popen([sys.executable, "-m", "addons.rasa_server", "--model", str(MODEL),
                          "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
                         cwd=ROOT, env=env, stdout=logs["rasa"], stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "addons.action_server"], cwd=ROOT, env=env,
                         stdout=logs["actions"], stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "console"], cwd=ROOT, env=env,
                         stdout=logs["web"], stderr=subprocess.STDOUT),
    ]
    s = Stack(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}",
              f"http://127.0.0.1:{web_port}", env["RASA_AUTH_TOKEN"], env["ACTION_SERVER_TOKEN"], tmp / "var", tmp, env)
    try:
        auth = {"token": s.rasa_token}  # Rasa's --auth-token is a query parameter
        wait_until(lambda: httpx.get(f"{s.rasa_url}/status", params=auth).json().get("model_file"),
                   "Rasa server", procs)
        wait_until(lambda: httpx.get(f"{s.action_url}/health").status_code == 200, "action server", procs)
        wait_until(lambda: httpx.get(f"{s.web_url}/health").status_code == 200, "web app", procs)
        yield s
    except RuntimeError:
        print_log_tails(logs, tmp)
        raise
    finally:
        stop(procs, logs)
