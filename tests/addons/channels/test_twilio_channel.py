"""The Twilio webhook over real HTTP: RequestValidator, dedupe, numbered choices, no 500."""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from addons.channels.twilio import TwilioWhatsAppInput
from clinic.channels.config import TwilioSettings
from clinic.channels.models import Media
from clinic.channels.twilio import TwilioClient
from tests.addons.channels.harness import ChannelServer

FIXTURES = Path(__file__).parents[2] / "fixtures" / "twilio"
ACCOUNT = "AC00000000000000000000000000000001"
TOKEN = "0123456789abcdef0123456789abcdef"
HOOK = "/webhooks/twilio/webhook"
PUBLIC_URL = "https://clinic.example/webhooks/twilio/webhook"


@pytest.fixture
def settings(fake_api):
    return TwilioSettings(api_url=fake_api.url, account_sid=ACCOUNT, auth_token=TOKEN,
                          whatsapp_number="+15550000000", webhook_url=PUBLIC_URL,
                          timeout_seconds=0.5, max_attempts=3)


@pytest.fixture
def server(settings, channel_store):
    channel = TwilioWhatsAppInput(settings, TwilioClient(settings, backoff=0.01), channel_store)
    with ChannelServer(channel) as s:
        yield s


def form(name: str, **changes) -> dict:
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    data.update(changes)
    return data


def post(server, data: dict, token: str = TOKEN, url: str = PUBLIC_URL, signature: str = ""):
    signature = signature or RequestValidator(token).compute_signature(url, data)
    return httpx.post(server.url + HOOK, content=urlencode(data).encode(), timeout=10,
                      headers={"Content-Type": "application/x-www-form-urlencoded",
                               "X-Twilio-Signature": signature})


def test_text_message_is_answered_through_the_messages_api(server, fake_api):
    response = post(server, form("text.json"))
    assert response.status_code == 200 and "<Response>" in response.text
    server.drain()
    [message] = server.received
    assert (message.sender_id, message.text) == ("tw-15550001234", "Where is the clinic?")
    assert message.metadata == {"channel": "twilio", "phone": "+15550001234"}
    [call] = fake_api.wait_for_calls(1)
    assert call.form["To"] == "whatsapp:+15550001234" and call.form["Body"] == "echo: Where is the clinic?"


def test_signature_checks(server):
    data = form("text.json")
    assert post(server, data, signature="bm9wZQ==").status_code == 403
    assert post(server, data, token="f" * 32).status_code == 403
    assert post(server, data, url="http://127.0.0.1/webhooks/twilio/webhook").status_code == 403
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL, data)
    changed = {**data, "Body": "Where is the clinic!"}
    assert post(server, changed, signature=signature).status_code == 403
    missing = httpx.post(server.url + HOOK, content=urlencode(data).encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert missing.status_code == 403
    assert server.received == []


def test_replays_are_one_turn(server, fake_api):
    data = form("text.json")
    assert [post(server, data).status_code for _ in range(3)] == [200] * 3
    barrier = threading.Barrier(2)

    def send():
        barrier.wait()
        post(server, form("button_reply.json"))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.drain()
    assert [m.text for m in server.received] == ["Where is the clinic?", "How much does it cost?"]
    fake_api.wait_for_calls(2)
    assert len(fake_api.calls) == 2


def test_buttons_become_numbered_choices_and_a_number_maps_back(server, fake_api):
    assert post(server, form("text.json", Body="buttons")).status_code == 200
    server.drain()
    [call] = fake_api.wait_for_calls(1)
    assert "1. What is it?\n2. Prices\n3. Side effects\n4. Book a consultation" in call.form["Body"]
    assert post(server, form("number_answer.json")).status_code == 200
    server.drain()
    assert [m.text for m in server.received] == ["buttons", "How much does it cost?"]


def test_a_number_without_choices_is_passed_on_as_text(server):
    assert post(server, form("number_answer.json")).status_code == 200
    server.drain()
    assert [m.text for m in server.received] == ["2"]


def test_body_without_text_is_no_500(server, fake_api):
    assert post(server, form("no_body.json")).status_code == 200
    server.drain()
    assert server.received == []
    [call] = fake_api.wait_for_calls(1)
    assert call.form["Body"].startswith("Sorry, I can only read text")


def test_image_is_recorded_and_acknowledged(server, fake_api, factory):
    assert post(server, form("image.json")).status_code == 200
    server.drain()
    with factory.begin() as session:
        [media] = session.scalars(select(Media)).all()
        assert media.conversation_id == "tw-15550001234" and media.mime_type == "image/jpeg"
    assert "photo" in fake_api.wait_for_calls(1)[0].form["Body"]


def test_status_callback_is_ignored(server, fake_api):
    assert post(server, form("status.json")).status_code == 200
    server.drain()
    assert server.received == [] and fake_api.calls == []


def test_malformed_and_huge_bodies_are_4xx(server):
    assert post(server, form("malformed.json")).status_code == 400
    raw = httpx.post(server.url + HOOK, content=b"\xff\xfe=\x00", headers={"X-Twilio-Signature": "x"})
    assert raw.status_code == 400
    huge = form("text.json", Body="x" * (1024 * 1024))
    assert post(server, huge).status_code == 413


def test_the_url_seen_by_the_server_is_used_without_a_configured_public_url(fake_api, channel_store):
    settings = TwilioSettings(api_url=fake_api.url, account_sid=ACCOUNT, auth_token=TOKEN,
                              whatsapp_number="+15550000000")
    with ChannelServer(TwilioWhatsAppInput(settings, TwilioClient(settings), channel_store)) as s:
        assert post(s, form("text.json"), url=s.url + HOOK).status_code == 200
        assert post(s, form("text.json", MessageSid="SM" + "9" * 32), url=PUBLIC_URL).status_code == 403
        s.drain()


def test_over_the_rate_limit_is_200_but_no_turn_and_no_reply(settings, channel_store, fake_api, caplog):
    caplog.set_level(logging.INFO)
    channel = TwilioWhatsAppInput(settings, TwilioClient(settings, backoff=0.01), channel_store, rate_limit=2)
    with ChannelServer(channel) as s:
        answers = [post(s, form("text.json", MessageSid=f"SM{i:032d}", SmsMessageSid=f"SM{i:032d}",
                                Body=f"question {i}")) for i in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]  # Twilio must not retry
        assert all("<Response>" in a.text for a in answers)
        other = post(s, form("text.json", MessageSid="SM" + "9" * 32, From="whatsapp:+15550009999",
                             WaId="15550009999"))
        assert other.status_code == 200
        s.drain()
        assert sorted((m.sender_id, m.text) for m in s.received) == [
            ("tw-15550001234", "question 0"), ("tw-15550001234", "question 1"),
            ("tw-15550009999", "Where is the clinic?")]
    fake_api.wait_for_calls(3)
    assert len(fake_api.calls) == 3 and "question 2" not in str([c.form for c in fake_api.calls])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "rate limit reached" in logged
    assert "15550001234" not in logged and "question 2" not in logged and "Test Patient" not in logged


@pytest.mark.parametrize("text", ["crash", "silent"])
def test_a_failing_assistant_apologises_and_leaves_a_note_for_staff(server, fake_api, factory, text):
    from clinic.channels import store

    assert post(server, form("text.json", Body=text)).status_code == 200
    server.drain()
    [call] = fake_api.wait_for_calls(1)
    assert "technical problem on our side" in call.form["Body"]
    with factory.begin() as session:
        [note] = store.undelivered_for(session, "tw-15550001234")
        assert (note.reason, note.text) == ("not_processed", text)
