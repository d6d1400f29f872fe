"""Canned replies in headless Chromium: an admin adds one in the console's dialog, staff
insert it into the reply box (and may edit it before sending)."""
from __future__ import annotations

from playwright.sync_api import expect

from clinic.handoff import canned
from clinic.handoff.staff import set_admin
from tests.browser.conftest import shot_on_failure
from tests.browser.console_app import log_in, open_handoff


def test_an_admin_adds_a_canned_reply_and_it_fills_the_reply_box(browser, stack, screenshots):
    url, fake, factory, _ = stack
    open_handoff(factory, "wa-971500000001")
    fake.say("wa-971500000001", "Can I talk to a person?", "human_handoff")
    with factory.begin() as session:
        set_admin(session, "sara", True)
        canned.create(session, "sara", {"title": "Arabic hello", "language": "ar", "text": "مرحبًا، معك فريق العيادة."})
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with shot_on_failure(page, "console-canned"):
        log_in(page, url)
        page.locator("#queue button", has_text="wa-971500000001").click()
        page.wait_for_selector("#transcript li.patient")
        expect(page.locator("#canned")).to_be_disabled()  # only after a take-over

        page.click("#canned-manage")
        expect(page.locator("#canned-dialog")).to_be_visible()
        page.fill("#canned-name", "Reading now")
        page.select_option("#canned-language", "en")
        page.fill("#canned-text", "Thank you for waiting, I am reading your messages now.")
        page.click("#canned-save")
        expect(page.locator("#canned-list li", has_text="Reading now")).to_have_count(1)
        page.fill("#canned-name", "Reading now")  # the same title again: a clear error
        page.click("#canned-new")
        page.fill("#canned-name", "Reading now")
        page.fill("#canned-text", "Again")
        page.click("#canned-save")
        expect(page.locator("#canned-error")).to_contain_text("already exists")
        page.screenshot(path=str(screenshots / "console-canned-dialog.png"))
        page.click("#canned-close")

        page.click("#take")
        expect(page.locator("#canned")).to_be_enabled()
        # an English conversation: its language's replies first
        options = page.locator("#canned option").all_inner_texts()
        assert options[1:] == ["Reading now (EN)", "Arabic hello (AR)"]
        page.select_option("#canned", label="Reading now (EN)")
        expect(page.locator("#reply")).to_have_value("Thank you for waiting, I am reading your messages now.")
        page.click("#send")
        page.locator("#transcript li.staff", has_text="I am reading your messages now").wait_for(timeout=5000)
    assert errors == []
    page.close()
