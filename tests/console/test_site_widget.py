"""The demo page's widget (issue 18): no third-party font requests, theme and privacy
settings from clinic.yml, tel:/wa.me links on the page, a favicon."""
from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

import console.site as site
from clinic.settings import get_settings
from console.widget_config import widget_settings


def client(settings=None) -> TestClient:
    return TestClient(Starlette(routes=site.site_routes(settings or get_settings())))


def test_widget_script_is_served_without_google_fonts(monkeypatch, tmp_path):
    bundle = tmp_path / "index.js"
    bundle.write_text('x.push([e.i,"@import url(https://fonts.googleapis.com/css?family=Inter:400,500,700&display=swap);",""]),'
                      't.push([e.i,".rw-a{font-family:Inter,sans-serif}",""]);', encoding="utf-8")
    monkeypatch.setattr(site, "WEBCHAT_JS", bundle)
    script = client().get("/clinic/webchat.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "fonts.googleapis.com" not in script.text and ".rw-a{font-family:Inter,sans-serif}" in script.text


@pytest.mark.skipif(not site.WEBCHAT_JS.exists(), reason="rasa-webchat not installed (npm ci)")
def test_the_installed_widget_asks_no_other_site_for_fonts():
    source = site.webchat_source(site.WEBCHAT_JS).decode("utf-8")
    assert "fonts.googleapis" not in source and "fonts.gstatic" not in source
    assert source.count("rw-conversation-container") > 10  # the rest is intact


def test_page_carries_the_widget_theme_and_links():
    page = client().get("/clinic").text
    assert 'data-main-colour="#2d6a5f"' in page and 'data-conversation-hours="24.0"' in page
    assert 'data-title="Noor Skin &amp; Scar Clinic"' in page and 'data-avatar="/clinic/static/avatar.svg"' in page
    assert 'data-whatsapp="+971 50 000 0000"' in page and 'data-emergency="998"' in page
    assert '<a href="https://wa.me/971500000000">' in page and 'href="tel:998"' in page
    assert 'rel="icon"' in page and "{{" not in page and 'data-widget=""' not in page


def test_favicon_and_avatar():
    c = client()
    for path in ("/favicon.ico", "/favicon.svg", "/clinic/static/avatar.svg"):
        response = c.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml"), path
        assert "<svg" in response.text


def test_widget_settings_default_and_refuse_bad_values(caplog):
    defaults = widget_settings("Clinic", {})
    assert (defaults.title, defaults.conversation_hours, defaults.main_colour) == ("Clinic", 24.0, "#2d6a5f")
    chosen = widget_settings("Clinic", {"widget": {"main_colour": "#112233", "conversation_hours": 2,
                                                   "title": " Noor ", "avatar": "/clinic/static/a.png"}})
    assert (chosen.main_colour, chosen.conversation_hours, chosen.title, chosen.avatar) == (
        "#112233", 2.0, "Noor", "/clinic/static/a.png")
    with caplog.at_level(logging.WARNING):
        bad = widget_settings("Clinic", {"widget": {
            "main_colour": "red;background:url(x)", "conversation_hours": -1, "title": "",
            "avatar": "https://evil.example/a.png", "assistant_colour": True}})
    assert bad == defaults
    assert len([r for r in caplog.records if "widget." in r.getMessage()]) == 5
    assert widget_settings("Clinic", {"widget": "oops"}) == defaults
    assert widget_settings("C", {"widget": {"avatar": "//evil.example/a.png"}}).avatar == defaults.avatar
    assert widget_settings("C", {"widget": {"avatar": "/clinic/../x.svg"}}).avatar == defaults.avatar
    assert widget_settings("C", {"widget": {"conversation_hours": True}}).conversation_hours == 24.0


def test_widget_script_explains_its_privacy_and_accessibility_work():
    script = client().get("/clinic/static/widget.js").text
    for needle in ("chat_session", "conversationHours", "End chat", "Escape", "aria-live", "tel:",
                   "https://wa.me/", "splitText"):
        assert needle in script, needle
    assert "innerHTML" not in script
