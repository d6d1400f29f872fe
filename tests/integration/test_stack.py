"""End-to-end over HTTP against the real Rasa server, action server and web app."""
from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from clinic.facts import load_facts, template_values
from tests.conftest import ROOT

pytestmark = pytest.mark.integration
FACTS = template_values(load_facts(ROOT / "clinic.yml"))


def sender() -> str:
    return f"test-{uuid.uuid4()}"


def texts(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    messages = response.json()
    assert messages, "no reply"
    return " ".join(m.get("text") or "" for m in messages)


def test_greeting_says_it_is_the_clinics_virtual_assistant(stack):
    reply = texts(stack.say(sender(), "hello"))
    assert "virtual assistant" in reply and FACTS["clinic_name"] in reply


def test_faq_answer_carries_the_clinics_facts(stack):
    reply = texts(stack.say(sender(), "how much does one session cost?"))
    assert FACTS["session_price"] in reply


@pytest.mark.parametrize("message, expected", [
    ("", "empty"),
    ("   \n ", "empty"),
    ("😀😀🙏", "emoji"),
], ids=["empty", "whitespace", "emoji"])
def test_messages_without_words_get_a_clear_answer(stack, message, expected):
    assert expected in texts(stack.say(sender(), message))


def test_an_arabic_question_gets_an_arabic_answer(stack):
    import re

    reply = texts(stack.say(sender(), "ما هي الآثار الجانبية للعلاج؟"))
    assert re.search(r"[\u0600-\u06FF]{4}", reply) and "only understand English" not in reply


@pytest.mark.parametrize("message", [
    "x" * 20_000,
    "how much " * 2_000,
    "'; DROP TABLE events; --",
    "<script>alert('x')</script> price?",
    "{{7*7}} ${jndi:ldap://x} %s%n",
    "\u202e\u0000 hello",
], ids=["20k-chars", "long-words", "sql", "html", "templates", "control-chars"])
def test_odd_but_valid_messages_get_a_polite_reply(stack, message):
    assert texts(stack.say(sender(), message)).strip()


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400),
    (b"\xff\xfe garbage", 400),
    (json.dumps({"message": "hi"}).encode(), 400),
    (json.dumps({"sender": "a", "message": 5}).encode(), 400),
    (json.dumps({"sender": ["a"], "message": "hi"}).encode(), 400),
    (json.dumps({"sender": "a", "message": "hi", "metadata": [1]}).encode(), 400),
    (json.dumps({"sender": "a", "message": "x" * 20_001}).encode(), 413),
    (b"", 400),
])
def test_client_mistakes_get_a_json_error_not_a_500(stack, body, status):
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", content=body, timeout=30,
                          headers={"Content-Type": "application/json", "Authorization": f"Bearer {stack.rasa_token}"})
    assert response.status_code == status
    assert response.json()["error"]


def test_conversation_is_stored_and_the_api_needs_the_token(stack):
    who = sender()
    texts(stack.say(who, "what is mesotherapy"))
    url = f"{stack.rasa_url}/conversations/{who}/tracker"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, params={"token": "wrong"}).status_code == 401
    tracker = httpx.get(url, params={"token": stack.rasa_token}).json()
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["what is mesotherapy"]
    assert (stack.var_dir / "tracker.db").exists()


def test_action_server_refuses_calls_without_the_token_and_echoes_nothing(stack):
    call = {"next_action": "action_did_you_mean", "tracker": {"sender_id": "secret-patient"}}
    assert httpx.get(f"{stack.action_url}/health").status_code == 200
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": stack.action_token}):
        response = httpx.post(f"{stack.action_url}/webhook", json=call, headers=headers)
        assert response.status_code == 401
        assert "secret-patient" not in response.text
    authorised = {"Authorization": f"Bearer {stack.action_token}"}
    unknown = {**call, "next_action": "action_unknown"}
    response = httpx.post(f"{stack.action_url}/webhook", json=unknown, headers=authorised)
    assert response.status_code == 404 and "secret-patient" not in response.text
    broken = {"next_action": "action_did_you_mean", "tracker": "secret-patient"}
    response = httpx.post(f"{stack.action_url}/webhook", json=broken, headers=authorised)
    assert response.status_code == 500 and "secret-patient" not in response.text
    response = httpx.post(f"{stack.action_url}/webhook", content=b"{oops", headers=authorised)
    assert 400 <= response.status_code < 600 and "oops" not in response.text


def test_many_conversations_at_once_each_get_their_answer(stack):
    who = [sender() for _ in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        replies = list(pool.map(lambda s: texts(stack.say(s, "where is the clinic located")), who))
    assert all(FACTS["clinic_address"] in r for r in replies)


def test_patient_text_does_not_reach_the_logs(stack):
    marker = f"Marker{uuid.uuid4().hex}"
    texts(stack.say(sender(), f"my name is {marker} and my skin is red"))
    for name in ("rasa", "actions", "web"):
        assert marker not in (stack.log_dir / f"{name}.log").read_text(), name


def test_web_page_and_chat_proxy(stack):
    page = httpx.get(f"{stack.web_url}/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    reply = httpx.post(f"{stack.web_url}/chat", json={"sender": sender(), "message": "hi"}, timeout=60)
    texts = [m.get("text", "") for m in reply.json()]
    # a new conversation opens with the privacy notice, then the greeting
    assert reply.status_code == 200 and texts[0].startswith("Privacy:") and "virtual assistant" in texts[-1]
    bad = httpx.post(f"{stack.web_url}/chat", content=b"nope")
    assert bad.status_code == 400 and bad.json()["error"]
