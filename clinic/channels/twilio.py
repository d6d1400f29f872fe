"""Twilio WhatsApp: webhook forms in, numbered choices and Messages API calls out."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from clinic.channels.config import TwilioSettings
from clinic.channels.http_retry import RetryingSender, SendResult
from clinic.channels.texts import text as channel_text

PHONE = re.compile(r"^(?:whatsapp:)?\+?([0-9]{5,20})$")
SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
NUMBER_ANSWER = re.compile(r"^\s*([0-9]{1,2})\s*[.)]?\s*$")
MAX_BODY = 1600
MAX_CHOICES = 10


class MalformedForm(ValueError):
    """The webhook form is not a Twilio incoming message."""


@dataclass(frozen=True)
class TwilioInbound:
    """One incoming WhatsApp message from Twilio."""

    message_sid: str
    digits: str
    text: str
    media: Tuple[Tuple[str, str], ...] = ()  # (url, content type)
    button_payload: str = ""

    @property
    def sender_id(self) -> str:
        return f"tw-{self.digits}"

    @property
    def message_id(self) -> str:  # the platform's id, as WhatsApp's messages name it
        return self.message_sid

    @property
    def metadata(self) -> Dict[str, str]:
        return {"channel": "twilio", "phone": f"+{self.digits}"}


def parse_form(form: Mapping[str, str], account_sid: str = "") -> Optional[TwilioInbound]:
    """The message in a webhook form, or None for a status callback.

    Raises :class:`MalformedForm` when the sender or message id is missing or odd, or
    the form is for another Twilio account.
    """
    if form.get("MessageStatus") and "Body" not in form:
        return None  # a status callback, not a message
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    if not SID.match(sid):
        raise MalformedForm("MessageSid is missing or malformed.")
    if account_sid and form.get("AccountSid") not in (None, account_sid):
        raise MalformedForm("The message is for another account.")
    match = PHONE.match(form.get("From", "").strip())
    if not match:
        raise MalformedForm("From is missing or is not a phone number.")
    try:
        count = min(int(form.get("NumMedia", "0") or 0), 10)
    except ValueError:
        count = 0
    media = tuple((form[f"MediaUrl{i}"], form.get(f"MediaContentType{i}", ""))
                  for i in range(count) if form.get(f"MediaUrl{i}"))
    return TwilioInbound(message_sid=sid, digits=match.group(1), text=form.get("Body") or "",
                         media=media, button_payload=form.get("ButtonPayload") or "")


def numbered_choices(body: str, buttons: List[Dict[str, Any]]) -> Tuple[str, List[str]]:
    """Render buttons as "1. Title" lines; returns the text and the payloads in order."""
    buttons = [b for b in buttons if isinstance(b, dict) and (b.get("title") or b.get("payload"))][:MAX_CHOICES]
    lines = [f"{i}. {' '.join(str(b.get('title') or b.get('payload')).split())}"
             for i, b in enumerate(buttons, start=1)]
    payloads = [str(b.get("payload") or b.get("title")) for b in buttons]
    parts = [p for p in ((body or "").strip(), "\n".join(lines), channel_text("channel_reply_with_number")) if p]
    return "\n\n".join(parts), payloads


def chosen_number(text: str) -> Optional[int]:
    """The number in an answer such as "2", " 2. " or "2)"; None otherwise."""
    match = NUMBER_ANSWER.match(text or "")
    return int(match.group(1)) if match else None


class TwilioClient(RetryingSender):
    """Sends WhatsApp messages through Twilio's Messages API with httpx (non-blocking)."""

    settings: TwilioSettings

    @property
    def messages_url(self) -> str:
        s = self.settings
        return f"{s.api_url}/2010-04-01/Accounts/{s.account_sid}/Messages.json"

    def _from(self) -> str:
        number = self.settings.whatsapp_number
        return number if number.startswith("whatsapp:") else f"whatsapp:{number}"

    async def send(self, digits: str, body: str = "", media_url: str = "") -> SendResult:
        """Send ``body`` (cut to 1600 characters) and/or one media URL to ``+digits``."""
        data = {"From": self._from(), "To": f"whatsapp:+{digits}"}
        if body:
            data["Body"] = body[:MAX_BODY]
        if media_url:
            data["MediaUrl"] = media_url
        return await self.post(
            self.messages_url, what="twilio send",
            data=data, auth=(self.settings.account_sid, self.settings.auth_token),
        )
