"""Graph API and Twilio clients against a local fake server: retries, backoff, timeouts."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from clinic.channels.config import TwilioSettings, WhatsAppSettings
from clinic.channels.graph_api import GraphClient, outside_window
from clinic.channels.twilio import TwilioClient
from clinic.channels import whatsapp as wa
from tests.fakes.graph_api import FakeGraphAPI


@pytest.fixture
def fake():
    with FakeGraphAPI() as server:
        yield server


def graph(fake, timeout=5.0, attempts=4):
    settings = WhatsAppSettings(graph_url=fake.url, api_version="v21.0", access_token="token-123",
                                app_secret="s", verify_token="v", phone_number_id="100000000000001",
                                timeout_seconds=timeout, max_attempts=attempts)
    return GraphClient(settings, backoff=0.01)


def send(client, payload):
    async def go():
        try:
            return await client.send(payload)
        finally:
            await client.aclose()
    return asyncio.run(go())


def test_a_message_is_posted_with_the_token(fake):
    result = send(graph(fake), wa.text_message("15550001234", "Hello"))
    assert result.ok and result.attempts == 1
    [call] = fake.calls
    assert call.path == "/v21.0/100000000000001/messages"
    assert call.headers["Authorization"] == "Bearer token-123"
    assert call.json["text"]["body"] == "Hello"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_429_and_5xx_are_retried(fake, status):
    fake.fail_next(2, status=status)
    result = send(graph(fake), wa.text_message("1", "x"))
    assert result.ok and result.attempts == 3 and len(fake.calls) == 3


def test_gives_up_after_the_last_attempt(fake):
    fake.fail_next(10, status=500)
    result = send(graph(fake, attempts=3), wa.text_message("1", "x"))
    assert not result.ok and result.status == 500 and len(fake.calls) == 3


def test_other_4xx_are_not_retried_and_the_window_error_is_recognised(fake):
    fake.fail_next(1, status=400, body={"error": {"code": 131047, "message": "Re-engagement message"}})
    result = send(graph(fake), wa.text_message("1", "x"))
    assert not result.ok and len(fake.calls) == 1 and outside_window(result)


def test_a_hanging_api_times_out(fake):
    fake.hang(2.0)
    result = send(graph(fake, timeout=0.3, attempts=2), wa.text_message("1", "x"))
    assert not result.ok and result.error == "timeout" and result.status is None


def test_an_unreachable_api_is_a_failure_not_an_exception():
    settings = WhatsAppSettings(graph_url="http://127.0.0.1:9", phone_number_id="1", max_attempts=2)
    result = send(GraphClient(settings, backoff=0.01), wa.text_message("1", "x"))
    assert not result.ok and result.error in ("ConnectError", "timeout")


def test_twilio_client_posts_a_form_with_basic_auth(fake):
    settings = TwilioSettings(api_url=fake.url, account_sid="AC00000000000000000000000000000001",
                              auth_token="t" * 32, whatsapp_number="+15550000000")
    fake.fail_next(1, status=429)
    client = TwilioClient(settings, backoff=0.01)

    async def go():
        try:
            return await client.send("15550001234", body="Hi")
        finally:
            await client.aclose()
    result = asyncio.run(go())
    assert result.ok and result.status == 201
    call = fake.calls[-1]
    assert call.path == "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json"
    assert call.form == {"From": "whatsapp:+15550000000", "To": "whatsapp:+15550001234", "Body": "Hi"}
    assert httpx.BasicAuth(settings.account_sid, settings.auth_token)._auth_header == call.headers["Authorization"]
