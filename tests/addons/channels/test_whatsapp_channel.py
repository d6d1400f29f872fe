"""The WhatsApp webhook over real HTTP, with a fake assistant and a fake Graph API."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from addons.channels.whatsapp import WhatsAppInput
from clinic.channels.config import WhatsAppSettings
from clinic.channels.graph_api import GraphClient
from clinic.channels.models import Media, Undelivered
from clinic.channels.signature import meta_signature
from clinic.channels import store
from tests.addons.channels.harness import ChannelServer

FIXTURES = Path(__file__).parents[2] / "fixtures" / "whatsapp"
SECRET = "0123456789abcdef0123456789abcdef"
HOOK = "/webhooks/whatsapp/webhook"
WA_ID = "15550001234"


@pytest.fixture
def settings(fake_api):
    return WhatsAppSettings(graph_url=fake_api.url, api_version="v21.0", access_token="EAAG-test-token",
                            app_secret=SECRET, verify_token="verify-token-for-tests",
                            phone_number_id="100000000000001", timeout_seconds=0.5, max_attempts=3)


@pytest.fixture
def server(settings, channel_store):
    channel = WhatsAppInput(settings, GraphClient(settings, backoff=0.01), channel_store, max_body=256 * 1024)
    with ChannelServer(channel) as s:
        yield s


def post(server, body: bytes, signature="valid", **headers):
    if signature == "valid":
        headers["X-Hub-Signature-256"] = meta_signature(SECRET, body)
    elif signature:
        headers["X-Hub-Signature-256"] = signature
    return httpx.post(server.url + HOOK, content=body,
                      headers={"Content-Type": "application/json", **headers}, timeout=10)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_verify_handshake(server):
    ok = httpx.get(server.url + HOOK, params={"hub.mode": "subscribe", "hub.verify_token": "verify-token-for-tests",
                                              "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    bad = httpx.get(server.url + HOOK, params={"hub.mode": "subscribe", "hub.verify_token": "nope",
                                               "hub.challenge": "1"})
    assert bad.status_code == 403 and "1" not in bad.text.replace("403", "")


def test_text_message_reaches_the_assistant_and_the_answer_goes_out(server, fake_api):
    response = post(server, fixture("text.json"))
    assert response.status_code == 200
    server.drain()
    [message] = server.received
    assert message.sender_id == f"wa-{WA_ID}" and message.input_channel == "whatsapp"
    assert message.metadata == {"channel": "whatsapp", "phone": f"+{WA_ID}"}
    [call] = fake_api.wait_for_calls(1)
    assert call.json["to"] == WA_ID and call.json["text"]["body"] == "echo: How much does one session cost?"


@pytest.mark.parametrize("name,payload", [("button_reply.json", "How much does it cost?"),
                                          ("list_reply.json", "What are the side effects?")])
def test_button_and_list_replies_send_the_payload(server, name, payload):
    assert post(server, fixture(name)).status_code == 200
    server.drain()
    assert [m.text for m in server.received] == [payload]


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, meta_signature("wrong-secret", b"{}")])
def test_missing_or_wrong_signature_is_403(server, signature):
    response = post(server, fixture("text.json"), signature=signature)
    assert response.status_code == 403
    assert server.received == []


def test_body_changed_by_one_byte_is_403(server):
    body = fixture("text.json")
    signature = meta_signature(SECRET, body)
    changed = body.replace(b"cost?", b"cost!")
    assert post(server, changed, signature=signature).status_code == 403


def test_same_message_three_times_in_a_row_is_one_turn(server, fake_api):
    body = fixture("text.json")
    assert [post(server, body).status_code for _ in range(3)] == [200, 200, 200]
    server.drain()
    assert len(server.received) == 1
    assert len(fake_api.wait_for_calls(1)) == 1


def test_same_message_twice_at_once_is_one_turn(server, fake_api):
    body = fixture("button_reply.json")
    barrier = threading.Barrier(2)
    codes = []

    def send():
        barrier.wait()
        codes.append(post(server, body).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.drain()
    assert codes == [200, 200] and len(server.received) == 1
    fake_api.wait_for_calls(1, timeout=2)
    assert len(fake_api.calls) == 1


def test_a_restart_does_not_answer_again(settings, channel_store, fake_api):
    body = fixture("text.json")
    for _ in range(2):  # two "processes" sharing the database
        channel = WhatsAppInput(settings, GraphClient(settings, backoff=0.01), channel_store)
        with ChannelServer(channel) as s:
            assert post(s, body).status_code == 200
            s.drain()
            received = len(s.received)
    assert received == 0 and len(fake_api.calls) == 1


def test_image_is_recorded_for_staff_and_acknowledged(server, fake_api, factory):
    assert post(server, fixture("image.json")).status_code == 200
    server.drain()
    assert server.received == []  # never interpreted by the assistant
    with factory.begin() as session:
        [media] = session.scalars(select(Media)).all()
        assert (media.conversation_id, media.media_ref) == (f"wa-{WA_ID}", "1000000000000004")
    [call] = fake_api.wait_for_calls(1)
    assert "photo" in call.json["text"]["body"]


@pytest.mark.parametrize("name", ["sticker.json", "reaction.json", "location.json"])
def test_unknown_types_get_a_polite_reply(server, fake_api, name):
    assert post(server, fixture(name)).status_code == 200
    server.drain()
    assert server.received == []
    [call] = fake_api.wait_for_calls(1)
    assert call.json["text"]["body"].startswith("Sorry, I can only read text")


def test_status_updates_are_ignored(server, fake_api):
    assert post(server, fixture("status.json")).status_code == 200
    server.drain()
    assert server.received == [] and fake_api.calls == []


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe\x00", fixture("malformed.json"), b"[1, 2]", b""])
def test_invalid_bodies_are_400_not_500(server, body):
    response = post(server, body)
    assert response.status_code == 400 and "error" in response.json()


def test_a_one_megabyte_body_is_413(server):
    body = b'{"entry": [], "pad": "' + b"x" * (1024 * 1024) + b'"}'
    assert post(server, body).status_code == 413


def test_odd_sender_ids_are_skipped(server, fake_api):
    assert post(server, fixture("odd_sender.json")).status_code == 200
    server.drain()
    assert server.received == [] and fake_api.calls == []


def test_buttons_go_out_as_a_list_when_more_than_three(server, fake_api):
    body = fixture("text.json").replace(b"How much does one session cost?", b"buttons")
    assert post(server, body).status_code == 200
    server.drain()
    [call] = fake_api.wait_for_calls(1)
    rows = call.json["interactive"]["action"]["sections"][0]["rows"]
    assert call.json["interactive"]["type"] == "list" and rows[3]["id"] == "/book_appointment"


def test_graph_api_timeout_leaves_a_note_and_logs_no_personal_data(server, fake_api, factory, caplog):
    fake_api.hang(2.0)
    caplog.set_level(logging.INFO)
    assert post(server, fixture("text.json")).status_code == 200
    server.drain()
    with factory.begin() as session:
        [note] = session.scalars(select(Undelivered)).all()
        assert note.reason == "send_failed"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "gave up" in logged
    assert WA_ID not in logged and "How much" not in logged and "Test Patient" not in logged


def test_graph_api_429_then_success_is_retried(server, fake_api):
    fake_api.fail_next(2, status=429)
    assert post(server, fixture("text.json")).status_code == 200
    server.drain()
    calls = fake_api.wait_for_calls(3)
    assert [c.status for c in calls] == [429, 429, 200]


def test_outside_the_window_sends_the_template_or_leaves_a_note(settings, channel_store, factory, fake_api):
    import asyncio
    from dataclasses import replace

    from addons.channels.whatsapp import WhatsAppOutput

    async def staff_reply(s):
        graph = GraphClient(s, backoff=0.01)
        try:
            await WhatsAppOutput(graph, channel_store).send_text_message("wa-15550009999", "We can see you at 4pm.")
        finally:
            await graph.aclose()

    asyncio.run(staff_reply(settings))  # never wrote to us: no window
    assert fake_api.calls == []
    asyncio.run(staff_reply(replace(settings, template_name="clinic_follow_up")))
    [call] = fake_api.wait_for_calls(1)
    assert call.json["type"] == "template" and call.json["template"]["name"] == "clinic_follow_up"
    with factory.begin() as session:
        assert [n.reason for n in store.undelivered_for(session, "wa-15550009999")] == ["outside_window"] * 2


def test_unconfigured_channel_answers_503(channel_store):
    channel = WhatsAppInput(WhatsAppSettings(), store=channel_store)
    with ChannelServer(channel) as s:
        assert post(s, fixture("text.json"), signature=None).status_code == 503


def test_arabic_and_emoji_text_reach_the_assistant_unchanged(server):
    text = "مرحبا، كم السعر؟ 😀"
    body = fixture("text.json").decode("utf-8").replace("How much does one session cost?", text).encode("utf-8")
    assert post(server, body).status_code == 200
    server.drain()
    assert [m.text for m in server.received] == [text]


@pytest.mark.parametrize("text", ["crash", "silent"])
def test_a_failing_assistant_apologises_and_leaves_a_note_for_staff(server, factory, fake_api, text):
    body = fixture("text.json").replace(b"How much does one session cost?", text.encode())
    assert post(server, body).status_code == 200
    server.drain()
    [call] = fake_api.wait_for_calls(1)
    assert "technical problem on our side" in call.json["text"]["body"]
    with factory.begin() as session:
        [note] = store.undelivered_for(session, f"wa-{WA_ID}")
        assert (note.reason, note.text) == ("not_processed", text)


def test_over_the_rate_limit_is_200_but_no_turn_and_no_reply(settings, channel_store, fake_api, caplog):
    caplog.set_level(logging.INFO)
    channel = WhatsAppInput(settings, GraphClient(settings, backoff=0.01), channel_store, rate_limit=2)
    bodies = [fixture("text.json").replace(b"QUFBMDAwMDAwMDAwMDAwMDAwMQA=", f"X{i}".encode())
              .replace(b"How much does one session cost?", f"question {i}".encode()) for i in range(3)]
    other = fixture("text.json").replace(WA_ID.encode(), b"15550009999")
    with ChannelServer(channel) as s:
        assert [post(s, body).status_code for body in bodies] == [200, 200, 200]  # Meta must not retry
        assert post(s, other).status_code == 200
        s.drain()
        assert [(m.sender_id, m.text) for m in s.received] == [
            (f"wa-{WA_ID}", "question 0"), (f"wa-{WA_ID}", "question 1"),
            ("wa-15550009999", "How much does one session cost?")]
    fake_api.wait_for_calls(3)
    assert len(fake_api.calls) == 3 and "question 2" not in str([c.json for c in fake_api.calls])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "rate limit reached" in logged
    assert WA_ID not in logged and "question 2" not in logged and "Test Patient" not in logged
