"""Issue 18 follow-ups in headless Chromium: the console's history of resolved
conversations (search, paging, a read-only transcript, on a phone), the desktop
notification and beep for a new urgent case (Notification and AudioContext stubbed in
the page), and the urgent reply styled as an alert in the widget and in the console.
Screenshots go to build/screenshots/ (and <name>-failure.png when a test fails)."""
from __future__ import annotations

import time

from playwright.sync_api import expect

from clinic.handoff import alerts, service
from tests.browser.conftest import shot_on_failure
from tests.browser.console_app import log_in, open_handoff, watch_errors
from tests.browser.widget_socket import TIMEOUT, open_widget

# records what the page would show and play instead of showing and playing it
STUBS = """
window.__notes = [];
window.__tones = 0;
class FakeNotification {
  constructor(title, options) { window.__notes.push({ title, body: (options || {}).body, tag: (options || {}).tag }); }
  static requestPermission() { FakeNotification.permission = "granted"; return Promise.resolve("granted"); }
}
FakeNotification.permission = "default";
window.Notification = FakeNotification;
const param = () => ({ setValueAtTime() {}, exponentialRampToValueAtTime() {} });
window.AudioContext = class {
  constructor() { this.state = "running"; this.currentTime = 0; this.destination = {}; }
  resume() { return Promise.resolve(); }
  createOscillator() { window.__tones += 1; return { frequency: param(), connect() {}, start() {}, stop() {} }; }
  createGain() { return { gain: param(), connect() {} }; }
};
"""


def resolve(factory, conversation_id, outcome="answered", staff="sara"):
    handoff_id = open_handoff(factory, conversation_id)
    with factory.begin() as session:
        service.resolve(session, handoff_id, staff, outcome)
    return handoff_id


def test_a_new_urgent_case_notifies_and_beeps_once(browser, stack, screenshots):
    url, fake, factory, _ = stack
    open_handoff(factory, "web-already-urgent", "socketio", "urgent")  # there before the page: no alert
    fake.say("web-already-urgent", "my cheek is hot and red")
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.add_init_script(STUBS)
    errors = watch_errors(page)
    with shot_on_failure(page, "console-urgent-alert"):
        log_in(page, url)
        button = page.locator("#alerts")
        expect(button).to_have_text("Turn on urgent alerts")
        button.click()
        expect(button).to_have_text("Urgent alerts on")
        expect(button).to_be_disabled()
        open_handoff(factory, "wa-971500000777", "whatsapp")  # a normal one: no alert
        fake.say("wa-971500000777", "what are your prices?")
        expect(page.locator("#queue button", has_text="wa-971500000777")).to_have_count(1, timeout=6000)
        assert page.evaluate("window.__notes.length") == 0 and page.evaluate("window.__tones") == 0

        urgent_id = open_handoff(factory, "wa-971500000888", "whatsapp", "urgent")
        fake.say("wa-971500000888", "I can't breathe properly", "urgent_symptom")
        expect(page.locator("#queue button.urgent", has_text="wa-971500000888")).to_have_count(1, timeout=6000)
        page.wait_for_function("window.__notes.length > 0", timeout=6000)
        notes = page.evaluate("window.__notes")
        assert len(notes) == 1 and notes[0]["title"].startswith("Urgent")
        assert notes[0]["tag"] == f"clinic-urgent-{urgent_id}"
        assert "971500000888" not in notes[0]["body"]  # no patient details on a possibly locked screen
        assert page.evaluate("window.__tones") == 2  # two short tones
        expect(page.locator("#alert-live")).to_contain_text("New urgent conversation")
        page.wait_for_timeout(2500)  # the next polls do not alert again
        assert page.evaluate("window.__notes.length") == 1
        page.screenshot(path=str(screenshots / "console-urgent-alert.png"))
    assert errors == [], errors
    page.close()


def test_history_search_paging_and_read_only_transcript_on_a_phone(browser, stack, screenshots):
    url, fake, factory, _ = stack
    for n in range(23):
        resolve(factory, f"wa-9715000002{n:02d}")
    target = resolve(factory, "wa-971509999999", "called_patient", "omar")
    fake.events["wa-971509999999"] = [
        {"event": "user", "text": "Can someone call me back?", "timestamp": time.time()},
        {"event": "bot", "text": "Our team will call you.", "timestamp": time.time()}]
    open_handoff(factory, "wa-971500000555")  # the queue needs a card to log in
    page = browser.new_page(viewport={"width": 375, "height": 812})
    errors = watch_errors(page)
    with shot_on_failure(page, "console-history"):
        log_in(page, url)
        page.click("#tab-history")
        expect(page.locator("#history-panel")).to_be_visible()
        expect(page.locator("#queue-panel")).to_be_hidden()
        cards = page.locator("#history button")
        expect(cards).to_have_count(20)
        expect(page.locator("#history-count")).to_have_text("(24)")
        expect(page.locator("#history-page")).to_have_text("Page 1 of 2")
        expect(cards.first).to_contain_text("wa-971509999999")  # newest first
        expect(cards.first).to_contain_text("Called the patient")
        expect(cards.first).to_contain_text("resolved by Omar")
        expect(page.locator("#history-prev")).to_be_disabled()
        page.click("#history-next")
        expect(page.locator("#history-page")).to_have_text("Page 2 of 2")
        expect(cards).to_have_count(4)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(screenshots / "console-history-phone.png"), full_page=True)

        page.fill("#history-q", "+971 50 999 9999")
        page.keyboard.press("Enter")
        expect(cards).to_have_count(1)
        expect(page.locator("#history-page")).to_have_text("Page 1 of 1")
        page.fill("#history-q", "%")
        page.keyboard.press("Enter")
        expect(page.locator("#history-empty")).to_be_visible()
        page.fill("#history-q", "omar")
        page.keyboard.press("Enter")
        expect(cards).to_have_count(1)
        cards.first.click()
        page.locator("#transcript li.patient", has_text="Can someone call me back?").wait_for(timeout=5000)
        expect(page.locator("#read-only")).to_be_visible()
        for hidden in ("#take", "#resolve", "#reply-form"):
            expect(page.locator(hidden)).to_be_hidden()
        top = page.locator("#detail-title").bounding_box()["y"]
        assert 0 <= top < 812, f"the transcript is at y={top}, out of view"
        page.screenshot(path=str(screenshots / "console-history-transcript.png"))
    assert target and errors == [], errors
    page.close()


def test_the_urgent_reply_is_an_alert_in_the_console_transcript(browser, stack):
    url, fake, factory, _ = stack
    open_handoff(factory, "web-lips", "socketio", "urgent")
    fake.say("web-lips", "my lips are turning blue", "urgent_symptom")
    fake.events["web-lips"].append({"event": "bot", "text": "This may be an emergency. Call 998 now.",
                                    "timestamp": time.time(), "metadata": {"utter_action": "utter_urgent_emergency"}})
    fake.events["web-lips"].append({"event": "bot", "text": "Anything else?", "timestamp": time.time()})
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    with shot_on_failure(page, "console-urgent-transcript"):
        log_in(page, url)
        page.locator("#queue button", has_text="web-lips").click()
        alert = page.locator("#transcript li.bot.alert")
        expect(alert).to_have_count(1, timeout=5000)
        expect(alert).to_contain_text("Call 998 now.")
        expect(alert).to_contain_text("urgent reply")
        plain = page.locator("#transcript li.bot", has_text="Anything else?")
        assert alert.evaluate("e => getComputedStyle(e).backgroundColor") != plain.evaluate(
            "e => getComputedStyle(e).backgroundColor")
    page.close()


def test_the_urgent_reply_is_an_alert_in_the_widget(browser, site, screenshots):
    url, socket_url, fake = site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    with shot_on_failure(page, "widget-urgent-alert"):
        page.goto(f"{url}/clinic")
        open_widget(page)
        # what the socket.io output emits for the urgent reply (addons/channels/socketio.py)
        fake.push(alerts.widget_message("This may be an emergency. Call 998 now.",
                                        {"utter_action": "utter_urgent_emergency"}))
        fake.push(alerts.widget_message("Is there anything else?", {"utter_action": "utter_anything_else"}))
        alert = page.locator(".rw-response.rw-urgent", has_text="Call 998 now.")
        expect(alert).to_be_visible(timeout=TIMEOUT)
        plain = page.locator(".rw-response", has_text="Is there anything else?")
        expect(plain).to_be_visible(timeout=TIMEOUT)
        assert "rw-urgent" not in (plain.get_attribute("class") or "")
        assert alert.evaluate("e => getComputedStyle(e).backgroundColor") != plain.evaluate(
            "e => getComputedStyle(e).backgroundColor")
        expect(alert.locator('a[href="tel:998"]')).to_have_count(1)  # the number is still tappable
        page.screenshot(path=str(screenshots / "widget-urgent-alert.png"))
    context.close()
