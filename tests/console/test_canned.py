"""Canned replies in the console API: every member of staff lists them, only admins
change them (403 otherwise), with CSRF and clear errors."""
from __future__ import annotations

from clinic.handoff.staff import set_admin
from tests.console.conftest import log_in


def _admin(factory, username="sara"):
    with factory.begin() as session:
        set_admin(session, username, True)


def test_admin_creates_edits_and_deletes_and_staff_use_them(make_client, factory):
    _admin(factory)
    admin = make_client()
    csrf = log_in(admin)
    assert 'id="canned-dialog"' in admin.get("/console/").text
    headers = {"X-CSRF-Token": csrf}
    created = admin.post("/console/api/canned", headers=headers,
                         json={"title": "Reading now", "language": "en", "text": "Thanks, reading now."})
    assert created.status_code == 200, created.text
    reply_id = created.json()["reply"]["id"]
    arabic = admin.post("/console/api/canned", headers=headers,
                        json={"title": "أقرأ الآن", "language": "ar", "text": "شكرًا، أقرأ الآن."})
    assert arabic.status_code == 200
    changed = admin.post(f"/console/api/canned/{reply_id}", headers=headers,
                         json={"title": "Reading now", "language": "en", "text": "One moment, please."})
    assert changed.json()["reply"]["text"] == "One moment, please."

    staff = make_client()
    log_in(staff, "omar")
    assert 'id="canned-dialog"' not in staff.get("/console/").text
    listed = staff.get("/console/api/canned?language=ar").json()
    assert listed["can_edit"] is False
    assert [r["language"] for r in listed["replies"]] == ["ar", "en"]
    assert listed["replies"][1]["text"] == "One moment, please."

    assert admin.post(f"/console/api/canned/{reply_id}/delete", headers=headers).json() == {"deleted": reply_id}
    assert [r["language"] for r in staff.get("/console/api/canned").json()["replies"]] == ["ar"]
    assert admin.post(f"/console/api/canned/{reply_id}/delete", headers=headers).status_code == 404


def test_staff_who_are_not_admins_cannot_change_them(make_client):
    client = make_client()
    csrf = log_in(client, "omar")
    response = client.post("/console/api/canned", headers={"X-CSRF-Token": csrf},
                           json={"title": "t", "language": "en", "text": "x"})
    assert response.status_code == 403 and "admin" in response.json()["error"]
    assert client.get("/console/api/canned").json()["replies"] == []


def test_login_and_csrf_are_required(make_client, factory):
    _admin(factory)
    client = make_client()
    assert client.get("/console/api/canned").status_code == 401
    log_in(client)
    response = client.post("/console/api/canned", json={"title": "t", "language": "en", "text": "x"})
    assert response.status_code == 403 and "CSRF" in response.json()["error"]


def test_bad_input_gets_a_clear_answer(make_client, factory):
    _admin(factory)
    client = make_client()
    headers = {"X-CSRF-Token": log_in(client)}
    assert client.post("/console/api/canned", headers=headers, content=b"not json").status_code == 400
    assert client.post("/console/api/canned", headers=headers, json=[1]).status_code == 400
    empty = client.post("/console/api/canned", headers=headers, json={"title": "t", "language": "en", "text": ""})
    assert empty.status_code == 400 and "empty" in empty.json()["error"]
    ok = {"title": "t", "language": "en", "text": "x"}
    assert client.post("/console/api/canned", headers=headers, json=ok).status_code == 200
    duplicate = client.post("/console/api/canned", headers=headers, json=ok)
    assert duplicate.status_code == 409
    assert client.post("/console/api/canned/99999", headers=headers, json=ok).status_code == 404
    assert client.post(f"/console/api/canned/{2**40}", headers=headers, json=ok).status_code == 404
