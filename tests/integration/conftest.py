"""Starts the real stack once per test session: Rasa server, action server, web app,
through ops/launch.py (the one launcher, shared with the bench and the load test)."""
from __future__ import annotations

import os
import secrets
import socket
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator

import httpx
import pytest

from ops import launch
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


def print_log_tails(log_dir: Path, names=("rasa", "actions", "web")) -> None:
    """Show the end of each server's log (a server that did not start says why there)."""
    for name in names:
        log = log_dir / f"{name}.log"
        print(f"----- {name}.log -----\n{log.read_text()[-4000:] if log.exists() else '(no log)'}")


@contextmanager
def servers_running(services, env, log_dir: Path, timeout: float = STARTUP_TIMEOUT):
    """ops/launch.py's launcher with this folder's settings: ``timeout`` s for all of
    ``services`` to answer, 20 s each to stop before it is killed, every log's end printed
    when one does not start."""
    try:
        with launch.launched(services, env, log_dir, start_timeout=timeout, stop_timeout=20.0) as group:
            yield group
    except launch.StackError:
        print_log_tails(log_dir, [s.name for s in services])
        raise


_started: Dict[Callable, Any] = {}


def once_per_session(start: Callable[..., Iterator], *args) -> Iterator:
    """For a session fixture: what the generator ``start(*args)`` yields, started once per
    test run however many modules use the fixture. A module that imports a fixture
    (tests/security and tests/browser import ``stack`` and ``channel_stack``) gets a
    fixture of its own from pytest, and each of them started the servers again (three
    Rasa stacks for ``stack``): the first to ask starts them, the others are handed the
    same ones, and the first one's teardown (the last: pytest ends fixtures in reverse)
    stops them."""
    if start in _started:
        yield _started[start]
        return
    running = start(*args)
    _started[start] = next(running)
    try:
        yield _started[start]
    finally:
        del _started[start]
        running.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The Rasa server, action server and web app (:func:`start_stack`), one for the run."""
    yield from once_per_session(start_stack, tmp_path_factory)


def start_stack(tmp_path_factory):
    """Start the three servers on free ports with a fresh clinic database; yield a
    :class:`Stack`, stop them when closed (tests/conversations starts its own with a fixed clock)."""
    if not MODEL.exists():
        pytest.fail("no trained model: run `make model` (make test does this)")
    tmp = tmp_path_factory.mktemp("stack")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "CLINIC_VAR_DIR": str(tmp / "var"),
        "RASA_AUTH_TOKEN": secrets.token_urlsafe(32),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),
        "ACTION_SERVER_PORT": str(action_port),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",  # endpoints.yml reads it
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
    launch.prepare_clinic_database(env)
    s = Stack(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}",
              f"http://127.0.0.1:{web_port}", env["RASA_AUTH_TOKEN"], env["ACTION_SERVER_TOKEN"], tmp / "var", tmp, env)
    services = [  # logs: tmp/rasa.log, tmp/actions.log, tmp/web.log (the log canaries read them)
        launch.rasa_server(rasa_port, MODEL, s.rasa_token, ready=launch.model_loaded),
        launch.action_server(action_port),
        launch.Service("web", "web app", [sys.executable, "-m", "console"], f"{s.web_url}/health"),
    ]
    with servers_running(services, env, tmp):
        yield s
