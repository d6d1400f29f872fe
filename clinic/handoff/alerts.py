"""The urgent reply shown as an alert (issue 18): in the website widget and in the staff
console's transcript, the assistant's answer to a warning sign stands apart from other
bubbles. Decisions only, no I/O.

The marker is the response's name, which Rasa already carries with every message it
utters from the domain (``utter_action`` in the message and in the stored ``bot`` event's
metadata): one of :data:`URGENT_RESPONSES` (the replies of ``action_urgent_care``,
actions/urgent.py; tests/clinic/handoff/test_alerts.py keeps the two in step). Nothing
changes in the text itself, so WhatsApp and Twilio still get plain text; only the
widget's socket.io messages carry rasa-webchat's ``customCss`` class :data:`ALERT_CLASS`
(:func:`widget_message`, used by addons/channels/socketio.py), styled by
console/static/site/site.css.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

URGENT_RESPONSES = frozenset({
    "utter_urgent_care", "utter_urgent_emergency",
    "utter_urgent_nurse_alerted", "utter_urgent_emergency_alerted",
})
ALERT_CLASS = "rw-urgent"


def is_urgent_reply(metadata: Optional[Mapping[str, Any]]) -> bool:
    """True for the metadata of a message (or ``bot`` event) of the urgent reply."""
    return isinstance(metadata, Mapping) and metadata.get("utter_action") in URGENT_RESPONSES


def widget_message(text: str, metadata: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The socket.io message for ``text``: with rasa-webchat's ``customCss`` class
    :data:`ALERT_CLASS` when it is part of the urgent reply, else just the text."""
    message: Dict[str, Any] = {"text": text}
    if is_urgent_reply(metadata):
        message["metadata"] = {"customCss": {"style": "class", "css": ALERT_CLASS}}
    return message
