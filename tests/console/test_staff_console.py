"""Staff console routes: login, CSRF, rate limit, the handoff actions, escaping."""
from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from clinic.handoff import service
from console.security import LoginLimiter
from tests.console.conftest import PASSWORD, csrf_of, log_in


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def open_handoff(factory, conversation_id="c1", priority="normal"):
    with factory.begin() as session:
        return service.open_handoff(session, conversation_id=conversation_id, channel="socketio",
                                    reason="urgent" if priority == "urgent" else "asked",
                                    priority=priority).id


def post(client, path, token, body=None):
    headers = {"X-CSRF-Token": token} if token is not None else {}
    return client.post(f"/console/api{path}", headers=headers, json=body or {})


def test_console_routes_without_login_are_refused(make_client, factory):
    client = make_client()
    handoff_id = open_handoff(factory)
    page = client.get("/console/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/console/login"
    assert client.get("/console/api/queue").status_code == 401
    assert client.get(f"/console/api/handoffs/{handoff_id}").status_code == 401
    for action in ("take", "reply", "hand-back", "resolve"):
        assert post(client, f"/handoffs/{handoff_id}/{action}", "x").status_code == 401


def test_login_sets_a_strict_http_only_cookie_and_a_csp(make_client):
    client = make_client()
    page = client.get("/console/login")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    response = client.post("/console/login", follow_redirects=False, data={
        "username": "sara", "password": PASSWORD, "csrf_token": csrf_of(page.text)})
    cookie = response.headers["set-cookie"].lower()
    assert response.status_code == 303 and "httponly" in cookie and "samesite=strict" in cookie
    assert "path=/console" in cookie
    assert "Logged in as Sara" in client.get("/console/").text


@pytest.mark.parametrize("token", [None, "", "wrong"])
def test_missing_or_wrong_csrf_token_is_403(make_client, factory, token):
    client = make_client()
    page = client.get("/console/login")
    data = {"username": "sara", "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    assert client.post("/console/login", data=data).status_code == 403
    good = log_in(client)
    handoff_id = open_handoff(factory)
    for action in ("take", "reply", "hand-back", "resolve"):
        assert post(client, f"/handoffs/{handoff_id}/{action}", token).status_code == 403
    assert client.post("/console/logout", data={"csrf_token": token or ""}).status_code == 403
    assert page.status_code == 200 and post(client, f"/handoffs/{handoff_id}/take", good).status_code == 200


def test_login_back_off(make_client):
    clock = Clock()
    client = make_client(LoginLimiter(max_failures=5, window=900, clock=clock))
    token = csrf_of(client.get("/console/login").text)

    def attempt(password):
        return client.post("/console/login", follow_redirects=False,
                           data={"username": "sara", "password": password, "csrf_token": token})
    statuses = [attempt(f"wrong {n}").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    right = attempt(PASSWORD)  # not even tried during the back-off
    assert right.status_code == 429 and right.headers["retry-after"] == "1" and "wait 1 second " in right.text
    clock.now += 1.5
    assert attempt("wrong again").status_code == 401
    waits = []
    for _ in range(8):  # the wait doubles with every further failure, up to five minutes
        refused = attempt("wrong")
        waits.append(int(refused.headers["retry-after"]))
        clock.now += waits[-1]
        assert attempt("wrong").status_code == 401
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256]
    assert "5 minutes" in attempt(PASSWORD).text
    assert log_in(TestClient(client.app), "omar")  # other accounts are not slowed
    clock.now += 300
    assert attempt(PASSWORD).status_code == 303


def test_limiter_forgets_and_stays_bounded():
    clock = Clock()
    limiter = LoginLimiter(max_failures=2, window=60, clock=clock, max_keys=3, account_failures=3,
                           account_delay=1.5)
    for n in range(3):
        limiter.failed("sara", f"ip:{n}")
    assert limiter.delay("sara") == 1.5 and limiter.delay("omar") == 0
    for _ in range(2):
        limiter.failed("sara", "ip:0")
    assert limiter.blocked("sara", "ip:0") and not limiter.blocked("sara", "ip:1")
    for n in range(10):
        limiter.failed(f"user{n}", "ip:9")
    assert len(limiter._clients) <= 3 and len(limiter._accounts) <= 3
    clock.now += 61
    assert limiter.delay("sara") == 0 and not limiter.blocked("user9", "ip:9")


def test_device_tokens_are_bound_to_the_account_and_the_secret():
    from console.security import device_of, device_token

    token = device_token("s" * 40, "sara")
    device = device_of("s" * 40, "sara", token)
    assert device and token.startswith(device)
    assert device_of("s" * 40, "omar", token) is None
    assert device_of("t" * 40, "sara", token) is None
    assert device_of("s" * 40, "sara", token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert device_of("s" * 40, "sara", "no-dot") is None and device_of("s" * 40, "sara", None) is None


def test_bad_login_bodies_get_clear_answers(make_client):
    client = make_client()
    token = csrf_of(client.get("/console/login").text)
    for data in ({"username": "'; DROP TABLE staff_accounts; --", "password": "x"},
                 {"username": "ساره😀", "password": "😀" * 3000}, {}):
        assert client.post("/console/login", data={**data, "csrf_token": token}).status_code == 401
    raw = client.post("/console/login", content=b"\xff\xfe{bad", headers={"content-type": "multipart/form-data"})
    assert raw.status_code in (400, 403)


def test_take_reply_hand_back_through_the_patients_channel(make_client, factory, rasa):
    client = make_client()
    token = log_in(client)
    handoff_id = open_handoff(factory)
    queue = client.get("/console/api/queue").json()["handoffs"]
    assert [h["id"] for h in queue] == [handoff_id] and queue[0]["status"] == "waiting"
    assert post(client, f"/handoffs/{handoff_id}/reply", token, {"text": "hi"}).status_code == 403
    taken = post(client, f"/handoffs/{handoff_id}/take", token).json()["handoff"]
    assert (taken["status"], taken["assigned_to"]) == ("active", "sara")
    assert post(client, f"/handoffs/{handoff_id}/reply", token, {"text": "Hello, how can I help?"}).json() == {
        "delivered": True}
    joined, delivered = [r for r in rasa.calls if r.method == "POST"]
    assert delivered.url.params["output_channel"] == "latest"
    assert delivered.url.params["execute_side_effects"] == "true"
    assert json.loads(joined.content)[0]["data"]["custom"]["data"]["text"] == (
        "Sara from the clinic has joined the chat.")
    assert json.loads(delivered.content)[0]["data"]["custom"]["data"]["text"] == (
        "Sara (clinic team): Hello, how can I help?")
    back = post(client, f"/handoffs/{handoff_id}/hand-back", token).json()["handoff"]
    assert (back["status"], back["outcome"]) == ("resolved", "handed_back")
    assert [e["event"] for e in rasa.events["c1"]][-2:] == ["resume", "action"]
    again = post(client, f"/handoffs/{handoff_id}/reply", token, {"text": "one more"})
    assert again.status_code == 409 and "already resolved" in again.json()["error"]
    assert client.get("/console/api/queue").json()["handoffs"] == []


def test_second_member_of_staff_is_told_who_took_over(make_client, factory):
    sara, omar = make_client(), make_client()
    sara_token, omar_token = log_in(sara, "sara"), log_in(omar, "omar")
    handoff_id = open_handoff(factory)
    assert post(sara, f"/handoffs/{handoff_id}/take", sara_token).status_code == 200
    lost = post(omar, f"/handoffs/{handoff_id}/take", omar_token)
    assert lost.status_code == 409 and lost.json()["error"] == "sara has already taken over this conversation."
    assert post(omar, f"/handoffs/{handoff_id}/reply", omar_token, {"text": "hi"}).status_code == 409


@pytest.mark.parametrize("body, status", [
    (b"{bad json", 400), (b"\xff\xfe", 400), (b"[]", 400), (b'{"text": ""}', 400),
    (b'{"text": 5}', 400), (json.dumps({"text": "x" * 5000}).encode(), 413), (b"x" * 70000, 413),
])
def test_bad_replies_get_clear_errors(make_client, factory, body, status):
    client = make_client()
    token = log_in(client)
    handoff_id = open_handoff(factory)
    post(client, f"/handoffs/{handoff_id}/take", token)
    response = client.post(f"/console/api/handoffs/{handoff_id}/reply", content=body,
                           headers={"X-CSRF-Token": token, "content-type": "application/json"})
    assert response.status_code == status and "error" in response.json()


def test_rasa_down_or_conversation_erased_gives_clear_errors(make_client, factory, rasa):
    client = make_client()
    token = log_in(client)
    handoff_id = open_handoff(factory)
    post(client, f"/handoffs/{handoff_id}/take", token)
    rasa.down = True
    failed = post(client, f"/handoffs/{handoff_id}/reply", token, {"text": "hi"})
    assert failed.status_code == 502 and "not reachable" in failed.json()["error"]
    detail = client.get(f"/console/api/handoffs/{handoff_id}").json()
    assert "conversation_error" in detail and detail["handoff"]["status"] == "active"
    assert post(client, f"/handoffs/{handoff_id}/hand-back", token).status_code == 502
    rasa.down = False
    with factory.begin() as session:
        service.erase_conversation(session, "c1")
    for path in (f"/handoffs/{handoff_id}/reply", f"/handoffs/{handoff_id}/take", "/handoffs/99999999999/take"):
        gone = post(client, path, token, {"text": "hi"})
        assert gone.status_code == 404 and "no longer exists" in gone.json()["error"]


def test_script_in_a_patient_message_comes_back_as_text(make_client, factory, rasa):
    client = make_client()
    log_in(client)
    handoff_id = open_handoff(factory)
    script = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    rasa.events["c1"] = [{"event": "user", "text": script, "timestamp": 1.0,
                          "parse_data": {"intent": {"name": "human_handoff"}}}, {"event": "pause"}]
    response = client.get(f"/console/api/handoffs/{handoff_id}")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["conversation"]["messages"][0]["text"] == script
    page = client.get("/console/").text
    assert "<script>alert" not in page
    js = client.get("/static/console.js").text
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "textContent" in js


def test_names_are_escaped_in_pages(make_client):
    client = make_client()
    token = csrf_of(client.get("/console/login").text)
    page = client.post("/console/login", data={"username": "<b>x</b>", "password": "x", "csrf_token": token})
    assert "<b>x</b>" not in page.text and "&lt;b&gt;x&lt;/b&gt;" in page.text


def test_resolve_resumes_the_bot_and_logout_ends_the_session(make_client, factory, rasa):
    client = make_client()
    token = log_in(client)
    handoff_id = open_handoff(factory, priority="urgent")
    resolved = post(client, f"/handoffs/{handoff_id}/resolve", token, {"outcome": "called_patient"}).json()["handoff"]
    assert (resolved["status"], resolved["outcome"], resolved["assigned_to"]) == ("resolved", "called_patient", "sara")
    assert [e["event"] for e in rasa.events["c1"]] == ["bot", "resume", "action"]  # closing message, then resume
    assert client.post("/console/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get("/console/api/queue").status_code == 401


def test_production_refuses_a_missing_console_secret():
    from clinic.settings import SettingsError, settings_from_env
    from console.staff import Console

    strong = "x" * 40
    env = {"CLINIC_ENV": "production", "RASA_AUTH_TOKEN": strong, "ACTION_SERVER_TOKEN": strong}
    with pytest.raises(SettingsError, match="CONSOLE_SECRET_KEY"):
        Console(settings_from_env({**env, "CONSOLE_SECRET_KEY": "short"}))
    assert Console(settings_from_env({**env, "CONSOLE_SECRET_KEY": strong})).app


@pytest.mark.parametrize("form, status, message", [
    ({"current_password": PASSWORD, "new_password": "a new long password", "new_password_again": "other"},
     400, "differ"),
    ({"current_password": PASSWORD, "new_password": "short", "new_password_again": "short"}, 400, "at least 12"),
    ({"current_password": "wrong", "new_password": "a new long password",
      "new_password_again": "a new long password"}, 401, "current password is wrong"),
])
def test_password_change_mistakes_get_clear_answers(make_client, form, status, message):
    client = make_client()
    token = log_in(client)
    response = client.post("/console/password", data={**form, "csrf_token": token})
    assert response.status_code == status and message in response.text
    assert client.post("/console/password", data=form).status_code == 403
    assert client.get("/console/api/queue").status_code == 200  # still signed in
    assert log_in(TestClient(client.app))  # the old password still works


def test_ending_a_session_that_is_not_yours_is_a_clear_404(make_client, factory):
    client = make_client()
    token = log_in(client)
    other = TestClient(client.app)
    log_in(other, "omar")
    with factory() as session:
        from clinic.handoff.sessions import sessions_of
        omars = sessions_of(session, "omar")[0].id
    response = client.post(f"/console/sessions/{omars}/end", data={"csrf_token": token})
    assert response.status_code == 404 and "already ended" in response.text
    assert other.get("/console/api/queue").status_code == 200
    assert client.post(f"/console/sessions/{2**40}/end", data={"csrf_token": token}).status_code == 404
    assert client.get("/console/sessions").text.count('class="session"') == 1
