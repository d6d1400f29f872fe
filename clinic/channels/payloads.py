"""Intent payloads (``/intent{...}``) only as answers to the buttons the bot just offered.

Rasa reads a message that starts with ``/`` as an intent set from outside, at confidence
1.0, with any entities it names (``/inform{"phone": ...}``), skipping the classifier,
the fallback and the triage. Buttons need that; a typed ``/human_handoff`` or
``/urgent_symptom`` must not open a handoff or an urgent item. So a payload is passed on
only when it is one the bot offered in its last turn (buttons or quick replies of the
bot messages since the patient's last message); any other message starting with ``/``
is passed on as plain text without the slashes, for the classifier to read like any
other text. Framework-free: the Rasa side (:mod:`addons.channels.payloads`) gives the
conversation's events as ``(kind, data)`` pairs, newest first.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Set, Tuple

PREFIX = "/"


def is_payload(text: Any) -> bool:
    return isinstance(text, str) and text.lstrip().startswith(PREFIX)


def offered_payloads(events_newest_first: Iterable[Tuple[str, Optional[dict]]]) -> Set[str]:
    """Payloads of the buttons and quick replies the bot sent since the last user message."""
    offered: Set[str] = set()
    for kind, data in events_newest_first:
        if kind == "user":
            break
        if kind != "bot" or not isinstance(data, dict):
            continue
        for key in ("buttons", "quick_replies"):
            for button in data.get(key) or ():
                payload = button.get("payload") if isinstance(button, dict) else None
                if isinstance(payload, str):
                    offered.add(payload.strip())
    return offered


def as_plain_text(text: str) -> str:
    """The message without its leading slashes (never empty: ``"/"`` stays readable)."""
    plain = text.lstrip().lstrip(PREFIX).strip()
    return plain or "?"


def allowed_text(text: str, offered: Set[str]) -> str:
    """``text`` itself when it is not a payload or is an offered one, else plain text."""
    if not is_payload(text) or text.strip() in offered:
        return text
    return as_plain_text(text)
