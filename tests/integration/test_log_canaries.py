"""No message text, phone number or name reaches the logs at INFO or above.

Canary values go in through every channel the stack serves (REST webhook, the web
page's chat proxy, correctly signed WhatsApp Cloud API and Twilio webhooks whose sender
number and profile name are canaries too, the staff console's login form) as message
text, as a name and phone given to the booking form, and as message metadata; then
every log file the stack wrote is searched. A canary may appear only on DEBUG lines.
The stack points the Graph and Twilio APIs at a closed port, so every reply the
assistant sends on those channels fails and is logged as well.
"""
from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path
from typing import Iterable, List, Optional, Tuple
from urllib.parse import urlencode

import httpx
import pytest
from twilio.request_validator import RequestValidator

from clinic.channels.signature import meta_signature

pytestmark = pytest.mark.integration

NAME = "Qorvathine Zindelbrook"
PHONE = "+971 50 555 0199"
PHONE_DIGITS = "505550199"
TEXT = "canarytext-7Q3XW"
CANARIES = (NAME.split()[0], NAME.split()[1], PHONE_DIGITS, TEXT)
SENDER_NUMBER = "971" + PHONE_DIGITS  # the WhatsApp/Twilio sender's number is a canary too
WHATSAPP_TEXT = Path(__file__).parents[1] / "fixtures" / "whatsapp" / "text.json"
BOOKING_BUTTON = re.compile(r"consultation|slot_start|^/affirm$")  # service, first time, consent, confirm
BOOKED = re.compile(r"\bNS-[A-Z0-9]{4}\b")  # the booking reference
TURN_TIMEOUT = 120  # each failed send to the closed API port is retried once (SEND_ATTEMPTS 2)
LEVEL = re.compile(r"\b(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\b")


def conversation() -> List[str]:
    return [
        f"hello {TEXT}",
        f"my lips are swollen {TEXT}",
        "I want to book a consultation",
        "consultation",
        NAME,
        PHONE,
        "yes",
        f"My name is {NAME} and my number is {PHONE}",
        f"pus and fever {TEXT} call {PHONE}",
        "delete my data",
    ]


class Patient:
    """The canary patient writing through one channel, one finished turn at a time."""

    def __init__(self, client: httpx.Client, stack) -> None:
        self.client, self.stack = client, stack
        self.sender = self.conversation_id()
        self.turns = len(self.user_events())

    def conversation_id(self) -> str:
        return f"canary-book-{uuid.uuid4().hex[:8]}"

    def events(self) -> List[dict]:
        tracker = self.client.get(f"{self.stack.rasa_url}/conversations/{self.sender}/tracker",
                                  params={"token": self.stack.rasa_token})
        assert tracker.status_code == 200
        return tracker.json().get("events") or []

    def user_events(self) -> List[dict]:
        return [e for e in self.events() if e.get("event") == "user"]

    def say(self, text: str) -> None:
        self.post(text=text)
        self.wait()

    def tap(self, payload: str, number: int) -> None:
        """Choose a button: ``payload`` where the channel has buttons, ``number`` on Twilio."""
        self.post(payload=payload, number=number)
        self.wait()

    def post(self, text: str = "", payload: str = "", number: int = 0) -> None:
        response = self.client.post(f"{self.stack.rasa_url}/webhooks/rest/webhook",  # REST: the API token
                                    json={"sender": self.sender, "message": text or payload},
                                    headers={"Authorization": f"Bearer {self.stack.rasa_token}"})
        assert response.status_code == 200, response.text

    def wait(self) -> None:
        """Until the tracker holds the turn: Rasa saves it once the turn, sends included, is done."""
        self.turns += 1
        deadline = time.monotonic() + TURN_TIMEOUT
        while len(self.user_events()) < self.turns:
            assert time.monotonic() < deadline, f"{self.sender}: turn {self.turns} was not processed"
            time.sleep(0.5)

    def last_replies(self) -> List[dict]:
        """The assistant's messages since the patient's last turn."""
        events = self.events()
        users = [i for i, e in enumerate(events) if e.get("event") == "user"]
        return [e for e in events[users[-1] + 1 if users else 0:] if e.get("event") == "bot"]


class WhatsAppPatient(Patient):
    """Correctly signed Cloud API notifications (``X-Hub-Signature-256``) from a canary number and name."""

    def conversation_id(self) -> str:
        return f"wa-{SENDER_NUMBER}"

    def post(self, text: str = "", payload: str = "", number: int = 0) -> None:
        notification = json.loads(WHATSAPP_TEXT.read_text(encoding="utf-8"))
        value = notification["entry"][0]["changes"][0]["value"]
        value["metadata"]["phone_number_id"] = self.stack.env["WHATSAPP_PHONE_NUMBER_ID"]
        value["contacts"] = [{"profile": {"name": NAME}, "wa_id": SENDER_NUMBER}]
        message = value["messages"][0]
        message.update({"from": SENDER_NUMBER, "id": f"wamid.canary{uuid.uuid4().hex}"})
        if payload:  # a button tap comes back as the button's payload
            del message["text"]
            message.update({"type": "interactive", "interactive": {
                "type": "button_reply", "button_reply": {"id": payload, "title": payload[:20]}}})
        else:
            message["text"] = {"body": text}
        body = json.dumps(notification).encode()
        response = self.client.post(f"{self.stack.rasa_url}/webhooks/whatsapp/webhook", content=body, headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": meta_signature(self.stack.env["WHATSAPP_APP_SECRET"], body)})
        assert response.status_code == 200, response.text


class TwilioPatient(Patient):
    """Correctly signed Twilio WhatsApp webhooks (``RequestValidator``); buttons are answered by number."""

    def conversation_id(self) -> str:
        return f"tw-{SENDER_NUMBER}"

    def post(self, text: str = "", payload: str = "", number: int = 0) -> None:
        url = f"{self.stack.rasa_url}/webhooks/twilio/webhook"  # what the server sees (no TWILIO_WEBHOOK_URL)
        sid = "SM" + uuid.uuid4().hex
        form = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": self.stack.env["TWILIO_ACCOUNT_SID"],
                "From": f"whatsapp:+{SENDER_NUMBER}", "WaId": SENDER_NUMBER, "ProfileName": NAME,
                "To": f"whatsapp:{self.stack.env['TWILIO_WHATSAPP_NUMBER']}", "Body": str(number) if payload else text,
                "NumMedia": "0", "MessageType": "text", "SmsStatus": "received", "ApiVersion": "2010-04-01"}
        signature = RequestValidator(self.stack.env["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
        response = self.client.post(url, content=urlencode(form).encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
        assert response.status_code == 200, response.text


def booking_choice(replies: List[dict]) -> Optional[Tuple[str, int]]:
    """The button a patient booking the first free consultation taps: (payload, its number)."""
    for reply in reversed(replies):
        buttons = (reply.get("data") or {}).get("buttons") or []
        for number, button in enumerate(buttons, start=1):
            if BOOKING_BUTTON.search(str(button.get("payload") or "")):
                return button["payload"], number
    return None


def book_then_report_symptoms(patient: Patient) -> None:
    """Book a consultation giving the canary name and phone to the form, then canary texts and symptoms."""
    patient.say(f"hello {TEXT}")
    patient.say("I'd like to book a consultation please")
    for _ in range(8):
        replies = patient.last_replies()
        said = " ".join(r.get("text") or "" for r in replies)
        if BOOKED.search(said):
            break
        choice = booking_choice(replies)
        if choice:
            patient.tap(*choice)
        elif "name" in said.lower():
            patient.say(NAME)
        elif "number" in said.lower():
            patient.say(PHONE)
        else:
            break
    assert BOOKED.search(" ".join(r.get("text") or "" for r in patient.last_replies())), \
        f"{patient.sender}: the booking did not complete: {said[:300]}"
    for message in (f"My name is {NAME} and my number is {PHONE}", f"my lips are swollen {TEXT}",
                    f"pus and fever {TEXT} call {PHONE}"):
        patient.say(message)


def try_console_logins(client: httpx.Client, stack) -> None:
    page = client.get(f"{stack.web_url}/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for username in (NAME, PHONE, TEXT):
        response = client.post(f"{stack.web_url}/console/login",
                               data={"username": username, "password": f"{TEXT} {PHONE}", "csrf_token": token})
        assert response.status_code in (401, 429), response.status_code  # refused, not a form error


def leaks(log_files: Iterable[Path]) -> List[str]:
    """Log lines (not DEBUG) that contain a canary."""
    found = []
    for path in log_files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if not any(c.lower() in line.lower() for c in CANARIES):
                continue
            level = LEVEL.search(line)
            if level is None or level.group(1) != "DEBUG":
                found.append(f"{path.name}: {line[:200]}")
    return found


def test_no_canary_in_any_log(stack):
    auth = {"Authorization": f"Bearer {stack.rasa_token}"}
    with httpx.Client(timeout=60) as client:
        for message in conversation():
            rest = client.post(f"{stack.rasa_url}/webhooks/rest/webhook", headers=auth,
                               json={"sender": f"canary-rest-{uuid.uuid4().hex[:8]}", "message": message,
                                     "metadata": {"phone": PHONE, "name": NAME}})
            assert rest.status_code < 500
        sender = f"canary-flow-{uuid.uuid4().hex[:8]}"
        for message in conversation():  # one conversation each through REST and the web page's chat proxy
            assert client.post(f"{stack.rasa_url}/webhooks/rest/webhook", headers=auth,
                               json={"sender": sender, "message": message}).status_code < 500
            assert client.post(f"{stack.web_url}/chat",
                               json={"sender": f"web-{sender}", "message": message}).status_code < 500
        for patient in (Patient, WhatsAppPatient, TwilioPatient):  # the form gets the name and phone
            book_then_report_symptoms(patient(client, stack))
        try_console_logins(client, stack)
    time.sleep(1.0)  # let the processes flush their logs
    log_files = sorted(p for p in Path(stack.log_dir).rglob("*.log") if p.is_file())
    assert log_files, "the stack wrote no log files"
    assert sum(p.stat().st_size for p in log_files) > 0
    assert leaks(log_files) == []


def test_leak_detector_flags_info_and_unlevelled_lines(tmp_path):
    log = tmp_path / "x.log"
    log.write_text(f"2026-11-26 INFO rasa x {TEXT}\n2026-11-26 DEBUG rasa y {TEXT}\nTraceback {PHONE_DIGITS}\nclean\n")
    assert len(leaks([log])) == 2
