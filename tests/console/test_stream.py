"""The console's live stream (GET /console/api/stream, server-sent events) under a real
uvicorn server: login required, bounded per session, and it delivers a new case, a
patient message and a take-over (ids only, no personal data). Delivery, not speed: the
figures are measured by bench/console_latency.py against the real servers."""
from __future__ import annotations

import contextlib
import json
import time
from typing import Iterator, Tuple

import httpx
import pytest

from clinic.handoff import service
from clinic.rasa_client import RasaClient
from clinic.settings import settings_from_env
from console.app import create_app
from console.staff import Console
from tests.browser.conftest import ServedApp, free_port
from tests.console.conftest import PASSWORD, csrf_of

DELIVERY_S = 10.0  # generous: a loaded machine; the watcher looks every 0.05 s here


@pytest.fixture
def served(factory, rasa, tmp_path):
    api = RasaClient("http://rasa", "tok", client=httpx.AsyncClient(
        transport=httpx.MockTransport(rasa.handler), base_url="http://rasa"))
    settings = settings_from_env({"TRACKER_DATABASE_URL": "sqlite:///" + str(tmp_path / "no-tracker.db")})
    console = Console(settings, session_factory=factory, rasa=api, live_interval=0.05)
    chat = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[])),
                             base_url="http://rasa")
    with ServedApp(create_app(settings, client=chat, console=console), free_port()) as web:
        yield web.url


def logged_in(url: str) -> Tuple[httpx.Client, str]:
    # a read waits DELIVERY_S at most: the stream's keep-alive comments (every 15 s) would
    # otherwise keep a test waiting for an event that never comes running for ever
    client = httpx.Client(base_url=url, timeout=httpx.Timeout(20.0, read=DELIVERY_S))
    token = csrf_of(client.get("/console/login").text)
    response = client.post("/console/login", data={"username": "sara", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    return client, csrf_of(client.get("/console/").text)


def events(response: httpx.Response) -> Iterator[Tuple[str, dict]]:
    """(event name, data) pairs as they arrive (comments skipped)."""
    name = None
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: ") and name:
            yield name, json.loads(line[len("data: "):])
            name = None


def next_event(stream: Iterator[Tuple[str, dict]], wanted: str, within: float) -> Tuple[dict, float]:
    start = time.monotonic()
    for name, data in stream:
        if name == wanted:
            return data, time.monotonic() - start
        assert time.monotonic() - start < within, f"no {wanted} event within {within} s"
    raise AssertionError("the stream ended")


def test_the_stream_needs_a_live_session(served):
    response = httpx.get(f"{served}/console/api/stream", timeout=5.0)
    assert response.status_code == 401
    forged = httpx.get(f"{served}/console/api/stream", timeout=5.0, cookies={"clinic_console": "x" * 43})
    assert forged.status_code == 401


def test_the_stream_delivers_new_cases_messages_and_take_overs(served, factory, rasa):
    client, csrf = logged_in(served)
    with client.stream("GET", "/console/api/stream") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-store"
        stream = events(response)
        next_event(stream, "ready", DELIVERY_S)

        with factory.begin() as session:
            handoff_id = service.open_handoff(session, conversation_id="wa-971500000001", channel="whatsapp",
                                              reason="asked", priority="normal").id
        next_event(stream, "queue", DELIVERY_S)
        data, _ = next_event(stream, "conversation", DELIVERY_S)
        assert data == {"handoff_id": handoff_id}

        rasa.events["wa-971500000001"].append({"event": "user", "text": "are you there?", "timestamp": time.time()})
        data, _ = next_event(stream, "conversation", DELIVERY_S)  # a patient message
        assert data == {"handoff_id": handoff_id}

        other = httpx.Client(base_url=served, timeout=20.0, cookies=client.cookies)
        assert other.post(f"/console/api/handoffs/{handoff_id}/take", headers={"X-CSRF-Token": csrf}).status_code == 200
        data, _ = next_event(stream, "conversation", DELIVERY_S)  # a take-over in another tab
        assert data == {"handoff_id": handoff_id}
    client.close()


def test_streams_per_session_are_bounded(served):
    client, _ = logged_in(served)
    with contextlib.ExitStack() as stack:
        readers = []  # kept: a reader dropped early closes its connection
        for _ in range(3):
            response = stack.enter_context(client.stream("GET", "/console/api/stream"))
            assert response.status_code == 200
            readers.append(events(response))
            next_event(readers[-1], "ready", DELIVERY_S)
        refused = client.get("/console/api/stream")
        assert refused.status_code == 429 and "tab" in refused.json()["error"]
    # closed streams free their places
    deadline = time.monotonic() + 5
    while True:
        with client.stream("GET", "/console/api/stream") as response:
            if response.status_code == 200:
                break
        assert time.monotonic() < deadline, "closed streams were never released"
        time.sleep(0.1)
    client.close()
