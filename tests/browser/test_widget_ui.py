"""The demo page's widget in headless Chromium against a small fake socket.io server (no
model needed): no request leaves the site (fonts), no CSP error, a favicon, the clinic's
colours, tappable tel:/wa.me numbers, staff bubbles and system lines styled apart,
keyboard use (quick replies, Escape), accessible names and a live region, "End chat" and
the expiry of a stored conversation (axe-core: test_accessibility.py).
Screenshots go to build/screenshots/ (and <name>-failure.png when a test fails)."""
from __future__ import annotations

import re

from typing import List

from playwright.sync_api import expect

from clinic.handoff.team import widget_payload
from tests.browser.conftest import shot_on_failure, tab_to
from tests.browser.widget_socket import PRICE, TIMEOUT, open_widget

def watch(page, allowed: tuple):
    """Console errors (CSP reports included) and requests to any other site."""
    errors: List[str] = []
    foreign: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("request", lambda request: request.url.startswith(allowed) or request.url.startswith("data:")
            or foreign.append(request.url))
    return errors, foreign


def test_widget_theme_links_staff_lines_and_keyboard(browser, site, screenshots):
    url, socket_url, fake = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors, foreign = watch(page, (url, socket_url))
    with shot_on_failure(page, "widget-ui"):
        page.goto(f"{url}/clinic")
        launcher = page.locator(".rw-launcher")
        expect(launcher).to_have_attribute("aria-label", "Open the chat with the clinic's assistant", timeout=TIMEOUT)
        assert launcher.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(45, 106, 95)"  # clinic.yml
        open_widget(page)
        expect(page.locator(".rw-send")).to_have_attribute("aria-label", "Send message")
        log = page.locator(".rw-messages-container")
        assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
        greeting = page.locator(".rw-response").first
        expect(greeting.locator('a[href="tel:+97140000000"]')).to_have_count(1)
        expect(greeting.locator('a[href="https://wa.me/971500000000"]')).to_have_count(1)
        expect(greeting.locator('a[href="tel:998"]')).to_have_count(1)
        assert "+971 4 000 0000" in greeting.inner_text()  # the text itself is unchanged
        expect(page.locator(".rw-message-date").first).to_have_text(re.compile(r"\d{1,2}:\d{2}"))  # timestamps
        expect(page.locator(".rw-avatar").first).to_have_attribute("src", re.compile(r"/clinic/static/avatar\.svg$"))
        page.screenshot(path=str(screenshots / "widget-ui-greeting.png"))

        reply = page.locator(".rw-reply", has_text="Prices")
        assert reply.get_attribute("role") == "button" and reply.get_attribute("tabindex") == "0"
        reply.focus()
        page.keyboard.press("Enter")  # quick replies work from the keyboard
        expect(page.locator(".rw-response", has_text=PRICE)).to_be_visible(timeout=TIMEOUT)
        assert "/faq_prices" in fake.received

        fake.push(widget_payload("Sara (Nurse) from the clinic has joined the chat.", "system")["data"])
        fake.push(widget_payload("Sara (Nurse, clinic team): Hello, call me on +971 4 000 0000.", "staff")["data"])
        system = page.locator(".rw-response.rw-system", has_text="has joined the chat")
        staff = page.locator(".rw-response.rw-staff", has_text="Sara (Nurse, clinic team)")
        expect(system).to_be_visible(timeout=TIMEOUT)
        expect(staff).to_be_visible(timeout=TIMEOUT)
        bot_colour = page.locator(".rw-response", has_text=PRICE).evaluate("e => getComputedStyle(e).backgroundColor")
        assert staff.evaluate("e => getComputedStyle(e).backgroundColor") != bot_colour
        expect(staff.locator('a[href="tel:+97140000000"]')).to_have_count(1)
        page.screenshot(path=str(screenshots / "widget-ui-staff.png"))

        page.keyboard.press("Escape")
        expect(page.locator(".rw-conversation-container")).to_have_count(0, timeout=TIMEOUT)
        favicon = page.request.get(f"{url}/favicon.ico")
        assert favicon.status == 200 and favicon.headers["content-type"].startswith("image/svg+xml")
    context.close()
    assert foreign == [], foreign  # no web fonts or anything else from other sites
    assert errors == [], errors    # no CSP errors


def test_end_chat_and_expiry_forget_the_stored_conversation(browser, site, screenshots):
    url, socket_url, fake = site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    with shot_on_failure(page, "widget-end-chat"):
        page.goto(f"{url}/clinic")
        open_widget(page)
        page.fill(".rw-new-message", "my name is Amal, 050 123 4567")
        page.keyboard.press("Enter")
        expect(page.locator(".rw-response", has_text="You wrote")).to_be_visible(timeout=TIMEOUT)
        assert "Amal" in (page.evaluate("() => localStorage.getItem('chat_session')") or "")

        # idle for longer than clinic.yml allows (24 h): forgotten on the next visit
        page.evaluate("""() => { const s = JSON.parse(localStorage.getItem('chat_session'));
                                  s.lastUpdate = Date.now() - 25 * 3600 * 1000;
                                  localStorage.setItem('chat_session', JSON.stringify(s)); }""")
        page.reload()
        expect(page.locator(".rw-launcher")).to_be_visible(timeout=TIMEOUT)
        assert "Amal" not in (page.evaluate("() => localStorage.getItem('chat_session')") or "")

        # a recent conversation is kept over a reload; "End chat" deletes it
        if not page.locator(".rw-conversation-container").is_visible():
            open_widget(page)
        page.fill(".rw-new-message", "second visit, Amal again")
        page.keyboard.press("Enter")
        expect(page.locator(".rw-response", has_text="second visit")).to_be_visible(timeout=TIMEOUT)
        page.reload()
        page.wait_for_timeout(1000)
        assert "second visit" in (page.evaluate("() => localStorage.getItem('chat_session')") or "")
        if not page.locator(".rw-conversation-container").is_visible():
            page.click(".rw-launcher")
        end = page.locator(".clinic-end-chat")
        expect(end).to_be_visible(timeout=TIMEOUT)
        page.screenshot(path=str(screenshots / "widget-ui-phone.png"))
        with page.expect_navigation():
            end.click()
        expect(page.locator(".rw-launcher")).to_be_visible(timeout=TIMEOUT)
        page.wait_for_timeout(500)
        stored = page.evaluate("() => localStorage.getItem('chat_session')") or ""
        assert "Amal" not in stored and "second visit" not in stored
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_keyboard_only_from_the_launcher_to_a_quick_reply_and_escape(browser, site):
    """Issue 18 item 4: Tab to the launcher, Enter opens, type and send, Tab to a quick
    reply, Enter chooses it, Escape closes and gives the focus back to the launcher."""
    url, _, fake = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with shot_on_failure(page, "widget-keyboard"):
        page.goto(f"{url}/clinic")
        expect(page.locator(".rw-launcher")).to_have_attribute("aria-label", re.compile("Open"), timeout=TIMEOUT)
        tab_to(page, "e.classList.contains('rw-launcher')")
        page.keyboard.press("Enter")
        expect(page.locator(".rw-reply", has_text="Prices")).to_be_visible(timeout=TIMEOUT)
        tab_to(page, "e.classList.contains('rw-new-message')")
        page.keyboard.type("hello")
        page.keyboard.press("Enter")  # the answer offers quick replies again
        expect(page.locator(".rw-client", has_text="hello")).to_be_visible(timeout=TIMEOUT)
        expect(page.locator(".rw-response", has_text="Hello!")).to_have_count(2, timeout=TIMEOUT)
        tab_to(page, "e.classList.contains('rw-reply') && e.textContent.includes('Prices')", backwards=True)
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # a focus ring
        page.keyboard.press("Enter")
        expect(page.locator(".rw-response", has_text=PRICE)).to_be_visible(timeout=TIMEOUT)
        assert fake.received[-1] == "/faq_prices"
        page.keyboard.press("Escape")
        expect(page.locator(".rw-conversation-container")).to_have_count(0, timeout=TIMEOUT)
        expect(page.locator(".rw-launcher")).to_be_focused()
        page.wait_for_timeout(500)  # and keeps it (the widget re-renders after closing)
        expect(page.locator(".rw-launcher")).to_be_focused()
    page.close()
