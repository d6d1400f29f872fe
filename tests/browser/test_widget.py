"""The demo clinic page in headless Chromium: the rasa-webchat widget talks to the real
Rasa server over socket.io (cross-origin, port of the page -> port of Rasa), answers two
FAQ questions and a button, keeps the conversation over a reload and shows a staff reply
pushed through output_channel=latest. Screenshots go to build/screenshots/."""
from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import expect

from clinic.handoff.team import bot_event

from tests.integration.channels.conftest import channel_stack  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration
TIMEOUT = 30_000
ARABIC_QUESTION = "كم سعر الجلسة؟"
BILINGUAL = ("مرحبا، معك الممرضة سارة. اتصلي على +971 4 000 0000 من 10:00-20:00.\n"
             "Hello, Nurse Sara here: call +971 4 000 0000 (10:00-20:00).")
# the first "+971" of the element: its "+" is left of its last digit (LTR order kept in RTL text)
PHONE_READS_LEFT_TO_RIGHT = """e => {
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.data.indexOf("+971");
        if (i < 0) continue;
        const at = (k) => { const r = document.createRange(); r.setStart(n, k); r.setEnd(n, k + 1);
                            return r.getBoundingClientRect().left; };
        return at(i) < at(i + 14);
    }
    return false;
}"""


def bot_texts(page) -> list:
    return page.locator(".rw-response").all_inner_texts()


def wait_for_answer(page, count: int) -> None:
    """Wait for a bot bubble after the first ``count`` (no page-side eval: the CSP forbids it)."""
    expect(page.locator(".rw-response").nth(count)).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1500)  # the answer may come in several bubbles


def ask(page, text: str) -> None:
    count = page.locator(".rw-response").count()
    page.fill(".rw-new-message", text)
    page.keyboard.press("Enter")
    expect(page.locator(".rw-client").filter(has_text=text).last).to_be_visible(timeout=TIMEOUT)
    wait_for_answer(page, count)


def test_widget_in_a_real_browser(browser, screenshots, channel_stack):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    try:
        page.goto(f"{channel_stack.web_url}/clinic")
        expect(page.locator("h1")).to_have_text("Scar-reduction mesotherapy")
        page.click(".rw-launcher", timeout=TIMEOUT)
        # the greeting (initPayload /greet) with its buttons
        expect(page.locator(".rw-response").first).to_be_visible(timeout=TIMEOUT)
        expect(page.locator(".rw-reply").first).to_be_visible(timeout=TIMEOUT)
        page.screenshot(path=str(screenshots / "widget-1-greeting.png"))

        count = page.locator(".rw-response").count()
        page.locator(".rw-reply", has_text="Prices").click()
        wait_for_answer(page, count)
        assert "AED" in " ".join(bot_texts(page)[count:])

        ask(page, "What are the side effects?")
        side_effects = " ".join(bot_texts(page)).lower()
        assert "swelling" in side_effects or "bruis" in side_effects or "redness" in side_effects
        ask(page, "Where is the clinic?")
        assert "Sheikh Zayed" in " ".join(bot_texts(page)) or "Trade Centre" in " ".join(bot_texts(page))
        page.screenshot(path=str(screenshots / "widget-2-answers.png"))
        before = bot_texts(page)

        page.reload()
        expect(page.locator(".rw-launcher")).to_be_visible(timeout=TIMEOUT)
        page.wait_for_timeout(2000)  # the widget restores its state (open or closed) from storage
        if not page.locator(".rw-conversation-container").is_visible():
            page.click(".rw-launcher", timeout=TIMEOUT)
        expect(page.locator(".rw-client").filter(has_text="Where is the clinic?")).to_be_visible(timeout=TIMEOUT)
        assert bot_texts(page)[: len(before)] == before
        page.screenshot(path=str(screenshots / "widget-3-after-reload.png"))

        # a staff reply pushed while the page is open
        stored = page.evaluate("() => window.localStorage.getItem('chat_session')")
        session_id = json.loads(stored)["session_id"].rsplit(".", 1)[0]  # the widget holds the id signed
        assert channel_stack.staff_says(session_id, "Hello, this is Nurse Sara from the clinic.").status_code == 200
        expect(page.locator(".rw-response").filter(has_text="Nurse Sara")).to_be_visible(timeout=TIMEOUT)
        page.screenshot(path=str(screenshots / "widget-4-staff-reply.png"))

        # Arabic reads right to left: the patient's bubble, and a bilingual staff reply whose
        # Arabic line is RTL with the phone number and the hours kept in order
        ask(page, ARABIC_QUESTION)
        client = page.locator(".rw-client").filter(has_text=ARABIC_QUESTION).last
        assert client.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert channel_stack.staff_says(session_id, BILINGUAL).status_code == 200
        reply = page.locator(".rw-response").filter(has_text="الممرضة سارة").last
        expect(reply).to_be_visible(timeout=TIMEOUT)
        page.wait_for_timeout(500)  # the watcher runs after the widget renders
        assert reply.evaluate("e => getComputedStyle(e).direction") == "rtl"
        text = reply.inner_text()
        assert "\u2066+971 4 000 0000\u2069" in text and "\u206610:00-20:00\u2069" in text
        assert reply.evaluate(PHONE_READS_LEFT_TO_RIGHT)
        # the input: right to left while empty when the widget speaks Arabic (widget.js), else auto
        language = page.locator("#webchat").get_attribute("data-ui-language")
        assert page.locator(".rw-new-message").get_attribute("dir") == {"ar": "rtl", "en": "auto"}[language]
        page.screenshot(path=str(screenshots / "widget-5-arabic.png"))
        # a staff message and a system line as the console sends them (clinic.handoff.team):
        # through Rasa's socket.io output, shown once each, styled apart
        events = [bot_event("Sara (Nurse) from the clinic has joined the chat.", "system", "socketio",
                            {"staff": "sara"}),
                  bot_event("Sara (Nurse, clinic team): we can see you on Saturday.", "staff", "socketio",
                            {"staff": "sara"})]
        assert httpx.post(f"{channel_stack.rasa_url}/conversations/{session_id}/tracker/events",
                          params={"token": channel_stack.rasa_token, "output_channel": "latest",
                                  "execute_side_effects": "true"}, json=events, timeout=30).status_code == 200
        expect(page.locator(".rw-response.rw-system", has_text="has joined the chat")).to_have_count(1, timeout=TIMEOUT)
        expect(page.locator(".rw-response.rw-staff", has_text="we can see you on Saturday")).to_have_count(
            1, timeout=TIMEOUT)
        page.screenshot(path=str(screenshots / "widget-6-staff-styled.png"))
        # the widget's fonts are no longer fetched from another site: no CSP error at all
        blocked = [e for e in errors if "Content Security Policy" in e or "violates" in e]
        assert not blocked, blocked
    finally:
        context.close()
