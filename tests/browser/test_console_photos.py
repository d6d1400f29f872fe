"""The console's aftercare panel in headless Chromium (console/static/aftercare.js): a
patient's photo shown beside the transcript to a signed-in member of staff, with the
treatment, the check-ins and the unanswered day-1 flag (on the queue card too); captions
rendered as text."""
from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.console_app import (
    FakeRasa, aftercare_record, console_database, log_in, served_console, watch_errors,
)

WA = "wa-971500000001"
CAPTION = "day 4 <img src=x onerror=\"document.title='hacked'\"> still pink"


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTO_DIR", str(tmp_path / "photos"))
    engine, factory = console_database(tmp_path)
    photo_id = aftercare_record(factory, WA, CAPTION)
    fake = FakeRasa()
    fake.say(WA, "here is a photo of my cheek")
    with served_console(fake, factory, watch_interval=0.5) as (url, _):
        yield url, photo_id
    engine.dispose()


def test_the_photo_shows_beside_the_transcript_with_the_aftercare_record(browser, served, screenshots):
    url, photo_id = served
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = watch_errors(page)
    log_in(page, url)
    card = page.locator("#queue button", has_text=WA)
    expect(card.locator(".tag.checkin")).to_have_text("unanswered check-in")  # the flag on the card too
    card.click()

    image = page.locator("#patient-panel img")
    image.wait_for(timeout=10000)
    deadline = time.monotonic() + 10
    while image.evaluate("img => img.naturalWidth") == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [320, 200]  # loaded with the session
    panel = page.locator("#patient-panel")
    assert "No answer to the day-1 check-in" in panel.text_content()
    assert "face · layla-haddad" in panel.text_content()
    assert "Day 1 check-in: sent" in panel.text_content() and "no answer yet" in panel.text_content()
    assert "Not received (too large)" in panel.text_content()
    assert page.locator("#patient-panel .aftercare-caption").text_content() == CAPTION  # text, not HTML
    assert page.title() == "Staff console" and page.locator("#patient-panel img").count() == 1
    side = page.locator("#aftercare-unanswered")  # under the queue, for every such patient
    expect(side).to_be_visible()
    assert WA in side.text_content()
    page.screenshot(path=str(screenshots / "console-aftercare-photo.png"), full_page=True)
    assert errors == []

    # the same address in a browser without the session: no image
    anonymous = httpx.get(f"{url}/console/api/aftercare/photos/{photo_id}")
    assert anonymous.status_code == 401 and not anonymous.content.startswith(b"\x89PNG")
    page.close()
