"""Staff log in, take over, reply and hand back in headless Chromium, against the real
console app and a fake Rasa HTTP API; screenshots go to build/screenshots/."""
from __future__ import annotations

import time
from typing import List

import pytest
from playwright.sync_api import expect

from clinic.handoff import service
from tests.browser.console_app import (
    BILINGUAL, PASSWORD, SCRIPT, WAITING, FakeRasa, console_database, log_in, served_console,
)


@pytest.fixture
def served(tmp_path):
    engine, factory = console_database(tmp_path)
    with factory.begin() as session:
        for cid, priority in (("wa-971500000001", "normal"), ("web-urgent", "urgent"), ("web-arabic", "normal")):
            channel = "whatsapp" if cid.startswith("wa") else "socketio"
            service.open_handoff(session, conversation_id=cid, channel=channel,
                                 reason="urgent" if priority == "urgent" else "asked", priority=priority)
    fake = FakeRasa()
    fake.say("wa-971500000001", "Can I talk to a person?", "human_handoff")
    fake.events["wa-971500000001"].append({"event": "bot", "text": "A team member will reply here shortly.",
                                           "timestamp": time.time()})
    fake.events["wa-971500000001"].append({"event": "pause", "timestamp": time.time()})
    fake.say("wa-971500000001", SCRIPT)
    fake.say("web-urgent", "my lips are swelling after the treatment", "urgent_symptom")
    fake.say("web-arabic", "مرحبا، كم سعر الجلسة؟")
    fake.events["web-arabic"].append({"event": "bot", "timestamp": time.time(), "text": BILINGUAL})
    fake.say("web-arabic", "ابي اكلم موظف", "human_handoff")
    with served_console(fake, factory, watch_interval=0.5) as (url, _):
        yield url, fake
    engine.dispose()


def test_staff_take_over_reply_and_hand_back(browser, served, screenshots):
    url, fake = served
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # (a 401 for the wrong password and the missing favicon are expected resource errors)
    page.on("console", lambda message: message.type == "error" and "Failed to load resource" not in message.text
            and errors.append(message.text))

    page.goto(f"{url}/console/")
    assert page.url.endswith("/console/login")
    page.fill("#username", "sara")
    page.fill("#password", "wrong password!")
    page.click("button[type=submit]")
    assert "Wrong username or password" in page.text_content(".notice")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#queue button")
    first = page.locator("#queue button").first
    assert "URGENT" in first.text_content() and "web-urgent" in first.text_content()
    page.screenshot(path=str(screenshots / "console-queue.png"), full_page=True)

    page.locator("#queue button", has_text="wa-971500000001").click()
    page.wait_for_selector("#transcript li.patient")
    assert page.locator("#transcript li.patient", has_text="<script>").count() == 1  # shown as text
    assert page.title() == "Staff console" and page.locator("#transcript img").count() == 0
    page.locator("#transcript li.bot", has_text=WAITING).wait_for(timeout=5000)  # acknowledged once

    page.click("#take")
    expect(page.locator("#send")).to_be_enabled()  # (the strict CSP forbids wait_for_function strings)
    page.fill("#reply", "Hello Amal, Sara here. How can I help?")
    page.click("#send")
    page.locator("#transcript li.staff", has_text="Sara (clinic team): Hello Amal").wait_for(timeout=5000)

    fake.say("wa-971500000001", "Thanks! Is Saturday possible?")  # new message, no reload
    started = time.monotonic()
    page.locator("#transcript li.patient", has_text="Is Saturday possible?").wait_for(timeout=3000)
    assert time.monotonic() - started < 3
    assert [e["text"] for e in fake.events["wa-971500000001"] if e["event"] == "bot"].count(WAITING) == 1
    page.screenshot(path=str(screenshots / "console-conversation.png"), full_page=True)

    page.click("#hand-back")
    expect(page.locator("#detail-meta")).to_contain_text("resolved")
    assert [e["event"] for e in fake.events["wa-971500000001"]][-2:] == ["resume", "action"]
    expect(page.locator("#queue button", has_text="wa-971500000001")).to_have_count(0)

    phone = browser.new_page(viewport={"width": 375, "height": 812})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{url}/console/")
    phone.wait_for_selector("#queue button")
    phone.locator("#queue button").first.click()
    phone.wait_for_selector("#transcript li")
    width = phone.evaluate("document.documentElement.scrollWidth")
    phone.screenshot(path=str(screenshots / "console-phone.png"), full_page=True)
    assert width <= 375, f"the console is {width}px wide on a 375px screen"
    assert errors == []
    page.close()
    phone.close()


def _first_character_is_at_the_right(locator) -> bool:
    """True when the element's text starts at its right edge (it is laid out right to left)."""
    return locator.evaluate("""e => {
        const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
        const node = walker.nextNode();
        const range = document.createRange();
        range.setStart(node, 0); range.setEnd(node, 1);
        const first = range.getBoundingClientRect(), box = e.getBoundingClientRect();
        return box.right - first.right < first.left - box.left;
    }""")


def _reads_left_to_right(locator) -> bool:
    """True when the element's first character is left of its last one."""
    return locator.evaluate("""e => {
        const node = document.createTreeWalker(e, NodeFilter.SHOW_TEXT).nextNode();
        const at = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                            return r.getBoundingClientRect().left; };
        return at(0) < at(node.data.length - 1);
    }""")


def test_arabic_conversation_reads_right_to_left_with_its_language_shown(browser, served, screenshots):
    url, _ = served
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, url)
    arabic = page.locator("#queue button", has_text="web-arabic")
    expect(arabic.locator(".tag.lang")).to_have_text("AR")
    expect(page.locator("#queue button", has_text="wa-971500000001").locator(".tag.lang")).to_have_text("EN")
    arabic.click()
    patient = page.locator("#transcript li.patient", has_text="كم سعر الجلسة")
    patient.wait_for(timeout=5000)
    expect(page.locator("#detail-language")).to_have_text("Language: Arabic (ar)")
    assert patient.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert _first_character_is_at_the_right(patient.locator(".line").first)
    # the bilingual reply: an English bubble whose Arabic line still reads right to left,
    # with the phone number and the hours isolated left to right
    bot = page.locator("#transcript li.bot", has_text="Sorry, call")
    assert bot.evaluate("e => getComputedStyle(e).direction") == "ltr"
    lines = bot.locator(".line")
    assert not _first_character_is_at_the_right(lines.nth(0))
    assert _first_character_is_at_the_right(lines.nth(1))
    assert lines.nth(1).locator("bdi").all_inner_texts() == ["+971 4 000 0000", "10:00-20:00"]
    assert all(d == "ltr" for d in lines.nth(1).locator("bdi").evaluate_all(
        "all => all.map(e => getComputedStyle(e).direction)"))
    assert all(_reads_left_to_right(lines.nth(1).locator("bdi").nth(i)) for i in range(2))
    page.screenshot(path=str(screenshots / "console-arabic.png"), full_page=True)
    assert errors == []
    page.close()


def test_try_it_page_shows_arabic_right_to_left(browser, served, screenshots):
    url, _ = served
    page = browser.new_page(viewport={"width": 800, "height": 700})
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/")
    assert page.locator("#text").get_attribute("dir") == "auto"
    page.fill("#text", "كم سعر الجلسة؟")
    page.keyboard.press("Enter")
    user = page.locator("#log li.user", has_text="كم سعر الجلسة")
    user.wait_for(timeout=5000)
    assert user.evaluate("e => getComputedStyle(e).direction") == "rtl"
    bot = page.locator("#log li.bot", has_text="Sorry, call")
    bot.wait_for(timeout=5000)
    lines = bot.locator(".line")
    assert not _first_character_is_at_the_right(lines.nth(0)) and _first_character_is_at_the_right(lines.nth(1))
    assert all(_reads_left_to_right(lines.nth(1).locator("bdi").nth(i)) for i in range(2))
    arabic = page.locator("#log li.bot", has_text="اختر موضوعًا")
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    button = page.locator("#log .buttons button", has_text="الأسعار")
    assert button.evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.screenshot(path=str(screenshots / "try-it-arabic.png"), full_page=True)
    assert errors == []
    page.close()
