"""The REST webhook's per-sender rate limit over real HTTP, with a fake assistant."""
from __future__ import annotations

import logging

import httpx
import pytest

from addons.channels.rest import ClinicRestInput
from tests.addons.channels.harness import ChannelServer

HOOK = "/webhooks/rest/webhook"
SENDER = "rest-patient-971505550199"


@pytest.fixture
def server():
    with ChannelServer(ClinicRestInput(rate_limit=3)) as s:
        yield s


def say(server, sender: str, message: str) -> httpx.Response:
    return httpx.post(server.url + HOOK, json={"sender": sender, "message": message}, timeout=10)


def test_over_the_limit_is_429_with_a_json_error(server, caplog):
    caplog.set_level(logging.INFO)
    answers = [say(server, SENDER, f"hello {i}") for i in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json() == [{"recipient_id": SENDER, "text": "echo: hello 0"}]
    refused = say(server, SENDER, "one too many")
    assert refused.status_code == 429
    assert "error" in refused.json() and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert [m.text for m in server.received] == ["hello 0", "hello 1", "hello 2"]  # never reached the assistant
    assert say(server, "another-sender", "hi").status_code == 200  # others are not affected
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "rate limit" in logged and SENDER not in logged and "one too many" not in logged


def test_invalid_requests_do_not_use_up_the_limit(server):
    for _ in range(5):
        bad = httpx.post(server.url + HOOK, content=b"\xff not json", timeout=10)
        assert bad.status_code == 400
    assert say(server, SENDER, "hi").status_code == 200
