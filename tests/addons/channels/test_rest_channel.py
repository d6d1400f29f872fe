"""The REST webhook's per-sender rate limit over real HTTP, with a fake assistant."""
from __future__ import annotations

import logging

import httpx
import pytest

from addons.channels.rest import ClinicRestInput
from tests.addons.channels.harness import ChannelServer

HOOK = "/webhooks/rest/webhook"
SENDER = "rest-patient-971505550199"
TOKEN = "a test API token of some length"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def server():
    with ChannelServer(ClinicRestInput(rate_limit=3, auth_token=TOKEN)) as s:
        yield s


def say(server, sender: str, message: str) -> httpx.Response:
    return httpx.post(server.url + HOOK, json={"sender": sender, "message": message}, headers=AUTH,
                      timeout=10)


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
        bad = httpx.post(server.url + HOOK, content=b"\xff not json", headers=AUTH, timeout=10)
        assert bad.status_code == 400
    assert say(server, SENDER, "hi").status_code == 200


APOLOGY = "technical problem on our side"


def test_a_failed_turn_is_a_503_with_the_polite_text_and_the_clinic_number(server):
    from clinic.facts import load_facts
    from clinic.settings import get_settings

    answer = say(server, SENDER, "crash")
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert APOLOGY in error and load_facts(get_settings().clinic_file).phone in error
    assert "Traceback" not in answer.text and "RuntimeError" not in answer.text


def test_an_empty_answer_outside_a_handoff_becomes_the_apology(server):
    answer = say(server, SENDER, "silent")
    assert answer.status_code == 200
    [message] = answer.json()
    assert message["recipient_id"] == SENDER and APOLOGY in message["text"]
    assert say(server, SENDER, "hi").json() == [{"recipient_id": SENDER, "text": "echo: hi"}]
