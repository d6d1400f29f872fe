"""The console page is pushed changes (server-sent events) in headless Chromium: a new
patient message shows without waiting for a poll, a new case appears in the queue, the
patient panel is announced to other scripts, and the page polls while the stream is down."""
from __future__ import annotations

import time
from typing import List

from playwright.sync_api import expect

import pytest

from clinic.handoff import service
from tests.browser.conftest import shot_on_failure
from tests.browser.console_app import log_in, open_handoff


@pytest.fixture
def served(stack):
    """The console (conftest ``stack``) with one waiting WhatsApp conversation."""
    open_handoff(stack.factory, "wa-971500000001")
    stack.fake.say("wa-971500000001", "Can I talk to a person?", "human_handoff")
    return stack


PUSHED_MS = 8000  # far below the 30 s safety poll: only the stream can deliver this fast


def test_the_stream_delivers_messages_and_cases_without_polling(browser, served, screenshots):
    url, fake, factory, _ = served
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # a script of the aftercare helper listens like this (console/static/aftercare.js)
    page.add_init_script("""document.addEventListener("clinic:conversation-opened", (e) => {
        window.__opened = (window.__opened || []).concat([{id: e.detail.conversationId,
            panel: e.detail.panel && e.detail.panel.id}]); });""")
    with shot_on_failure(page, "console-live"):
        log_in(page, url)
        expect(page.locator("body")).to_have_attribute("data-live", "stream", timeout=5000)
        page.locator("#queue button", has_text="wa-971500000001").click()
        page.wait_for_selector("#transcript li.patient")
        assert page.evaluate("window.__opened") == [{"id": "wa-971500000001", "panel": "patient-panel"}]
        expect(page.locator("#patient-panel")).not_to_be_empty()  # filled by console/static/aftercare.js
        panel, transcript = page.locator("#patient-panel").bounding_box(), page.locator("#transcript").bounding_box()
        assert panel["x"] >= transcript["x"] + transcript["width"] - 1  # beside the transcript

        # while the stream is up the page polls only every 30 s: what shows within seconds was
        # pushed (the speed itself is measured by bench/console_latency.py)
        time.sleep(0.5)
        fake.say("wa-971500000001", "Is anyone reading this?")
        page.locator("#transcript li.patient", has_text="Is anyone reading this?").wait_for(timeout=PUSHED_MS)
        live = page.locator("#live")  # announced to screen readers (issue 18 item 4)
        assert live.get_attribute("aria-live") == "polite"
        expect(live).to_have_text("New message from the patient: Is anyone reading this?")
        expect(page.locator("#queue button", has_text="wa-971500000001")).to_contain_text(
            "Is anyone reading this?", timeout=PUSHED_MS)

        fake.say("web-new", "my cheek is swelling and hot", "urgent_symptom")
        with factory.begin() as session:
            service.open_urgent(session, conversation_id="web-new", channel="socketio")
        page.locator("#queue button.urgent", has_text="web-new").wait_for(timeout=PUSHED_MS)
        page.screenshot(path=str(screenshots / "console-live.png"), full_page=True)
    assert errors == []
    page.close()


def test_the_page_polls_while_the_stream_is_refused(browser, served):
    url, fake, _, console = served
    console.hub.per_key = 0  # every stream refused (429): the page must fall back to polling
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    with shot_on_failure(page, "console-live-fallback"):
        log_in(page, url)
        page.locator("#queue button", has_text="wa-971500000001").click()
        page.wait_for_selector("#transcript li.patient")
        expect(page.locator("body")).to_have_attribute("data-live", "polling")
        fake.say("wa-971500000001", "Still there?")
        page.locator("#transcript li.patient", has_text="Still there?").wait_for(timeout=4000)
    page.close()
