"""The console's history of resolved conversations (/console/api/history): staff only,
paged, searchable, each with the patient's number and last message; opening one shows
its transcript (read-only in the page)."""
from __future__ import annotations

from clinic.handoff import service
from tests.console.conftest import log_in


def resolved(factory, conversation_id, channel="whatsapp", outcome="answered"):
    with factory.begin() as session:
        handoff = service.open_handoff(session, conversation_id=conversation_id, channel=channel, reason="asked",
                                       priority="normal")
        service.resolve(session, handoff.id, "sara", outcome)
        return handoff.id


def test_history_needs_a_login(make_client):
    client = make_client()
    response = client.get("/console/api/history")
    assert response.status_code == 401 and response.json() == {"error": "Please log in."}


def test_history_lists_searches_and_opens(make_client, factory, rasa):
    client = make_client()
    log_in(client)
    wa = resolved(factory, "wa-971500000001")
    web = resolved(factory, "web-abc", "socketio", "called_patient")
    with factory.begin() as session:
        service.open_handoff(session, conversation_id="open-one", channel="socketio", reason="asked",
                             priority="normal")
    rasa.events["wa-971500000001"] = [{"event": "user", "text": "Is the clinic open on Friday?", "timestamp": 3.0},
                                      {"event": "bot", "text": "Yes, from 10:00.", "timestamp": 4.0}]
    body = client.get("/console/api/history").json()
    assert (body["total"], body["page"], body["pages"], body["per_page"]) == (2, 1, 1, 20)
    assert [h["id"] for h in body["handoffs"]] == [web, wa]  # newest first, open ones left out
    card = body["handoffs"][1]
    assert card["phone"] == "+971500000001" and card["last_message"] == "Is the clinic open on Friday?"
    assert (card["outcome"], card["assigned_name"], card["channel"]) == ("answered", "Sara", "whatsapp")
    assert card["resolved_at"].endswith("Z")
    searched = client.get("/console/api/history", params={"q": "+971 50 000 0001"}).json()
    assert [h["id"] for h in searched["handoffs"]] == [wa] and searched["q"] == "+971 50 000 0001"
    assert client.get("/console/api/history", params={"q": "%"}).json()["total"] == 0
    for params in ({"page": "x"}, {"page": "-1"}, {"q": "x" * 5000}, {"q": "\x00"}):
        assert client.get("/console/api/history", params=params).status_code == 200
    detail = client.get(f"/console/api/handoffs/{wa}").json()
    assert detail["handoff"]["status"] == "resolved"
    assert [m["text"] for m in detail["conversation"]["messages"]] == ["Is the clinic open on Friday?",
                                                                        "Yes, from 10:00."]


def test_console_page_has_the_history_view(make_client):
    client = make_client()
    log_in(client)
    page = client.get("/console/").text
    assert 'id="history-form" role="search"' in page and 'id="tab-history"' in page
    js = client.get("/static/console.js").text
    assert "/api/history?" in js and "read-only" in js


def test_history_search_reads_the_patients_messages(make_client, factory, tmp_path):
    import json

    import sqlalchemy as sa

    from clinic.db import make_engine

    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with tracker.begin() as connection:
        connection.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                                   "type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), "
                                   "action_name VARCHAR(255), data TEXT)"))
        connection.execute(sa.text("INSERT INTO events (sender_id, type_name, action_name, data) "
                                   "VALUES (:s, 'user', NULL, :d)"),
                           {"s": "web-abc", "d": json.dumps({"event": "user", "text": "ابي اكلم موظف"})})
    client = make_client(tracker_engine=tracker)
    log_in(client)
    web = resolved(factory, "web-abc", "socketio")
    resolved(factory, "wa-971500000001")
    found = client.get("/console/api/history", params={"q": "اكلم"}).json()
    assert [h["id"] for h in found["handoffs"]] == [web] and found["searched_messages"] is True
    assert client.get("/console/api/history", params={"q": "' OR 1=1 --"}).json()["total"] == 0
    tracker.dispose()
