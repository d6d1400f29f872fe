"""A real Rasa server (trained model) with the WhatsApp, Twilio and socket.io channels.

Started like tests/integration/conftest.py (ops/launch.py's launcher): Rasa, the action
server and the demo page start once per session on free ports, with a temporary credentials.yml naming our
channels, a migrated temporary clinic database, and the Graph and Twilio APIs pointed
at a local fake (tests/fakes/graph_api.py).
"""
from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ops import launch
from tests.conftest import ROOT
from tests.integration.conftest import free_port, once_per_session, servers_running
from tests.fakes.graph_api import FakeGraphAPI

MODEL = ROOT / "models" / "current.tar.gz"
STARTUP_TIMEOUT = 240
CREDENTIALS = """\
addons.channels.rest.ClinicRestInput:
addons.channels.socketio.ClinicSocketIOInput:
  session_persistence: true
  metadata_key: customData
addons.channels.whatsapp.WhatsAppInput:
addons.channels.twilio.TwilioWhatsAppInput:
"""
APP_SECRET = secrets.token_hex(16)
TWILIO_TOKEN = secrets.token_hex(16)
TWILIO_ACCOUNT = "AC00000000000000000000000000000001"
PHONE_NUMBER_ID = "100000000000001"


@dataclass
class ChannelStack:
    rasa_url: str
    web_url: str
    rasa_token: str
    fake: FakeGraphAPI
    database_url: str
    log_dir: Path
    twilio_webhook_url: str

    def tracker(self, sender: str) -> dict:
        return httpx.get(f"{self.rasa_url}/conversations/{sender}/tracker",
                         params={"token": self.rasa_token}, timeout=30).json()

    def user_turns(self, sender: str) -> int:
        return sum(1 for e in self.tracker(sender).get("events") or [] if e.get("event") == "user")

    def bot_messages(self, sender: str) -> int:
        return sum(1 for e in self.tracker(sender).get("events") or [] if e.get("event") == "bot")

    def staff_says(self, sender: str, text: str) -> httpx.Response:
        """What the console does: a bot event, sent out through the conversation's channel."""
        return httpx.post(f"{self.rasa_url}/conversations/{sender}/tracker/events",
                          params={"token": self.rasa_token, "output_channel": "latest",
                                  "execute_side_effects": "true"},
                          json=[{"event": "bot", "text": text, "metadata": {"staff": True}}], timeout=30)


def _create_channel_tables(url: str) -> None:
    """The whole clinic schema, as `make run` has it (a photo opens a handoff, actions book)."""
    from clinic.migrate import upgrade

    upgrade(url)


@pytest.fixture(scope="session")
def channel_stack(tmp_path_factory):
    """The servers with every channel (:func:`start_channel_stack`), one for the run
    (tests/browser/test_widget.py imports this fixture too)."""
    yield from once_per_session(start_channel_stack, tmp_path_factory)


def start_channel_stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail("no trained model at models/current.tar.gz: run `make model` (make test does this)")
    tmp = tmp_path_factory.mktemp("channel_stack")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    fake = FakeGraphAPI().start()
    (tmp / "credentials.yml").write_text(CREDENTIALS)
    var = tmp / "var"
    var.mkdir()
    database_url = f"sqlite:///{var / 'clinic.db'}"
    rasa_url, web_url = f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{web_port}"
    twilio_url = f"{rasa_url}/webhooks/twilio/webhook"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "CLINIC_VAR_DIR": str(var),
        "DATABASE_URL": database_url,
        "TRACKER_DATABASE_URL": f"sqlite:///{var / 'tracker.db'}",
        "RASA_AUTH_TOKEN": secrets.token_urlsafe(32),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),
        "ACTION_SERVER_PORT": str(action_port),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",  # endpoints.yml reads it
        "RASA_URL": rasa_url,
        "WHATSAPP_GRAPH_URL": fake.url,
        "WHATSAPP_API_VERSION": "v21.0",
        "WHATSAPP_ACCESS_TOKEN": "EAAG" + secrets.token_hex(20),
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": secrets.token_hex(16),
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_TIMEOUT_SECONDS": "2",
        "TWILIO_API_URL": fake.url,
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_WHATSAPP_NUMBER": "+15550000000",
        "TWILIO_WEBHOOK_URL": twilio_url,
        "WIDGET_SOCKET_URL": rasa_url,
        "SOCKETIO_ALLOWED_ORIGINS": f"{web_url},http://localhost:{web_port}",
    }
    _create_channel_tables(database_url)
    stack = ChannelStack(rasa_url, web_url, env["RASA_AUTH_TOKEN"], fake, database_url, tmp, twilio_url)
    services = [  # logs: tmp/rasa.log, tmp/actions.log, tmp/web.log
        launch.rasa_server(rasa_port, MODEL, stack.rasa_token, credentials=tmp / "credentials.yml",
                           ready=launch.model_loaded),
        launch.action_server(action_port),
        launch.Service("web", "demo page", [sys.executable, "-m", "tests.integration.channels.site_server",
                                            str(web_port)], f"{web_url}/clinic"),
    ]
    try:
        with servers_running(services, env, tmp, STARTUP_TIMEOUT):
            yield stack
    finally:
        fake.stop()
