"""The console shows each conversation's language; staff replies go out exactly as typed."""
from __future__ import annotations

import asyncio
import json

from clinic.handoff import service
from console.languages import ConversationLanguages, tracker_language
from tests.console.conftest import log_in


def user(text):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "faq", "confidence": 0.9}}}


def open_handoff(factory, conversation_id):
    with factory.begin() as session:
        return service.open_handoff(session, conversation_id=conversation_id, channel="socketio",
                                    reason="asked", priority="normal").id


def post(client, path, token, body=None):
    return client.post(f"/console/api{path}", headers={"X-CSRF-Token": token}, json=body or {})


def test_queue_and_transcript_show_the_conversations_language(make_client, factory, rasa):
    rasa.events["ar-1"] = [user("مرحبا"), user("كم سعر الجلسة؟"), user("ok")]
    rasa.events["en-1"] = [user("hello"), user("how much is a session")]
    rasa.events["switched"] = [user("مرحبا"), user("English please")]
    ids = {cid: open_handoff(factory, cid) for cid in ("ar-1", "en-1", "switched")}
    client = make_client()
    log_in(client)
    queue = {h["conversation_id"]: h for h in client.get("/console/api/queue").json()["handoffs"]}
    assert {cid: h["language"] for cid, h in queue.items()} == {"ar-1": "ar", "en-1": "en", "switched": "en"}
    detail = client.get(f"/console/api/handoffs/{ids['ar-1']}").json()
    assert detail["conversation"]["language"] == "ar"


def test_queue_still_loads_when_rasa_is_down(make_client, factory, rasa):
    open_handoff(factory, "c1")
    client = make_client()
    log_in(client)
    rasa.down = True
    response = client.get("/console/api/queue")
    assert response.status_code == 200 and response.json()["handoffs"][0]["language"] is None


def test_arabic_staff_replies_go_out_as_typed(make_client, factory, rasa):
    rasa.events["ar-1"] = [user("ابي اكلم موظف")]
    handoff_id = open_handoff(factory, "ar-1")
    client = make_client()
    token = log_in(client)
    post(client, f"/handoffs/{handoff_id}/take", token)
    typed = "أهلاً، معك سارة من العيادة. موعدك يوم الخميس ٥ مساءً، رقمنا +971 4 000 0000\nThanks!"
    assert post(client, f"/handoffs/{handoff_id}/reply", token, {"text": typed}).json() == {"delivered": True}
    joined, delivered = client_posts(rasa)  # "Sara ... has joined" (issue 18), then the reply
    event = json.loads(delivered.content)[0]
    text = event["text"] or event["data"]["custom"]["data"]["text"]
    # only the signature is added (in the conversation's language): no translation, no
    # normalising of letters or digits, no isolates
    assert text == f"Sara (فريق العيادة): {typed}"
    assert "\u2066" not in text and "٥" in text and "أ" in text


def client_posts(rasa):
    return [r for r in rasa.calls if r.method == "POST"]


def test_tracker_language_and_the_cache():
    assert tracker_language({"events": []}) == "en"
    assert tracker_language({"events": [user("3ndi 7arara"), {"event": "bot", "text": "Hello"}]}) == "ar"
    fetched = []
    now = [0.0]

    async def get_tracker(cid):
        fetched.append(cid)
        if cid == "gone":
            raise RuntimeError("erased")
        return {"events": [user("كم السعر")]}

    languages = ConversationLanguages(get_tracker, ttl=30, clock=lambda: now[0])
    assert asyncio.run(languages.of(["a", "b", "a", "gone"])) == {"a": "ar", "b": "ar", "gone": None}
    assert sorted(fetched) == ["a", "b", "gone"]
    asyncio.run(languages.of(["a", "b"]))
    assert len(fetched) == 3  # remembered
    now[0] = 31.0
    asyncio.run(languages.of(["a"]))
    assert fetched[-1] == "a" and len(fetched) == 4
