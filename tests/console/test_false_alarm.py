"""Warning signs in the console: a person taking over pauses the bot (urgent handoffs do
not pause it by themselves), staff can mark a false alarm, the queue shows both marks,
and messages kept during an outage are shown with the conversation."""
from __future__ import annotations

import pytest

from clinic.channels.models import Undelivered
from clinic.handoff import service
from clinic.handoff.outbox import PendingUrgent, record_urgent
from tests.console.conftest import log_in


def urgent(factory, conversation_id="c1"):
    with factory.begin() as session:
        return service.open_urgent(session, conversation_id=conversation_id, channel="whatsapp").id


def post(client, path, token):
    return client.post(f"/console/api{path}", headers={"X-CSRF-Token": token}, json={})


def queue(client):
    return {h["id"]: h for h in client.get("/console/api/queue").json()["handoffs"]}


def test_mark_false_alarm_keeps_it_open_and_shows_in_the_queue(make_client, factory):
    client = make_client()
    token = log_in(client)
    first, second = urgent(factory, "c1"), urgent(factory, "c2")
    marked = post(client, f"/handoffs/{first}/false-alarm", token)
    assert marked.status_code == 200, marked.text
    handoff = marked.json()["handoff"]
    assert (handoff["false_alarm_by"], handoff["priority"], handoff["status"]) == ("sara", "normal", "waiting")
    items = queue(client)
    assert list(items) == [second, first]  # real warning signs first
    assert items[first]["false_alarm_by"] == "sara" and items[second]["false_alarm_by"] is None


def test_patient_stand_down_shows_in_the_queue(make_client, factory):
    client = make_client()
    log_in(client)
    handoff_id = urgent(factory)
    assert queue(client)[handoff_id]["stood_down"] is False
    with factory.begin() as session:
        service.note_stood_down(session, "c1")
    assert queue(client)[handoff_id]["stood_down"] is True


def test_false_alarm_errors_are_clear(make_client, factory):
    client = make_client()
    token = log_in(client)
    with factory.begin() as session:
        asked = service.open_handoff(session, conversation_id="a", channel="rest", reason="asked",
                                     priority="normal").id
    refused = post(client, f"/handoffs/{asked}/false-alarm", token)
    assert refused.status_code == 400 and "urgent" in refused.json()["error"]
    assert post(client, "/handoffs/999/false-alarm", token).status_code == 404
    assert client.post(f"/console/api/handoffs/{urgent(factory)}/false-alarm", json={}).status_code == 403


def test_taking_over_an_urgent_handoff_pauses_the_bot_first(make_client, factory, rasa):
    client = make_client()
    token = log_in(client)
    handoff_id = urgent(factory)
    taken = post(client, f"/handoffs/{handoff_id}/take", token)
    assert taken.status_code == 200 and taken.json()["handoff"]["status"] == "active"
    # paused first, then the patient is told who joined (issue 18)
    assert [e["event"] for e in rasa.events["c1"]] == ["pause", "bot"]
    assert rasa.events["c1"][1]["metadata"]["kind"] == "system"


@pytest.mark.parametrize("reason, pauses", [("not_understood", True), ("frustration", True), ("asked", False)])
def test_taking_over_pauses_a_bot_that_was_still_answering(make_client, factory, rasa, reason, pauses):
    # "not understood twice" and a complaint left the bot answering (clinic.handoff.service.BOT_STAYS_ON);
    # "asked" had paused it already
    client = make_client()
    token = log_in(client)
    with factory.begin() as session:
        handoff_id = service.open_handoff(session, conversation_id="c2", channel="rest", reason=reason,
                                          priority="normal").id
    assert post(client, f"/handoffs/{handoff_id}/take", token).status_code == 200
    assert ("pause" in [e["event"] for e in rasa.events["c2"]]) is pauses


def test_taking_over_when_rasa_is_down_changes_nothing(make_client, factory, rasa):
    client = make_client()
    token = log_in(client)
    handoff_id = urgent(factory)
    rasa.down = True
    assert post(client, f"/handoffs/{handoff_id}/take", token).status_code == 502
    assert queue(client)[handoff_id]["status"] == "waiting"  # nobody is shown as answering


def test_messages_kept_during_an_outage_are_shown_with_the_conversation(make_client, factory):
    Undelivered.__table__.create(factory.kw["bind"])
    with factory.begin() as session:
        record_urgent(session, PendingUrgent("c9", "rest", "my lips went blue", ["vascular"], emergency=True))
    client = make_client()
    log_in(client)
    [handoff_id] = [h for h, item in queue(client).items() if item["conversation_id"] == "c9"]
    [note] = client.get(f"/console/api/handoffs/{handoff_id}").json()["outage_notes"]
    assert "my lips went blue" in note["text"] and note["text"].startswith("EMERGENCY")


def test_the_page_has_the_false_alarm_button(make_client):
    client = make_client()
    log_in(client)
    assert 'id="false-alarm"' in client.get("/console/").text
