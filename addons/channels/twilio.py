"""Twilio WhatsApp channel: webhook at ``/webhooks/twilio/webhook``.

Fixes the stock ``twilio`` connector: ``X-Twilio-Signature`` is checked with twilio's
``RequestValidator`` over the public webhook URL (``TWILIO_WEBHOOK_URL``, since a proxy
changes what the server sees), a form without text is no 500, ``MessageSid`` is
claimed once in SQL, sending uses an async httpx client (``TWILIO_API_URL``) in a
background task, and buttons become numbered choices the patient answers by number.
Each sender may send ``WEBHOOK_RATE_LIMIT`` messages per minute (a sliding window,
:mod:`clinic.ratelimit`: in Redis when `REDIS_URL` is set, shared by every process); messages
past that are still answered
200 with empty TwiML (so Twilio does not retry) but get no turn and no reply.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text
from urllib.parse import parse_qsl

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from addons.channels.messaging import ChannelStore
from addons.channels.outage import CountingOutput, run_turn
from addons.channels.webhook import MessagingWebhook, Refused
from clinic.channels import twilio as tw
from clinic.channels.config import TwilioSettings
from clinic.channels.texts import text as channel_text
from clinic.settings import get_settings

logger = logging.getLogger(__name__)
CHANNEL = "twilio"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class TwilioOutput(CountingOutput, OutputChannel):
    """Sends messages through Twilio's Messages API without blocking the event loop."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def __init__(self, client: tw.TwilioClient, store: ChannelStore) -> None:
        self.client = client
        self.store = store

    async def _deliver(self, recipient_id: Text, body: str = "", media_url: str = "") -> bool:
        if not self.may_send():  # an answer given without the conversation's history
            return False
        digits = recipient_id[3:] if recipient_id.startswith("tw-") else ""
        if not tw.PHONE.match(digits):
            logger.warning("twilio: recipient is not a tw-<digits> conversation; not sent")
            return False
        note = body or f"[image] {media_url}"
        if not await self.store.within_window(recipient_id):
            logger.info("twilio: outside the 24-hour window, leaving a note for staff")
            await self.store.note_undelivered(recipient_id, CHANNEL, "outside_window", note)
            return False
        result = await self.client.send(digits, body=body, media_url=media_url)
        if not result.ok:
            await self.store.note_undelivered(recipient_id, CHANNEL, "send_failed", note)
        return result.ok

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, body=text)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        body, payloads = tw.numbered_choices(text, buttons)
        if payloads:
            await self.store.save_choices(recipient_id, payloads)
        await self._deliver(recipient_id, body=body)

    async def send_quick_replies(self, recipient_id: Text, text: Text,
                                 quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, media_url=image)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        body = json_message.get("body") or json_message.get("text")
        if isinstance(body, str):
            await self._deliver(recipient_id, body=body, media_url=str(json_message.get("media_url") or ""))


class TwilioWhatsAppInput(MessagingWebhook):
    """Verified Twilio WhatsApp input channel (credentials.yml: ``addons.channels.twilio.TwilioWhatsAppInput:``);
    the webhook POST is :meth:`MessagingWebhook.receive`, this class its Twilio adapter."""

    channel = CHANNEL
    not_configured = "The Twilio channel is not configured."

    def __init__(self, settings: Optional[TwilioSettings] = None, client: Optional[tw.TwilioClient] = None,
                 store: Optional[ChannelStore] = None, max_body: Optional[int] = None,
                 max_chars: Optional[int] = None, rate_limit: Optional[int] = None) -> None:
        self.settings = settings or get_settings().channels.twilio
        self.client = client or tw.TwilioClient(self.settings)
        self._set_up_pipeline(store, max_body, max_chars, rate_limit)

    def get_output_channel(self) -> Optional[OutputChannel]:
        return TwilioOutput(self.client, self.store)

    def _read(self, request: Request, body: bytes) -> Sequence[tw.TwilioInbound]:
        """The form (decoded first: Twilio signs its fields), ``X-Twilio-Signature`` over the
        public URL and the fields, then the message (none for a status callback)."""
        try:
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "The body must be a UTF-8 form.") from None
        signature = request.headers.get("X-Twilio-Signature", "")
        validator = RequestValidator(self.settings.auth_token)
        if not signature or not validator.validate(self._public_url(request), form, signature):
            raise Refused(403, "Invalid signature.", "missing or wrong signature")
        try:
            inbound = tw.parse_form(form, self.settings.account_sid)
        except tw.MalformedForm as error:
            raise Refused(400, str(error)) from None
        return [] if inbound is None else [inbound]

    def _accepted(self) -> HTTPResponse:
        return response.text(EMPTY_TWIML, content_type="text/xml")

    async def _process(self, items: List[tw.TwilioInbound], on_new_message: Callable[[UserMessage], Awaitable[Any]],
                       app: Any = None) -> None:
        for inbound in items:  # one message a request
            await self._process_one(inbound, on_new_message, app)

    async def _process_one(self, inbound: tw.TwilioInbound,
                           on_new_message: Callable[[UserMessage], Awaitable[Any]], app: Any = None) -> None:
        output = TwilioOutput(self.client, self.store)
        sender = inbound.sender_id
        try:
            for url, mime in inbound.media:
                await self.store.record_media(sender, CHANNEL, url, mime)
            text = inbound.button_payload or inbound.text.strip()
            if inbound.media and not text:
                logger.info("twilio: media recorded for staff")
                await output.send_text_message(sender, channel_text("channel_image_received"))
                return
            if not text:
                await output.send_text_message(sender, channel_text("channel_unsupported"))
                return
            if len(text) > self.max_chars:
                await output.send_text_message(sender, channel_text("channel_too_long"))
                return
            number = tw.chosen_number(text)
            if number is not None:
                text = await self.store.choice_payload(sender, number) or text
            message = UserMessage(text, output, sender, input_channel=CHANNEL,
                                  metadata=inbound.metadata, message_id=inbound.message_sid)
            if not await run_turn(on_new_message, message, app, CHANNEL):  # the patient got the apology
                await self.store.note_undelivered(sender, CHANNEL, "not_processed", inbound.text or "[media]")
        except Exception as error:  # nothing lost: staff see the message in the notes
            logger.error("twilio: handling a message failed: %s", type(error).__name__)
            await self.store.note_undelivered(sender, CHANNEL, "not_processed", inbound.text or "[media]")

    def _public_url(self, request: Request) -> str:
        if self.settings.webhook_url:
            return self.settings.webhook_url
        query = f"?{request.query_string}" if request.query_string else ""
        return f"{request.scheme}://{request.host}{request.path}{query}"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.enabled else "not configured"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        return hook
