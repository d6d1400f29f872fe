"""WhatsApp, Twilio and socket.io against the real Rasa server and the trained model."""
from __future__ import annotations

import asyncio
import json
import threading
import uuid
from urllib.parse import urlencode

import httpx
import pytest
import socketio
from twilio.request_validator import RequestValidator

from clinic.channels.signature import meta_signature
from tests.integration.channels.conftest import APP_SECRET, PHONE_NUMBER_ID, TWILIO_ACCOUNT, TWILIO_TOKEN

pytestmark = pytest.mark.integration


def whatsapp_body(wa_id: str, text: str = "", message_id: str = "", kind: str = "text", **content) -> bytes:
    message = {"from": wa_id, "id": message_id or f"wamid.{uuid.uuid4().hex}", "timestamp": "1764115200",
               "type": kind, kind: content or {"body": text}}
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp",
                                       "metadata": {"display_phone_number": "15550000000",
                                                    "phone_number_id": PHONE_NUMBER_ID},
                                       "contacts": [{"profile": {"name": "Test Patient"}, "wa_id": wa_id}],
                                       "messages": [message]}}]}]}).encode()


def post_whatsapp(stack, body: bytes) -> httpx.Response:
    return httpx.post(f"{stack.rasa_url}/webhooks/whatsapp/webhook", content=body, timeout=10,
                      headers={"Content-Type": "application/json",
                               "X-Hub-Signature-256": meta_signature(APP_SECRET, body)})


def post_twilio(stack, digits: str, body: str, sid: str = "") -> httpx.Response:
    form = {"MessageSid": sid or f"SM{uuid.uuid4().hex}", "AccountSid": TWILIO_ACCOUNT,
            "From": f"whatsapp:+{digits}", "To": "whatsapp:+15550000000", "Body": body, "NumMedia": "0"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(stack.twilio_webhook_url, form)
    return httpx.post(stack.twilio_webhook_url, content=urlencode(form).encode(), timeout=10,
                      headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})


def calls_to(stack, recipient: str, count: int, timeout: float = 60.0) -> list:
    """Outbound calls for one recipient (WhatsApp "to" or Twilio "To")."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = []
        for call in list(stack.fake.calls):
            data = call.json if "/messages" in call.path else call.form
            if data.get("to") == recipient or data.get("To") == f"whatsapp:+{recipient}":
                found.append(data)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def message_text(data: dict) -> str:
    """The visible text of an outbound WhatsApp or Twilio message."""
    if "Body" in data:
        return data["Body"]
    if data.get("type") == "text":
        return data["text"]["body"]
    if data.get("type") == "interactive":
        return data["interactive"]["body"]["text"]
    return ""


def wait_for_text(stack, recipient: str, needle: str, timeout: float = 60.0) -> list:
    """All outbound messages to ``recipient`` once one of them contains ``needle``."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = calls_to(stack, recipient, 0, timeout=0)
        if any(needle in message_text(m) for m in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_whatsapp_question_is_answered_through_the_graph_api(channel_stack):
    wa_id = "15550100001"
    assert post_whatsapp(channel_stack, whatsapp_body(wa_id, "How much does a session cost?")).status_code == 200
    answers = wait_for_text(channel_stack, wa_id, "AED")
    assert any("AED" in message_text(a) for a in answers)
    tracker = channel_stack.tracker(f"wa-{wa_id}")
    user = [e for e in tracker["events"] if e["event"] == "user"]
    assert user[-1]["input_channel"] == "whatsapp"
    metadata = user[-1]["metadata"]  # Rasa adds model_id and assistant_id
    assert (metadata["channel"], metadata["phone"]) == ("whatsapp", f"+{wa_id}")


def test_whatsapp_replays_make_one_turn_and_one_answer(channel_stack):
    wa_id = "15550100002"
    body = whatsapp_body(wa_id, "Where is the clinic?")
    assert [post_whatsapp(channel_stack, body).status_code for _ in range(3)] == [200] * 3
    second = whatsapp_body(wa_id, "What are the side effects?")
    barrier = threading.Barrier(2)

    def send():
        barrier.wait()
        post_whatsapp(channel_stack, second)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    calls_to(channel_stack, wa_id, 2)
    import time

    time.sleep(3)  # a duplicate answer would arrive by now
    assert channel_stack.user_turns(f"wa-{wa_id}") == 2
    # one Graph API call per bot message of the two turns (the first opens with the
    # privacy notice), none for the replays
    sent = len(calls_to(channel_stack, wa_id, 0))
    assert sent == channel_stack.bot_messages(f"wa-{wa_id}") and sent in (2, 3)


def test_greeting_buttons_go_out_as_a_whatsapp_list(channel_stack):
    wa_id = "15550100003"
    assert post_whatsapp(channel_stack, whatsapp_body(wa_id, "hello")).status_code == 200
    calls_to(channel_stack, wa_id, 1)
    import time

    time.sleep(2)  # the greeting may follow another message (e.g. a privacy notice)
    greeting = [m for m in calls_to(channel_stack, wa_id, 1) if m["type"] == "interactive"][0]
    interactive = greeting["interactive"]
    if interactive["type"] == "list":
        rows = interactive["action"]["sections"][0]["rows"]
        assert all(len(r["title"]) <= 24 for r in rows)
    else:
        assert all(len(b["reply"]["title"]) <= 20 for b in interactive["action"]["buttons"])


def test_staff_reply_reaches_whatsapp_and_twilio(channel_stack):
    wa_id, digits = "15550100004", "15550100005"
    assert post_whatsapp(channel_stack, whatsapp_body(wa_id, "Where is the clinic?")).status_code == 200
    assert post_twilio(channel_stack, digits, "Where is the clinic?").status_code == 200
    before_wa = len(calls_to(channel_stack, wa_id, 1))
    before_tw = len(calls_to(channel_stack, digits, 1))
    assert channel_stack.staff_says(f"wa-{wa_id}", "Hello, this is Nurse Sara.").status_code == 200
    assert channel_stack.staff_says(f"tw-{digits}", "Hello, this is Nurse Sara.").status_code == 200
    wa_calls = calls_to(channel_stack, wa_id, before_wa + 1)
    tw_calls = calls_to(channel_stack, digits, before_tw + 1)
    assert wa_calls[-1]["text"]["body"] == "Hello, this is Nurse Sara."
    assert tw_calls[-1]["Body"] == "Hello, this is Nurse Sara."


def test_twilio_numbered_choices_round_trip(channel_stack):
    digits = "15550100006"
    assert post_twilio(channel_stack, digits, "hello").status_code == 200
    greeting = [m for m in wait_for_text(channel_stack, digits, "\n1. ") if "\n1. " in m["Body"]][0]
    assert "\n2. " in greeting["Body"]
    number = next(line.split(".")[0] for line in greeting["Body"].splitlines() if "Prices" in line)
    assert post_twilio(channel_stack, digits, number).status_code == 200
    answers = wait_for_text(channel_stack, digits, "AED")
    assert "AED" in " ".join(a["Body"] for a in answers)
    events = channel_stack.tracker(f"tw-{digits}")["events"]
    assert [e["text"] for e in events if e["event"] == "user"][-1] == "How much does it cost?"


def test_twilio_bad_signature_and_empty_body(channel_stack):
    bad = httpx.post(channel_stack.twilio_webhook_url, data={"Body": "hi"}, headers={"X-Twilio-Signature": "x"})
    assert bad.status_code == 403
    assert post_twilio(channel_stack, "15550100007", "").status_code == 200


def test_whatsapp_bad_input_is_never_a_500(channel_stack):
    url = f"{channel_stack.rasa_url}/webhooks/whatsapp/webhook"
    assert httpx.post(url, content=b"{}").status_code == 403
    assert post_whatsapp(channel_stack, b"not json").status_code == 400
    assert post_whatsapp(channel_stack, b"x" * (1024 * 1024)).status_code == 413
    odd = whatsapp_body("1555'; DROP TABLE x;--", "hi")
    assert post_whatsapp(channel_stack, odd).status_code == 200
    sticker = whatsapp_body("15550100008", kind="sticker", id="1", mime_type="image/webp")
    assert post_whatsapp(channel_stack, sticker).status_code == 200
    replies = wait_for_text(channel_stack, "15550100008", "Sorry, I can only read text")
    assert any(message_text(r).startswith("Sorry, I can only read text") for r in replies)


def test_socketio_widget_session_and_staff_push(channel_stack):
    origin = channel_stack.web_url

    async def go():
        client = socketio.AsyncClient(reconnection=False)
        bot, confirmed = [], asyncio.get_running_loop().create_future()
        client.on("bot_uttered", bot.append)
        client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
        await client.connect(channel_stack.rasa_url, headers={"Origin": origin}, transports=["polling"])
        await client.emit("session_request", {"session_id": None})
        session_id = await asyncio.wait_for(confirmed, 10)
        await client.emit("user_uttered", {"message": "How much does it cost?", "session_id": session_id,
                                           "customData": {"language": "en"}})
        for _ in range(300):
            if any("AED" in m.get("text", "") for m in bot):
                break
            await asyncio.sleep(0.1)
        assert any("AED" in m.get("text", "") for m in bot)
        conversation_id = session_id.rsplit(".", 1)[0]  # the widget holds the id signed
        response = await asyncio.to_thread(channel_stack.staff_says, conversation_id, "Hello from Nurse Sara.")
        assert response.status_code == 200
        for _ in range(100):
            if any(m.get("text") == "Hello from Nurse Sara." for m in bot):
                break
            await asyncio.sleep(0.1)
        assert any(m.get("text") == "Hello from Nurse Sara." for m in bot)
        await client.eio.disconnect(abort=True)

        evil = socketio.AsyncClient(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await evil.connect(channel_stack.rasa_url, headers={"Origin": "http://evil.example"},
                               transports=["polling"])

    asyncio.run(go())
