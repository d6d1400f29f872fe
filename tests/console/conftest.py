"""The web app with a temporary clinic database and a fake Rasa HTTP API."""
from __future__ import annotations

import json
import re
from urllib.parse import unquote

import httpx
import pytest
from starlette.testclient import TestClient

from clinic.db import make_engine, make_session_factory
from clinic.handoff.models import CannedReply, ConsoleSession, Handoff, StaffAccount
from clinic.handoff.staff import create_staff
from clinic.rasa_client import RasaClient
from clinic.settings import settings_from_env
from console.app import create_app
from console.security import LoginLimiter
from console.staff import Console
from tests.conftest import staff_hashed_once

PASSWORD = "a long enough password"


class FakeRasa:
    """Conversations in memory, like Rasa's /conversations/<id>/tracker routes."""

    def __init__(self):
        self.events = {}
        self.calls = []
        self.down = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.down:
            raise httpx.ConnectError("refused")
        match = re.match(r"^/conversations/(.+)/tracker(/events)?$", request.url.raw_path.split(b"?")[0].decode())
        if match is None:
            return httpx.Response(404, json={})
        conversation = unquote(match.group(1))
        events = self.events.setdefault(conversation, [])
        if match.group(2):
            events.extend(json.loads(request.content))
            return httpx.Response(200, json={"sender_id": conversation})
        paused = False
        for event in events:
            paused = {"pause": True, "resume": False}.get(event.get("event"), paused)
        return httpx.Response(200, json={"sender_id": conversation, "events": events, "slots": {},
                                         "paused": paused})


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Handoff.metadata.create_all(engine, tables=[Handoff.__table__, StaffAccount.__table__,
                                                ConsoleSession.__table__, CannedReply.__table__])
    session_factory = make_session_factory(engine)
    with staff_hashed_once(), session_factory.begin() as session:
        create_staff(session, "sara", "Sara", PASSWORD)
        create_staff(session, "omar", "Omar", PASSWORD)
    yield session_factory
    engine.dispose()


@pytest.fixture
def rasa():
    return FakeRasa()


@pytest.fixture
def make_client(factory, rasa, tmp_path):
    def make(limiter=None, tracker_engine=None):
        api = RasaClient("http://rasa", "tok", client=httpx.AsyncClient(
            transport=httpx.MockTransport(rasa.handler), base_url="http://rasa"))
        # no tracker store unless a test gives one (never the checkout's var/tracker.db)
        settings = settings_from_env({"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'no-tracker.db'}"})
        console = Console(settings, session_factory=factory, rasa=api, limiter=limiter or LoginLimiter(),
                          tracker_engine=tracker_engine)
        chat = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[])),
                                 base_url="http://rasa")
        return TestClient(create_app(settings, client=chat, console=console))
    return make


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf(?:_token|-token)" (?:value|content)="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def log_in(client: TestClient, username: str = "sara", password: str = PASSWORD) -> str:
    """Log in; returns the CSRF token for API calls."""
    token = csrf_of(client.get("/console/login").text)
    response = client.post("/console/login", data={"username": username, "password": password,
                                                   "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/console/").text)
