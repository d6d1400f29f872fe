"""The widget's own words in Arabic, right to left, in headless Chromium: from the start on
/clinic?lang=ar, and as soon as the conversation turns Arabic on the English page (and
back to English with it). Screenshots go to build/screenshots/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot_on_failure
from tests.browser.widget_socket import TIMEOUT

ARABIC = re.compile(r"[\u0600-\u06FF]")
ARABIC_ANSWER = "سعر الجلسة 950 درهم. للحجز اتصل على +971 4 000 0000."


@pytest.fixture
def site(site):
    """The shared widget site (tests/browser/conftest.py), answering in the language the
    patient wrote, like addons/nlg.py: the page's URL."""
    url, _, fake = site

    @fake.sio.on("user_uttered")
    async def user_uttered(sid, data):
        message = (data or {}).get("message", "")
        fake.received.append(message)
        if message == "/greet":
            text = "Hello! I'm the clinic's virtual assistant."
        elif ARABIC.search(message):
            text = ARABIC_ANSWER
        else:
            text = f"You wrote: {message}"
        await fake.sio.emit("bot_uttered", {"text": text}, room=sid)

    return url


def _widget_speaks(page, language: str) -> None:
    arabic = language == "ar"
    expect(page.locator("#webchat")).to_have_attribute("data-ui-language", language, timeout=TIMEOUT)
    expect(page.locator(".rw-new-message")).to_have_attribute(
        "placeholder", "اسأل عن علاج الندبات…" if arabic else "Ask about scar treatment…")
    expect(page.locator(".clinic-end-chat")).to_have_text("إنهاء المحادثة" if arabic else "End chat")
    expect(page.locator(".rw-send")).to_have_attribute("aria-label", "أرسل الرسالة" if arabic else "Send message")
    expect(page.locator(".rw-header .rw-title + span")).to_have_text(
        "المساعد الافتراضي" if arabic else "Virtual assistant")
    expect(page.locator(".rw-conversation-container")).to_have_attribute("lang", language)
    expect(page.locator(".rw-header")).to_have_attribute("dir", "rtl" if arabic else "ltr")
    assert page.locator(".rw-new-message").evaluate("e => getComputedStyle(e).direction") == (
        "rtl" if arabic else "ltr")
    header = page.locator(".rw-header").bounding_box()
    title = page.locator(".rw-header .rw-title").bounding_box()
    end = page.locator(".clinic-end-chat").bounding_box()
    middle = header["x"] + header["width"] / 2
    if arabic:  # mirrored: the title at the right, "End chat" at the left
        assert title["x"] + title["width"] > middle and end["x"] < middle
    else:
        assert title["x"] < middle and end["x"] > middle


def test_the_arabic_page_opens_an_arabic_widget(browser, site, screenshots):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with shot_on_failure(page, "widget-arabic-page"):
        page.goto(f"{site}/clinic?lang=ar")
        launcher = page.locator(".rw-launcher")
        expect(launcher).to_have_attribute("aria-label", "افتح المحادثة مع مساعد العيادة", timeout=TIMEOUT)
        launcher.click()
        expect(page.locator(".rw-response").first).to_be_visible(timeout=TIMEOUT)
        _widget_speaks(page, "ar")  # before the patient writes: the page's language
        expect(page.locator(".rw-close-button")).to_have_attribute("aria-label", "أغلق المحادثة")
        expect(page.locator(".rw-messages-container")).to_have_attribute("aria-label", "المحادثة")
        page.screenshot(path=str(screenshots / "widget-arabic-page.png"))
    assert errors == []
    page.close()


def test_the_widget_follows_the_conversation_into_arabic_and_back(browser, site, screenshots):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    with shot_on_failure(page, "widget-arabic-conversation"):
        page.goto(f"{site}/clinic")
        page.click(".rw-launcher", timeout=TIMEOUT)
        expect(page.locator(".rw-response").first).to_be_visible(timeout=TIMEOUT)
        _widget_speaks(page, "en")
        page.fill(".rw-new-message", "كم سعر الجلسة؟")
        page.keyboard.press("Enter")
        answer = page.locator(".rw-response", has_text="سعر الجلسة 950")
        expect(answer).to_be_visible(timeout=TIMEOUT)
        _widget_speaks(page, "ar")
        call = answer.locator('a[href="tel:+97140000000"]')
        expect(call).to_have_attribute("aria-label", "اتصل على +971 4 000 0000")
        page.screenshot(path=str(screenshots / "widget-arabic-conversation.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.fill(".rw-new-message", "English please")
        page.keyboard.press("Enter")
        expect(page.locator(".rw-response", has_text="You wrote: English please")).to_be_visible(timeout=TIMEOUT)
        _widget_speaks(page, "en")
        expect(call).to_have_attribute("aria-label", "Call +971 4 000 0000")
    page.close()
