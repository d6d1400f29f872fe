"""WhatsApp Cloud API: webhook payloads in, message payloads out (no I/O here).

Inbound format: ``{"object": "whatsapp_business_account", "entry": [{"changes":
[{"field": "messages", "value": {"metadata": {...}, "contacts": [...], "messages":
[...], "statuses": [...]}}]}]}``. Outbound: the ``/{phone-number-id}/messages`` body.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from clinic.channels.texts import text as channel_text

WA_ID = re.compile(r"^[0-9]{5,20}$")
MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_BUTTONS = 3
MAX_LIST_ROWS = 10
BUTTON_TITLE = 20
ROW_TITLE = 24
ROW_DESCRIPTION = 72
BUTTON_ID = 256
ROW_ID = 200

TEXT, PAYLOAD, MEDIA, UNSUPPORTED = "text", "payload", "media", "unsupported"


class MalformedPayload(ValueError):
    """The webhook body is not a WhatsApp Cloud API notification."""


@dataclass(frozen=True)
class Inbound:
    """One patient message from a webhook notification."""

    message_id: str
    wa_id: str
    kind: str  # TEXT, PAYLOAD, MEDIA or UNSUPPORTED
    text: str = ""
    media_ref: str = ""
    mime_type: str = ""
    type_name: str = ""

    @property
    def sender_id(self) -> str:
        return f"wa-{self.wa_id}"

    @property
    def metadata(self) -> Dict[str, str]:
        return {"channel": "whatsapp", "phone": f"+{self.wa_id}"}


def parse_notification(raw: bytes, phone_number_id: str = "") -> List[Inbound]:
    """The patient messages in a webhook body; statuses are left out.

    Messages for another phone number id, without an id, or from a sender id that is
    not 5-20 digits are skipped. Raises :class:`MalformedPayload` for a body that is
    not a JSON notification at all.
    """
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise MalformedPayload("The body must be JSON encoded as UTF-8.") from None
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        raise MalformedPayload("Not a WhatsApp notification: 'entry' is missing.")
    found: List[Inbound] = []
    for entry in body["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            meta = value.get("metadata") or {}
            other_number = isinstance(meta, dict) and meta.get("phone_number_id") not in (None, phone_number_id)
            if phone_number_id and other_number:
                continue
            messages = value.get("messages")
            for message in messages if isinstance(messages, list) else []:
                inbound = _parse_message(message)
                if inbound is not None:
                    found.append(inbound)
    return found


def _part(message: Dict[str, Any], key: str) -> Dict[str, Any]:
    """``message[key]`` when it is an object, else ``{}`` (a malformed part is skipped, not a 500)."""
    value = message.get(key)
    return value if isinstance(value, dict) else {}


def _parse_message(message: Any) -> Optional[Inbound]:
    if not isinstance(message, dict):
        return None
    message_id, wa_id, kind = message.get("id"), message.get("from"), message.get("type")
    if not isinstance(message_id, str) or not message_id or len(message_id) > 255:
        return None
    if not isinstance(wa_id, str) or not WA_ID.match(wa_id):
        return None
    # the type goes into a log line: letters and _ only
    base = {"message_id": message_id, "wa_id": wa_id, "type_name": re.sub(r"[^a-z_]", "", str(kind))[:32]}
    if kind == "text":
        body = _part(message, "text").get("body")
        if isinstance(body, str):
            return Inbound(kind=TEXT, text=body, **base)
    elif kind == "interactive":
        interactive = _part(message, "interactive")
        reply = _part(interactive, "button_reply") or _part(interactive, "list_reply")
        choice = reply.get("id") or reply.get("title")
        if isinstance(choice, str) and choice:
            return Inbound(kind=PAYLOAD, text=choice, **base)
    elif kind == "button":  # quick reply on a template message
        button = _part(message, "button")
        choice = button.get("payload") or button.get("text")
        if isinstance(choice, str) and choice:
            return Inbound(kind=PAYLOAD, text=choice, **base)
    elif kind == "image":
        image = _part(message, "image")
        if isinstance(image.get("id"), str):
            caption = image.get("caption")  # text: the caption
            return Inbound(kind=MEDIA, media_ref=image["id"], mime_type=str(image.get("mime_type", ""))[:100],
                           text=caption if isinstance(caption, str) else "", **base)
    return Inbound(kind=UNSUPPORTED, **base)


def _cut(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _envelope(wa_id: str, kind: str, content: Dict[str, Any]) -> Dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa_id,
            "type": kind, kind: content}


def text_message(wa_id: str, body: str) -> Dict[str, Any]:
    """A plain text message (cut to 4096 characters)."""
    return _envelope(wa_id, "text", {"body": body[:MAX_TEXT], "preview_url": False})


def image_message(wa_id: str, url: str) -> Dict[str, Any]:
    """An image sent by link."""
    return _envelope(wa_id, "image", {"link": url})


def template_message(wa_id: str, name: str, language: str, parameters: Optional[List[str]] = None,
                     quick_replies: Optional[List[str]] = None) -> Dict[str, Any]:
    """An approved template (the only kind allowed outside the 24-hour window).

    ``parameters`` fill the body's ``{{1}}``, ``{{2}}``...; ``quick_replies`` are the payloads
    of the template's quick-reply buttons, in order (a tap comes back as that payload).
    """
    content: Dict[str, Any] = {"name": name, "language": {"code": language}}
    components: List[Dict[str, Any]] = []
    if parameters:
        components.append({"type": "body",
                           "parameters": [{"type": "text", "text": str(p)[:1024]} for p in parameters]})
    for index, payload in enumerate(quick_replies or ()):
        components.append({"type": "button", "sub_type": "quick_reply", "index": str(index),
                           "parameters": [{"type": "payload", "payload": str(payload)[:BUTTON_ID]}]})
    if components:
        content["components"] = components
    return _envelope(wa_id, "template", content)


def _choice_id(button: Dict[str, Any], limit: int) -> str:
    payload = str(button.get("payload") or "")
    return payload if payload and len(payload) <= limit else str(button.get("title") or "")[:limit]


def buttons_message(wa_id: str, body: str, buttons: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Up to 3 buttons as reply buttons, 4-10 as a list (extra ones are dropped).

    Titles are cut to WhatsApp's limits (20 characters on a button, 24 on a list row,
    where the full title then goes into the row's description). The payload travels
    as the id, so a tap comes back as the button's payload.
    """
    body = (body or "").strip()[:MAX_INTERACTIVE_BODY] or channel_text("channel_choose")
    buttons = [b for b in buttons if isinstance(b, dict) and (b.get("title") or b.get("payload"))]
    if len(buttons) <= MAX_BUTTONS:
        replies = [{"type": "reply", "reply": {"id": _choice_id(b, BUTTON_ID),
                                               "title": _cut(str(b.get("title") or b.get("payload")), BUTTON_TITLE)}}
                   for b in buttons]
        return _envelope(wa_id, "interactive", {"type": "button", "body": {"text": body},
                                                "action": {"buttons": replies}})
    rows = []
    for b in buttons[:MAX_LIST_ROWS]:
        title = " ".join(str(b.get("title") or b.get("payload")).split())
        row = {"id": _choice_id(b, ROW_ID), "title": _cut(title, ROW_TITLE)}
        if len(title) > ROW_TITLE:
            row["description"] = _cut(title, ROW_DESCRIPTION)
        rows.append(row)
    return _envelope(wa_id, "interactive", {
        "type": "list", "body": {"text": body},
        "action": {"button": _cut(channel_text("channel_list_button"), BUTTON_TITLE),
                   "sections": [{"rows": rows}]},
    })
