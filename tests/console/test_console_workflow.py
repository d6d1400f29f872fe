"""Issue 18 in the console's API: the patient is told who joined and left, staff replies
carry the first name and role in the conversation's language, Resolve needs an outcome
and sends a closing message, only the holder resolves, and queue cards show the
patient's name or number, the last message (button titles, not payloads) and who holds
the conversation."""
from __future__ import annotations

import json

from clinic.handoff import service
from clinic.handoff.staff import set_role
from tests.console.conftest import log_in


def open_handoff(factory, conversation_id="c1", channel="socketio", priority="normal"):
    with factory.begin() as session:
        return service.open_handoff(session, conversation_id=conversation_id, channel=channel,
                                    reason="urgent" if priority == "urgent" else "asked",
                                    priority=priority).id


def post(client, path, token, body=None):
    return client.post(f"/console/api{path}", headers={"X-CSRF-Token": token}, json=body or {})


def said(rasa, conversation_id):
    """The texts the console sent the patient (plain or in the widget's custom payload)."""
    texts = []
    for event in rasa.events.get(conversation_id, []):
        if event.get("event") == "bot":
            texts.append(event.get("text") or event["data"]["custom"]["data"]["text"])
    return texts


def test_whatsapp_patient_sees_join_signed_replies_and_leave(make_client, factory, rasa):
    with factory.begin() as session:
        set_role(session, "sara", "nurse")
    client = make_client()
    token = log_in(client)
    handoff_id = open_handoff(factory, "wa-971500000001", "whatsapp")
    rasa.events["wa-971500000001"] = [{"event": "user", "text": "Can I talk to someone?", "timestamp": 1.0}]
    assert post(client, f"/handoffs/{handoff_id}/take", token).json()["handoff"]["assigned_name"] == "Sara"
    post(client, f"/handoffs/{handoff_id}/take", token)  # a double click says nothing twice
    post(client, f"/handoffs/{handoff_id}/reply", token, {"text": "Hello, how can I help?"})
    post(client, f"/handoffs/{handoff_id}/hand-back", token)
    assert said(rasa, "wa-971500000001") == [
        "Sara (Nurse) from the clinic has joined the chat.",
        "Sara (Nurse, clinic team): Hello, how can I help?",
        "Sara has left the chat. The virtual assistant is back: ask me anything, or write "
        "\"talk to a person\" to reach our team again.",
    ]
    kinds = [e["metadata"]["kind"] for e in rasa.events["wa-971500000001"] if e["event"] == "bot"]
    assert kinds == ["system", "staff", "system"]
    assert [e["event"] for e in rasa.events["wa-971500000001"]][-2:] == ["resume", "action"]


def test_arabic_conversation_gets_arabic_lines(make_client, factory, rasa):
    client = make_client()
    token = log_in(client)
    handoff_id = open_handoff(factory)
    rasa.events["c1"] = [{"event": "user", "text": "ابي اكلم موظف من فضلك", "timestamp": 1.0}]
    post(client, f"/handoffs/{handoff_id}/take", token)
    post(client, f"/handoffs/{handoff_id}/reply", token, {"text": "مرحبا"})
    post(client, f"/handoffs/{handoff_id}/resolve", token, {"outcome": "answered"})
    joined, reply, closing, left = said(rasa, "c1")
    assert "العيادة" in joined and reply == "Sara (فريق العيادة): مرحبا"
    assert "تم إغلاق هذه المحادثة" in closing and "المساعد الآلي" in left


def test_resolve_needs_an_outcome_and_tells_the_patient(make_client, factory, rasa):
    client = make_client()
    token = log_in(client)
    handoff_id = open_handoff(factory, priority="urgent")
    for body, status in (({}, 400), ({"outcome": "done"}, 400)):
        response = post(client, f"/handoffs/{handoff_id}/resolve", token, body)
        assert response.status_code == status and "Choose an outcome" in response.json()["error"]
    bad = client.post(f"/console/api/handoffs/{handoff_id}/resolve", content=b"[1", headers={"X-CSRF-Token": token})
    assert bad.status_code == 400 and "error" in bad.json()
    assert rasa.events.get("c1", []) == []  # nothing sent, still open
    resolved = post(client, f"/handoffs/{handoff_id}/resolve", token, {"outcome": "false_alarm"}).json()["handoff"]
    assert (resolved["status"], resolved["outcome"]) == ("resolved", "false_alarm")
    [closing] = said(rasa, "c1")  # nobody had joined: no "left the chat"
    assert "closed this alert" in closing and "998" in closing


def test_only_the_holder_may_resolve_or_reply(make_client, factory, rasa):
    sara, omar = make_client(), make_client()
    sara_token, omar_token = log_in(sara, "sara"), log_in(omar, "omar")
    handoff_id = open_handoff(factory)
    post(sara, f"/handoffs/{handoff_id}/take", sara_token)
    refused = post(omar, f"/handoffs/{handoff_id}/resolve", omar_token, {"outcome": "answered"})
    assert refused.status_code == 409 and "sara has already taken over" in refused.json()["error"]
    assert post(omar, f"/handoffs/{handoff_id}/reply", omar_token, {"text": "hi"}).status_code == 409
    queue = omar.get("/console/api/queue").json()["handoffs"]
    assert (queue[0]["assigned_to"], queue[0]["assigned_name"]) == ("sara", "Sara")


def test_take_over_is_kept_when_the_joined_line_cannot_be_sent(make_client, factory, rasa):
    client = make_client()
    token = log_in(client)
    handoff_id = open_handoff(factory)
    rasa.down = True
    response = post(client, f"/handoffs/{handoff_id}/take", token)
    assert response.status_code == 200 and "not told you joined" in response.json()["warning"]
    assert response.json()["handoff"]["status"] == "active"


def test_queue_cards_show_patient_last_message_and_urgent_first(make_client, factory, rasa):
    client = make_client()
    log_in(client)
    open_handoff(factory, "wa-971500000001", "whatsapp")
    open_handoff(factory, "web-urgent", priority="urgent")
    rasa.events["wa-971500000001"] = [
        {"event": "bot", "text": "Can I help?", "data": {"buttons": [{"title": "Talk to a person",
                                                                       "payload": "/human_handoff"}]}},
        {"event": "user", "text": "/human_handoff", "timestamp": 5.0}]
    rasa.events["web-urgent"] = [{"event": "user", "text": "my lips are swelling " * 20, "timestamp": 6.0}]
    cards = client.get("/console/api/queue").json()["handoffs"]
    assert [c["conversation_id"] for c in cards] == ["web-urgent", "wa-971500000001"]
    urgent, whatsapp = cards
    assert whatsapp["phone"] == "+971500000001" and whatsapp["name"] is None
    assert whatsapp["last_message"] == "Talk to a person" and whatsapp["last_message_at"] == 5.0
    assert whatsapp["channel"] == "whatsapp" and whatsapp["language"] == "en"
    assert len(urgent["last_message"]) == 140 and urgent["last_message"].endswith("\u2026")


def test_console_page_offers_the_outcomes_and_a_focusable_transcript(make_client):
    client = make_client()
    log_in(client)
    page = client.get("/console/").text
    for outcome in ("answered", "called_patient", "false_alarm", "no_answer_needed"):
        assert f'value="{outcome}"' in page
    assert 'id="transcript" class="transcript" tabindex="0"' in page
    assert "patients see “Sara (clinic team)”" in page
    js = client.get("/static/console.js").text
    assert "innerHTML" not in js and "showModal" in js
    json.dumps(page)  # (plain text page)
