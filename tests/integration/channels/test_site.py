"""The demo page routes (console.site): facts from clinic.yml, CSP, the widget script."""
from __future__ import annotations

from dataclasses import replace

from starlette.applications import Starlette
from starlette.testclient import TestClient

import console.site as site
from clinic.channels.config import ChannelSettings
from clinic.facts import load_facts
from clinic.settings import get_settings


def client(settings=None) -> TestClient:
    return TestClient(Starlette(routes=site.site_routes(settings or get_settings())))


def test_page_shows_the_clinic_facts_and_points_the_widget_at_rasa():
    settings = replace(get_settings(), channels=ChannelSettings(widget_socket_url="https://chat.clinic.example"))
    response = client(settings).get("/clinic")
    assert response.status_code == 200
    facts = load_facts(settings.clinic_file)
    assert facts.phone in response.text and "Sunday</th><td>Closed" in response.text
    assert 'data-socket-url="https://chat.clinic.example"' in response.text
    csp = response.headers["content-security-policy"]
    assert "connect-src 'self' https://chat.clinic.example wss://chat.clinic.example" in csp
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp
    assert "{{" not in response.text  # every placeholder filled


def test_widget_script_and_static_files(monkeypatch, tmp_path):
    c = client()
    assert c.get("/clinic/static/widget.js").status_code == 200
    assert c.get("/clinic/static/../site.py").status_code == 404
    if site.WEBCHAT_JS.exists():
        script = c.get("/clinic/webchat.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    monkeypatch.setattr(site, "WEBCHAT_JS", tmp_path / "missing.js")
    missing = client().get("/clinic/webchat.js")
    assert missing.status_code == 503 and "npm ci" in missing.text
