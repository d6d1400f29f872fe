"""The web app with its Rasa client swapped for a local httpx transport."""
import json

import httpx
from starlette.testclient import TestClient

from clinic.settings import settings_from_env
from console.app import create_app


def make_client(handler):
    rasa = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://rasa")
    return TestClient(create_app(settings_from_env({}), client=rasa))


def test_chat_forwards_only_validated_fields():
    seen = []

    def handler(request):
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=[{"recipient_id": "u1", "text": "hello"}])

    client = make_client(handler)
    response = client.post("/chat", json={"sender": "u1", "message": "hi", "input_channel": "whatsapp",
                                          "metadata": {"channel": "whatsapp", "phone": "+971505550199"}})
    assert response.status_code == 200 and response.json()[0]["text"] == "hello"
    # "u1" is not an id the server issued: the visitor gets a new conversation of its own
    token = response.headers["X-Chat-Sender"]
    conversation_id = token.rsplit(".", 1)[0]
    assert seen == [{"sender": conversation_id, "message": "hi"}] and conversation_id.startswith("rest-")
    client.post("/chat", json={"sender": token, "message": "again"})
    assert seen[-1] == {"sender": conversation_id, "message": "again"}


def test_bad_requests_never_reach_rasa():
    def handler(request):  # pragma: no cover - must not be called
        raise AssertionError("forwarded a bad request")

    client = make_client(handler)
    assert client.post("/chat", content=b"{bad").status_code == 400
    assert client.post("/chat", json={"sender": "<x>", "message": "hi"}).status_code == 400
    assert client.post("/chat", content=b"x" * 300_000).status_code == 413


def test_rasa_down_or_failing_gives_a_clear_error_not_a_500():
    def down(request):
        raise httpx.ConnectError("refused")

    response = make_client(down).post("/chat", json={"sender": "u1", "message": "hi"})
    assert response.status_code == 503 and "not reachable" in response.json()["error"]

    response = make_client(lambda r: httpx.Response(500, text="Traceback ...")).post(
        "/chat", json={"sender": "u1", "message": "hi"})
    assert response.status_code == 502 and "Traceback" not in response.text


def test_page_is_served_with_a_content_security_policy():
    response = make_client(lambda r: httpx.Response(200, json=[])).get("/")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "<script src=\"/static/chat.js\">" in response.text
    assert "innerHTML" not in make_client(lambda r: httpx.Response(200, json=[])).get("/static/chat.js").text


def test_trusted_proxies_are_checked_and_default_to_none():
    import pytest

    from clinic.settings import SettingsError

    assert settings_from_env({}).console_trusted_proxies == ()
    assert settings_from_env({"CONSOLE_TRUSTED_PROXIES": " 10.0.0.5, 172.18.0.0/16 ,::1"}).console_trusted_proxies \
        == ("10.0.0.5", "172.18.0.0/16", "::1")
    for bad in ("*", "proxy.local", "10.0.0.300", "10.0.0.0/99"):
        with pytest.raises(SettingsError, match="CONSOLE_TRUSTED_PROXIES"):
            settings_from_env({"CONSOLE_TRUSTED_PROXIES": bad})


def test_every_response_gets_the_default_headers_without_overriding_a_routes_own():
    client = make_client(lambda r: httpx.Response(200, json=[]))
    missing = client.get("/static/no-such-file.js")
    assert missing.status_code == 404
    assert missing.headers["x-content-type-options"] == "nosniff" and missing.headers["x-frame-options"] == "DENY"
    page = client.get("/")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert [k for k, _ in page.headers.multi_items() if k == "x-content-type-options"] == ["x-content-type-options"]
