"""No message text, phone number or name reaches the logs at INFO or above.

Canary values go in through every channel the stack serves (REST webhook, the web
page's chat proxy, WhatsApp when mounted) as message text, as a name and phone given
to the booking form, and as message metadata; then every log file the stack wrote is
searched. A canary may appear only on DEBUG lines.
"""
from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Iterable, List

import httpx
import pytest

pytestmark = pytest.mark.integration

NAME = "Qorvathine Zindelbrook"
PHONE = "+971 50 555 0199"
PHONE_DIGITS = "505550199"
TEXT = "canarytext-7Q3XW"
CANARIES = (NAME.split()[0], NAME.split()[1], PHONE_DIGITS, TEXT)
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
    with httpx.Client(timeout=60) as client:
        for message in conversation():
            rest = client.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                               json={"sender": f"canary-rest-{uuid.uuid4().hex[:8]}", "message": message,
                                     "metadata": {"phone": PHONE, "name": NAME}})
            assert rest.status_code < 500
        sender = f"canary-flow-{uuid.uuid4().hex[:8]}"
        for message in conversation():  # one conversation, so the booking form gets the name and phone
            assert client.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                               json={"sender": sender, "message": message}).status_code < 500
            assert client.post(f"{stack.web_url}/chat",
                               json={"sender": f"web-{sender}", "message": message}).status_code < 500
    time.sleep(1.0)  # let the processes flush their logs
    log_files = sorted(p for p in Path(stack.log_dir).rglob("*.log") if p.is_file())
    assert log_files, "the stack wrote no log files"
    assert sum(p.stat().st_size for p in log_files) > 0
    assert leaks(log_files) == []


def test_leak_detector_flags_info_and_unlevelled_lines(tmp_path):
    log = tmp_path / "x.log"
    log.write_text(f"2026-11-26 INFO rasa x {TEXT}\n2026-11-26 DEBUG rasa y {TEXT}\nTraceback {PHONE_DIGITS}\nclean\n")
    assert len(leaks([log])) == 2
